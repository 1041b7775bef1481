"""Workbooks built byte by byte, as an attacker or an odd writer makes them (imported as
`workbooks` by the import tests and the import benchmark)."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook (openpyxl) whose first sheet is replaced by `sheet_xml`, packed the way
    a bomb is: highly compressible content, small on the wire."""
    book = Workbook()
    book.active.append(["indicator", "year", "value"])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, sheet_xml if item.filename == SHEET else src.read(item))
    return out.getvalue()


def rows_xml(n: int, dimension: str | None) -> bytes:
    declared = b"" if dimension is None else f'<dimension ref="{dimension}"/>'.encode()
    header = (
        b'<row r="1"><c t="inlineStr"><is><t>indicator</t></is></c><c t="inlineStr"><is><t>'
        b'year</t></is></c><c t="inlineStr"><is><t>value</t></is></c></row>'
    )
    row = (
        b'<row><c t="inlineStr"><is><t>crime.indbrud</t></is></c><c><v>2019</v></c>'
        b"<c><v>131</v></c></row>"
    )
    return HEAD + declared + b"<sheetData>" + header + row * n + b"</sheetData></worksheet>"
