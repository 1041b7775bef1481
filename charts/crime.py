"""Crime per category: small multiples, one panel per category against its baseline."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import FigureBase
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from charts.common import CRIME_COLUMNS, _cap, _level, _png, _require, _verdict_key, _w, _year_ticks
from charts.layout import (
    chart_frame,
    heading,
    legend_layout,
    place_legend,
    rect,
    size_in,
    style_axes,
    text_width_in,
    wrap,
)
from charts.style import (
    GREEN,
    GREY,
    HEIGHT_PX,
    INK,
    MUTED,
    PANEL_GREY,
    PANEL_PT,
    SMALL_PT,
    VERMILLION,
    WIDTH_PX,
    ChartMeta,
    fmt_number,
    number_formatter,
    year_from_note,
)

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹"


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
    return _png(lambda fig: draw_crime(fig, frame, meta, baseline_year), width, height)


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
    w, h, top, bottom = chart_frame(fig, meta, _w(meta, "crime_title", level=level), stamp=stamp)

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
    heading(fig, x / w, (y_top - 0.02) / h, title, PANEL_PT, MUTED if cat.monitored else INK)
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
