"""The data the chart and report tests draw: frames, metadata and helpers to look at files.

The frames are built by hand in the shape the status command builds them, with Tingbjerg-Husum's
baselines (145/323/86/42, total 596) for 2015-2020, one missing year (Vold/Trusler/Våben 2018,
hence no total for 2018) and one missing survey year (evening/night 2017).

Set PARTNERBOT_CHARTS_REVIEW=/some/dir to also write every rendered file there for a look.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import image as mpimg

from charts.report_data import (
    ActivityRow,
    EconomyTable,
    MeetingRow,
    ReportData,
    TargetRow,
    YearTable,
)
from charts.status import activities_chart, crime_chart, safety_chart, total_chart
from charts.style import ChartMeta, fmt_number, fmt_percent

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


# what a partner may type: every character that means something in Typst markup
SPECIAL = r"Natteravne #1 *stjerne* $5 _x_ <b> @alle \ slut [x] {y} // ~"


def full_report(lang: str = "da", demo: bool = True) -> ReportData:
    """The report with every section filled: year tables, economy, attendance, prevention
    levels, unfunded activities, notes, sources and pending lines, and user text everywhere."""
    data = report_data(lang, demo)
    levels = ["Primær forebyggelse", "Sekundær forebyggelse", ""]
    activities = [
        dataclasses.replace(
            a,
            prevention=levels[i % 3],
            funded=i % 5 != 0,
            note=SPECIAL if i == 1 else "",
            name=SPECIAL if i == 0 else a.name,  # and unfunded
        )
        for i, a in enumerate(data.activities)
    ]
    years = YearTable(
        "Anmeldelser år for år",
        ("År", "Indbrud", "Tyveri/Røveri", "Samlet antal"),
        (
            ("2015", "145", "323", "596"),
            ("2019", "139", "270", "530"),
            ("Ændring siden 2015", "-6", "-53", "-66"),
            ("Vurdering", "opfyldt", "opfyldt", "opfyldt"),
        ),
        ("", "met", "met", "met"),
        ("Fra 2018 flyttede en ny paragraf anmeldelser fra tyveri til indbrud.",),
        ("Københavns Politi",),
    )
    economy = EconomyTable(
        "Økonomi 2019",
        "Rammen for aktiviteter er 1,8 mio. kr.",
        ("Indsats", "Forvaltning", "Bevilget", "Forbrugt"),
        (
            ("Positive fællesskaber", "", "600.000", "550.000"),
            (SPECIAL, "Kultur- og Fritidsforvaltningen", "300.000", "290.000"),
            ("I alt", "", "1.800.000", "1.700.000"),
        ),
        (0,),
        2,
        ("Forbrug opgjort pr. 31.12.2019.",),
    )
    return dataclasses.replace(
        data,
        activities=activities,
        attendance=[("Socialforvaltningen", 5, 8), ("Københavns Politi", 8, 8)],
        follow_up=f"3 oprettet i 2019: {SPECIAL}",
        pending=("Politiets tal for 2020 kommer i 2021",),
        case=(("Sagsnr.", SPECIAL),),
        summary=["7 af 7 mål for anmeldelser er opfyldt i 2019.", "15 af 20 vurderet."],
        years=[years],
        economy=economy,
        chart_sources={"crime": ("Københavns Politi",), "total": ("Københavns Politi",)},
        chart_notes={"crime": ("Fra 2018 ny paragraf om indbrud.",)},
    )
