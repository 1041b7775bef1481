"""Charts and the annual report: real PNG and PDF files, opened and checked.

The frames are built by hand in the shape the status command builds them, with Tingbjerg-Husum's
baselines (145/323/86/42, total 596) for 2015-2020, one missing year (Vold/Trusler/Våben 2018,
hence no total for 2018) and one missing survey year (evening/night 2017).

Set PARTNERBOT_CHARTS_REVIEW=/some/dir to also write every rendered file there for a look.
"""

from __future__ import annotations

import ast
import datetime as dt
import io
import math
import os
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import REPO
from matplotlib import image as mpimg

from charts.layout import bare_png, wrap
from charts.report import ActivityRow, MeetingRow, ReportData, TargetRow, report_pdf
from charts.status import activities_chart, crime_chart, crime_size_px, safety_chart, total_chart
from charts.style import DEMO_RED, ChartMeta, fmt_date, fmt_number, fmt_percent, fmt_points

pypdf = pytest.importorskip("pypdf")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
YEARS = range(2015, 2021)
NOTE = (
    "Fra 2018 flyttede en ny paragraf om indbrud nogle anmeldelser fra tyveri til indbrud; "
    "tallene før og efter 2018 er ikke fuldt sammenlignelige."
)
CRIME = {  # key: (label, baseline, monitored, values 2015-2020; None = missing year)
    "crime.indbrud": ("Indbrud", 145, False, [145, 150, 131, 168, 139, 122]),
    "crime.tyveri-roeveri": ("Tyveri/Røveri", 323, False, [323, 301, 338, 262, 270, 249]),
    "crime.vold-trusler-vaaben": ("Vold/Trusler/Våben", 86, False, [86, 91, 85, None, 88, 74]),
    "crime.haervaerk": ("Hærværk", 42, False, [42, 39, 47, 36, 33, 30]),
    "crime.narkotika": ("Narkotika", 37, True, [37, 45, 51, 40, 44, 39]),
    "crime.chikane": ("Chikane", 38, True, [38, 30, 29, 35, 41, 33]),
}
AREAS = ("Positive fællesskaber", "Tryggere byliv", "Uddannelse og beskæftigelse")
ACTIVITIES = [  # (area index, organisation slug, name)
    (0, "kff", "Lektiecafé på biblioteket"),
    (0, "buf", "Fritidsklub med åbent om aftenen"),
    (0, "sof", "Forældrenetværk i Tingbjerg"),
    (0, "kff", "Idrætsforeninger for piger"),
    (0, "fsb", "Boligsociale mentorer for familier"),
    (0, "aab", "Sommeraktiviteter for børn og unge"),
    (0, "sab-kab", "Kulturhuset som mødested"),
    (1, "sof", "Natteravne i Tingbjerg"),
    (1, "okf", "Tryghedsvandring med beboere"),
    (1, "tmf", "Belysning på stierne ved Utterslev Mose"),
    (1, "sof", "Gadeplansarbejde aften og weekend"),
    (1, "politi", "Nærpoliti i Tingbjerg og Husum"),
    (1, "fsb", "Hurtig fjernelse af graffiti og hærværk"),
    (1, "ssp", "SSP-indsats ved Tingbjerg Skole"),
    (2, "bif", "Jobcafé for unge"),
    (2, "bif", "Fritidsjob til unge 13-17 år"),
    (2, "buf", "Uddannelsesvejledning i klubben"),
    (2, "bif", "Brobygning til erhvervsuddannelse"),
    (2, "suf", "Sundhed og motion for ledige"),
    (2, "sab-kab", "Praktikpladser i boligorganisationerne"),
]
ORGANISATIONS = {
    "okf": "Økonomiforvaltningen",
    "sof": "Socialforvaltningen",
    "buf": "Børne- og Ungdomsforvaltningen",
    "tmf": "Teknik- og Miljøforvaltningen",
    "bif": "Beskæftigelses- og Integrationsforvaltningen",
    "suf": "Sundheds- og Omsorgsforvaltningen",
    "kff": "Kultur- og Fritidsforvaltningen",
    "politi": "Københavns Politi",
    "ssp": "SSP København",
    "fsb": "fsb",
    "sab-kab": "SAB/KAB",
    "aab": "AAB",
}
STATUSES = ["on-track", "on-track", "at-risk", "delayed", "done", "on-track", "none"] * 3


def meta(lang: str = "da", demo: bool = True) -> ChartMeta:
    return ChartMeta(
        lang=lang,
        partnership="Tingbjerg-Husum Partnerskab",
        source="Københavns Politi; Københavns Kommunes Tryghedsundersøgelse",
        as_of=dt.date(2020, 6, 5),
        demo=demo,
    )


def crime_frame(total: bool = False) -> pd.DataFrame:
    rows = []
    for key, (label, baseline, monitored, values) in CRIME.items():
        for year, value in zip(YEARS, values, strict=True):
            if value is None:
                continue  # a missing year is absent, never zero
            rows.append(
                {
                    "key": key,
                    "label": label,
                    "year": year,
                    "value": float(value),
                    "baseline": float(baseline),
                    "rule": "monitored" if monitored else "at-most-baseline",
                    "verdict": "monitored"
                    if monitored
                    else ("met" if value <= baseline else "not-met"),
                    "note": NOTE if key in ("crime.indbrud", "crime.tyveri-roeveri") else "",
                }
            )
    frame = pd.DataFrame(rows)
    if not total:
        return frame
    targets = frame[frame["rule"] == "at-most-baseline"]
    sums = targets.groupby("year")["value"].agg(["sum", "count"])
    sums = sums[sums["count"] == 4]["sum"]  # only years with all four categories
    return pd.DataFrame(
        {
            "key": "crime.total",
            "label": "Samlet antal",
            "year": list(sums.index),
            "value": list(sums.values),
            "baseline": 596.0,
            "rule": "at-most-baseline",
            "verdict": ["met" if v <= 596 else "not-met" for v in sums.values],
            "note": "",
        }
    )


def safety_frame() -> pd.DataFrame:
    series = {
        "day": (
            "Tingbjerg-Husum",
            "Københavnerniveau",
            [37.0, 35.5, 34.0, 32.0, 30.5, 28.0],
            [23.0, 22.5, 22.0, 22.0, 21.5, 21.0],
        ),
        "night": (
            "Tingbjerg-Husum aften/nat",
            "Københavnerniveau aften/nat",
            [48.0, 47.0, math.nan, 44.0, 43.5, 41.0],
            [30.0, 30.5, math.nan, 29.0, 29.0, 28.5],
        ),
    }
    rows = []
    for pair, (area_label, city_label, area, city) in series.items():
        first_gap = None
        for year, a, c in zip(YEARS, area, city, strict=True):
            gap = a - c
            if first_gap is None and not math.isnan(gap):
                first_gap = gap
            if math.isnan(gap):
                verdict = "no-data"
            elif gap <= 0:
                verdict = "at-level"
            else:
                verdict = "approaching" if gap < first_gap else "not-approaching"
            rows.append(
                {
                    "pair": pair,
                    "area_label": area_label,
                    "city_label": city_label,
                    "year": year,
                    "area": a,
                    "city": c,
                    "gap": gap,
                    "verdict": verdict,
                }
            )
    return pd.DataFrame(rows)


def status_frame() -> pd.DataFrame:
    counters = [0, 0, 0]
    rows = []
    for (area, org, name), status in zip(ACTIVITIES, STATUSES, strict=False):
        counters[area] += 1
        code = f"{('PF', 'TB', 'UB')[area]}{counters[area]}"
        rows.append({"code": code, "name": name, "area": AREAS[area], "org": org, "status": status})
    return pd.DataFrame(rows)


def fulfilment_frame() -> pd.DataFrame:
    counts = {2017: (9, 5, 3), 2018: (11, 6, 2), 2019: (12, 5, 3)}
    return pd.DataFrame(
        [
            {"year": year, "fulfilment": kind, "count": n}
            for year, row in counts.items()
            for kind, n in zip(("met", "partly", "not-met"), row, strict=True)
        ]
    )


CHARTS = {
    "crime": lambda m: crime_chart(crime_frame(), m, baseline_year=2015),
    "total": lambda m: total_chart(crime_frame(total=True), m, baseline_year=2015),
    "safety": lambda m: safety_chart(safety_frame(), m),
    "activities": lambda m: activities_chart(status_frame(), fulfilment_frame(), m),
}


def review(name: str, data: bytes) -> None:
    """Write a rendered file for a human look when PARTNERBOT_CHARTS_REVIEW is set."""
    folder = os.environ.get("PARTNERBOT_CHARTS_REVIEW")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / name).write_bytes(data)


def pixels(png: bytes) -> np.ndarray:
    assert png.startswith(PNG_SIGNATURE)
    return mpimg.imread(io.BytesIO(png), format="png")


# --- number formats ----------------------------------------------------------------------------


def test_numbers_in_danish_and_english() -> None:
    assert fmt_number(1234.5, "da", 1) == "1.234,5"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_number(596, "da") == "596"
    assert fmt_number(1234567, "da") == "1.234.567"
    assert fmt_number(-15.94, "da", 1) == "-15,9"
    assert fmt_number(-0.04, "en", 1) == "0.0"  # no "-0.0"
    assert fmt_number(math.nan, "da") == "–"
    assert fmt_percent(18.5, "da") == "18,5 %"
    assert fmt_percent(18.5, "en") == "18.5%"
    assert fmt_points(7, "da") == "7,0 procentpoint"
    assert fmt_points(7, "en") == "7.0 percentage points"
    assert fmt_date(dt.date(2020, 6, 5), "da") == "5.6.2020"
    assert fmt_date(dt.date(2020, 6, 5), "en") == "2020-06-05"


def test_wrap_breaks_at_words_then_slashes_and_hyphens() -> None:
    assert wrap("Beskæftigelses- og Integrationsforvaltningen", 2.0, 9.5) == [
        "Beskæftigelses- og",
        "Integrationsforvaltningen",
    ]
    assert wrap("Baseline/sammenligning", 1.3, 9.5, bold=True) == ["Baseline/", "sammenligning"]


def test_meta_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        meta("de")


# --- the status charts -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_is_a_png_of_the_slack_size(name: str, lang: str) -> None:
    png = CHARTS[name](meta(lang))
    review(f"{name}-{lang}.png", png)
    image = pixels(png)
    assert image.shape[:2] == (750, 1200)  # 8 x 5 in at 150 dpi
    assert image.std() > 0.05  # something was drawn


def test_bare_figure_has_the_same_size() -> None:
    assert pixels(bare_png(1200, 750)).shape[:2] == (750, 1200)


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_demo_data_is_stamped(name: str) -> None:
    demo = pixels(CHARTS[name](meta(demo=True)))
    real = pixels(CHARTS[name](meta(demo=False)))
    assert not np.array_equal(demo, real)
    red = np.array([int(DEMO_RED[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    assert np.allclose(demo[5, 100, :3], red, atol=0.02)  # the band across the top
    assert not np.allclose(real[5, 100, :3], red, atol=0.02)


def test_languages_differ() -> None:
    for name, draw in CHARTS.items():
        assert not np.array_equal(pixels(draw(meta("da"))), pixels(draw(meta("en")))), name


def test_empty_frames_raise_no_data() -> None:
    empty = pd.DataFrame()
    for draw in (crime_chart, total_chart, safety_chart):
        with pytest.raises(ValueError, match="no data"):
            draw(empty, meta())
    with pytest.raises(ValueError, match="no data"):
        activities_chart(empty, empty, meta())
    no_values = crime_frame().assign(value=math.nan)
    with pytest.raises(ValueError, match="no data"):
        crime_chart(no_values, meta())
    no_survey = safety_frame().assign(area=math.nan, city=math.nan)
    with pytest.raises(ValueError, match="no data"):
        safety_chart(no_survey, meta())


def test_one_sided_activities_still_render() -> None:
    only_status = activities_chart(status_frame(), pd.DataFrame(), meta())
    only_fulfilment = activities_chart(pd.DataFrame(), fulfilment_frame(), meta())
    assert pixels(only_status).shape[:2] == pixels(only_fulfilment).shape[:2] == (750, 1200)


def test_a_big_plan_falls_back_to_counts() -> None:
    big = pd.concat(
        [status_frame().assign(code=lambda d, i=i: d["code"] + f".{i}") for i in range(10)]
    )
    png = activities_chart(big, fulfilment_frame(), meta())
    review("activities-200-da.png", png)
    assert pixels(png).shape[:2] == (750, 1200)


def test_edge_frames_render() -> None:
    """One year, one category, a lone monitored category, one safety pair: no crash."""
    frame = crime_frame()
    one_year = frame[frame["year"] == 2019]
    one_category = frame[frame["key"] == "crime.indbrud"]
    monitored = frame[frame["key"] == "crime.narkotika"]
    for part in (one_year, one_category, monitored):
        assert pixels(crime_chart(part, meta())).shape[:2] == (750, 1200)
    total = crime_frame(total=True)
    assert pixels(total_chart(total[total["year"] == 2020], meta())).shape[:2] == (750, 1200)
    day = safety_frame()[lambda d: d["pair"] == "day"]
    assert pixels(safety_chart(day, meta("en"))).shape[:2] == (750, 1200)


def test_crime_chart_grows_with_more_panel_rows() -> None:
    assert crime_size_px(crime_frame()) == (1200, 750)
    many = pd.concat(
        [crime_frame().assign(key=lambda d, i=i: d["key"] + f".{i}") for i in range(3)]
    )
    width, height = crime_size_px(many)
    assert (width, height) == (1200, 750 + 300 * 3)  # 12 targets + 6 monitored: 5 rows of 4
    assert pixels(crime_chart(many, meta())).shape[:2] == (height, width)


def test_charts_import_nothing_from_commands_bot_or_storage() -> None:
    for path in REPO.joinpath("charts").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in {"commands", "bot", "storage"}, (path, name)


# --- the annual report -------------------------------------------------------------------------


def report_data(lang: str = "da", demo: bool = True, activities: int = 20) -> ReportData:
    da = lang == "da"
    met, not_met, monitored = (
        ("opfyldt", "ikke opfyldt", "moniteres") if da else ("met", "not met", "monitored")
    )
    approaching = "nærmer sig" if da else "approaching"
    crime_targets = [
        TargetRow(label, 2019, fmt_number(values[4], lang), fmt_number(baseline, lang), verdict)
        for label, baseline, is_monitored, values in CRIME.values()
        for verdict in [monitored if is_monitored else met if values[4] <= baseline else not_met]
    ]
    crime_targets.insert(4, TargetRow("Samlet antal", 2019, "530", "596", met))
    safety_targets = [
        TargetRow(
            "Andel utrygge borgere",
            2019,
            fmt_percent(30.5, lang),
            fmt_percent(21.5, lang),
            approaching,
        ),
        TargetRow(
            "Andel utrygge aften/nat",
            2019,
            fmt_percent(43.5, lang),
            fmt_percent(29, lang),
            approaching,
        ),
    ]
    words = ["opfyldt", "delvist", "ikke opfyldt", "–"] if da else ["met", "partly", "not met", "–"]
    rows = [
        ActivityRow(
            AREAS[area], f"{name} ({i + 1})" if i >= 20 else name, ORGANISATIONS[org], words[i % 4]
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
    # cover, targets, crime + safety charts, one page of activities, meetings + sources
    assert len(pages) == 5
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
        assert f"side {n} af 5" in page, n
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
    assert "(fortsat)" in text
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
