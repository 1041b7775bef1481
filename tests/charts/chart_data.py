"""The data the chart and report tests draw: frames, metadata and helpers to look at files.

The frames are built by hand in the shape the status command builds them, with Tingbjerg-Husum's
baselines (145/323/86/42, total 596) for 2015-2020, one missing year (Vold/Trusler/Våben 2018,
hence no total for 2018) and one missing survey year (evening/night 2017).

Set PARTNERBOT_CHARTS_REVIEW=/some/dir to also write every rendered file there for a look.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import image as mpimg

from charts.status import activities_chart, crime_chart, safety_chart, total_chart
from charts.style import ChartMeta

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
