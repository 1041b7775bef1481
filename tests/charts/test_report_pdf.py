"""The annual report: a real PDF, opened and its pages' text checked."""

from __future__ import annotations

import io
import re
import time

import pandas as pd
import pytest
from chart_data import SPECIAL, full_report, report_data, review
from docx.oxml.ns import qn

from charts.report import report_pdf
from charts.report_data import ReportData
from charts.style import TONE_FILLS

pypdf = pytest.importorskip("pypdf")


def read_pdf(data: bytes) -> tuple[object, list[str]]:
    assert data.startswith(b"%PDF")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def test_report_pages_headings_and_words() -> None:
    began = time.perf_counter()
    data = report_pdf(report_data())
    print(f"annual report (20 activities, 8 meetings): {time.perf_counter() - began:.2f} s")
    review("report-da.pdf", data)
    reader, pages = read_pdf(data)
    # page one with the contents and the targets, the charts, activities, meetings + sources
    assert len(pages) == 4
    assert reader.metadata.title == "Status for Tingbjerg-Husum Partnerskab 2019"
    assert reader.metadata.author == "Partnerbot"
    text = " ".join(pages)
    for expected in (
        "Status for Tingbjerg-Husum Partnerskab 2019",
        "Årlig status 2019",
        "Udarbejdet 10.6.2020",
        "Overordnede mål",
        "Kriminalitet",
        "Tryghed",
        "Aktiviteter: indfrielse af succeskriterier",
        "Møder i 2019",
        "Kilder",
        "Mål",
        "Seneste år",
        "Værdi",
        "Baseline/sammenligning",
        "Vurdering",
        "Indsatsens navn",
        "Forvaltning",
        "Indfrielse af succeskriterier",
        "Forældrenetværk i Tingbjerg",
        "Sommeraktiviteter for børn og unge",
        "Beskæftigelses- og Integrationsforvaltningen",
        "opfyldt",
        "ikke opfyldt",
        "nærmer sig",
        "Godkendelse af Tryghedsplan 2020",
        "9 ja · 2 nej · 1 måske",
        "Tryghedsundersøgelsen 2015-2019",
    ):
        assert expected in text, expected
    for n, page in enumerate(pages, start=1):
        assert "DEMODATA" in page, n
        assert f"side {n} af 4" in page, n
    assert text.index("Positive fællesskaber") < text.index("Tryggere byliv")


def test_report_without_demo_has_no_stamp_and_speaks_english() -> None:
    data = report_pdf(report_data("en", demo=False))
    review("report-en.pdf", data)
    _, pages = read_pdf(data)
    text = " ".join(pages)
    assert "DEMO" not in text
    for expected in (
        "Annual status 2019",
        "Overall targets",
        "Activities: fulfilment of success criteria",
        "Meetings in 2019",
        "Sources",
        "page 1 of",
        "not met",
        "approaching",
    ):
        assert expected in text, expected


def test_long_activity_list_continues_without_losing_rows() -> None:
    data = report_data(activities=60)
    pdf = report_pdf(data)
    review("report-60-da.pdf", pdf)
    _, pages = read_pdf(pdf)
    text = " ".join(pages)
    activity_pages = [p for p in pages if "Indsatsens navn" in p]
    assert len(activity_pages) >= 3
    assert all("Forvaltning" in p for p in activity_pages)  # header repeated on every page
    for row in data.activities:
        assert row.name in text, row.name
    assert len({row.name for row in data.activities}) == 60


def test_report_with_no_figures_says_so() -> None:
    data = report_data()
    empty = ReportData(
        **{
            **data.__dict__,
            "crime_frame": pd.DataFrame(),
            "total_frame": pd.DataFrame(),
            "safety_frame": pd.DataFrame(),
            "crime_targets": [],
            "safety_targets": [],
            "activities": [],
            "meetings": [],
            "sources": [],
        }
    )
    _, pages = read_pdf(report_pdf(empty))
    text = " ".join(pages)
    assert "Ingen data til figuren" in text
    assert "Ingen møder registreret" in text
    assert "Ingen aktiviteter registreret" in text


def test_the_word_document_shows_what_the_pdf_shows() -> None:
    import docx

    from charts.report_docx import report_docx

    raw = report_docx(full_report())
    review("report-full-da.docx", raw)
    word = docx.Document(io.BytesIO(raw))
    text = "\n".join(p.text for p in word.paragraphs)
    cells = [c for t in word.tables for row in t.rows for c in row.cells]
    text += "\n".join(c.text for c in cells)
    for words in ("Økonomi 2019", "Rammen for aktiviteter", "Forbrug opgjort pr. 31.12.2019.",
                  "Primær forebyggelse", "Sekundær forebyggelse", f"{SPECIAL} †",
                  "uden finansiering fra partnerskabet", "Kommer senere",
                  "Politiets tal for 2020 kommer i 2021", "Kilde: Københavns Politi",
                  "Fra 2018 flyttede en ny paragraf"):  # fmt: skip
        assert words in text, words
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert "Positive fællesskaber" in headings and "Primær forebyggelse" in headings
    # the verdict cells shaded in their traffic light, the word still in the cell
    shaded = {
        c.text: c._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        for c in cells
        if c._tc.tcPr is not None and c._tc.tcPr.find(qn("w:shd")) is not None
    }
    assert shaded.get("opfyldt") == TONE_FILLS["green"].lstrip("#")
    assert shaded.get("nærmer sig") == TONE_FILLS["yellow"].lstrip("#")
    total = next(r for t in word.tables for r in t.rows if r.cells[0].text == "I alt")
    assert all(run.bold for run in total.cells[2].paragraphs[0].runs)
    alts = [s._inline.docPr.get("descr") for s in word.inline_shapes]
    assert alts and all(alts) and "2015 596" in alts[0]


def test_reports_rendered_at_once_in_two_threads_are_both_whole() -> None:
    """A server renders reports on a pool: Typst's compiler is per thread, SVG writing locked."""
    from concurrent.futures import ThreadPoolExecutor

    data = [report_data("da"), report_data("en", demo=False)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        danish, english = list(pool.map(report_pdf, data))
    assert "Overordnede mål" in " ".join(read_pdf(danish)[1])
    assert "Overall targets" in " ".join(read_pdf(english)[1])
