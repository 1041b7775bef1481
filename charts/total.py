"""Total crime: bars per year against the baseline, the verdict in colour and hatching."""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from charts.common import CRIME_COLUMNS, _cap, _level, _png, _require, _verdict_key, _w, _year_ticks
from charts.layout import chart_frame, rect, style_axes, text_width_in
from charts.style import (
    GREEN,
    GREY,
    INK,
    LABEL_PT,
    MUTED,
    SMALL_PT,
    VERMILLION,
    ChartMeta,
    fmt_number,
    number_formatter,
    text,
)


def total_chart(frame: pd.DataFrame, meta: ChartMeta, *, baseline_year: int | None = None) -> bytes:
    """Bars per year for `crime.total` against its baseline (596 in Tingbjerg-Husum); PNG."""
    _require(frame, CRIME_COLUMNS, "value")
    return _png(lambda fig: draw_total(fig, frame, meta, baseline_year))


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
    level = _level(meta, baseline_year)
    w, h, top, bottom = chart_frame(fig, meta, _w(meta, "total_title", level=level), stamp=stamp)
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
