"""`partnerbot export DIR|FILE.xlsx`: the partnerships' data as people can read and re-import it.

Self-describing: a row names its partnership, organisation, focus area, indicator, activity and
member by slug, key, code or handle, never by database id (meetings, agenda items, decisions and
follow-up items keep their number: commands refer to them by it). Times are the partnership's
wall clock with the offset; text that a spreadsheet would run as a formula is guarded
(storage.cells). `indicator_values.csv` holds each figure's newest revision and starts
`partnership,indicator,year,value,source`, which `partnerbot import` reads as it stands (older
revisions are in the audit trail and the backup).

CSV: UTF-8 with a byte-order mark (Excel then opens æøå right), `,` and decimal points, or with
`excel_da` `;` and decimal commas, as Danish Excel expects. XLSX (openpyxl, write-only so rows
stream): one sheet per table, the header frozen, columns as wide as their first rows need.

All tables are read in one read-only transaction (a consistent snapshot) and each file is
written next to its final name and then renamed, so an interrupted export leaves no half file.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table in SQLModel.metadata)
from storage.cells import DEFAULT_TIMEZONE, cell, csv_cell

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

BATCH_ROWS = 1000
WIDTH_SAMPLE = 200  # rows measured for an XLSX column's width
MAX_WIDTH = 60

# What a partnership's people work with; the plumbing (reminder rows, deliveries, paces, Teams
# references, download links, inbound event ids) is in the backup, not here.
EXPORTED = (
    "partnerships",
    "organisations",
    "focus_areas",
    "members",
    "member_identities",
    "member_roles",
    "channel_bindings",
    "activities",
    "activity_updates",
    "assessments",
    "indicators",
    "indicator_values",
    "meetings",
    "agenda_items",
    "rsvps",
    "attendance",
    "decisions",
    "action_items",
    "audit_events",
)
# The column that names a row of the table people know it by
NATURAL_KEYS = {
    "partnerships": "slug",
    "organisations": "slug",
    "focus_areas": "slug",
    "indicators": "key",
    "activities": "code",
    "members": "handle",
}
NUMBERED = {"meetings", "agenda_items", "decisions", "action_items"}  # `meeting move 12`
COLUMN_ORDER = {
    "indicator_values": ["partnership", "indicator", "year", "value", "source", "revision"],
}

Row = tuple[ZoneInfo, list[object]]
Transform = Callable[[Any, str], Any]  # (stored value, the partnership's language) → shown
# (table, column) → the label of a stored fixed word: storage knows no words, its caller does
Labels = Mapping[tuple[str, str], Callable[[str, str], str]]


def export_all(
    engine: Engine, out: Path, *, excel_da: bool = False, labels: Labels | None = None
) -> list[Path]:
    """Write the export to `out`: a workbook when it ends in `.xlsx`, else one CSV per table
    into that directory (created if missing). `labels` adds, beside each fixed word's key, a
    `COLUMN_label` in the partnership's language. Returns the paths written."""
    labels = labels or {}
    out = Path(out)
    with snapshot(engine) as conn:
        if out.suffix.lower() == ".xlsx":
            out.parent.mkdir(parents=True, exist_ok=True)
            _atomic(out, _workbook(conn, labels, None).save)
            return [out]
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, header, rows in _tables(conn, labels, None):
            path = out / f"{name}.csv"
            _atomic(path, partial(_write_csv, header=header, rows=rows, excel_da=excel_da))
            written.append(path)
        return written


def partnership_workbook(conn: Connection, partnership: int, labels: Labels) -> bytes:
    """One partnership's part of the export as XLSX bytes (`export` in chat): the same sheets
    and columns as `partnerbot export FILE.xlsx`, only that partnership's rows. `conn` is the
    caller's transaction, so all sheets show one moment."""
    buffer = io.BytesIO()
    _workbook(conn, labels, partnership).save(buffer)
    return buffer.getvalue()


def has_data(engine: Engine) -> bool:
    """Whether anything beyond the partnership files' own facts is stored."""
    with engine.connect() as conn:
        for name in ("members", "activities", "indicator_values", "meetings", "audit_events"):
            table = SQLModel.metadata.tables[name]
            if conn.execute(table.select().limit(1)).first() is not None:
                return True
    return False


def snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see the same moment of the database."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        # pysqlite opens no transaction for a SELECT; without one, each table would be read at
        # a different moment. The connection's close rolls this (read-only) transaction back.
        conn.exec_driver_sql("BEGIN")
    return conn


def _atomic(path: Path, write: Callable[[Path], object]) -> None:
    part = path.with_name(path.name + ".partial")
    try:
        write(part)
        os.replace(part, path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def _tables(
    conn: Connection, labels: Labels, partnership: int | None
) -> Iterator[tuple[str, list[str], Iterator[Row]]]:
    tables = SQLModel.metadata.tables
    keys = {
        name: {
            row[0]: row[1]
            for row in conn.execute(
                tables[name].select().with_only_columns(tables[name].c.id, tables[name].c[column])
            )
        }
        for name, column in NATURAL_KEYS.items()
    }
    partnerships = tables["partnerships"]
    places = {
        row[0]: (ZoneInfo(row[1]), row[2][:2])
        for row in conn.execute(
            partnerships.select().with_only_columns(
                partnerships.c.id, partnerships.c.timezone, partnerships.c.locale
            )
        )
    }
    for name in EXPORTED:
        yield (name, *_readable(conn, tables[name], keys, places, labels, partnership))


def _readable(
    conn: Connection,
    table: Table,
    keys: dict[str, dict[Any, Any]],
    places: dict[int, tuple[ZoneInfo, str]],
    labels: Labels,
    partnership: int | None,
) -> tuple[list[str], Iterator[Row]]:
    """The table's header and rows (of one partnership, or of all when `partnership` is None):
    ids turned into keys, fixed words labelled beside them."""
    plan: list[tuple[str, int, Transform | None]] = []  # (header, index, how the value shows)
    for index, column in enumerate(table.columns):
        if column.name == "id" and table.name not in NUMBERED:
            continue
        targets = [fk.column.table.name for fk in column.foreign_keys]
        if targets:
            lookup = keys.get(targets[0], {})
            plan.append((column.name.removesuffix("_id"), index, _key_of(lookup)))
            continue
        plan.append((column.name, index, None))
        labeller = labels.get((table.name, column.name))
        if labeller is not None:  # the stable key, then the word in the partnership's language
            plan.append((f"{column.name}_label", index, labeller))
    wanted = COLUMN_ORDER.get(table.name, [])
    plan.sort(key=lambda p: wanted.index(p[0]) if p[0] in wanted else len(wanted))
    if table.name != "partnerships":
        plan.sort(key=lambda p: p[0] != "partnership")  # stable: the partnership first
    c = table.c
    if table.name == "indicator_values":  # the newest revision of each figure
        order = [c.partnership_id, c.indicator_id, c.year, c.revision.desc()]
    else:
        order = list(table.primary_key.columns)
    own = "id" if table.name == "partnerships" else "partnership_id"
    own_index = list(table.columns.keys()).index(own)
    default = next(iter(places.values()), (ZoneInfo(DEFAULT_TIMEZONE), "da"))

    query = table.select().order_by(*order)
    if partnership is not None:
        query = query.where(table.c[own] == partnership)

    def rows() -> Iterator[Row]:
        result = conn.execute(query.execution_options(yield_per=BATCH_ROWS))
        seen: set[tuple[Any, ...]] = set()
        for row in result:
            if table.name == "indicator_values":
                figure = (row.partnership_id, row.indicator_id, row.year)
                if figure in seen:
                    continue
                seen.add(figure)
            zone, lang = places.get(row[own_index], default)
            cells = [
                row[i] if show is None or row[i] is None else show(row[i], lang)
                for _, i, show in plan
            ]
            yield zone, cells

    return [header for header, _, _ in plan], rows()


def _key_of(lookup: dict[Any, Any]) -> Transform:
    return lambda value, _lang: lookup.get(value, value)


def _write_csv(path: Path, header: list[str], rows: Iterator[Row], excel_da: bool) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";" if excel_da else ",")
        writer.writerow(header)
        writer.writerows(
            [csv_cell(v, zone, decimal_comma=excel_da) for v in cells] for zone, cells in rows
        )


def _workbook(conn: Connection, labels: Labels, partnership: int | None) -> Workbook:
    from openpyxl import Workbook  # slow to import: only an XLSX export loads it

    book = Workbook(write_only=True)
    for name, header, rows in _tables(conn, labels, partnership):
        _write_sheet(book.create_sheet(name), header, rows)
    return book


def _write_sheet(sheet: WriteOnlyWorksheet, header: list[str], rows: Iterator[Row]) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sample: list[list[Any]] = []
    for zone, cells in rows:
        sample.append([cell(v, zone) for v in cells])
        if len(sample) >= WIDTH_SAMPLE:
            break
    # A write-only sheet takes its layout before its first row.
    sheet.freeze_panes = "A2"
    for index, title in enumerate(header):
        widest = max([len(title)] + [len(str(r[index])) for r in sample if r[index] is not None])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(widest + 2, MAX_WIDTH)
    bold = Font(bold=True)
    titles = []
    for title in header:
        titled = WriteOnlyCell(sheet, value=title)
        titled.font = bold
        titles.append(titled)
    sheet.append(titles)
    for values in sample:
        sheet.append(_typed(sheet, values))
    for zone, cells in rows:
        sheet.append(_typed(sheet, [cell(v, zone) for v in cells]))


def _typed(sheet: WriteOnlyWorksheet, values: list[Any]) -> list[Any]:
    """Text cells as text: openpyxl would make any string starting with `=` a formula."""
    from openpyxl.cell import WriteOnlyCell

    out: list[Any] = []
    for value in values:
        if isinstance(value, str):
            text = WriteOnlyCell(sheet, value=value)
            text.data_type = "s"
            out.append(text)
        else:
            out.append(value)
    return out
