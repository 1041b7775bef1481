"""The local shell and the CLI as a person runs them: a real process, piped input."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import EXPORT_FILES, run_cli

pytestmark = pytest.mark.e2e  # every test here runs `partnerbot` as a real process


def test_a_working_group_session_end_to_end(tmp_path):
    db = f"sqlite:///{tmp_path / 'wg.db'}"
    admin_script = (
        "\n".join(
            [
                "member add @mette org=okf role=chair",
                "member add @anna org=sof role=member lang=da",
                '/wg activity add PF1 "Natteravne i Tingbjerg" area=tryggere-byliv org=sof '
                "budget=250000",
                'indicator set crime.indbrud 2019 131 source="Københavns Politi"',
                "",
                "# a comment line is skipped",
                "activity list",
                "indicator list",
                "this is not a command",
                'activity add "unbalanced',
            ]
        )
        + "\n"
    )
    done = run_cli(["shell", "--lang", "en"], tmp_path, admin_script, DATABASE_URL=db)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Saved: mette is the chair for Økonomiforvaltningen." in out
    assert 'Saved: activity PF1 "Natteravne i Tingbjerg"' in out
    assert "Saved: Burglary 2019 = 131." in out
    assert "2019: 131" in out
    assert "Unknown command 'this'." in out
    assert "A quote is not closed" in out
    assert "Traceback" not in out + done.stderr

    # anna posts an update for her own organisation's activity, in Danish by her preference,
    # and is refused where her role does not allow it.
    anna = run_cli(
        ["shell", "--user", "anna"],
        tmp_path,
        "opdater PF1 planmæssig første vagt gik godt\n"
        "indikator sæt crime.indbrud 2019 100\nhvemerjeg\n",
        DATABASE_URL=db,
    )
    assert anna.returncode == 0, anna.stderr
    assert "Gemt: PF1 er planmæssig." in anna.stdout
    assert "kræver en af rollerne formand eller sekretariat" in anna.stdout
    assert "Socialforvaltningen" in anna.stdout

    stranger = run_cli(
        ["shell", "--user", "ukendt", "--lang", "en"], tmp_path, "activity list\n", DATABASE_URL=db
    )
    assert "You are not registered in Tingbjerg-Husum Partnerskab" in stranger.stdout
    assert "mette" in stranger.stdout  # who can register you

    export = run_cli(["export", str(tmp_path / "export")], tmp_path, DATABASE_URL=db)
    assert export.returncode == 0, export.stderr
    files = {Path(line.removeprefix("file: ")).name for line in export.stdout.splitlines()}
    assert files >= EXPORT_FILES

    def rows(name: str) -> list[dict[str, str]]:
        with open(tmp_path / "export" / name, encoding="utf-8-sig") as handle:
            return list(csv.DictReader(handle))

    assert {r["handle"] for r in rows("members.csv")} == {"mette", "anna"}
    assert [r["code"] for r in rows("activities.csv")] == ["PF1"]
    assert rows("activity_updates.csv")[0]["note"] == "første vagt gik godt"
    assert [(r["year"], float(r["value"])) for r in rows("indicator_values.csv")] == [
        ("2019", 131.0)
    ]
    actions = [r["action"] for r in rows("audit_events.csv")]
    assert actions.count("member.add") == 2 and "activity.update" in actions


def test_files_and_exit_code_on_empty_input(tmp_path):
    done = run_cli(["shell"], tmp_path, "", DATABASE_URL=f"sqlite:///{tmp_path / 'a.db'}")
    assert done.returncode == 0 and done.stdout == ""


@pytest.mark.parametrize(
    "command,env,name",
    [
        ("shell", {"DATABASE_URL": "mysql://nope"}, "DATABASE_URL"),
        ("shell", {"PARTNERBOT_COMMAND": "wg"}, "PARTNERBOT_COMMAND"),
        # Slack's settings are read where Slack is served, not by the shell.
        ("serve", {"PORT": "abc"}, "PORT"),
        ("serve", {"PARTNERBOT_COMMAND": "/remind"}, "PARTNERBOT_COMMAND"),
    ],
)
def test_bad_setting_stops_with_one_line(tmp_path, command, env, name):
    done = run_cli([command], tmp_path, "help\n", **env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"partnerbot: {name}:")


def test_bad_partnership_file_stops_naming_it(tmp_path):
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "x.toml").write_text('slug = "x"\nname = ""\n', encoding="utf-8")
    done = run_cli(["shell"], tmp_path, "help\n", PARTNERBOT_CONFIG_DIR=str(cfg))
    assert done.returncode == 2
    assert done.stderr.startswith("partnerbot: x.toml") and len(done.stderr.splitlines()) == 1


def test_db_upgrade_and_a_database_behind_the_code(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    done = run_cli(["db", "upgrade"], tmp_path, DATABASE_URL=url)
    assert done.returncode == 0 and "database at schema" in done.stdout
    import sqlite3

    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("UPDATE alembic_version SET version_num = 'an-old-one'")
    conn.commit()
    conn.close()
    behind = run_cli(["shell"], tmp_path, "help\n", DATABASE_URL=url)
    assert behind.returncode == 2
    assert "partnerbot db upgrade" in behind.stderr
