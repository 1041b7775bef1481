"""The status charts of `/wg status`: crime per category, total crime, safety, activities.

Each public `*_chart` function takes long-format frames (one row per indicator-year; a missing
year is simply absent and is never drawn as zero) plus a `ChartMeta`, and returns PNG bytes of
1200 x 750 px (the crime chart grows by 300 px per extra row of panels when a partnership has
more than two rows' worth of categories). An empty frame raises `ValueError("no data")`, so the
command can say which figures are missing instead of posting an empty chart.

The matching `draw_*` functions draw the same chart into any figure or sub-figure; the annual
report uses them to put vector charts (searchable text, sharp print) on its A4 pages. Layout is
computed in inches, not fractions, so tick labels keep their room at either size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.ticker import FixedLocator, MaxNLocator
from matplotlib.transforms import blended_transform_factory

from charts.style import (
    BLACK,
    BLUE,
    DARK,
    GREEN,
    GREY,
    HEIGHT_PX,
    INK,
    LABEL_PT,
    MUTED,
    ORANGE,
    PANEL_GREY,
    PANEL_PT,
    SKY,
    SMALL_PT,
    TICK_PT,
    VERMILLION,
    WIDTH_PX,
    ChartMeta,
    fmt_number,
    fmt_percent,
    fmt_points,
    footer,
    header,
    legend_layout,
    new_figure,
    no_data,
    number_formatter,
    percent_formatter,
    place_legend,
    rect,
    size_in,
    style_axes,
    text,
    text_width_in,
    to_png,
    wrap,
    year_from_note,
)

CRIME_COLUMNS = ("key", "label", "year", "value", "baseline", "rule", "verdict", "note")
SAFETY_COLUMNS = ("pair", "area_label", "city_label", "year", "area", "city", "gap", "verdict")
STATUS_COLUMNS = ("code", "name", "area", "org", "status")
FULFILMENT_COLUMNS = ("year", "fulfilment", "count")

STATUSES = ("on-track", "at-risk", "delayed", "done", "none")
STATUS_COLOUR = {
    "on-track": GREEN,
    "at-risk": ORANGE,
    "delayed": VERMILLION,
    "done": DARK,
    "none": "white",
}
# The second cue besides colour: a symbol in every tile and legend entry.
STATUS_SYMBOL = {"on-track": "→", "at-risk": "!", "delayed": "✕", "done": "✓", "none": "?"}
FULFILMENTS = ("met", "partly", "not-met")
FULFILMENT_STYLE = {  # colour, hatch, text colour
    "met": (GREEN, "", INK),
    "partly": (ORANGE, "..", INK),
    "not-met": (VERMILLION, "xx", INK),
}
SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"

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


def _w(meta: ChartMeta, key: str, **values: Any) -> str:
    phrase = WORDS[meta.lang][key]
    return phrase.format(**values) if values else phrase


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


def _png(width_px: int, height_px: int, draw: Callable[[FigureBase], None]) -> bytes:
    fig = new_figure(width_px, height_px)
    draw(fig)
    return to_png(fig)  # the figure has no pyplot manager: dropping it frees it


# --- 1. crime per category ---------------------------------------------------------------------


class _Category:
    """One panel's data: a crime category's years, baseline and series note."""

    def __init__(self, key: str, rows: pd.DataFrame) -> None:
        self.key = key
        self.label = str(rows["label"].iloc[0])
        self.monitored = str(rows["rule"].iloc[0]) == "monitored" or set(
            rows["verdict"].map(_verdict_key)
        ) <= {"monitored"}
        baselines = rows["baseline"].dropna()
        self.baseline = float(baselines.iloc[0]) if len(baselines) else math.nan
        notes = [str(n) for n in rows["note"].fillna("") if str(n).strip()]
        self.note = notes[0].strip() if notes else ""
        ordered = rows.sort_values("year")
        self.years = ordered["year"].to_numpy(dtype=int)
        self.values = ordered["value"].to_numpy(dtype=float)
        self.verdicts = [_verdict_key(v) for v in ordered["verdict"]]


def _crime_categories(frame: pd.DataFrame) -> list[_Category]:
    rows = _require(frame, CRIME_COLUMNS, "value")
    keys = list(dict.fromkeys(rows["key"]))  # the order the command chose
    return [_Category(k, rows[rows["key"] == k]) for k in keys]


def _crime_grid(categories: list[_Category]) -> tuple[int, int, int]:
    """Columns, rows of target panels, rows of monitored panels."""
    targets = sum(not c.monitored for c in categories)
    monitored = len(categories) - targets
    ncols = min(4, max(targets, monitored, 1))
    return ncols, math.ceil(targets / ncols), math.ceil(monitored / ncols)


def crime_size_px(frame: pd.DataFrame) -> tuple[int, int]:
    """Pixel size of `crime_chart` for this frame: 1200 x 750, taller beyond two panel rows."""
    _, rows_t, rows_m = _crime_grid(_crime_categories(frame))
    return WIDTH_PX, HEIGHT_PX + 300 * max(0, rows_t + rows_m - 2)


def crime_chart(frame: pd.DataFrame, meta: ChartMeta, *, baseline_year: int | None = None) -> bytes:
    """Small multiples, one panel per category against its baseline; PNG bytes.

    `baseline_year` (e.g. 2015) only words the title and baseline labels ("2015-niveau").
    """
    width, height = crime_size_px(frame)
    return _png(width, height, lambda fig: draw_crime(fig, frame, meta, baseline_year))


def draw_crime(
    fig: FigureBase,
    frame: pd.DataFrame,
    meta: ChartMeta,
    baseline_year: int | None = None,
    *,
    stamp: bool = True,
) -> None:
    """Draw the per-category crime chart into `fig` (a figure or a report page's sub-figure).

    Targets come first, monitored-only categories in their own row on grey panels, so nobody
    reads a trend in Narkotika as a missed target. A panel's years are joined only where they
    are consecutive: a missing year shows as a gap, never as zero.
    """
    categories = _crime_categories(frame)
    ncols, rows_t, rows_m = _crime_grid(categories)
    targets = [c for c in categories if not c.monitored]
    monitored = [c for c in categories if c.monitored]
    level = _level(meta, baseline_year)
    w, h = size_in(fig)
    top = header(fig, meta, _w(meta, "crime_title", level=level), stamp=stamp)
    bottom = footer(fig, meta, stamp=stamp)

    notes = list(dict.fromkeys(c.note for c in categories if c.note))
    marks = {note: SUPERSCRIPTS[i % len(SUPERSCRIPTS)] for i, note in enumerate(notes)}
    all_years = np.concatenate([c.years for c in categories])
    first, last = int(all_years.min()), int(all_years.max())

    handles = [
        Line2D([], [], ls="", marker="o", ms=7, color=GREEN, label=_w(meta, "legend_met")),
        Line2D([], [], ls="", marker="X", ms=8, color=VERMILLION, label=_w(meta, "legend_not_met")),
        Line2D([], [], ls="--", color=INK, lw=1.2, label=_cap(level)),
    ]
    if monitored:
        handles.insert(
            2,
            Line2D([], [], ls="", marker="D", ms=6, color=GREY, label=_w(meta, "legend_monitored")),
        )
    if notes:
        handles.append(Line2D([], [], ls=":", color=MUTED, lw=1.3, label=_w(meta, "legend_break")))
    captions = []
    for note in notes:
        labels = ", ".join(c.label for c in categories if c.note == note)
        captions.append(f"{marks[note]} {labels}: {note}")

    total_rows = rows_t + rows_m
    last_row_count = (len(monitored) or len(targets)) - ncols * ((rows_m or rows_t) - 1)
    slot_w = (w - 0.2) / ncols
    title_in, ticks_in, gap_in = 0.5, 0.3, 0.12 if rows_m and rows_t else 0.0
    line_in = SMALL_PT * 1.3 / 72
    legend_h = len(handles) * SMALL_PT / 72 * 1.75  # one column, as `place_legend` stacks it

    def captions_h(width: float) -> float:
        return sum(len(wrap(c, width, SMALL_PT)) * line_in + 0.05 for c in captions)

    def rows_h(band: float) -> float:
        """Axes height per panel row when `band` inches at the bottom hold legend/captions."""
        usable = h - top - bottom - band - gap_in
        return (usable - total_rows * (title_in + ticks_in)) / total_rows

    # Legend (and captions) in the empty cells of the last row when they fit there; captions
    # that do not fit go into a full-width band under the panels, and so does the legend when
    # the last row has no room for it at all.
    x_free = 0.1 + last_row_count * slot_w + 0.3
    free_w = w - x_free - 0.15
    legend_in_grid = ncols - last_row_count >= 2
    captions_in_grid = legend_in_grid
    band = 0.0
    cell_h = title_in + rows_h(0.0) + ticks_in - 0.05
    if legend_in_grid and legend_h + 0.1 + captions_h(free_w) > cell_h:
        captions_in_grid = False
        band = captions_h(w - 0.3) + 0.1
        if legend_h > title_in + rows_h(band) + ticks_in - 0.05:
            legend_in_grid = False
    if not legend_in_grid:
        labels = [str(hd.get_label()) for hd in handles]
        band = legend_layout(labels, w - 0.3, max_cols=3)[1] + captions_h(w - 0.3) + 0.15
    axes_h = rows_h(band)
    axes_w = slot_w - 0.5

    def slot(row: int, col: int) -> tuple[float, float]:
        """Bottom-left corner of a panel's axes, in inches."""
        extra = gap_in if row >= rows_t else 0.0
        y_top = h - top - row * (title_in + axes_h + ticks_in) - extra
        return 0.1 + col * slot_w + 0.42, y_top - title_in - axes_h

    placed = [(c, i // ncols, i % ncols) for i, c in enumerate(targets)]
    placed += [(c, rows_t + i // ncols, i % ncols) for i, c in enumerate(monitored)]
    for cat, row, col in placed:
        x0, y0 = slot(row, col)
        ax = fig.add_axes(rect(fig, x0, y0, axes_w, axes_h))
        _crime_panel(ax, cat, meta, first, last, (axes_w, axes_h), marks.get(cat.note, ""))
        _panel_title(fig, cat, meta, level, x0 - 0.38, y0 + axes_h + title_in, marks)

    band_top = bottom + band - 0.05
    if legend_in_grid:
        y_top = h - top - (total_rows - 1) * (title_in + axes_h + ticks_in) - gap_in - 0.05
        used = place_legend(fig, handles, x_free, y_top, free_w, max_cols=1)
        if captions_in_grid:
            _captions(fig, captions, x_free, y_top - used - 0.1, free_w)
        else:
            _captions(fig, captions, 0.15, band_top, w - 0.3)
    else:
        used = place_legend(fig, handles, 0.15, band_top, w - 0.3, max_cols=3)
        _captions(fig, captions, 0.15, band_top - used - 0.05, w - 0.3)


def _captions(fig: FigureBase, captions: list[str], x: float, y_top: float, width: float) -> None:
    """The series notes ("¹ Indbrud, Tyveri/Røveri: …"), wrapped, top-left given in inches."""
    w, h = size_in(fig)
    line_in = SMALL_PT * 1.3 / 72
    for caption in captions:
        for line in wrap(caption, width, SMALL_PT):
            fig.text(x / w, y_top / h, line, fontsize=SMALL_PT, color=MUTED, va="top")
            y_top -= line_in
        y_top -= 0.05


def _panel_title(
    fig: FigureBase,
    cat: _Category,
    meta: ChartMeta,
    level: str,
    x: float,
    y_top: float,
    marks: dict[str, str],
) -> None:
    """Category name (bold; a monitored one gets a grey "moniteres" tag) over its baseline."""
    w, h = size_in(fig)
    title = cat.label + marks.get(cat.note, "")
    fig.text(
        x / w,
        (y_top - 0.02) / h,
        title,
        fontsize=PANEL_PT,
        fontweight="bold",
        color=MUTED if cat.monitored else INK,
        va="top",
    )
    if cat.monitored:
        fig.text(
            (x + text_width_in(title + " ", PANEL_PT, bold=True)) / w,
            (y_top - 0.045) / h,
            f"({_w(meta, 'monitored_tag')})",
            fontsize=SMALL_PT,
            color=MUTED,
            va="top",
        )
    if not math.isnan(cat.baseline):
        value = fmt_number(cat.baseline, meta.lang)
        fig.text(
            x / w,
            (y_top - 0.24) / h,
            _w(meta, "level_value", level=_cap(level), value=value),
            fontsize=SMALL_PT,
            color=MUTED,
            va="top",
        )


def _crime_panel(
    ax: Any,
    cat: _Category,
    meta: ChartMeta,
    first: int,
    last: int,
    axes_size: tuple[float, float],
    mark: str,
) -> None:
    """One category: line through consecutive years, verdict markers, baseline, labels.

    Head-room above the data is reserved in inches (for the latest value and the series-break
    label), so the labels never hide a point however short the panel is.
    """
    axes_w, axes_h = axes_size
    break_year = year_from_note(cat.note)
    has_break = break_year is not None and first < break_year <= last
    style_axes(ax)
    if cat.monitored:
        ax.set_facecolor(PANEL_GREY)
    years, values = cat.years, cat.values
    # Join only consecutive years, so a missing year is a visible gap.
    start = 0
    for i in range(1, len(years) + 1):
        if i == len(years) or years[i] != years[i - 1] + 1:
            ax.plot(years[start:i], values[start:i], color="#8C8C8C", lw=1.4, zorder=2)
            start = i
    if not math.isnan(cat.baseline):
        ax.axhline(cat.baseline, color=GREY if cat.monitored else INK, ls="--", lw=1.2, zorder=1)
    for verdict, marker, colour, size in (
        ("met", "o", GREEN, 42),
        ("not-met", "X", VERMILLION, 64),
    ):
        chosen = [i for i, v in enumerate(cat.verdicts) if v == verdict and not cat.monitored]
        if chosen:
            ax.scatter(
                years[chosen],
                values[chosen],
                marker=marker,
                s=size,
                color=colour,
                zorder=3,
                edgecolors="white",
                linewidths=0.6,
            )
    others = [i for i, v in enumerate(cat.verdicts) if cat.monitored or v not in ("met", "not-met")]
    if others:
        ax.scatter(years[others], values[others], marker="D", s=30, color=GREY, zorder=3)

    peak = max(float(np.nanmax(values)), 0 if math.isnan(cat.baseline) else cat.baseline)
    reserve = 0.36 if has_break else 0.22
    ax.set_ylim(0, max(peak * axes_h / max(axes_h - reserve, axes_h * 0.45), peak * 1.15, 1))
    ax.set_xlim(first - 0.5, last + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=3, integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.yaxis.set_major_formatter(number_formatter(meta.lang))
    _year_ticks(ax, first, last, axes_w)
    room_below = values[-1] > ax.get_ylim()[1] * 0.3
    below = room_below and not math.isnan(cat.baseline) and values[-1] <= cat.baseline
    ax.annotate(
        fmt_number(values[-1], meta.lang),
        (years[-1], values[-1]),
        xytext=(0, -8 if below else 7),
        textcoords="offset points",
        ha="center",
        va="top" if below else "bottom",
        bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
        fontsize=SMALL_PT,
        fontweight="bold",
        color=INK,
        zorder=4,
    )
    if has_break and break_year is not None:
        ax.axvline(break_year - 0.5, color=MUTED, ls=":", lw=1.3, zorder=1)
        where = (break_year - 0.5 - (first - 0.5)) / (last - first + 1)
        ax.text(
            break_year - 0.5,
            0.985,
            _w(meta, "break", mark=mark),
            transform=blended_transform_factory(ax.transData, ax.transAxes),
            fontsize=SMALL_PT,
            color=MUTED,
            va="top",
            ha="left" if where < 0.3 else "right" if where > 0.7 else "center",
            bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"},
            zorder=5,
        )


# --- 2. total crime ----------------------------------------------------------------------------


def total_chart(frame: pd.DataFrame, meta: ChartMeta, *, baseline_year: int | None = None) -> bytes:
    """Bars per year for `crime.total` against its baseline (596 in Tingbjerg-Husum); PNG."""
    _require(frame, CRIME_COLUMNS, "value")
    return _png(WIDTH_PX, HEIGHT_PX, lambda fig: draw_total(fig, frame, meta, baseline_year))


def draw_total(
    fig: FigureBase,
    frame: pd.DataFrame,
    meta: ChartMeta,
    baseline_year: int | None = None,
    *,
    stamp: bool = True,
) -> None:
    """Draw the total-crime bars: met bars plain green, not-met bars vermillion and hatched.

    Years inside the range with no total (a category missing) say "ingen data" at the foot of
    the axis rather than standing as an empty slot that reads like zero.
    """
    rows = _require(frame, CRIME_COLUMNS, "value").sort_values("year")
    w, h = size_in(fig)
    level = _level(meta, baseline_year)
    top = header(fig, meta, _w(meta, "total_title", level=level), stamp=stamp)
    bottom = footer(fig, meta, stamp=stamp)
    legend_h = 0.4
    left, right = 0.95, 0.75
    ax = fig.add_axes(
        rect(fig, left, bottom + 0.35, w - left - right, h - top - bottom - 0.35 - legend_h)
    )
    style_axes(ax)
    years = rows["year"].to_numpy(dtype=int)
    values = rows["value"].to_numpy(dtype=float)
    verdicts = [_verdict_key(v) for v in rows["verdict"]]
    baselines = rows["baseline"].dropna()
    baseline = float(baselines.iloc[0]) if len(baselines) else math.nan
    first, last = int(years.min()), int(years.max())
    peak = max(float(values.max()), 0 if math.isnan(baseline) else baseline)
    ax.set_ylim(0, max(peak * 1.15, 1))
    ax.set_xlim(first - 0.6, last + 0.6)
    axes_w = w - left - right
    per_year = axes_w / (last - first + 1.2)
    widest = max(text_width_in(fmt_number(v, meta.lang), LABEL_PT, bold=True) for v in values)
    upright = widest + 0.04 <= per_year  # else the value labels stand on end above the bars

    styles = {"met": (GREEN, ""), "not-met": (VERMILLION, "///")}
    for year, value, verdict in zip(years, values, verdicts, strict=True):
        colour, hatch = styles.get(verdict, (GREY, ""))
        ax.bar(
            year,
            value,
            width=0.62,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            linewidth=0,
            zorder=2,
        )
        ax.text(
            year,
            value + peak * 0.015,
            fmt_number(value, meta.lang),
            ha="center",
            va="bottom",
            rotation=0 if upright else 90,
            fontsize=LABEL_PT if upright else SMALL_PT,
            fontweight="bold",
            color=INK,
            zorder=5,
            bbox={"boxstyle": "square,pad=0.15", "facecolor": "white", "edgecolor": "none"},
        )
    for year in sorted(set(range(first, last + 1)) - set(years.tolist())):
        ax.text(
            year,
            peak * 0.02,
            _w(meta, "missing_year"),
            ha="center",
            va="bottom",
            rotation=90,
            fontsize=SMALL_PT,
            color=MUTED,
        )
    handles = [
        Patch(facecolor=GREEN, label=text(meta.lang, "met").capitalize()),
        Patch(
            facecolor=VERMILLION,
            hatch="///",
            edgecolor="white",
            linewidth=0,
            label=text(meta.lang, "not-met").capitalize(),
        ),
    ]
    if not math.isnan(baseline):
        ax.axhline(baseline, color=INK, ls="--", lw=1.4, zorder=4)
        label = f"{_cap(level)}: {fmt_number(baseline, meta.lang)}"
        ax.text(
            1.01,
            baseline,
            fmt_number(baseline, meta.lang),
            transform=blended_transform_factory(ax.transAxes, ax.transData),
            va="center",
            ha="left",
            fontsize=LABEL_PT,
            fontweight="bold",
            color=INK,
        )
        handles.append(Line2D([], [], color=INK, ls="--", lw=1.4, label=label))
    _year_ticks(ax, first, last, axes_w)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.yaxis.set_major_formatter(number_formatter(meta.lang))
    ax.set_ylabel(_w(meta, "reports"), fontsize=LABEL_PT, color=INK)
    ax.tick_params(axis="x", length=0)
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.15 / w, 1 - (top - 0.02) / h),
        bbox_transform=fig.transSubfigure,
        ncol=len(handles),
        frameon=False,
        fontsize=LABEL_PT,
        borderaxespad=0,
        borderpad=0,
        handlelength=2.2,
        columnspacing=2.0,
    )


# --- 3. safety ---------------------------------------------------------------------------------


def safety_chart(frame: pd.DataFrame, meta: ChartMeta) -> bytes:
    """Area vs city share of unsafe residents, all day and evening/night, gap shaded; PNG."""
    _require(frame, SAFETY_COLUMNS, "")
    if frame[["area", "city"]].isna().all(axis=None):
        raise ValueError("no data")
    return _png(WIDTH_PX, HEIGHT_PX, lambda fig: draw_safety(fig, frame, meta))


def draw_safety(
    fig: FigureBase, frame: pd.DataFrame, meta: ChartMeta, *, stamp: bool = True
) -> None:
    """Two panels, day and night; a missing survey year breaks the line instead of bridging it.

    Both panels share one y scale so the night gap can be compared with the day gap by eye.
    """
    rows = _require(frame, SAFETY_COLUMNS, "")
    w, h = size_in(fig)
    top = header(fig, meta, _w(meta, "safety_title"), stamp=stamp)
    bottom = footer(fig, meta, stamp=stamp)
    pairs = ["day", "night"] + [p for p in dict.fromkeys(rows["pair"]) if p not in ("day", "night")]
    pairs = [p for p in pairs if p in ("day", "night") or (rows["pair"] == p).any()]
    known = rows.dropna(subset=["area", "city"], how="all")
    if known.empty:
        raise ValueError("no data")
    first, last = int(known["year"].min()), int(known["year"].max())
    peak = float(np.nanmax(known[["area", "city"]].to_numpy(dtype=float)))
    slot_w = (w - 0.2) / len(pairs)
    title_in, ticks_in = 0.72, 0.3
    labels = [
        str(rows.loc[rows["pair"] == p, column].dropna().iloc[0])
        if rows.loc[rows["pair"] == p, column].notna().any()
        else ""
        for p in pairs
        for column in ("area_label", "city_label")
    ]
    legend_in = (
        max(
            legend_layout(
                [a, c, _w(meta, "gap_legend")], slot_w - 0.1, max_cols=2, handlelength=2.4
            )[1]
            for a, c in zip(labels[::2], labels[1::2], strict=True)
        )
        + 0.05
    )
    axes_h = h - top - bottom - title_in - legend_in - ticks_in
    axes_w = slot_w - 0.85
    for i, pair in enumerate(pairs):
        x0 = 0.1 + i * slot_w + 0.68
        y0 = bottom + legend_in + ticks_in
        ax = fig.add_axes(rect(fig, x0, y0, axes_w, axes_h))
        part = rows[rows["pair"] == pair].sort_values("year")
        fig.text(
            (x0 - 0.6) / w,
            (y0 + axes_h + title_in - 0.02) / h,
            _w(meta, pair) if pair in ("day", "night") else str(pair),
            fontsize=PANEL_PT,
            fontweight="bold",
            color=INK,
            va="top",
        )
        if part.dropna(subset=["area", "city"], how="all").empty:
            no_data(ax, text(meta.lang, "no-data").capitalize())
            continue
        for j, line in enumerate(_safety_subtitle(part, meta)):
            fig.text(
                (x0 - 0.6) / w,
                (y0 + axes_h + title_in - 0.26 - j * 0.165) / h,
                line,
                fontsize=SMALL_PT,
                color=MUTED,
                va="top",
            )
        handles = _safety_panel(ax, part, meta, first, last, peak, axes_w)
        place_legend(
            fig,
            handles,
            x0 - 0.6,
            y0 - ticks_in - 0.02,
            slot_w - 0.1,
            max_cols=2,
            handlelength=2.4,
        )


def _safety_subtitle(part: pd.DataFrame, meta: ChartMeta) -> list[str]:
    """The verdict of the latest year with one, and the first year's gap it is judged against."""
    verdicts = [_verdict_key(v) for v in part["verdict"] if _verdict_key(v) != "no-data"]
    lines = [_w(meta, "verdict", verdict=text(meta.lang, verdicts[-1] if verdicts else "no-data"))]
    both = part.dropna(subset=["area", "city"])
    if len(both) >= 2:
        first = both.iloc[0]
        gap = fmt_points(float(first["area"]) - float(first["city"]), meta.lang)
        lines.append(_cap(_w(meta, "first_gap", year=int(first["year"]), gap=gap)))
    return lines


def _safety_panel(
    ax: Any,
    part: pd.DataFrame,
    meta: ChartMeta,
    first: int,
    last: int,
    peak: float,
    axes_w: float,
) -> list[Any]:
    style_axes(ax)
    span = np.arange(first, last + 1)
    indexed = part.set_index("year").reindex(span)
    area = indexed["area"].to_numpy(dtype=float)
    city = indexed["city"].to_numpy(dtype=float)
    both = ~np.isnan(area) & ~np.isnan(city)
    ax.fill_between(span, area, city, where=both, color=SKY, alpha=0.35, lw=0, zorder=1)
    ax.plot(span, city, color=BLACK, ls="--", lw=1.8, marker="s", ms=5, zorder=2)
    ax.plot(span, area, color=BLUE, lw=2.4, marker="o", ms=6.5, zorder=3)
    ax.set_ylim(0, peak * 1.22)
    ax.set_xlim(first - 0.4, last + 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.yaxis.set_major_formatter(percent_formatter(meta.lang))
    _year_ticks(ax, first, last, axes_w * (last - first + 1) / (last - first + 1.65))
    for series, colour in ((area, BLUE), (city, BLACK)):
        known = np.flatnonzero(~np.isnan(series))
        if len(known):
            i = known[-1]
            ax.text(
                span[i] + 0.15,
                series[i],
                fmt_percent(series[i], meta.lang),
                color=colour,
                fontsize=SMALL_PT,
                fontweight="bold",
                va="center",
                ha="left",
            )
    if both.any():
        i = np.flatnonzero(both)[-1]
        x, hi, lo = span[i], max(area[i], city[i]), min(area[i], city[i])
        gap = fmt_points(area[i] - city[i], meta.lang)
        ax.text(
            x + 0.05,
            lo - peak * 0.06,
            _w(meta, "gap", gap=gap),
            ha="right",
            va="top",
            fontsize=SMALL_PT,
            color=INK,
        )
        ax.plot([x, x], [lo, hi], color=INK, lw=0.9, zorder=1.5)
    area_label = (
        str(part["area_label"].dropna().iloc[0]) if part["area_label"].notna().any() else ""
    )
    city_label = (
        str(part["city_label"].dropna().iloc[0]) if part["city_label"].notna().any() else ""
    )
    return [
        Line2D([], [], color=BLUE, lw=2.4, marker="o", ms=6, label=area_label),
        Line2D([], [], color=BLACK, ls="--", lw=1.8, marker="s", ms=5, label=city_label),
        Patch(facecolor=SKY, alpha=0.35, label=_w(meta, "gap_legend")),
    ]


# --- 4. activities -----------------------------------------------------------------------------


def activities_chart(status: pd.DataFrame, fulfilment: pd.DataFrame, meta: ChartMeta) -> bytes:
    """Left: latest status of every activity by focus area; right: fulfilment per year; PNG.

    Raises `ValueError("no data")` only when both frames are empty; one empty side says so.
    """
    _activities_check(status, fulfilment)
    return _png(WIDTH_PX, HEIGHT_PX, lambda fig: draw_activities(fig, status, fulfilment, meta))


def _activities_check(status: pd.DataFrame | None, fulfilment: pd.DataFrame | None) -> None:
    has_status = status is not None and not status.empty
    has_fulfilment = fulfilment is not None and not fulfilment.empty
    if not (has_status or has_fulfilment):
        raise ValueError("no data")
    if has_status:
        _require(status, STATUS_COLUMNS, "")
    if has_fulfilment:
        _require(fulfilment, FULFILMENT_COLUMNS, "count")


def draw_activities(
    fig: FigureBase,
    status: pd.DataFrame,
    fulfilment: pd.DataFrame,
    meta: ChartMeta,
    *,
    stamp: bool = True,
) -> None:
    """Draw the activities chart: a tile per activity (colour and symbol = status) and bars.

    The tiles answer the meeting's question "which activities need attention, and whose are
    they?", which counts alone cannot; the bars show the yearly verdict on success criteria.
    """
    _activities_check(status, fulfilment)
    w, h = size_in(fig)
    top = header(fig, meta, _w(meta, "activities_title"), stamp=stamp)
    bottom = footer(fig, meta, stamp=stamp)
    left_w = (w - 0.3) * 0.6
    right_x = 0.15 + left_w + 0.45
    right_w = w - right_x - 0.15
    y_top = h - top
    for x, title in ((0.15, "status_panel"), (right_x, "fulfilment_panel")):
        fig.text(
            x / w,
            y_top / h,
            _w(meta, title),
            fontsize=PANEL_PT,
            fontweight="bold",
            color=INK,
            va="top",
        )
    region_top = y_top - 0.36
    if status is None or status.empty:
        no_data(
            fig.add_axes(rect(fig, 0.15, bottom, left_w, region_top - bottom)),
            _w(meta, "no_status"),
        )
    else:
        _status_tiles(fig, status, meta, 0.15, bottom, left_w, region_top - bottom)
    if fulfilment is None or fulfilment.empty or fulfilment["count"].fillna(0).sum() == 0:
        no_data(
            fig.add_axes(rect(fig, right_x, bottom, right_w, region_top - bottom)),
            _w(meta, "no_fulfilment"),
        )
    else:
        _fulfilment_bars(fig, fulfilment, meta, right_x, bottom, right_w, region_top - bottom)


def _status_tiles(
    fig: FigureBase,
    status: pd.DataFrame,
    meta: ChartMeta,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """One tile per activity: code and organisation, colour + symbol for the latest status.

    Grouped by focus area, sorted by organisation within an area. With too many activities
    for legible tiles (a big plan), counts per area as stacked bars instead.
    """
    rows = status.copy()
    rows["status"] = rows["status"].fillna("none").map(_verdict_key)
    rows.loc[~rows["status"].isin(STATUSES), "status"] = "none"
    counts = rows["status"].value_counts().to_dict()
    handles = [
        Patch(
            facecolor=STATUS_COLOUR[s],
            edgecolor=GREY if s == "none" else STATUS_COLOUR[s],
            label=f"{STATUS_SYMBOL[s]} {text(meta.lang, s)} ({counts.get(s, 0)})",
        )
        for s in STATUSES
        if counts.get(s, 0) or s != "none"
    ]
    legend_h = place_legend(fig, handles, x, y, width, loc="lower left", handlelength=1.0)
    y += legend_h + 0.12
    height -= legend_h + 0.12
    areas = list(dict.fromkeys(rows["area"].fillna("–").astype(str)))
    groups = [
        rows[rows["area"].fillna("–").astype(str) == a].sort_values(["org", "code"], key=_natural)
        for a in areas
    ]
    head_in, tile_h, gap = 0.27, 0.4, 0.05
    need_w = 0.08 + max(
        *(text_width_in(f"✕ {c}", SMALL_PT, bold=True) for c in rows["code"].astype(str)),
        *(text_width_in(o, SMALL_PT) for o in rows["org"].astype(str)),
        0.3,
    )
    layout = None
    for ncol in range(4, 16):  # the fewest columns (widest tiles) that fit the height
        tile_w = (width + gap) / ncol - gap
        if tile_w < need_w:
            break
        needed = sum(head_in + math.ceil(len(g) / ncol) * (tile_h + gap) for g in groups)
        if needed <= height:
            layout = ncol, tile_w
            break
    if layout is None:
        _status_bars(fig, areas, groups, meta, x, y, width, height)
        return
    ncol, tile_w = layout
    spare = height - sum(head_in + math.ceil(len(g) / ncol) * (tile_h + gap) for g in groups)
    group_gap = min(0.18, spare / max(len(groups), 1))  # air between focus areas when it fits
    ax = fig.add_axes(rect(fig, x, y, width, height))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # inches from the top, so rows read downwards
    cursor = 0.0
    for area, group in zip(areas, groups, strict=True):
        ax.text(
            0,
            cursor,
            f"{area} ({len(group)})",
            fontsize=LABEL_PT,
            fontweight="bold",
            color=INK,
            va="top",
            ha="left",
        )
        cursor += head_in
        for i, act in enumerate(group.itertuples(index=False)):
            left = (i % ncol) * (tile_w + gap)
            tile_top = cursor + (i // ncol) * (tile_h + gap)
            key = str(act.status)
            ax.add_patch(
                FancyBboxPatch(
                    (left, tile_top),
                    tile_w,
                    tile_h,
                    boxstyle="round,pad=0,rounding_size=0.05",
                    facecolor=STATUS_COLOUR[key],
                    edgecolor=GREY if key == "none" else STATUS_COLOUR[key],
                    linestyle="--" if key == "none" else "-",
                    linewidth=1.0,
                )
            )
            ink = "white" if key == "done" else INK
            ax.text(
                left + tile_w / 2,
                tile_top + tile_h * 0.3,
                f"{STATUS_SYMBOL[key]} {act.code}",
                ha="center",
                va="center",
                fontsize=SMALL_PT,
                fontweight="bold",
                color=ink,
            )
            ax.text(
                left + tile_w / 2,
                tile_top + tile_h * 0.72,
                str(act.org),
                ha="center",
                va="center",
                fontsize=SMALL_PT,
                color=ink,
            )
        cursor += math.ceil(len(group) / ncol) * (tile_h + gap) + group_gap


def _natural(column: pd.Series) -> pd.Series:
    """Sort "PF2" before "PF10"."""
    return column.astype(str).str.replace(r"\d+", lambda m: m.group(0).zfill(6), regex=True)


def _status_bars(
    fig: FigureBase,
    areas: list[str],
    groups: list[pd.DataFrame],
    meta: ChartMeta,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """Many activities: a horizontal stacked bar per focus area, counts in the segments."""
    label_w = min(max(text_width_in(a, TICK_PT) for a in areas) + 0.15, width * 0.4)
    ax = fig.add_axes(rect(fig, x + label_w, y + 0.45, width - label_w - 0.1, height - 0.45))
    style_axes(ax, grid_axis="x")
    hatches = {"at-risk": "//", "delayed": "xx"}
    lefts = np.zeros(len(areas))
    for key in STATUSES:
        counts = np.array([(g["status"] == key).sum() for g in groups], dtype=float)
        ax.barh(
            range(len(areas)),
            counts,
            left=lefts,
            color=STATUS_COLOUR[key],
            edgecolor=GREY if key == "none" else "white",
            hatch=hatches.get(key, ""),
            height=0.6,
            linewidth=0.8,
        )
        for i, count in enumerate(counts):
            if count:
                ax.text(
                    lefts[i] + count / 2,
                    i,
                    f"{int(count)}",
                    ha="center",
                    va="center",
                    fontsize=SMALL_PT,
                    fontweight="bold",
                    color="white" if key == "done" else INK,
                    bbox=_LABEL_BOX if key in hatches else None,
                )
        lefts += counts
    ax.set_yticks(range(len(areas)))
    ax.set_yticklabels(["\n".join(wrap(a, label_w - 0.1, TICK_PT)[:2]) for a in areas])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlabel(_w(meta, "activities_count"), fontsize=SMALL_PT, color=INK)


_LABEL_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"}


def _fulfilment_bars(
    fig: FigureBase,
    fulfilment: pd.DataFrame,
    meta: ChartMeta,
    x: float,
    y: float,
    width: float,
    height: float,
) -> None:
    """Stacked bars per year: met at the bottom, then partly, then not met (hatched)."""
    rows = _require(fulfilment, FULFILMENT_COLUMNS, "count")
    rows["fulfilment"] = rows["fulfilment"].map(_verdict_key)
    table = rows.pivot_table(
        index="year", columns="fulfilment", values="count", aggfunc="sum", fill_value=0
    )
    table = table[table.sum(axis=1) > 0].sort_index()
    handles = [
        Patch(
            facecolor=FULFILMENT_STYLE[k][0],
            hatch=FULFILMENT_STYLE[k][1],
            edgecolor="white",
            label=text(meta.lang, k).capitalize(),
        )
        for k in FULFILMENTS
    ]
    legend_h = place_legend(fig, handles, x, y, width, loc="lower left", handlelength=1.4)
    ylabel_in = 0.5
    ax = fig.add_axes(
        rect(fig, x + ylabel_in, y + legend_h + 0.45, width - ylabel_in, height - legend_h - 0.45)
    )
    style_axes(ax)
    years = table.index.to_numpy(dtype=int)
    bottoms = np.zeros(len(years))
    total = table.sum(axis=1).to_numpy(dtype=float)
    for key in FULFILMENTS:
        counts = table[key].to_numpy(dtype=float) if key in table.columns else np.zeros(len(years))
        colour, hatch, ink = FULFILMENT_STYLE[key]
        ax.bar(
            years,
            counts,
            bottom=bottoms,
            width=0.62,
            color=colour,
            hatch=hatch,
            edgecolor="white",
            linewidth=0.8,
            zorder=2,
        )
        for i, count in enumerate(counts):
            if count:
                ax.text(
                    years[i],
                    bottoms[i] + count / 2,
                    f"{int(count)}",
                    ha="center",
                    va="center",
                    fontsize=SMALL_PT,
                    fontweight="bold",
                    color=ink,
                    zorder=3,
                    bbox=_LABEL_BOX if hatch else None,
                )
        bottoms += counts
    ax.set_ylim(0, max(total.max() * 1.08, 1))
    ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
    _year_ticks(ax, int(years.min()), int(years.max()), width - ylabel_in)
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_ylabel(_w(meta, "activities_count"), fontsize=SMALL_PT, color=INK)
