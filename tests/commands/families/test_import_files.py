"""Imports that hold against the files people (and attackers) send (issue 13): a workbook that
unpacks to gigabytes or declares a million rows is refused early, by what it declares, without
reading it; rows are counted as they stream; UTF-16 text (Excel's "Unicode text") is read; a
file whose encoding cannot be told is refused with the reason instead of imported garbled."""

from __future__ import annotations

import pytest
from helpers import run, table_snapshot
from workbooks import rows_xml, workbook_with_sheet

from commands.engine.reply import Reply
from commands.rules.tabular import MAX_ROWS


def import_as_admin(make, name: str, data: bytes, lang: str = "en") -> Reply:
    return run(make("root", admin=True, lang=lang, attachments=[(name, data)]), "indicator import")


def refused(engine, make, name: str, data: bytes, *expected: str, lang: str = "en") -> str:
    before = table_snapshot(engine)
    reply = import_as_admin(make, name, data, lang=lang)
    text = reply.plain()
    assert not reply.ok, text
    for words in expected:
        assert words in text, text
    assert ("Nothing was imported" if lang == "en" else "Intet er importeret") in text, text
    assert table_snapshot(engine) == before
    return text


def test_a_workbook_declaring_a_million_rows_is_refused_by_its_declaration(engine, make_ctx):
    data = workbook_with_sheet(rows_xml(1_000_000, "A1:C1000001"))
    assert len(data) < 1_000_000  # small on the wire, ~90 MB unpacked
    refused(engine, make_ctx(engine), "bomb.xlsx", data, "unpacked", "at most 50 MB")


def test_a_workbook_that_unpacks_to_gigabytes_is_refused_in_danish_too(engine, make_ctx):
    data = workbook_with_sheet(rows_xml(1_000_000, None))
    text = refused(engine, make_ctx(engine), "bombe.xlsx", data, "udpakket", lang="da")
    assert "højst 50 MB" in text


def test_rows_past_the_limit_are_refused_as_they_stream(engine, make_ctx):
    # Small enough to unpack, no (or a false) declared size: the count stops the read.
    for dimension in (None, "A1:C2"):
        data = workbook_with_sheet(rows_xml(MAX_ROWS + 5, dimension))
        refused(engine, make_ctx(engine), "many.xlsx", data, f"more than {MAX_ROWS:,} rows")


def test_a_declared_row_count_past_the_limit_is_refused_before_reading(engine, make_ctx):
    data = workbook_with_sheet(rows_xml(10, f"A1:C{MAX_ROWS + 100}"))
    refused(engine, make_ctx(engine), "declared.xlsx", data, f"more than {MAX_ROWS:,} rows")


def test_csv_rows_past_the_limit_are_refused(engine, make_ctx):
    data = ("indicator,year,value\n" + "crime.indbrud,2019,131\n" * (MAX_ROWS + 1)).encode()
    refused(engine, make_ctx(engine), "many.csv", data, f"more than {MAX_ROWS:,} rows")


GOOD = "indikator\tår\tværdi\tkilde\nsafety.unsafe\t2019\t18,5\tTryghedsundersøgelsen\n"


@pytest.mark.parametrize(
    "data",
    [
        GOOD.encode("utf-16"),  # Excel's "Unicode text": UTF-16 LE with a byte-order mark
        b"\xfe\xff" + GOOD.encode("utf-16-be"),
        GOOD.encode("utf-16-le"),  # no byte-order mark
        GOOD.replace("\t", ";").encode("utf-16"),
    ],
    ids=["utf-16-bom", "utf-16-be-bom", "utf-16-le", "utf-16-semicolons"],
)
def test_utf16_text_files_are_read(engine, make_ctx, data):
    make = make_ctx(engine)
    reply = import_as_admin(make, "tal.txt", data, lang="da")
    assert reply.ok, reply.plain()
    assert "Importeret: 1 tal gemt, 0 uændrede (af 1 række)" in reply.plain()
    listed = run(make("root", admin=True, lang="da"), "indikator liste").plain()
    assert "2019: 18,5 %" in listed, listed


@pytest.mark.parametrize(
    "data",
    [
        # neither UTF-8 nor Windows-1252 (bytes 0x81, 0x8d, 0x9d are unassigned there)
        b"indikator;\xe5r;v\xe6rdi\n\x81safety.unsafe\x8d;2019;18,5\x9d\n",
        # control characters no text file holds
        b"indicator,year,value\ncrime.indbrud\x01\x02\x03,2019,131\x1b\n",
    ],
    ids=["unassigned-bytes", "control-characters"],
)
def test_a_file_whose_encoding_cannot_be_told_is_refused(engine, make_ctx, data):
    make = make_ctx(engine)
    refused(engine, make, "tal.csv", data, "character encoding", "UTF-8")
    refused(engine, make, "tal.csv", data, "tegnsæt", "UTF-8", lang="da")


def test_a_workbook_declaring_too_few_rows_loses_none(engine, make_ctx):
    """Some writers declare `A1:C2` whatever they hold; every row is read all the same."""
    body = b"".join(
        f'<row><c t="inlineStr"><is><t>crime.indbrud</t></is></c><c><v>{year}</v></c>'
        f"<c><v>{100 + year % 10}</v></c></row>".encode()
        for year in range(2015, 2020)
    )
    sheet = rows_xml(0, "A1:C2").replace(b"</sheetData>", body + b"</sheetData>")
    reply = import_as_admin(make_ctx(engine), "few.xlsx", workbook_with_sheet(sheet))
    assert reply.ok and "5 figures saved" in reply.plain(), reply.plain()


def test_survey_details_come_in_with_the_figures(engine, make_ctx):
    from sqlmodel import Session, select

    from storage.models import IndicatorValue

    make = make_ctx(engine)
    data = (
        "indikator;år;værdi;kilde;n;signifikant;note\n"
        "safety.unsafe;2016;26,5;Tryghedsundersøgelsen;1.024;nej;Ny stikprøve\n"
        "safety.unsafe;2014;29,9;Tryghedsundersøgelsen;;;\n"
    ).encode()
    reply = import_as_admin(make, "tryghed.csv", data, lang="da")
    assert reply.ok, reply.plain()
    with Session(engine) as session:
        got = {
            v.year: (v.n, v.significant, v.note)
            for v in session.exec(select(IndicatorValue).where(IndicatorValue.year < 2017))
        }
    assert got == {2016: (1024, False, "Ny stikprøve"), 2014: (None, None, None)}
    bad = b"indicator,year,value,n,significant\nsafety.unsafe,2019,20,many,maybe\n"
    before = table_snapshot(engine)
    reply = import_as_admin(make, "bad.csv", bad)
    assert not reply.ok and "so nothing was imported" in reply.plain()
    assert "2    n  " in reply.plain() and "the number of respondents (n)" in reply.plain()
    assert table_snapshot(engine) == before


def test_excel_percent_cells_are_read_as_the_sheet_shows_them(engine, make_ctx):
    import io

    from openpyxl import Workbook
    from sqlmodel import Session, select

    from storage.models import IndicatorValue

    book = Workbook()
    sheet = book.active
    sheet.append(["indikator", "år", "værdi"])
    sheet.append(["safety.unsafe", 2016, 0.155])  # shown as 15,5 %
    sheet.cell(row=2, column=3).number_format = "0.0%"
    sheet.append(["safety.unsafe-city", 2016, 11.6])  # typed as 11,6
    sheet.append(["crime.indbrud", 2016, 140])
    out = io.BytesIO()
    book.save(out)
    reply = import_as_admin(make_ctx(engine), "tryghed.xlsx", out.getvalue(), lang="da")
    assert reply.ok, reply.plain()
    with Session(engine) as session:
        values = sorted(v.value for v in session.exec(select(IndicatorValue)))
    assert values == [11.6, 15.5, 140.0]


def test_a_long_reason_wraps_and_is_never_cut(engine, make_ctx):
    bad = b"indicator,year,value\ncrime.indbrudd,2019,20\n"
    text = import_as_admin(make_ctx(engine), "typo.csv", bad).plain()
    assert "…" not in text
    flat = " ".join(text.split())
    assert "unknown indicator 'crime.indbrudd'. Did you mean 'crime.indbrud'?" in flat, text
    assert max(len(line) for line in text.splitlines()) <= 80  # wrapped, not one long line
