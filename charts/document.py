"""A text document — headings, paragraphs, tables — as an A4 PDF and as an editable Word file
(DOCX) from one description, so the two can never say different things. The minutes use it
(the secretariat edits the DOCX before sending; the PDF is for the record).

The PDF goes the annual report's way (Typst, charts/typst_source.py): a tagged PDF/UA-1 with
the document's title and language, real headings and tables whose header row repeats on every
page, and a footer "side n af N" on every page. The DOCX is written with python-docx: real
headings (Word's Heading 1/2 styles, so the navigation pane and screen readers see the
structure), real tables with a header row repeated on each page, and the document's language
and title set.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()  # a table when given
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()  # relative column widths (default: equal)
    # (PNG, title, alt text) after the table: the DOCX shows them (the PDF report draws its
    # own vector charts, so to_pdf leaves these out)
    figures: tuple[tuple[bytes, str, str], ...] = ()
    level: int = 2  # Word's heading level: 2 a section, 3 and 4 its parts
    # per row, per cell: the traffic light ("green", …, "" for none; charts.report_data.tone)
    tones: tuple[tuple[str, ...], ...] = ()
    bold_rows: tuple[int, ...] = ()  # subtotal and total rows
    after: tuple[str, ...] = ()  # notes and sources under the table


@dataclass(frozen=True)
class Document:
    title: str
    lang: str  # "da" or "en"
    partnership: str
    facts: tuple[tuple[str, str], ...]  # label, value: shown under the title
    sections: tuple[Section, ...] = field(default_factory=tuple)
    footer: str = ""  # what every page's footer says before "side n af N"
    demo: bool = False


def to_pdf(doc: Document) -> bytes:
    """The document as a tagged PDF/UA-1, through the annual report's Typst route
    (charts.typst_source): title, facts, a heading per section, its paragraphs and a table
    whose header repeats on every page."""
    from charts import typst_source as t
    from charts.report import page_words
    from charts.report_pdf import compile_pdf
    from charts.style import text

    blocks: list[t.Block] = [t.title(doc.partnership)]
    blocks.append(t.lines([f"{label}: {value}" if value else label for label, value in doc.facts]))
    for section in doc.sections:
        blocks.append(t.heading(section.heading, max(section.level - 1, 1)))
        blocks.extend(t.para(value) for value in section.paragraphs)
        if section.headers:
            rows = [
                t.row(cells, _at(section.tones, i), bold=i in section.bold_rows)
                for i, cells in enumerate(section.rows)
            ]
            blocks.append(t.table(section.headers, rows, section.widths))
        if section.after:
            blocks.append(t.notes(section.after))
    document = {
        "title": doc.title,
        "lang": doc.lang,
        "author": "Partnerbot",
        "subject": doc.partnership,
        "footer": doc.footer,
        "page": page_words(doc.lang),
        "demo": text(doc.lang, "demo") if doc.demo else None,
        "blocks": blocks,
    }
    return compile_pdf(document)


def to_docx(doc: Document) -> bytes:
    from docx import Document as Word
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Inches, Pt, RGBColor

    word = Word()
    word.core_properties.title = doc.title
    word.core_properties.author = "Partnerbot"
    word.core_properties.subject = doc.partnership
    word.core_properties.language = "da-DK" if doc.lang == "da" else "en-GB"
    normal = word.styles["Normal"]
    normal.font.size = Pt(10.5)
    # The proofing language, so Word checks Danish as Danish.
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK" if doc.lang == "da" else "en-GB")
    normal.element.get_or_add_rPr().append(lang)
    if doc.demo:
        warning = word.add_paragraph().add_run("DEMODATA" if doc.lang == "da" else "DEMO DATA")
        warning.bold = True
        warning.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    word.add_heading(doc.title, level=1)
    for label, value in doc.facts:
        line = word.add_paragraph()
        line.add_run(f"{label}: " if value else label).bold = bool(value)
        line.add_run(value)
    for section in doc.sections:
        word.add_heading(section.heading, level=section.level)
        for text in section.paragraphs:
            word.add_paragraph(text)
        if section.headers:
            _docx_table(word, section, WD_TABLE_ALIGNMENT.LEFT)
        for text in section.after:
            note = word.add_paragraph().add_run(text)
            note.font.size = Pt(9)
        for png, title, alt in section.figures:
            word.add_picture(io.BytesIO(png), width=Inches(6.3))
            # alt text on the picture itself, as Word's "Alternativ tekst" keeps it
            properties = word.inline_shapes[-1]._inline.docPr
            properties.set("title", title)
            properties.set("descr", alt)
    if doc.footer:
        word.sections[0].footer.paragraphs[0].text = doc.footer
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _at(tones: tuple[tuple[str, ...], ...], i: int) -> tuple[str, ...]:
    return tones[i] if i < len(tones) else ()


def _docx_table(word: Any, section: Section, align: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from charts.style import TONE_FILLS

    headers = section.headers
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = align
    head = table.rows[0]
    # Repeat the header row on each page (w:tblHeader), as a table header for screen readers.
    head._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(head.cells, headers, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for i, values in enumerate(section.rows):
        cells = table.add_row().cells
        tones = _at(section.tones, i)
        for j, (cell, text) in enumerate(zip(cells, values, strict=True)):
            cell.paragraphs[0].add_run(text).bold = i in section.bold_rows  # a new cell: no run
            fill = TONE_FILLS.get(tones[j] if j < len(tones) else "")
            if fill:  # the traffic light as the cell's shading; the word stays in the cell
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:color"), "auto")
                shading.set(qn("w:fill"), fill.lstrip("#"))
                cell._tc.get_or_add_tcPr().append(shading)
