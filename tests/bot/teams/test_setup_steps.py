"""The README's Teams set-up, one step left out at a time: what `serve` says, or what the bot
answers, in Danish and in English (issue 10, "Done when"). Each test names its README step."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest
from conftest import Bot
from fake_teams import FakeTeams
from helpers import assert_setting_refused
from teams_activities import ADMIN, ANNA, User, bot_added, user

from bot.teams.auth import BotToken, TokenRefused
from bot.teams.settings import load_teams_settings
from config.settings import SettingsError, load_settings

ERIK = user(4, "Erik", locale="en-GB")
ADMIN_EN = dataclasses.replace(ADMIN, locale="en-GB")  # the same admin, Teams in English


def answer(bot: Bot, who: User, text: str, **kw: object) -> str:
    """What the bot posts (anywhere) in answer to `who` writing `text` in the channel."""
    before = len(bot.fake.posted())
    status, _ = bot.say(who, text, **kw)  # type: ignore[arg-type]
    assert status == 200
    return "\n".join(p.text for p in bot.fake.posted()[before:])


def meet(bot: Bot, *people: User) -> None:
    for person in people:
        bot.fake.add_member(person.id, person.aad, person.name, person.tenant)


# --- 1. Register the bot: the settings -----------------------------------------------------


@pytest.mark.parametrize(
    "left_out,line",
    [
        ("TEAMS_APP_PASSWORD", "TEAMS_APP_PASSWORD: needed with TEAMS_APP_ID (the bot's client"),
        ("TEAMS_TENANT_ID", "TEAMS_TENANT_ID: needed with TEAMS_APP_ID (the single-tenant"),
    ],
)
def test_serve_without_a_teams_setting_stops_with_one_line_naming_it(
    fake: FakeTeams, monkeypatch: pytest.MonkeyPatch, tmp_path, left_out: str, line: str
) -> None:
    from bot.serving import serve

    monkeypatch.chdir(tmp_path)  # no .env
    for name in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"):
        monkeypatch.delenv(name, raising=False)
    for name, value in fake.settings_env().items():
        if name != left_out:
            monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as err:
        serve(load_settings({}))
    assert str(err.value).startswith(line) and "\n" not in str(err.value)


def test_an_app_id_that_is_not_an_id_is_refused() -> None:
    assert_setting_refused(
        lambda env: load_teams_settings(env, dotenv_path=None),
        {"TEAMS_APP_ID": "partnerbot"},
        "TEAMS_APP_ID",
    )


@pytest.mark.parametrize(
    "wrong,line",
    [
        ({"TEAMS_APP_PASSWORD": "an-old-secret"},
         "TEAMS_APP_PASSWORD: Microsoft's login refused the app id and secret (invalid_client)"),
        ({"TEAMS_APP_ID": "00000000-0000-4000-8000-0000000000ff"},
         "TEAMS_APP_PASSWORD: Microsoft's login refused the app id and secret (invalid_client)"),
        ({"TEAMS_TENANT_ID": "33333333-3333-4333-8333-333333333333"},
         "TEAMS_TENANT_ID: Microsoft's login does not know this tenant (invalid_request)"),
    ],
)  # fmt: skip
def test_a_wrong_registration_is_refused_at_start_in_one_line(
    fake: FakeTeams, wrong: dict[str, str], line: str
) -> None:
    """What `serve` prints (bot.serving: the token is fetched before it listens; the e2e test
    test_a_refused_secret_stops_start_up_with_one_line runs the whole process)."""
    with pytest.raises(TokenRefused) as err:
        asyncio.run(BotToken(load_teams_settings(fake.settings_env() | wrong)).get())
    assert str(err.value) == line


# --- 3. The app added to the team ----------------------------------------------------------


@pytest.mark.parametrize(
    "who,words",
    [
        (ADMIN, ["Tak, fordi I tilføjede Partnerbot", "@Partnerbot tilknyt SLUG", "hjælp"]),
        (ERIK, ["Thank you for adding Partnerbot", "@Partnerbot bind SLUG", "@Partnerbot help"]),
    ],
)
def test_the_bot_added_to_a_team_says_the_next_step(bot: Bot, who: User, words: list[str]) -> None:
    status, _ = bot.activity(bot_added(bot.fake, who))
    assert status == 200
    hello = bot.fake.wait_posted(1)[0].text
    for word in words:
        assert word in hello, hello


# --- 4. Bind the channel -------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,words",
    [
        (ANNA, ["Denne kanal er ikke knyttet til et partnerskab",
                "**@Partnerbot tilknyt SLUG** (en af: tingbjerg-husum)"]),
        (ERIK, ["This channel is not bound to a partnership",
                "**@Partnerbot bind SLUG** (one of: tingbjerg-husum)"]),
    ],
)  # fmt: skip
def test_a_channel_not_bound_says_how_to_bind_it(bot: Bot, who: User, words: list[str]) -> None:
    said = answer(bot, who, "aktivitet liste")
    for word in words:
        assert word in said, said


@pytest.mark.parametrize(
    "who,text,words",
    [
        (ANNA, "tilknyt tingbjerg-husum",
         "**tilknyt** kræver, at du er administrator eller formand for Tingbjerg-Husum "
         "Partnerskab. Intet er ændret."),
        (ERIK, "bind tingbjerg-husum",
         "**bind** needs an admin or the chair of Tingbjerg-Husum Partnerskab. Nothing was "
         "changed."),
        (ADMIN, "tilknyt tingbjerg", "Ukendt partnerskab 'tingbjerg'. Mente du 'tingbjerg-husum'?"),
        (ADMIN_EN, "bind tingbjerg", "Unknown partnership 'tingbjerg'. Did you mean "
         "'tingbjerg-husum'?"),
    ],
)  # fmt: skip
def test_bind_by_someone_who_may_not_or_a_wrong_slug_is_refused(
    bot: Bot, who: User, text: str, words: str
) -> None:
    assert words in answer(bot, who, text)
    assert "ikke knyttet" in answer(bot, who, "hvemerjeg") or "not bound" in answer(
        bot, who, "whoami"
    )


# --- 4. Register the chair, then the others ------------------------------------------------


@pytest.mark.parametrize(
    "who,words",
    [
        (ANNA, ["Du er ikke registreret i Tingbjerg-Husum Partnerskab, og der er ingen formand",
                "**@Partnerbot medlem tilføj @PERSON org=ORG rolle=formand**"]),
        (ERIK, ["You are not registered in Tingbjerg-Husum Partnerskab, and it has no chair",
                "**@Partnerbot member add @PERSON org=ORG role=chair**"]),
    ],
)  # fmt: skip
def test_before_the_chair_is_registered_people_are_told_an_admin_does_it(
    bot: Bot, who: User, words: list[str]
) -> None:
    answer(bot, ADMIN, "tilknyt tingbjerg-husum")
    said = answer(bot, who, "hvemerjeg")
    for word in words:
        assert word in said, said


@pytest.mark.parametrize(
    "who,words",
    [
        (ANNA, ["Du er ikke registreret i Tingbjerg-Husum Partnerskab. Formanden eller "
                "sekretariatet kan registrere dig (Mette)",
                "**@Partnerbot medlem tilføj DIT-NAVN org=ORG rolle=medlem**"]),
        (ERIK, ["You are not registered in Tingbjerg-Husum Partnerskab. The chair or the "
                "secretariat can register you (Mette)",
                "**@Partnerbot member add YOUR-NAME org=ORG role=member**"]),
    ],
)  # fmt: skip
def test_someone_not_registered_is_told_who_registers_them(
    bot: Bot, who: User, words: list[str]
) -> None:
    mette = user(5, "Mette")
    meet(bot, mette)
    answer(bot, ADMIN, "tilknyt tingbjerg-husum")
    assert "Gemt" in answer(bot, ADMIN, "medlem tilføj @0 org=okf rolle=formand", mentions=(mette,))
    said = answer(bot, who, "hvemerjeg")
    for word in words:
        assert word in said, said


@pytest.mark.parametrize(
    "who,text,words",
    [
        (ADMIN, "medlem tilføj @Mette org=okf rolle=formand",
         "'@Mette' er ikke en bruger. Nævn personen, så navnet bliver et link (@navn)."),
        (ADMIN_EN, "member add @Mette org=okf role=chair",
         "'@Mette' is not a user."),
    ],
)  # fmt: skip
def test_a_name_typed_instead_of_picked_as_a_mention_is_refused(
    bot: Bot, who: User, text: str, words: str
) -> None:
    answer(bot, ADMIN, "tilknyt tingbjerg-husum")
    said = answer(bot, who, text)
    assert words in said, said
    assert "ingen formand" in answer(bot, ANNA, "hvemerjeg")  # nobody was registered


# --- 1. PARTNERBOT_PUBLIC_URL left out -----------------------------------------------------


@pytest.mark.parametrize(
    "lang,words",
    [
        ("da", "Filen kan ikke sendes i Teams, fordi botten ikke har en adresse til downloads "
               "(PARTNERBOT_PUBLIC_URL). Bed driften om at sætte den."),
        ("en", "The file cannot be sent in Teams: the bot has no address for downloads "
               "(PARTNERBOT_PUBLIC_URL). Ask the operators to set it."),
    ],
)  # fmt: skip
def test_without_a_public_address_a_channel_file_says_what_is_missing(
    lang: str, words: str
) -> None:
    from bot.teams.files import link_activity
    from commands.engine.reply import FileOut

    card = link_activity(FileOut("rapport-2026.pdf", b"%PDF", "application/pdf"), None, lang)
    assert words in json.dumps(card, ensure_ascii=False)
