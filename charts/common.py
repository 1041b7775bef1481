"""What the four status charts share: the columns of their frames, their words in both
languages, and small helpers (reading a frame, year ticks, rendering to PNG).

The underscored names are internal to the `charts` package; `charts.status` is the public face.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pandas as pd
from matplotlib.figure import FigureBase
from matplotlib.ticker import FixedLocator

from charts.layout import new_figure, text_width_in, to_png
from charts.style import HEIGHT_PX, TICK_PT, WIDTH_PX, ChartMeta

CRIME_COLUMNS = ("key", "label", "year", "value", "baseline", "rule", "verdict", "note")
SAFETY_COLUMNS = ("pair", "area_label", "city_label", "year", "area", "city", "gap", "verdict")
STATUS_COLUMNS = ("code", "name", "area", "org", "status")
FULFILMENT_COLUMNS = ("year", "fulfilment", "count")

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "crime_title": "Politianmeldelser pr. kategori mod {level}",
        "total_title": "Politianmeldelser i alt mod {level}",
        "level_year": "{year}-niveau",
        "level": "baseline",
        "level_value": "{level}: {value}",
        "monitored_tag": "moniteres",
        "legend_met": "Opfyldt (højst baseline)",
        "legend_not_met": "Ikke opfyldt (over baseline)",
        "legend_monitored": "Moniteres (intet mål)",
        "legend_break": "Seriebrud",
        "break": "Seriebrud{mark}",
        "reports": "Anmeldelser",
        "missing_year": "ingen data",
        "safety_title": "Andel utrygge borgere: området mod byen",
        "day": "Hele døgnet",
        "night": "Aften og nat",
        "verdict": "Vurdering: {verdict}",
        "first_gap": "forskel i {year}: {gap}",
        "gap": "Forskel {gap}",
        "gap_legend": "Forskel",
        "activities_title": "Aktiviteter: seneste status og indfrielse af succeskriterier",
        "status_panel": "Seneste status pr. aktivitet",
        "fulfilment_panel": "Indfrielse pr. år",
        "activities_count": "Antal aktiviteter",
        "no_status": "Ingen aktiviteter registreret",
        "no_fulfilment": "Ingen vurderinger endnu",
    },
    "en": {
        "crime_title": "Police reports per category against the {level}",
        "total_title": "Total police reports against the {level}",
        "level_year": "{year} level",
        "level": "baseline",
        "level_value": "{level}: {value}",
        "monitored_tag": "monitored",
        "legend_met": "Met (at most baseline)",
        "legend_not_met": "Not met (above baseline)",
        "legend_monitored": "Monitored (no target)",
        "legend_break": "Series break",
        "break": "Series break{mark}",
        "reports": "Reports",
        "missing_year": "no data",
        "safety_title": "Share of residents who feel unsafe: area against the city",
        "day": "All day",
        "night": "Evening and night",
        "verdict": "Verdict: {verdict}",
        "first_gap": "gap in {year}: {gap}",
        "gap": "Gap {gap}",
        "gap_legend": "Gap",
        "activities_title": "Activities: latest status and fulfilment of success criteria",
        "status_panel": "Latest status per activity",
        "fulfilment_panel": "Fulfilment per year",
        "activities_count": "Number of activities",
        "no_status": "No activities registered",
        "no_fulfilment": "No assessments yet",
    },
}


def _phrase(words: dict[str, dict[str, str]], meta: ChartMeta, key: str, **values: Any) -> str:
    """The phrase `key` in the chart's language, its {placeholders} filled in."""
    phrase = words[meta.lang][key]
    return phrase.format(**values) if values else phrase


_w = partial(_phrase, WORDS)  # the charts' phrases; `charts.report_words` has the report's


def _level(meta: ChartMeta, baseline_year: int | None) -> str:
    return _w(meta, "level_year", year=baseline_year) if baseline_year else _w(meta, "level")


def _cap(phrase: str) -> str:
    """Capitalise the first letter only ("2015-niveau", "The 2015 level")."""
    return phrase[:1].upper() + phrase[1:]


def _verdict_key(value: object) -> str:
    """Accept "not met" and "not-met" alike; the frames use the hyphenated keys."""
    return str(value).strip().lower().replace(" ", "-")


def _require(frame: pd.DataFrame | None, columns: Sequence[str], numeric: str) -> pd.DataFrame:
    """The frame with the columns the chart needs, rows without a value dropped; else no data.

    A row whose value is NaN is a missing year, which is the same as an absent row.
    """
    if frame is None or frame.empty:
        raise ValueError("no data")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns: {', '.join(missing)}")
    rows = frame.dropna(subset=[numeric]) if numeric else frame
    if rows.empty:
        raise ValueError("no data")
    rows = rows.copy()
    if "year" in rows.columns:
        rows["year"] = rows["year"].astype(int)
    return rows


def _year_ticks(ax: Any, first: int, last: int, axes_width_in: float) -> None:
    """Year labels: every year if they fit, else every n-th, always including the latest year.

    Twenty years of history must not turn the axis into overlapping digits.
    """
    years = list(range(first, last + 1))
    label_in = text_width_in("2020", TICK_PT) + 0.06
    per_year = axes_width_in / max(len(years) + 0.2, 1)
    step = max(1, math.ceil(label_in / per_year))
    labelled = [y for y in years if (last - y) % step == 0]
    ax.xaxis.set_major_locator(FixedLocator(labelled))
    ax.set_xticklabels([str(y) for y in labelled])


def _png(
    draw: Callable[[FigureBase], None], width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX
) -> bytes:
    fig = new_figure(width_px, height_px)
    draw(fig)
    return to_png(fig)  # the figure has no pyplot manager: dropping it frees it
