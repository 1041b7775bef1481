"""The annual report: a real PDF, opened and its pages' text checked."""

from __future__ import annotations

import datetime as dt
import io
import re
import time

import pandas as pd
import pytest
from chart_data import (
    ACTIVITIES,
    AREAS,
    CRIME,
    ORGANISATIONS,
    crime_frame,
    meta,
    review,
    safety_frame,
)

from charts.report import report_pdf
from charts.report_data import ActivityRow, MeetingRow, ReportData, TargetRow
from charts.style import fmt_number, fmt_percent

pypdf = pytest.importorskip("pypdf")


def report_data(lang: str = "da", demo: bool = True, activities: int = 20) -> ReportData:
    da = lang == "da"
    met, not_met, monitored = (
        ("opfyldt", "ikke opfyldt", "moniteres") if da else ("met", "not met", "monitored")
    )
    approaching = "nærmer sig" if da else "approaching"
    keys = {
        met: "met",
        not_met: "not-met",
        monitored: "monitored",
        "nærmer sig": "approaching",
        "approaching": "approaching",
    }
    crime_targets = [
        TargetRow(
            label,
            2019,
            fmt_number(values[4], lang),
            fmt_number(baseline, lang),
            verdict,
            keys[verdict],
        )
        for label, baseline, is_monitored, values in CRIME.values()
        for verdict in [monitored if is_monitored else met if values[4] <= baseline else not_met]
    ]
    crime_targets.insert(4, TargetRow("Samlet antal", 2019, "530", "596", met, "met"))
    safety_targets = [
        TargetRow(
            "Andel utrygge borgere",
            2019,
            fmt_percent(30.5, lang),
            fmt_percent(21.5, lang),
            approaching,
            "approaching",
        ),
        TargetRow(
            "Andel utrygge aften/nat",
            2019,
            fmt_percent(43.5, lang),
            fmt_percent(29, lang),
            approaching,
            "approaching",
        ),
    ]
    words = ["opfyldt", "delvist", "ikke opfyldt", "–"] if da else ["met", "partly", "not met", "–"]
    fulfilment_keys = ["met", "partly", "not-met", ""]
    rows = [
        ActivityRow(
            AREAS[area],
            f"{name} ({i + 1})" if i >= 20 else name,
            ORGANISATIONS[org],
            words[i % 4],
            fulfilment_key=fulfilment_keys[i % 4],
        )
        for i, (area, org, name) in enumerate((ACTIVITIES * 5)[:activities])
    ]
    rows.sort(key=lambda r: AREAS.index(r.area))
    kinds = ("Arbejdsgruppe", "Styregruppe") if da else ("Working group", "Steering group")
    meetings = [
        MeetingRow(f"{d}.{m}.2019", kinds[k], title, "9 ja · 2 nej · 1 måske")
        for d, m, k, title in [
            (14, 1, 0, "Opstart og årsplan"),
            (4, 3, 0, "Status på indsatser"),
            (29, 4, 0, "Tryghedsundersøgelsen"),
            (12, 6, 1, "Årlig status til styregruppen"),
            (20, 8, 0, "Sommerens erfaringer"),
            (1, 10, 0, "Budget 2020"),
            (12, 11, 0, "Tryghedsplan 2020"),
            (10, 12, 1, "Godkendelse af Tryghedsplan 2020"),
        ]
    ]
    return ReportData(
        meta=meta(lang, demo),
        year=2019,
        title="Status for Tingbjerg-Husum Partnerskab 2019"
        if da
        else "Status of Tingbjerg-Husum Partnerskab 2019",
        generated=dt.date(2020, 6, 10),
        crime_targets=crime_targets,
        safety_targets=safety_targets,
        crime_frame=upto(crime_frame()),
        total_frame=upto(crime_frame(total=True)),
        safety_frame=upto(safety_frame()),
        activities=rows,
        meetings=meetings,
        sources=[
            "Københavns Politi: anmeldelser pr. kategori 2015-2019 (udtræk maj 2020).",
            "Københavns Kommune: Tryghedsundersøgelsen 2015-2019.",
        ],
        baseline_year=2015,
    )


def upto(frame: pd.DataFrame, year: int = 2019) -> pd.DataFrame:
    """The figures a report for `year` can show."""
    return frame[frame["year"] <= year]


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
