"""The annual report as an accessible PDF (PDF/UA-1, issue 12): opened with pikepdf and pypdf
and its structure checked as a screen reader would meet it.

No full PDF/UA validator runs offline here (veraPDF is Java). What is checked instead, on the
real file: the tagged-PDF markers (/MarkInfo, a structure tree), the document language and
title (in the catalog, the info dictionary and XMP, shown as the window title), the PDF/UA
identification in XMP, one /Figure with /Alt per chart drawn, tables with TH header cells, every
font embedded, the text a reader extracts (Danish letters, the verdict words, user text with
Typst's special characters, literally), the traffic-light fill of a verdict cell; and the
`pdfua` package's machine-checkable subset of PDF/UA-1 where it is installed.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
from collections.abc import Iterator

import numpy as np
import pytest
from chart_data import SPECIAL, full_report, report_data, review
from matplotlib import image as mpimg

from charts.document import Document, Section, to_pdf
from charts.report import report_document, report_pdf
from charts.report_data import ReportData, TargetRow
from charts.report_pdf import compile_pdf
from charts.style import TONE_FILLS

pikepdf = pytest.importorskip("pikepdf")
pypdf = pytest.importorskip("pypdf")


def structure(pdf: object) -> Iterator[object]:
    """Every structure element of the tagged PDF, depth first."""
    stack = [pdf.Root.StructTreeRoot.K]  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if "/K" in node:
                stack.append(node.K)


def kids(element: object) -> list[object]:
    k = element.get("/K")  # type: ignore[attr-defined]
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [i for i in items if isinstance(i, pikepdf.Dictionary) and "/S" in i]


def text_of(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="module")
def danish() -> tuple[ReportData, bytes]:
    data = full_report()
    pdf = report_pdf(data)
    review("report-full-da.pdf", pdf)
    return data, pdf


def test_tagged_with_language_title_and_pdfua_identification(danish) -> None:
    data, raw = danish
    pdf = pikepdf.open(io.BytesIO(raw))
    root = pdf.Root
    assert root.MarkInfo.Marked is True
    assert "/StructTreeRoot" in root and len(list(structure(pdf))) > 100
    assert str(root.Lang) == "da"
    assert root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == data.title
    with pdf.open_metadata() as xmp:
        assert xmp["dc:title"] == data.title
        assert str(xmp.get("pdfuaid:part")) == "1"
    roles = {str(e.S) for e in structure(pdf)}
    assert {"/H1", "/H2", "/H3", "/Table", "/TH", "/TD", "/Figure", "/L"} <= roles


def test_english_report_says_it_is_english() -> None:
    raw = report_pdf(full_report("en", demo=False))
    pdf = pikepdf.open(io.BytesIO(raw))
    assert str(pdf.Root.Lang) == "en"
    text = text_of(raw)
    assert "DEMO" not in text and "page 1 of" in text
    assert "Overall targets" in text and "without funding from the partnership" in text


def test_every_chart_is_a_figure_with_alt_text_from_its_data(danish) -> None:
    data, raw = danish
    _, images = report_document(data)
    assert set(images) == {"total", "crime", "safety", "attendance"}
    pdf = pikepdf.open(io.BytesIO(raw))
    figures = [e for e in structure(pdf) if e.S == "/Figure"]
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert len(figures) == len(images) and all(alts), alts
    total, crime, safety, attendance = alts
    assert "politianmeldelser i alt 2015–2019" in total and "2015 596" in total
    assert "2019 530" in total and "opfyldt" in total
    assert "Indbrud 2015 145, 2019 139" in crime and "moniteres" in crime
    assert "Hele døgnet" in safety and "30,5 %" in safety
    assert "Socialforvaltningen 5 af 8 møder" in attendance


def test_tables_have_header_cells(danish) -> None:
    _, raw = danish
    pdf = pikepdf.open(io.BytesIO(raw))
    tables = [e for e in structure(pdf) if e.S == "/Table"]
    # targets ×2, a year table, activities (3 areas × 3 levels), economy, meetings, attendance
    assert len(tables) == 2 + 1 + 9 + 1 + 1 + 1
    for table in tables:
        head = [k for k in kids(table) if k.S == "/THead"]
        assert head, "a table without a header row"
        cells = [c for row in kids(head[0]) for c in kids(row)]
        assert cells and all(c.S == "/TH" for c in cells)


def test_all_fonts_embedded(danish) -> None:
    _, raw = danish
    pdf = pikepdf.open(io.BytesIO(raw))
    seen = 0
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            seen += 1
            assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(obj.keys()), obj.FontName
    assert seen >= 2  # DejaVu Sans and its bold, body and charts alike
    fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/BaseFont")]
    assert all("DejaVuSans" in str(f.BaseFont) for f in fonts)


def test_text_is_extracted_with_danish_letters_and_literal_user_text(danish) -> None:
    _, raw = danish
    text = text_of(raw)
    for words in ("Overordnede mål", "Tryghedsundersøgelsen", "Økonomi 2019", "Fremmøde",
                  "Børne- og Ungdomsforvaltningen", "Primær forebyggelse", "Rammen for",
                  "uden finansiering fra partnerskabet", "Kommer senere", "Kilde: Københavns",
                  "Fra 2018 ny paragraf om indbrud.", "Ændring siden 2015"):  # fmt: skip
        assert words in text, words
    # the name, the note, the case field, the economy row, the follow-up: all literally
    assert text.count(SPECIAL) >= 5, text
    assert f"{SPECIAL} †" in text or f"{SPECIAL}†" in text  # unfunded activity marked
    assert f"Sagsnr.: {SPECIAL}" in text


def test_verdict_words_are_in_the_pdf(danish) -> None:
    _, raw = danish
    text = text_of(raw)
    for word in ("opfyldt", "ikke opfyldt", "nærmer sig", "moniteres", "delvist"):
        assert word in text, word


def _fill_boxes(png: np.ndarray, colour: str) -> tuple[int, int, int, int] | None:
    """The bounding box (x0, y0, x1, y1) of the pixels painted exactly `colour`."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)]) / 255
    mask = np.all(np.abs(png[:, :, :3] - rgb) < 1.5 / 255, axis=2)
    if not mask.any():
        return None
    ys, xs = np.nonzero(mask)
    return int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max())


def test_a_met_row_has_a_green_verdict_cell_and_a_not_met_row_a_red_one() -> None:
    data = dataclasses.replace(
        report_data(demo=False),
        crime_targets=[TargetRow("Indbrud", 2019, "139", "145", "opfyldt", "met")],
        safety_targets=[TargetRow("Utrygge", 2019, "30 %", "21 %", "ikke opfyldt", "not-met")],
        summary=[],
    )
    document, images = report_document(data)
    page = mpimg.imread(io.BytesIO(compile_pdf(document, images, fmt="png")), format="png")
    width = page.shape[1]
    green = _fill_boxes(page, TONE_FILLS["green"])
    red = _fill_boxes(page, TONE_FILLS["red"])
    assert green is not None, "the met verdict cell is not green"
    assert _fill_boxes(page, TONE_FILLS["yellow"]) is None
    # one cell: in the verdict column (the last, at the right), one row high
    x0, y0, x1, y1 = green
    assert x0 > width * 0.6 and x1 < width * 0.95 and 8 < y1 - y0 < 30
    if red is not None:  # the safety table may fall on page two; if here, below the crime one
        assert red[1] > y1


def test_the_minutes_are_tagged_too() -> None:
    doc = Document(
        title="Referat af arbejdsgruppemøde 9.3.2027",
        lang="da",
        partnership="Tingbjerg-Husum Partnerskab",
        facts=(("Dato", "9.3.2027"), ("Sted", SPECIAL)),
        sections=(
            Section("Beslutninger", (f"Vedtaget: {SPECIAL}",)),
            Section("Opfølgning", (), ("Punkt", "Ansvarlig", "Frist"), (("Lys", "tmf", "1.5"),)),
        ),
        footer="Tingbjerg-Husum Partnerskab · Referat",
        demo=True,
    )
    raw = to_pdf(doc)
    review("minutes-da.pdf", raw)
    pdf = pikepdf.open(io.BytesIO(raw))
    assert str(pdf.Root.Lang) == "da" and str(pdf.docinfo.Title) == doc.title
    roles = [str(e.S) for e in structure(pdf)]
    assert "/H1" in roles and "/TH" in roles
    text = text_of(raw)
    assert f"Sted: {SPECIAL}" in text and "side 1 af 1" in text and "DEMODATA" in text


def test_pdfua_checker_finds_nothing(danish) -> None:
    """The `pdfua` package (pikepdf, no JVM): the machine-checkable subset of PDF/UA-1."""
    checker = pytest.importorskip("pdfua")
    _, raw = danish
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(raw)
        file.flush()
        report = checker.validate(file.name)
    assert report.exit_code == 0, [(f.rule_id, f.message) for f in report.findings]


def test_a_word_too_long_for_its_cell_wraps_inside_the_page() -> None:
    link = "https://www.kk.dk/sites/default/files/" + "abcdefghij" * 12
    data = dataclasses.replace(
        report_data(demo=False),
        activities=[
            dataclasses.replace(a, name=link if i == 0 else a.name, note="x" * 90 if i == 1 else "")
            for i, a in enumerate(report_data(demo=False).activities)
        ],
        summary=["y" * 200],
    )
    document, images = report_document(data)
    for n, page in enumerate(compile_pdf(document, images, fmt="png", pages=True)):
        png = mpimg.imread(io.BytesIO(page), format="png")
        margin = png[:, -int(png.shape[1] * 0.06) :, :3]  # the right margin, 0.5 in of 8.27
        assert margin.min() > 0.99, f"something runs into the right margin of page {n + 1}"
    # all of it there, in order (a reader's copy has line breaks where the word wrapped)
    text = re.sub(r"[\s\u200b]", "", text_of(report_pdf(data)))
    assert link in text and "x" * 90 in text
