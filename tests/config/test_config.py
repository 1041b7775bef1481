"""Settings and partnership files: valid ones load, bad ones stop with one clear line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from helpers import ORGS, assert_setting_refused

from config.partnership import PartnershipConfigError, load_all, load_partnership, parse_duration
from config.settings import SHIPPED_CONFIG_DIR, SettingsError, load_settings

SHIPPED = SHIPPED_CONFIG_DIR / "tingbjerg-husum.toml"


def test_shipped_file_holds_the_agreement():
    spec = load_partnership(SHIPPED)
    assert spec.name == "Tingbjerg-Husum Partnerskab"
    assert spec.timezone == "Europe/Copenhagen" and spec.locale == "da"
    assert (spec.period.start.isoformat(), spec.period.end.isoformat()) == (
        "2017-01-01",
        "2020-12-31",
    )
    assert [o.slug for o in spec.organisations] == list(ORGS)
    assert [a.slug for a in spec.focus_areas] == [
        "positive-faellesskaber",
        "tryggere-byliv",
        "uddannelse-beskaeftigelse",
    ]
    baselines = {i.key: i.baseline for i in spec.indicators if i.baseline is not None}
    assert baselines == {
        "crime.indbrud": 145,
        "crime.tyveri-roeveri": 323,
        "crime.vold-trusler-vaaben": 86,
        "crime.haervaerk": 42,
        "crime.total": 596,
        "crime.narkotika": 37,
        "crime.chikane": 38,
    }
    total = spec.indicator("crime.total")
    assert total is not None and total.computed
    assert sum(baselines[k] for k in total.components) == 596
    assert spec.indicator("crime.narkotika").rule == "monitored"  # type: ignore[union-attr]
    assert spec.indicator("safety.unsafe").comparison == "safety.unsafe-city"  # type: ignore[union-attr]
    assert (spec.meetings.working_group_min, spec.meetings.working_group_max) == (6, 8)
    assert spec.meetings.steering_group_min == 1
    assert (spec.budget.activities_dkk, spec.budget.secretariat_dkk) == (1_800_000, 300_000)


def test_shipped_blackouts_are_rules_for_any_year():
    """Copenhagen's school holidays (DESIGN section 1) as rules, here for 2026 and 2030."""
    summer, winter, autumn, christmas = load_partnership(SHIPPED).meetings.blackouts
    assert (summer.name_da, winter.name_en) == ("sommerferien", "the winter break (week 7)")
    assert summer.span(2026) == (dt.date(2026, 6, 27), dt.date(2026, 8, 7))  # Sat + 6 weeks
    assert summer.span(2030) == (dt.date(2030, 6, 29), dt.date(2030, 8, 9))
    assert winter.span(2026) == (dt.date(2026, 2, 9), dt.date(2026, 2, 15))  # week 7
    assert autumn.span(2030) == (dt.date(2030, 10, 14), dt.date(2030, 10, 20))  # week 42
    assert christmas.span(2026) == (dt.date(2026, 12, 22), dt.date(2027, 1, 1))
    assert christmas.covers(dt.date(2027, 1, 1)) and not christmas.covers(dt.date(2027, 1, 2))


def test_a_blackout_needs_one_rule(tmp_path):
    path = _broken(tmp_path, "week = 7", 'week = 7\nfrom = "02-10"')
    with pytest.raises(PartnershipConfigError) as err:
        load_partnership(path)
    assert str(err.value).startswith(
        f"tingbjerg-husum.toml:{_line_of(path, '[[meetings.blackouts]]', 2)}: "
        "meetings.blackouts[1]: give either week = N or from = … with its length, not both"
    ), err.value


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = SHIPPED.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "tingbjerg-husum.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line]
    return hits[nth - 1]


@pytest.mark.parametrize(
    ("old", "new", "field", "needle", "nth"),
    [
        ('rule = "monitored"', 'rule = "monitor"', "indicators[5].rule", 'rule = "monitor"', 1),
        (
            'timezone = "Europe/Copenhagen"',
            'timezone = "Europe/Kobenhavn"',
            "timezone",
            "timezone =",
            1,
        ),
        ('slug = "sof"', 'slug = "okf"', "organisations", None, 0),
        ("working_group_min = 6", "working_group_min = 9", "meetings", None, 0),
        (
            'comparison = "safety.unsafe-city"',
            'comparison = "safety.nope"',
            "indicators[7]",
            None,
            0,
        ),
        ('locale = "da"', 'locale = "de"', "locale", "locale =", 1),
        (
            'name_en = "Safer urban life"',
            'nme_en = "Safer urban life"',
            "focus_areas[1].nme_en",
            "nme_en",
            1,
        ),
        (
            '# tenants = ["00000000-0000-0000-0000-000000000000"]',
            'tenants = ["politiets-tenant"]',
            "organisations[7].tenants[0]",
            "tenants =",
            1,
        ),
        (
            'from = "last saturday of june"',
            'from = "sidste lørdag i juni"',
            "meetings.blackouts[0].from",
            "sidste lørdag",
            1,
        ),
        ("week = 42", "week = 60", "meetings.blackouts[2].week", "week = 60", 1),
        ('to = "01-01"', 'to = "02-30"', "meetings.blackouts[3].to", 'to = "02-30"', 1),
        ("weeks = 6", "weeks = 6\nweek = 27", "meetings.blackouts[0]", "[[meetings.blackouts]]", 1),
        ("weeks = 6", "wekes = 6", "meetings.blackouts[0].wekes", "wekes", 1),
        (
            'indicators = ["crime.indbrud", "crime.tyveri-roeveri"]',
            'indicators = ["crime.indbrud", "crime.tyveri"]',
            "series_breaks[0]",
            None,
            0,
        ),
        ("last_year = 2021", "last_year = 2019", "series_breaks[1]", None, 0),
    ],
)
def test_bad_file_names_file_line_and_field(tmp_path, old, new, field, needle, nth):
    path = _broken(tmp_path, old, new)
    with pytest.raises(PartnershipConfigError) as err:
        load_partnership(path)
    message = str(err.value)
    assert message.startswith("tingbjerg-husum.toml")
    assert field in message
    if needle:
        assert message.startswith(f"tingbjerg-husum.toml:{_line_of(path, needle, nth)}:")
    assert "\n" not in message


POLICE_TENANT = "22222222-2222-4222-8222-22222222ABCD"


def test_an_organisations_own_tenant_names_it(tmp_path):
    path = _broken(
        tmp_path,
        '# tenants = ["00000000-0000-0000-0000-000000000000"]',
        f'tenants = ["{POLICE_TENANT}"]',
    )
    spec = load_partnership(path)
    found = spec.organisation_of_tenant(POLICE_TENANT.lower())  # as Teams writes it
    assert found is not None and found.slug == "politi"
    assert spec.organisation_of_tenant("11111111-1111-4111-8111-111111111111") is None
    assert spec.organisation_of_tenant(None) is None and spec.organisation_of_tenant("") is None
    assert load_partnership(SHIPPED).organisation_of_tenant(POLICE_TENANT) is None


def test_one_tenant_is_one_organisation(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    for slug in ("politi", "ssp"):
        text = text.replace(
            f'slug = "{slug}"\n', f'slug = "{slug}"\ntenants = ["{POLICE_TENANT}"]\n'
        )
    path = tmp_path / "tingbjerg-husum.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PartnershipConfigError, match="listed for both 'politi' and 'ssp'"):
        load_partnership(path)


def test_invalid_toml_and_slug_mismatch(tmp_path):
    bad = tmp_path / "x.toml"
    bad.write_text("slug = \n", encoding="utf-8")
    with pytest.raises(PartnershipConfigError, match=r"x\.toml: not valid TOML"):
        load_partnership(bad)
    other = tmp_path / "cfg"
    other.mkdir()
    (other / "amager.toml").write_text(SHIPPED.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(PartnershipConfigError, match="differs from the file name"):
        load_all(other)


def test_another_partnership_is_another_file(tmp_path):
    text = (
        SHIPPED.read_text(encoding="utf-8")
        .replace('slug = "tingbjerg-husum"', 'slug = "amager"')
        .replace('name = "Tingbjerg-Husum Partnerskab"', 'name = "Amager Partnerskab"')
    )
    (tmp_path / "amager.toml").write_text(text, encoding="utf-8")
    (tmp_path / "tingbjerg-husum.toml").write_text(SHIPPED.read_text(encoding="utf-8"))
    assert sorted(load_all(tmp_path)) == ["amager", "tingbjerg-husum"]


def test_settings_defaults_and_validation(tmp_path):
    settings = load_settings({})
    assert settings.database_url == "sqlite:///partnerbot.db"
    assert settings.command == "/wg" and settings.public_url is None
    s2 = load_settings(
        {
            "DATABASE_URL": "postgresql://u@h/db",
            "PARTNERBOT_ADMINS": "U1, U2",
            "PARTNERBOT_PUBLIC_URL": "https://bot.kk.dk/partnerbot/",
            "PARTNERBOT_COMMAND": "  ",
        }
    )
    assert s2.database_url == "postgresql+psycopg://u@h/db"
    assert s2.admins == {"U1", "U2"} and s2.command == "/wg"
    assert s2.public_url == "https://bot.kk.dk/partnerbot"
    assert load_settings({"DATABASE_URL": "postgres://u@h/db"}).database_url.startswith(
        "postgresql+psycopg://"
    )
    for env, name in [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"PARTNERBOT_COMMAND": "wg"}, "PARTNERBOT_COMMAND"),
        ({"PARTNERBOT_COMMAND": "/w g"}, "PARTNERBOT_COMMAND"),
        ({"PARTNERBOT_PUBLIC_URL": "ftp://x"}, "PARTNERBOT_PUBLIC_URL"),
        ({"PARTNERBOT_CONFIG_DIR": str(tmp_path / "none")}, "PARTNERBOT_CONFIG_DIR"),
    ]:
        assert_setting_refused(load_settings, env, name)


def test_environment_beats_dotenv_and_passwords_stay_hidden(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DATABASE_URL=postgresql://bot:hemmelig-kode@db/pb\n"
        "PARTNERBOT_COMMAND=/tg\nPARTNERBOT_ADMINS=U9\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("PARTNERBOT_COMMAND", raising=False)
    monkeypatch.setenv("PARTNERBOT_ADMINS", "U1,U2")
    settings = load_settings(dotenv_path=env_file)
    assert settings.command == "/tg" and settings.admins == {"U1", "U2"}
    assert settings.database_url == "postgresql+psycopg://bot:hemmelig-kode@db/pb"
    assert "hemmelig-kode" not in repr(settings) and "hemmelig-kode" not in str(settings)
    monkeypatch.setenv("PARTNERBOT_COMMAND", "wg")
    with pytest.raises(SettingsError, match=r"^PARTNERBOT_COMMAND: 'wg' must look like /wg$"):
        load_settings(dotenv_path=env_file)


def test_config_names_no_chat_platform():
    for path in Path(SHIPPED_CONFIG_DIR).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("slack", "teams", "xoxb", "xapp"):
            assert word not in text, f"{path.name} names {word}"


def test_durations():
    assert parse_duration("P14D").days == 14  # type: ignore[union-attr]
    assert parse_duration("PT1H").seconds == 3600  # type: ignore[union-attr]
    assert parse_duration("P") is None and parse_duration("1H") is None
