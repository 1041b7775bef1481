"""Indicator figures from a CSV or XLSX file, long format: indicator,year,value[,source].

Danish headers (indikator,år,værdi,kilde), `;` or `,` or tab as separator, UTF-8 or Windows-1252
(Danish Excel), and decimal commas are accepted. The whole file is checked first; if any row is
bad, the reply lists every bad row (row number, column, reason) and nothing is applied.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import select

from commands.engine.context import Call, say
from commands.engine.messages import hint
from commands.engine.reply import Reply, Table, Text
from commands.rules.figures import Problem, check_value, check_year, computed_problem
from commands.vocab import Column
from storage.cells import FORMULA_STARTS
from storage.models import IndicatorDef, IndicatorValue, Partnership

REQUIRED = (Column.INDICATOR, Column.YEAR, Column.VALUE)
MAX_ROWS = 20_000
MAX_BYTES = 5_000_000
MAX_LISTED = 50
EXPORT_SHEET = "indicator_values"
PARTNERSHIP_HEADERS = ("partnership", "partnerskab")  # the export's first column


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    reason: str


class FileProblem(Exception):
    def __init__(self, da: str, en: str) -> None:
        super().__init__(en)
        self.da, self.en = da, en

    def text(self, lang: str) -> str:
        return say(lang, self.da, self.en)


def read_rows(name: str, data: bytes) -> list[tuple[int, list[object]]]:
    """(row number, cells) for every row, the header first. Raises FileProblem."""
    if len(data) > MAX_BYTES:
        raise FileProblem(
            "Filen er for stor (højst 5 MB).", "The file is too large (at most 5 MB)."
        )
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if lower.endswith((".csv", ".txt", ".tsv")) or not lower.rpartition(".")[1]:
        return _read_csv(data)
    raise FileProblem(
        "Kun CSV- og XLSX-filer kan importeres.", "Only CSV and XLSX files can be imported."
    )


def _read_csv(data: bytes) -> list[tuple[int, list[object]]]:
    if b"\x00" in data[:4096]:
        raise FileProblem("Filen er ikke en tekstfil (CSV).", "The file is not a text (CSV) file.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if first.lower().startswith("sep=") and len(first) == 5:
        # Excel's "sep=;" hint line: it names the separator and is not a header.
        delimiter = first[4]
        text = text.split("\n", text[: text.index(first)].count("\n") + 1)[-1]
    else:
        delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        rows: list[tuple[int, list[object]]] = [
            (n, list(cells)) for n, cells in enumerate(reader, 1)
        ]
        return rows[: MAX_ROWS + 1]
    except csv.Error as exc:
        raise FileProblem(
            f"CSV-filen kan ikke læses: {exc}", f"The CSV file cannot be read: {exc}"
        ) from exc


def _read_xlsx(data: bytes) -> list[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # only imports load it: it is slow to import

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise FileProblem("XLSX-filen kan ikke åbnes.", "The XLSX file cannot be opened.") from exc
    # A workbook from `partnerbot export` holds every table; its figures are on this sheet.
    sheet = book[EXPORT_SHEET] if EXPORT_SHEET in book.sheetnames else book.worksheets[0]
    rows = [
        (n, ["" if c is None else c for c in cells])
        for n, cells in enumerate(sheet.iter_rows(values_only=True), start=1)
    ]
    book.close()
    return rows[: MAX_ROWS + 1]


def import_file(
    call: Call,
    name: str,
    data: bytes,
    save: Callable[[Call, IndicatorDef, int, float, str], IndicatorValue | None],
) -> Reply:
    try:
        rows = read_rows(name, data)
    except FileProblem as problem:
        raise call.fail(
            "{p} Intet er importeret.",
            "{p} Nothing was imported.",
            p=problem.text(call.lang),
        ) from None
    rows = [(n, cells) for n, cells in rows if any(str(c).strip() for c in cells)]
    if not rows:
        raise call.fail(
            "Filen er tom. Intet er importeret.", "The file is empty. Nothing was imported."
        )
    header_no, header = rows[0]
    columns: dict[str, int] = {}
    owner: int | None = None  # the export's `partnership` column, when the file has one
    for index, title in enumerate(header):
        title = str(title).strip().lstrip("\ufeff")
        column = Column.parse(title)
        if column and column not in columns:
            columns[column] = index
        elif title.lower() in PARTNERSHIP_HEADERS and owner is None:
            owner = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise call.fail(
            "Række {r}: kolonnerne {m} mangler; overskriften skal være "
            "indikator,år,værdi[,kilde] eller indicator,year,value[,source]. "
            "Intet er importeret.",
            "Row {r}: the columns {m} are missing; the header must be "
            "indicator,year,value[,source] or indikator,år,værdi[,kilde]. "
            "Nothing was imported.",
            r=header_no,
            m=", ".join(c.label(call.lang) for c in missing),
        )
    if len(rows) == 1:
        raise call.fail(
            "Filen har kun en overskrift og ingen tal. Intet er importeret.",
            "The file has only a header and no figures. Nothing was imported.",
        )
    inds = {
        i.key: i
        for i in call.session.exec(
            select(IndicatorDef).where(
                IndicatorDef.partnership_id == call.pid, IndicatorDef.active == True
            )
        )
    }
    problems: list[RowProblem] = []
    good: list[tuple[IndicatorDef, int, float, str]] = []
    seen: dict[tuple[str, int], int] = {}
    slug = call.session.get(Partnership, call.pid)
    others = 0  # rows of other partnerships in a whole export: not this partnership's figures

    def cell(cells: list[object], key: str) -> object:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else ""

    for number, cells in rows[1:]:
        if owner is not None and slug is not None and owner < len(cells):
            named = str(cells[owner]).strip()
            if named and named != slug.slug:
                others += 1
                continue
        key = str(cell(cells, "indicator")).strip().lower()
        try:
            ind = inds.get(key)
            if ind is None:
                raise Problem(
                    "indicator",
                    f"ukendt indikator '{key[:40]}'." + hint("da", key, inds),
                    f"unknown indicator '{key[:40]}'." + hint("en", key, inds),
                )
            if ind.components:
                raise computed_problem(ind.key, ind.components)
            year = check_year(cell(cells, "year"), call.now.year)
            raw = cell(cells, "value")
            if isinstance(raw, bool):  # a spreadsheet TRUE would otherwise count as 1
                raise Problem("value", "værdien er ikke et tal", "the value is not a number")
            if str(raw).strip() == "":
                raise Problem("value", "værdien mangler", "the value is missing")
            value = check_value(ind.unit, raw if isinstance(raw, int | float) else str(raw))
            if (key, year) in seen:
                raise Problem(
                    "year",
                    f"{key} {year} står også i række {seen[key, year]}",
                    f"{key} {year} is also in row {seen[key, year]}",
                )
            seen[key, year] = number
            source = _unguarded(str(cell(cells, "source")).strip())[:300]
            good.append((ind, year, value, source))
        except Problem as problem:
            column_name = Column.label_of(problem.column, call.lang)
            problems.append(RowProblem(number, column_name, problem.text(call.lang)))
    if problems:
        shown = problems[:MAX_LISTED]
        more = len(problems) - len(shown)
        blocks: list[Text | Table] = [
            Text(
                call.t(
                    "{n} forkert række, så intet er importeret. Ret den og prøv igen:",
                    "{n} row is wrong, so nothing was imported. Fix it and try again:",
                    n=1,
                )
                if len(problems) == 1
                else call.t(
                    "{n} rækker er forkerte, så intet er importeret. Ret dem og prøv igen:",
                    "{n} rows are wrong, so nothing was imported. Fix them and try again:",
                    n=len(problems),
                )
            ),
            Table(
                tuple(call.t("Række|Kolonne|Fejl", "Row|Column|Problem").split("|")),
                tuple((str(p.row), p.column, p.reason) for p in shown),
            ),
        ]
        if more:
            blocks.append(Text(call.t("… og {n} flere.", "… and {n} more.", n=more)))
        return Reply(blocks=list(blocks), ok=False)
    if len(rows) > MAX_ROWS:
        raise call.fail(
            "Filen har over {n} rækker.", "The file has more than {n} rows.", n=MAX_ROWS
        )
    changed = sum(
        1 for ind, year, value, source in good if save(call, ind, year, value, source) is not None
    )
    text = call.t(
        "Importeret: {c} tal gemt, {u} uændrede (af {n} rækker).",
        "Imported: {c} figures saved, {u} unchanged (of {n} rows).",
        c=changed,
        u=len(good) - changed,
        n=len(good),
    )
    if others:
        text += " " + (
            call.t(
                "1 række for et andet partnerskab er sprunget over.",
                "1 row for another partnership was skipped.",
            )
            if others == 1
            else call.t(
                "{o} rækker for andre partnerskaber er sprunget over.",
                "{o} rows for other partnerships were skipped.",
                o=others,
            )
        )
    return Reply.text(text, ephemeral=False)


def _unguarded(text: str) -> str:
    """The text before the export's formula guard (storage.cells.safe_text) added its `'`."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text
