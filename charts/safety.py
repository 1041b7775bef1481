"""Safety: the share of residents who feel unsafe, the area against the city, day and night."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from charts.common import SAFETY_COLUMNS, _cap, _png, _require, _verdict_key, _w, _year_ticks
from charts.layout import (
    chart_frame,
    heading,
    legend_layout,
    no_data,
    place_legend,
    rect,
    style_axes,
)
from charts.style import (
    BLACK,
    BLUE,
    INK,
    MUTED,
    PANEL_PT,
    SKY,
    SMALL_PT,
    ChartMeta,
    fmt_percent,
    fmt_points,
    percent_formatter,
    text,
)


def safety_chart(frame: pd.DataFrame, meta: ChartMeta) -> bytes:
    """Area vs city share of unsafe residents, all day and evening/night, gap shaded; PNG."""
    _require(frame, SAFETY_COLUMNS, "")
    if frame[["area", "city"]].isna().all(axis=None):
        raise ValueError("no data")
    return _png(lambda fig: draw_safety(fig, frame, meta))


def draw_safety(
    fig: FigureBase, frame: pd.DataFrame, meta: ChartMeta, *, stamp: bool = True
) -> None:
    """Two panels, day and night; a missing survey year breaks the line instead of bridging it.

    Both panels share one y scale so the night gap can be compared with the day gap by eye.
    """
    rows = _require(frame, SAFETY_COLUMNS, "")
    w, h, top, bottom = chart_frame(fig, meta, _w(meta, "safety_title"), stamp=stamp)
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
        title = _w(meta, pair) if pair in ("day", "night") else str(pair)
        heading(fig, (x0 - 0.6) / w, (y0 + axes_h + title_in - 0.02) / h, title, PANEL_PT)
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
