"""Indicator figures from a CSV or XLSX file, long format: indicator,year,value[,source].

Danish headers (indikator,år,værdi,kilde), `;` or `,` or tab as separator, UTF-8, UTF-16 or
Windows-1252 (Danish Excel), and decimal commas are accepted; the file is read within bounds by
commands.rules.tabular. The whole file is checked first; if any row is bad, the reply lists
every bad row (row number, column, reason) and nothing is applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import select

from commands.engine import fmt
from commands.engine.context import Call
from commands.engine.messages import hint
from commands.engine.reply import Reply, Table, Text
from commands.rules.cpr import has_cpr
from commands.rules.figures import (
    Details,
    Problem,
    check_respondents,
    check_significant,
    check_value,
    check_year,
    computed_problem,
)
from commands.rules.tabular import FileProblem, read_rows
from commands.vocab import Column
from storage.cells import FORMULA_STARTS
from storage.models import IndicatorDef, IndicatorValue, Partnership

REQUIRED = (Column.INDICATOR, Column.YEAR, Column.VALUE)
MAX_LISTED = 50
FIGURES_DA, FIGURES_EN = ("tal", "tal"), ("figure", "figures")
ROWS_DA, ROWS_EN = ("række", "rækker"), ("row", "rows")
PARTNERSHIP_HEADERS = ("partnership", "partnerskab")  # the export's first column


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    reason: str


def _details(cells: list[object], cell: Callable[[list[object], str], object]) -> Details:
    """The optional survey columns n, significant and note of a row (empty: not given)."""

    def given(key: str) -> object | None:
        value = cell(cells, key)
        return None if value is None or str(value).strip() == "" else value

    n, significant, note = given("n"), given("significant"), given("note")
    return Details(
        check_respondents(n) if n is not None else None,
        check_significant(significant) if significant is not None else None,
        _unguarded(str(note).strip())[:300] if note is not None else None,
    )


def import_file(
    call: Call,
    name: str,
    data: bytes,
    save: Callable[[Call, IndicatorDef, int, float, str, Details], IndicatorValue | None],
) -> Reply:
    try:
        rows = read_rows(name, data)
    except FileProblem as problem:
        raise call.fail(
            "{p} Intet er importeret.",
            "{p} Nothing was imported.",
            p=problem.text(call.lang),
        ) from None
    if not rows:
        raise call.fail(
            "Filen er tom. Intet er importeret.", "The file is empty. Nothing was imported."
        )
    header_no, header = rows[0]
    columns: dict[str, int] = {}
    owner: int | None = None  # the export's `partnership` column, when the file has one
    file_lang = ""  # the language the header is written in: missing columns are named in it
    for index, title in enumerate(header):
        title = str(title).strip().lstrip("\ufeff")
        column = Column.parse(title)
        if column and column not in columns:
            columns[column] = index
            if title.lower() in (column.da, column.en) and column.da != column.en:
                file_lang = file_lang or ("da" if title.lower() == column.da else "en")
        elif title.lower() in PARTNERSHIP_HEADERS and owner is None:
            owner = index
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        names = [c.label(file_lang or call.lang) for c in missing]
        raise call.fail(
            "Række {r}: {m} mangler; overskriften skal være "
            "indikator,år,værdi[,kilde] eller indicator,year,value[,source]. "
            "Intet er importeret.",
            "Row {r}: {m} missing; the header must be "
            "indicator,year,value[,source] or indikator,år,værdi[,kilde]. "
            "Nothing was imported.",
            r=header_no,
            m=call.t(
                "kolonnen {c}" if len(names) == 1 else "kolonnerne {c}",
                "the column {c} is" if len(names) == 1 else "the columns {c} are",
                c=fmt.join(names, call.lang),
            ),
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
    good: list[tuple[IndicatorDef, int, float, str, Details]] = []
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
            details = _details(cells, cell)
            for col, text in (("source", source), ("note", details.note or "")):
                if has_cpr(text, call.now.date()):  # free text: never a CPR number (issue 13)
                    raise Problem(
                        col,
                        "teksten ser ud til at indeholde et CPR-nummer; skriv den uden",
                        "the text appears to contain a CPR number; write it without",
                    )
            good.append((ind, year, value, source, details))
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
    changed = sum(1 for row in good if save(call, *row) is not None)
    text = call.t(
        "Importeret: {c} gemt, {u} uændrede (af {n}).",
        "Imported: {c} saved, {u} unchanged (of {n}).",
        c=fmt.count(call.lang, changed, FIGURES_DA, FIGURES_EN),
        u=fmt.number(len(good) - changed, call.lang),
        n=fmt.count(call.lang, len(good), ROWS_DA, ROWS_EN),
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
