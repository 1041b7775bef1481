"""The annual report: a real PDF, opened and its pages' text checked."""

from __future__ import annotations

import io
import re
import time

import pandas as pd
import pytest
from chart_data import report_data, review

from charts.report import report_pdf
from charts.report_data import ReportData

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
