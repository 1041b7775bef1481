"""`partnerbot export` as a secretariat opens it: formulas cannot run, keys instead of ids,
æøå intact in Excel (a byte-order mark), meeting times on the partnership's clock, and an XLSX
workbook with one sheet per table, frozen headers and column widths. Real files, read back with
the csv module and openpyxl, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from helpers import EXPORT_FILES, SLUG, run, setup_people
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.cells import safe_text
from storage.export import EXPORTED, export_all
from storage.models import (
    Activity,
    ActivityUpdate,
    AgendaItem,
    IndicatorValue,
    Meeting,
    Partnership,
)

# The 11 patterns: formulas, DDE, and the starts OWASP names (tab, carriage return).
PATTERNS = [
    '=HYPERLINK("http://x","y")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=1+1",
    "-=1",
    "+=1",
    "@=1",
]


def read_csv(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def plant(engine: Engine, make) -> int:
    """Every pattern as an update note and an agenda item; one of each typed in chat too."""
    setup_people(engine, make)
    chair = make("chair")
    assert run(make("anna"), "update PF1 on-track =cmd|' /C calc'!A0").ok
    assert run(chair, "meeting add 2.3.2027 13:00").ok
    assert run(chair, 'agenda add =HYPERLINK("http://x","y")').ok
    with Session(engine) as session:
        activity = session.exec(select(Activity).where(Activity.code == "PF1")).one()
        meeting = session.exec(select(Meeting)).one()
        for text in PATTERNS:
            session.add(
                ActivityUpdate(
                    partnership_id=activity.partnership_id,
                    activity_id=activity.id or 0,
                    actor="anna",
                    status="on-track",
                    note=text,
                )
            )
            session.add(
                AgendaItem(
                    partnership_id=meeting.partnership_id,
                    meeting_id=meeting.id or 0,
                    text=text,
                    actor="chair",
                )
            )
        session.commit()
        return meeting.id or 0


@pytest.mark.parametrize("text", PATTERNS)
def test_safe_text_prefixes_every_pattern(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", ["Møde i Tingbjerg", "", "Status: 3-4 deltagere", "'=1", "1-2"])
def test_safe_text_leaves_plain_text(text):
    assert safe_text(text) == text


def test_no_formula_survives_in_csv_or_xlsx(engine, make_ctx, tmp_path):
    plant(engine, make_ctx(engine))
    with Session(engine) as session:  # a negative figure stored as a number
        indbrud = session.exec(select(Activity)).first()
        assert indbrud is not None
        session.add(
            IndicatorValue(
                partnership_id=indbrud.partnership_id,
                indicator_id=1,
                year=2019,
                value=-3.0,
                actor="root",
                source="-",
            )
        )
        session.commit()
    export_all(engine, tmp_path / "csv")
    export_all(engine, tmp_path / "semi", excel_da=True)
    export_all(engine, tmp_path / "all.xlsx")

    expected = sorted(["'" + p for p in PATTERNS] + ["'=cmd|' /C calc'!A0"])
    for folder, sep in (("csv", ","), ("semi", ";")):
        notes = [r["note"] for r in read_csv(tmp_path / folder / "activity_updates.csv", sep)]
        assert sorted(notes) == expected
        agenda = [r["text"] for r in read_csv(tmp_path / folder / "agenda_items.csv", sep)]
        assert sorted(agenda) == sorted(["'" + p for p in PATTERNS] + ["'" + PATTERNS[0]])
        # no cell of any file starts a formula
        for name in EXPORTED:
            for row in read_csv(tmp_path / folder / f"{name}.csv", sep):
                for value in row.values():
                    assert not value.startswith(("=", "+", "@", "\t", "\r")), (name, value)
                    assert not value.startswith("-") or value.lstrip("-")[:1].isdigit()
        (figure,) = read_csv(tmp_path / folder / "indicator_values.csv", sep)
        assert (figure["value"], figure["source"]) == ("-3", "'-")

    book = load_workbook(tmp_path / "all.xlsx")  # formulas as formulas: not data_only
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
    notes = [c.value for c in book["activity_updates"]["G"][1:]]
    assert book["activity_updates"]["G1"].value == "note"
    assert sorted(notes) == expected
    assert {c.data_type for c in book["activity_updates"]["G"]} == {"s"}
    value = book["indicator_values"]["D2"]
    assert (value.value, value.data_type) == (-3, "n")  # a number stays a number


def test_export_names_keys_and_local_times(engine, make_ctx, tmp_path):
    make = make_ctx(engine)
    meeting_id = plant(engine, make)
    assert run(make("chair"), "meeting add 15.6.2027 13:00").ok  # summer time
    assert run(make("root", admin=True), 'indicator set safety.unsafe 2019 18,5 source="TU æøå"').ok
    written = export_all(engine, tmp_path / "out")
    assert {p.name for p in written} >= EXPORT_FILES
    raw = (tmp_path / "out" / "indicator_values.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfpartnership,indicator,year,value,source")
    assert "TU æøå" in raw.decode("utf-8-sig")  # as Excel reads it, with the BOM

    members = {m["handle"]: m for m in read_csv(tmp_path / "out" / "members.csv")}
    assert members["anna"]["organisation"] == "sof" and members["anna"]["partnership"] == SLUG
    assert "id" not in members["anna"] and "organisation_id" not in members["anna"]
    updates = read_csv(tmp_path / "out" / "activity_updates.csv")
    assert {(u["activity"], u["member"] or u["actor"]) for u in updates} == {("PF1", "anna")}
    meetings = read_csv(tmp_path / "out" / "meetings.csv")
    starts = {m["id"]: m["starts_at"] for m in meetings}
    assert starts[str(meeting_id)] == "2027-03-02 13:00:00+01:00"
    assert "2027-06-15 13:00:00+02:00" in starts.values()
    agenda = read_csv(tmp_path / "out" / "agenda_items.csv")
    assert {a["meeting"] for a in agenda} == {str(meeting_id)}
    created = dt.datetime.fromisoformat(updates[0]["created_at"])
    assert created.utcoffset() in (dt.timedelta(hours=1), dt.timedelta(hours=2))
    figures = read_csv(tmp_path / "out" / "indicator_values.csv")
    assert [(f["indicator"], f["year"], f["value"]) for f in figures] == [
        ("safety.unsafe", "2019", "18.5")
    ]
    semi = export_all(engine, tmp_path / "da", excel_da=True)
    assert len(semi) == len(written)
    (figure,) = read_csv(tmp_path / "da" / "indicator_values.csv", ";")
    assert figure["value"] == "18,5"


def test_workbook_has_a_sheet_per_table_frozen_and_sized(engine, make_ctx, tmp_path):
    make = make_ctx(engine)
    plant(engine, make)
    with Session(engine) as session:  # a second partnership's rows name it
        session.add(
            Partnership(slug="other-town", name="Øst", timezone="Europe/Copenhagen", locale="da")
        )
        session.commit()
    (path,) = export_all(engine, tmp_path / "sub" / "export.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == list(EXPORTED)
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet["A1"].font.bold
    members = book["members"]
    header = [c.value for c in members[1]]
    assert header[:3] == ["partnership", "handle", "display_name"]
    assert members.column_dimensions["A"].width >= len(SLUG)
    meetings = book["meetings"]
    starts = header_index(meetings, "starts_at")
    assert meetings.cell(2, starts).value == "2027-03-02 13:00:00+01:00"
    assert {c.value for c in book["partnerships"]["A"][1:]} == {SLUG, "other-town"}
    assert not any(p.name.endswith(".partial") for p in path.parent.iterdir())


def header_index(sheet, name: str) -> int:
    return [c.value for c in sheet[1]].index(name) + 1


def fresh_sqlite(path: Path, specs) -> Engine:
    """An empty database, as `partnerbot` makes one: schema and the partnership files only."""
    from bot.runtime import prepare_database
    from storage.db import make_engine
    from storage.sync import sync_partnership

    target = make_engine(f"sqlite:///{path}")
    prepare_database(target)
    with Session(target) as session:
        for spec in specs.values():
            sync_partnership(session, spec)
        session.commit()
    return target


def figures(path: Path) -> list[tuple[str, ...]]:
    """What a secretariat compares: whose figure, which, which year, how much, from where."""
    if path.suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True)["indicator_values"]
        rows = list(sheet.iter_rows(values_only=True))
        return sorted(tuple(str(c) for c in row[:5]) for row in rows[1:])
    delimiter = ";" if path.parent.name == "da" else ","
    return sorted(
        (r["partnership"], r["indicator"], r["year"], r["value"], r["source"])
        for r in read_csv(path, delimiter)
    )


@pytest.mark.parametrize("form", ["csv", "da", "xlsx"])
def test_export_import_export_gives_the_same_figures(engine, make_ctx, specs, tmp_path, form):
    admin = make_ctx(engine)("root", admin=True)
    for line in (
        'indicator set crime.indbrud 2019 131 source="Københavns Politi"',
        "indicator set crime.indbrud 2019 129 source=rettet",  # a revision: the newest counts
        'indicator set crime.haervaerk 2020 1234 source="- foreløbig"',  # guarded on the way out
        "indicator set safety.unsafe 2019 18,5",
        'indicator set safety.unsafe 2020 17 source="=HYPERLINK(1)"',
    ):
        assert run(admin, line).ok, line

    def export(db: Engine, where: Path) -> Path:
        if form == "xlsx":
            return export_all(db, where / "export.xlsx")[0]
        export_all(db, where / form, excel_da=form == "da")
        return where / form / "indicator_values.csv"

    first = export(engine, tmp_path / "first")
    target = fresh_sqlite(tmp_path / "empty.db", specs)
    try:
        importer = make_ctx(target)(
            "root", admin=True, attachments=[(first.name, first.read_bytes())]
        )
        reply = run(importer, "indicator import")
        assert reply.ok and "4 figures saved" in reply.plain(), reply.plain()
        second = export(target, tmp_path / "second")
    finally:
        target.dispose()
    assert figures(second) == figures(first)
    decimal = "," if form == "da" else "."
    assert (SLUG, "crime.indbrud", "2019", "129", "rettet") in figures(first)
    expected_unsafe = 18.5 if form == "xlsx" else f"18{decimal}5"
    assert (
        SLUG,
        "safety.unsafe",
        "2019",
        str(expected_unsafe),
        "" if form != "xlsx" else "None",
    ) in figures(first)
    assert (SLUG, "crime.haervaerk", "2020", "1234", "'- foreløbig") in figures(second)


def test_fixed_words_show_their_danish_label_beside_the_key(engine, make_ctx, tmp_path):
    from commands.views.exports import export_labels

    plant(engine, make_ctx(engine))
    export_all(engine, tmp_path / "out", labels=export_labels())
    with (tmp_path / "out" / "activity_updates.csv").open(encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle))
    assert header[header.index("status") + 1] == "status_label"
    updates = read_csv(tmp_path / "out" / "activity_updates.csv")
    assert {(u["status"], u["status_label"]) for u in updates} == {("on-track", "planmæssig")}
    (meeting,) = read_csv(tmp_path / "out" / "meetings.csv")
    assert (meeting["kind"], meeting["kind_label"]) == ("wg", "arbejdsgruppe")
    roles = {(r["role"], r["role_label"]) for r in read_csv(tmp_path / "out" / "member_roles.csv")}
    assert ("chair", "formand") in roles and ("secretariat", "sekretariat") in roles
    book_path = export_all(engine, tmp_path / "x.xlsx", labels=export_labels())[0]
    sheet = load_workbook(book_path)["activity_updates"]
    assert "status_label" in [c.value for c in sheet[1]]
