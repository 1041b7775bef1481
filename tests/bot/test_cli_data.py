"""The data commands as an operator runs them after `make demo`: `--demo` reaches the demo
database the shell made, export → import into an empty database → export keeps every figure,
and a command that finds nothing says which database it looked in (in Danish by default)."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import pytest
from helpers import SLUG, run_cli

pytestmark = pytest.mark.e2e  # real `partnerbot` processes


def figures(path: Path, delimiter: str = ",") -> list[tuple[str, ...]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=delimiter))
    return sorted(
        (r["partnership"], r["indicator"], r["year"], r["value"], r["source"]) for r in rows
    )


@pytest.fixture
def demo_dir(tmp_path: Path) -> Path:
    """A folder where `partnerbot shell --demo` has run, as `make demo` leaves it."""
    shell = run_cli(["shell", "--demo"], tmp_path, "whoami\n")
    assert shell.returncode == 0, shell.stderr
    assert (tmp_path / "partnerbot-out" / "demo.db").is_file()
    return tmp_path


def test_demo_report_export_import_round_trip(demo_dir: Path):
    report = run_cli(["report", "2019", "--out", "r.pdf", "--demo"], demo_dir)
    assert report.returncode == 0, report.stderr
    assert (demo_dir / "r.pdf").read_bytes().startswith(b"%PDF")
    word = run_cli(["report", "2019", "--out", "r.docx", "--demo"], demo_dir)
    assert word.returncode == 0, word.stderr
    document = docx.Document(str(demo_dir / "r.docx"))  # the editable report, by its name
    assert document.paragraphs[1].text.startswith("Status for") and document.tables

    for form, extra in (("csv", []), ("da", ["--excel-da"])):
        exported = run_cli(["export", "--demo", f"first-{form}", *extra], demo_dir)
        assert exported.returncode == 0, exported.stderr
        assert exported.stderr == ""  # the demo has data: no "nothing found" note
    first = demo_dir / "first-csv" / "indicator_values.csv"
    with (demo_dir / "first-csv" / "activity_updates.csv").open(encoding="utf-8-sig") as handle:
        updates = list(csv.DictReader(handle))
    labels = {"on-track": "planmæssig", "at-risk": "udfordret", "delayed": "forsinket"}
    labels["done"] = "afsluttet"
    assert {(u["status"], u["status_label"]) for u in updates} <= set(labels.items())
    shown = figures(first)
    assert len(shown) >= 40 and {f[0] for f in shown} == {SLUG}
    assert figures(demo_dir / "first-da" / "indicator_values.csv", ";") == [
        (*f[:3], f[3].replace(".", ","), f[4]) for f in shown
    ]

    empty = f"sqlite:///{demo_dir / 'fresh.db'}"
    for source in (first, demo_dir / "first-da" / "indicator_values.csv"):
        imported = run_cli(["import", str(source)], demo_dir, DATABASE_URL=empty)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        assert str((demo_dir / "fresh.db").resolve()) in imported.stdout  # where they went
    assert f"Importeret: {len(shown)} tal gemt" not in imported.stdout  # 2nd time: unchanged
    assert f"0 tal gemt, {len(shown)} uændrede" in imported.stdout
    again = run_cli(["export", "second"], demo_dir, DATABASE_URL=empty)
    assert again.returncode == 0, again.stderr
    assert figures(demo_dir / "second" / "indicator_values.csv") == shown


def test_import_demo_goes_into_the_demo_database(demo_dir: Path):
    (demo_dir / "tal.csv").write_text("indikator;år;værdi\ncrime.indbrud;2021;77\n", "utf-8")
    done = run_cli(["import", "--demo", "tal.csv"], demo_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "demo.db" in done.stdout
    exported = run_cli(["export", "--demo", "out"], demo_dir)
    assert exported.returncode == 0, exported.stderr
    assert (SLUG, "crime.indbrud", "2021", "77", "") in figures(
        demo_dir / "out" / "indicator_values.csv"
    )


def test_no_demo_database_and_no_data_name_the_database(tmp_path: Path):
    missing = run_cli(["report", "2019", "--out", "r.pdf", "--demo"], tmp_path)
    assert missing.returncode == 2
    assert str(tmp_path / "partnerbot-out" / "demo.db") in missing.stderr
    assert "partnerbot shell --demo" in missing.stderr and "demodatabase" in missing.stderr
    assert not (tmp_path / "partnerbot-out").exists()  # no empty demo database made

    db = tmp_path / "partnerbot.db"
    empty = run_cli(["report", "2019", "--out", "r.pdf", "--lang", "en"], tmp_path)
    assert empty.returncode == 1 and not (tmp_path / "r.pdf").exists()
    assert f"The database {db} holds no data" in empty.stderr
    assert "--demo" in empty.stderr

    exported = run_cli(["export", "out"], tmp_path)
    assert exported.returncode == 0
    assert f"Databasen {db} har ingen data" in exported.stderr

    real = run_cli(["export", "--demo", "out"], tmp_path, DATABASE_URL=f"sqlite:///{db}")
    assert real.returncode == 2 and "har ingen demodata" in real.stderr


def test_backup_and_restore_from_the_command_line(demo_dir: Path):
    made = run_cli(["backup", "--demo", "b.jsonl.gz"], demo_dir)
    assert made.returncode == 0, made.stderr
    assert "file: b.jsonl.gz" in made.stdout and "kontrolsum sha256" in made.stdout
    checksum = made.stdout.split("sha256 ")[1].strip().rstrip(".")
    fresh = f"sqlite:///{demo_dir / 'restored.db'}"
    done = run_cli(["restore", "b.jsonl.gz"], demo_dir, DATABASE_URL=fresh)
    assert done.returncode == 0, done.stderr
    assert "Indlæst i" in done.stdout and "restored.db" in done.stdout
    again = run_cli(["restore", "b.jsonl.gz", "--lang", "en"], demo_dir, DATABASE_URL=fresh)
    assert again.returncode == 1 and "already holds data" in again.stderr
    assert "restored.db" in again.stderr  # it names the database it refused
    forced = run_cli(["restore", "b.jsonl.gz", "--force"], demo_dir, DATABASE_URL=fresh)
    assert forced.returncode == 0, forced.stderr
    second = run_cli(["backup", "b2.jsonl"], demo_dir, DATABASE_URL=fresh)
    assert second.returncode == 0, second.stderr
    assert checksum in second.stdout  # the same content


def test_backup_before_db_upgrade_keeps_the_old_revision(tmp_path: Path):
    from storage import migrate
    from storage.db import make_engine

    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(old, "b8d2f3e4a5c6")  # a database the code would refuse to run on
    old.dispose()
    url = f"sqlite:///{tmp_path / 'old.db'}"
    made = run_cli(["backup", "before-upgrade.jsonl"], tmp_path, DATABASE_URL=url)
    assert made.returncode == 0, made.stderr
    assert '{"revision":"b8d2f3e4a5c6"}' in (tmp_path / "before-upgrade.jsonl").read_text("utf-8")
    nothing = run_cli(
        ["backup", "x.jsonl", "--lang", "en"],
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'none.db'}",
    )
    assert nothing.returncode == 2 and "has no tables" in nothing.stderr
