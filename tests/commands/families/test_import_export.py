"""Indicator import (CSV and XLSX files) and the CSV export, on real files and real databases.

What a secretary notices: a good file's figures show up in `indicator list`; a file with any bad
row changes nothing and the reply names every bad row (row number as the spreadsheet shows it,
column, reason); a correction becomes a new revision with an audit event. What an admin notices:
`partnerbot import FILE` and `partnerbot export DIR` work from the command line and the exported
CSVs hold the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from helpers import EXPORT_FILES, SLUG, run, run_cli, setup_people, table_snapshot
from openpyxl import Workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from commands.engine.reply import Reply
from storage.export import EXPORTED, export_all
from storage.models import (
    AuditEvent,
    IndicatorDef,
    IndicatorValue,
    Member,
    Partnership,
)

THIS_YEAR = dt.datetime.now(dt.UTC).year  # the commands' clock is UTC

GOOD_CSV = (
    "indicator,year,value,source\n"
    "crime.indbrud,2019,131,Politiets tal\n"
    "crime.indbrud,2020,120,Politiets tal\n"
    "safety.unsafe,2019,18.5,Tryghedsundersøgelsen\n"
)


def import_as_admin(make, name: str, data: bytes, lang: str = "en") -> Reply:
    return run(make("root", admin=True, lang=lang, attachments=[(name, data)]), "indicator import")


def stored(engine: Engine) -> dict[tuple[str, int], list[tuple[int, float, str]]]:
    """(key, year) -> [(revision, value, source), ...] for every stored figure."""
    out: dict[tuple[str, int], list[tuple[int, float, str]]] = {}
    with Session(engine) as session:
        rows = session.exec(
            select(IndicatorDef.key, IndicatorValue)
            .join(IndicatorValue, IndicatorValue.indicator_id == IndicatorDef.id)
            .order_by(IndicatorValue.revision)
        ).all()
    for key, value in rows:
        out.setdefault((key, value.year), []).append((value.revision, value.value, value.source))
    return out


def list_line(ctx, key: str) -> str:
    """The line of `indicator list` for one indicator."""
    listed = run(ctx, "indicator list").plain()
    lines = [line for line in listed.splitlines() if line.split(" ", 1)[0] == key]
    assert len(lines) == 1, listed
    return lines[0]


def assert_row_named(text: str, row: int, column: str, reason: str) -> None:
    """The problem table has a line: ROW  COLUMN  REASON (reason matched as a regex)."""
    pattern = rf"^{row}\s+{re.escape(column)}\s+.*{reason}"
    assert re.search(pattern, text, re.M), f"row {row}/{column}/{reason!r} not in:\n{text}"


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- good files -----------------------------------------------------------------------------


def test_good_csv_applies_every_row_and_shows_in_indicator_list(engine, make_ctx):
    make = make_ctx(engine)
    reply = import_as_admin(make, "figures.csv", GOOD_CSV.encode())
    assert reply.ok, reply.plain()
    assert "Imported: 3 figures saved, 0 unchanged (of 3 rows)" in reply.plain()
    assert stored(engine) == {
        ("crime.indbrud", 2019): [(1, 131.0, "Politiets tal")],
        ("crime.indbrud", 2020): [(1, 120.0, "Politiets tal")],
        ("safety.unsafe", 2019): [(1, 18.5, "Tryghedsundersøgelsen")],
    }
    admin = make("root", admin=True)
    assert "2020: 120" in list_line(admin, "crime.indbrud")  # the newest year is listed
    assert "2019: 18.5%" in list_line(admin, "safety.unsafe")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_danish_header_semicolons_and_decimal_comma(engine, make_ctx, encoding):
    # Danish Excel saves `;`-separated CSV in Windows-1252, sometimes UTF-8 with a BOM.
    data = (
        "indikator;år;værdi;kilde\n"
        "safety.unsafe;2019;18,5;Tryghedsundersøgelsen\n"
        "crime.haervaerk;2019;12;Politiet\n"
    ).encode(encoding)
    make = make_ctx(engine)
    reply = import_as_admin(make, "tal.csv", data, lang="da")
    assert reply.ok, reply.plain()
    assert "Importeret: 2 tal gemt, 0 uændrede" in reply.plain()
    assert stored(engine) == {
        ("safety.unsafe", 2019): [(1, 18.5, "Tryghedsundersøgelsen")],
        ("crime.haervaerk", 2019): [(1, 12.0, "Politiet")],
    }
    assert "2019: 18,5 %" in list_line(make("root", admin=True, lang="da"), "safety.unsafe")


def test_xlsx_with_numeric_cells_applies(engine, make_ctx):
    data = xlsx_bytes(
        [
            ["indicator", "year", "value", "source"],
            ["safety.unsafe", 2019.0, 18.5, "TU 2019"],  # spreadsheets often hand years as floats
            ["crime.indbrud", 2020, 131, None],
            ["crime.narkotika", 2021, "40", "typed as text"],
        ]
    )
    make = make_ctx(engine)
    reply = import_as_admin(make, "figures.xlsx", data)
    assert reply.ok, reply.plain()
    assert "3 figures saved" in reply.plain()
    assert stored(engine) == {
        ("safety.unsafe", 2019): [(1, 18.5, "TU 2019")],
        ("crime.indbrud", 2020): [(1, 131.0, "")],
        ("crime.narkotika", 2021): [(1, 40.0, "typed as text")],
    }
    assert "2020: 131" in list_line(make("root", admin=True), "crime.indbrud")


# --- bad files: nothing applied, every bad row named ---------------------------------------


@pytest.mark.parametrize(
    ("bad", "column", "reason"),
    [
        ("crime.indbrud,2019,-5", "value", "-5 is negative"),
        ("safety.unsafe,2019,130", "value", "130% is above 100%"),
        ("crime.indbrud,2019,12.5", "value", "12.5 is not a whole number"),
        ("crime.indbrud,2019,mange", "value", "'mange' is not a number"),
        ("crime.indbrud,2019,", "value", "the value is missing"),
        ("crime.unknown,2019,5", "indicator", "unknown indicator 'crime.unknown'"),
        ("crime.total,2019,500", "indicator", "crime.total is computed"),
        ("crime.indbrud,1999,5", "year", "the year 1999 is outside 2000-"),
        (f"crime.indbrud,{THIS_YEAR + 2},5", "year", f"the year {THIS_YEAR + 2} is outside"),
        ("crime.indbrud,nineteen,5", "year", "'nineteen' is not a year"),
    ],
)
def test_one_bad_row_among_good_rows_applies_nothing(engine, make_ctx, bad, column, reason):
    make = make_ctx(engine)
    data = (
        "indicator,year,value,source\n"
        "crime.indbrud,2020,120,Politiet\n"
        f"{bad}\n"
        "safety.unsafe,2019,18.5,TU\n"
    ).encode()
    before = table_snapshot(engine)
    reply = import_as_admin(make, "figures.csv", data)
    text = reply.plain()
    assert not reply.ok
    assert "1 row is wrong, so nothing was imported" in text
    assert_row_named(text, 3, column, re.escape(reason))
    assert not re.search(r"^[24]\s", text, re.M), text  # the good rows are not listed
    assert table_snapshot(engine) == before


def test_several_bad_rows_are_all_listed_in_danish(engine, make_ctx):
    make = make_ctx(engine)
    data = (
        "indikator;år;værdi\n"
        "crime.indbrud;2019;-3\n"  # row 2
        "crime.indbrud;2020;120\n"  # row 3: good
        "safety.unsafe;1999;18,5\n"  # row 4
        "crime.ukendt;2019;4\n"  # row 5
        "crime.indbrud;2020;121\n"  # row 6: the same figure twice
        "safety.unsafe;2019;130\n"
    ).encode()  # row 7
    before = table_snapshot(engine)
    reply = import_as_admin(make, "tal.csv", data, lang="da")
    text = reply.plain()
    assert not reply.ok
    assert "5 rækker er forkerte, så intet er importeret" in text
    assert_row_named(text, 2, "værdi", "negativ")
    assert_row_named(text, 4, "år", "året 1999 ligger uden for")
    assert_row_named(text, 5, "indikator", "ukendt indikator 'crime.ukendt'")
    assert_row_named(text, 6, "år", "crime.indbrud 2020 står også i række 3")
    assert_row_named(text, 7, "værdi", "over 100 %")
    assert not re.search(r"^3\s", text, re.M), text
    assert table_snapshot(engine) == before


def test_xlsx_with_a_bad_row_applies_nothing(engine, make_ctx):
    make = make_ctx(engine)
    data = xlsx_bytes(
        [
            ["indicator", "year", "value"],
            ["crime.indbrud", 2019, 131],
            ["safety.unsafe", 2019, 0.185],
        ]
    )  # a fraction where a percent belongs
    before = table_snapshot(engine)
    reply = import_as_admin(make, "figures.xlsx", data)
    assert not reply.ok
    assert_row_named(reply.plain(), 3, "value", "looks like a fraction")
    assert table_snapshot(engine) == before


PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        (
            "figures.csv",
            b"indicator,value\ncrime.indbrud,131\n",
            "Row 1: the column year is missing",
        ),
        (
            "figures.csv",
            "år,værdi,kilde\n2019,131,x\n".encode(),
            "Row 1: the column indikator is missing",  # in the file's own language,
        ),
        ("figures.csv", b"value;source\n131;x\n", "Row 1: the columns indicator and year are"),
        ("figures.csv", b"", "The file is empty"),
        ("figures.csv", b";;;\n ; ;;\n\n", "The file is empty"),  # an empty sheet from Excel
        ("figures.csv", PNG * 20, "The file is not a text (CSV) file"),
        ("figures.xlsx", b"this is not a spreadsheet", "The XLSX file cannot be opened"),
        ("figures.pdf", b"%PDF-1.4\n", "Only CSV and XLSX files can be imported"),
    ],
)
def test_unusable_files_are_refused_cleanly(engine, make_ctx, name, data, expected):
    make = make_ctx(engine)
    before = table_snapshot(engine)
    reply = import_as_admin(make, name, data)
    text = reply.plain()
    assert not reply.ok
    assert expected in text, text
    assert "Nothing was imported" in text or "Only CSV" in text
    assert "Something went wrong" not in text  # a clean refusal, not a crash
    assert table_snapshot(engine) == before


def test_import_without_an_attachment_asks_for_one(engine, make_ctx):
    make = make_ctx(engine)
    before = table_snapshot(engine)
    reply = run(make("root", admin=True), "indicator import")
    assert not reply.ok
    assert "Attach one CSV or XLSX file" in reply.plain()
    assert table_snapshot(engine) == before


# --- re-import, corrections, audit ----------------------------------------------------------


def test_reimport_changes_nothing_and_a_correction_is_revision_2_with_audit(engine, make_ctx):
    make = make_ctx(engine)
    assert import_as_admin(make, "figures.csv", GOOD_CSV.encode()).ok

    def audits() -> list[AuditEvent]:
        with Session(engine) as session:
            return list(
                session.exec(
                    select(AuditEvent)
                    .where(AuditEvent.action == "indicator.set")
                    .order_by(AuditEvent.id)
                )
            )

    assert len(audits()) == 3
    before = table_snapshot(engine)
    again = import_as_admin(make, "figures.csv", GOOD_CSV.encode())
    assert again.ok and "0 figures saved, 3 unchanged (of 3 rows)" in again.plain()
    assert table_snapshot(engine) == before

    corrected = GOOD_CSV.replace("crime.indbrud,2020,120", "crime.indbrud,2020,125")
    reply = import_as_admin(make, "figures.csv", corrected.encode())
    assert reply.ok and "1 figure saved, 2 unchanged" in reply.plain()
    figures = stored(engine)
    assert figures[("crime.indbrud", 2020)] == [
        (1, 120.0, "Politiets tal"),
        (2, 125.0, "Politiets tal"),
    ]
    assert figures[("crime.indbrud", 2019)] == [(1, 131.0, "Politiets tal")]
    assert "2020: 125" in list_line(make("root", admin=True), "crime.indbrud")

    events = audits()
    assert len(events) == 4  # exactly one more: the change
    change = events[-1]
    assert change.entity_id == "crime.indbrud:2020" and change.actor == "root"
    assert json.loads(change.before) == {"value": 120.0, "source": "Politiets tal", "revision": 1}
    assert json.loads(change.after) == {"value": 125.0, "source": "Politiets tal", "revision": 2}


def test_plain_member_cannot_import(engine, make_ctx):
    make = make_ctx(engine)
    setup_people(engine, make)
    before = table_snapshot(engine)
    reply = run(make("anna", attachments=[("figures.csv", GOOD_CSV.encode())]), "indicator import")
    assert not reply.ok
    assert "needs one of the roles chair or secretariat" in reply.plain()
    assert table_snapshot(engine) == before
    # the chair may
    chair = run(make("chair", attachments=[("figures.csv", GOOD_CSV.encode())]), "indicator import")
    assert chair.ok and "3 figures saved" in chair.plain()


# --- the command line, as a user runs it ----------------------------------------------------


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(list(args), tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:  # as Excel reads the BOM
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.mark.e2e
def test_cli_import_then_export(tmp_path):
    good = tmp_path / "figures.csv"
    good.write_text(GOOD_CSV, encoding="utf-8")
    done = cli(tmp_path, "import", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Importeret: 3 tal gemt" in done.stdout  # the partnership speaks Danish by default

    bad = tmp_path / "bad.csv"
    bad.write_text(
        GOOD_CSV + "crime.indbrud,2021,-1,x\nsafety.unsafe,2021,130,x\n", encoding="utf-8"
    )
    refused = cli(tmp_path, "import", str(bad), "--lang", "en")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "2 rows are wrong, so nothing was imported" in refused.stdout
    assert_row_named(refused.stdout, 5, "value", "negative")
    assert_row_named(refused.stdout, 6, "value", "above 100%")

    out_dir = tmp_path / "export" / "today"
    exported = cli(tmp_path, "export", str(out_dir))
    assert exported.returncode == 0, exported.stdout + exported.stderr
    paths = [
        Path(line.removeprefix("file: "))
        for line in exported.stdout.splitlines()
        if line.startswith("file: ")
    ]
    names = {p.name for p in paths}
    assert names >= EXPORT_FILES
    assert all(p.is_file() and p.parent == out_dir for p in paths)

    header, values = read_csv(out_dir / "indicator_values.csv")
    assert header[:5] == ["partnership", "indicator", "year", "value", "source"]
    assert sorted((v["indicator"], v["year"], v["value"]) for v in values) == [
        ("crime.indbrud", "2019", "131"),
        ("crime.indbrud", "2020", "120"),
        ("safety.unsafe", "2019", "18.5"),
    ]  # the refused file added nothing

    members = (out_dir / "members.csv").read_text(encoding="utf-8-sig")
    assert members.splitlines() == [
        "partnership,handle,display_name,organisation,lang,active,created_at,left_at"
    ]
    header, events = read_csv(out_dir / "audit_events.csv")
    assert "before" in header and "after" in header
    assert [e["action"] for e in events] == ["indicator.set"] * 3
    assert all(e["actor"] == "cli" and json.loads(e["after"])["revision"] == 1 for e in events)


# --- export_all on both databases -----------------------------------------------------------


def test_export_all_writes_every_table_of_every_partnership(engine, make_ctx, tmp_path):
    make = make_ctx(engine)
    setup_people(engine, make)
    note = "første nattevandring, godt gået"
    assert run(make("anna"), f"update PF1 on-track {note}").ok
    with Session(engine) as session:  # a second partnership's data belongs in the backup too
        other = Partnership(
            slug="other-town", name='Other "Town", Øst', timezone="Europe/Copenhagen", locale="da"
        )
        session.add(other)
        session.flush()
        session.add(Member(partnership_id=other.id or 0, handle="zed"))
        session.commit()

    out_dir = tmp_path / "backup" / "nested"  # missing directories are created
    written = export_all(engine, out_dir)
    assert [p.name for p in written] == [f"{t}.csv" for t in EXPORTED]
    assert {p.name for p in written} >= EXPORT_FILES | {"attendance.csv", "decisions.csv"}

    header, activities = read_csv(out_dir / "activities.csv")
    assert header[:3] == ["partnership", "code", "name"]
    assert [(a["code"], a["name"]) for a in activities] == [
        ("PF1", "Natteravne"),
        ("UB2", "Jobcafé"),
    ]
    assert activities[0]["budget_dkk"] == "250000" and activities[1]["budget_dkk"] == ""

    header, updates = read_csv(out_dir / "activity_updates.csv")
    assert "status" in header and "note" in header
    assert len(updates) == 1
    assert (updates[0]["status"], updates[0]["note"], updates[0]["actor"]) == (
        "on-track",
        note,
        "anna",
    )
    assert updates[0]["activity"] == "PF1" and updates[0]["member"] == "anna"
    created = dt.datetime.fromisoformat(updates[0]["created_at"])  # Copenhagen's clock
    assert created.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)

    _, members = read_csv(out_dir / "members.csv")
    by_handle = {m["handle"]: m for m in members}
    assert {"chair", "sekr", "anna", "bo", "styr", "zed"} <= set(by_handle)
    assert by_handle["anna"]["active"] == "true" and by_handle["anna"]["lang"] == ""
    assert by_handle["bo"]["lang"] == "da"
    _, partnerships = read_csv(out_dir / "partnerships.csv")
    assert {p["slug"]: p["name"] for p in partnerships}["other-town"] == 'Other "Town", Øst'
    assert {p["slug"] for p in partnerships} == {SLUG, "other-town"}
    assert (by_handle["zed"]["partnership"], by_handle["anna"]["partnership"]) == (
        "other-town",
        SLUG,
    )
    for row in members + partnerships + activities:
        for column in ("created_at", "synced_at"):
            if column in row:
                assert dt.datetime.fromisoformat(row[column]).tzinfo is not None

    _, assessments = read_csv(out_dir / "assessments.csv")
    assert assessments == []
    assert (out_dir / "assessments.csv").read_text(encoding="utf-8-sig").startswith("partnership,")

    # exporting again replaces the files, with no leftovers
    export_all(engine, out_dir)
    assert sorted(p.name for p in out_dir.iterdir()) == sorted(p.name for p in written)


def test_export_file_of_several_partnerships_imports_only_this_ones_rows(engine, make_ctx):
    data = (
        "\ufeffpartnership,indicator,year,value,source,revision,actor,created_at\n"
        f"{SLUG},crime.indbrud,2019,131,'=politiet,2,cli,2020-01-02 10:00:00+01:00\n"
        "other-town,crime.indbrud,2019,99,x,1,cli,2020-01-02 10:00:00+01:00\n"
    ).encode()
    reply = import_as_admin(make_ctx(engine), "indicator_values.csv", data, lang="da")
    assert reply.ok, reply.plain()
    assert "1 tal gemt" in reply.plain()
    assert "1 række for et andet partnerskab er sprunget over" in reply.plain()
    # the export's formula guard is taken off again: the source is stored as it was typed
    assert stored(engine) == {("crime.indbrud", 2019): [(1, 131.0, "=politiet")]}
