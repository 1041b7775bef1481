"""The rows of an attached CSV or XLSX file, read within bounds a chat bot can afford.

What a file declares is checked before it is read: its size on the wire (5 MB), a workbook's
unpacked size (the sum of its zip members' declared sizes, 50 MB; Python's zipfile never
unpacks more than a member declares, so the declaration is a real bound) and its sheet's
declared dimension. Rows are then counted as they stream and the read stops at the first row
past the limit, so a workbook that declares nothing, or too little, still costs no more than
the limit. A workbook bomb (a 320 KB file unpacking to gigabytes) is thus refused in
milliseconds instead of minutes.

Text files: a byte-order mark decides (UTF-8, UTF-16 LE/BE — Excel's "Unicode text" is UTF-16
LE with a mark); UTF-16 without a mark is told by its zero bytes; otherwise UTF-8, then
Windows-1252 (Danish Excel's "CSV"). What decodes as neither, or holds control characters no
text file has, is refused with the reason: imported, it would be garbled text in the figures.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from commands.engine import fmt
from commands.engine.context import say

MAX_ROWS = 20_000
MAX_BYTES = 5_000_000
MAX_UNPACKED = 50_000_000
MAX_COLUMNS = 50  # more than any import's columns; a row 16,384 cells wide is not read
EXPORT_SHEET = "indicator_values"  # a workbook from `partnerbot export` holds every table

Rows = list[tuple[int, list[object]]]  # (row number as a spreadsheet shows it, cells)


class FileProblem(Exception):
    def __init__(self, da: str, en: str) -> None:
        super().__init__(en)
        self.da, self.en = da, en

    def text(self, lang: str) -> str:
        return say(lang, self.da, self.en)


def too_many_rows() -> FileProblem:
    return FileProblem(
        f"Filen har over {fmt.number(MAX_ROWS, 'da')} rækker; del den op.",
        f"The file has more than {fmt.number(MAX_ROWS, 'en')} rows; split it.",
    )


def read_rows(name: str, data: bytes) -> Rows:
    """Every non-empty row, the header first, at most MAX_ROWS + 1. Raises FileProblem."""
    if len(data) > MAX_BYTES:
        raise FileProblem(
            "Filen er for stor (højst 5 MB).", "The file is too large (at most 5 MB)."
        )
    lower = name.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _bounded(_xlsx_rows(data))
    if lower.endswith((".csv", ".txt", ".tsv")) or not lower.rpartition(".")[1]:
        return _bounded(_csv_rows(decode(data)))
    raise FileProblem(
        "Kun CSV- og XLSX-filer kan importeres.", "Only CSV and XLSX files can be imported."
    )


def _bounded(rows: Iterable[tuple[int, list[object]]]) -> Rows:
    kept: Rows = []
    for number, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        if len(kept) > MAX_ROWS:  # the header and MAX_ROWS figures are allowed
            raise too_many_rows()
        kept.append((number, cells))
    return kept


# --- text ---------------------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r"}


def decode(data: bytes) -> str:
    """The file's text, in the encoding it can be told to have. Raises FileProblem."""
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if encoding is None:
        encoding = _utf16_without_mark(data)
    candidates = [encoding] if encoding else ["utf-8", "cp1252"]
    for candidate in candidates:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.intersection(text):
            return text
    if b"\x00" in data[:4096] and encoding is None:
        raise FileProblem("Filen er ikke en tekstfil (CSV).", "The file is not a text (CSV) file.")
    raise FileProblem(
        "Filens tegnsæt kan ikke afgøres (hverken UTF-8, UTF-16 eller Windows-1252); gem den "
        "som »CSV UTF-8« i Excel og prøv igen.",
        "The file's character encoding cannot be told (neither UTF-8, UTF-16 nor "
        'Windows-1252); save it as "CSV UTF-8" in Excel and try again.',
    )


def _utf16_without_mark(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark: every other byte zero, as ASCII text gives."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.8 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.8 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _csv_rows(text: str) -> Iterator[tuple[int, list[object]]]:
    text = text.lstrip("\ufeff")
    first = next((line for line in text.splitlines() if line.strip()), "")
    if first.lower().startswith("sep=") and len(first) == 5:
        # Excel's "sep=;" hint line: it names the separator and is not a header.
        delimiter = first[4]
        text = text.split("\n", text[: text.index(first)].count("\n") + 1)[-1]
    else:
        delimiter = max((";", ",", "\t"), key=first.count) if first else ","
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            yield number, list(cells)
    except csv.Error as exc:
        raise FileProblem(
            f"CSV-filen kan ikke læses: {exc}", f"The CSV file cannot be read: {exc}"
        ) from exc


# --- workbooks ----------------------------------------------------------------------------


def _shown(cell: Any) -> object:
    """A cell's value as the sheet shows it: a number formatted as percent (0,155 shown as
    15,5 %) is the percentage people read, 15.5; an empty cell is ""."""
    value = cell.value
    if value is None:
        return ""
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and "%" in (getattr(cell, "number_format", "") or "")
    ):
        return round(value * 100, 9)  # 0.155 * 100 is 15.500000000000002 in binary
    return value


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    unopenable = FileProblem("XLSX-filen kan ikke åbnes.", "The XLSX file cannot be opened.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise unopenable from exc
    if unpacked > MAX_UNPACKED:
        raise FileProblem(
            f"Regnearket fylder {fmt.number(unpacked / 1e6, 'da', 0)} MB udpakket; højst "
            "50 MB kan importeres.",
            f"The workbook is {fmt.number(unpacked / 1e6, 'en', 0)} MB unpacked; at most "
            "50 MB can be imported.",
        )
    from openpyxl import load_workbook  # only imports load it: it is slow to import

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = book[EXPORT_SHEET] if EXPORT_SHEET in book.sheetnames else book.worksheets[0]
        declared = sheet.max_row  # the sheet's <dimension>, when it has one
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise unopenable from exc
    try:
        if declared is not None and declared > MAX_ROWS + 1:
            raise too_many_rows()
        # Read past a dimension that declares too little (openpyxl would stop at it and drop
        # the rest silently): the count below is the bound.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS)
        for number, cells in enumerate(rows, start=1):
            yield number, [_shown(c) for c in cells]
    except FileProblem:
        raise
    except Exception as exc:  # a member whose content does not match its declaration
        raise unopenable from exc
    finally:
        book.close()
