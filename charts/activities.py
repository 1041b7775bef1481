"""Activities: a tile per activity for its latest status, and fulfilment bars per year."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import FigureBase
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.ticker import MaxNLocator

from charts.common import (
    FULFILMENT_COLUMNS,
    STATUS_COLUMNS,
    _png,
    _require,
    _verdict_key,
    _w,
    _year_ticks,
)
from charts.layout import (
    chart_frame,
    heading,
    no_data,
    place_legend,
    rect,
    style_axes,
    text_width_in,
    wrap,
)
from charts.style import (
    DARK,
    GREEN,
    GREY,
    INK,
    LABEL_PT,
    ORANGE,
    PANEL_PT,
    SMALL_PT,
    TICK_PT,
    VERMILLION,
    ChartMeta,
    text,
)

Box = tuple[float, float, float, float]  # left, bottom, width, height in inches
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


def activities_chart(status: pd.DataFrame, fulfilment: pd.DataFrame, meta: ChartMeta) -> bytes:
    """Left: latest status of every activity by focus area; right: fulfilment per year; PNG.

    Raises `ValueError("no data")` only when both frames are empty; one empty side says so.
    """
    _activities_check(status, fulfilment)
    return _png(lambda fig: draw_activities(fig, status, fulfilment, meta))


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
    w, h, top, bottom = chart_frame(fig, meta, _w(meta, "activities_title"), stamp=stamp)
    left_w = (w - 0.3) * 0.6
    right_x = 0.15 + left_w + 0.45
    right_w = w - right_x - 0.15
    y_top = h - top
    for x, title in ((0.15, "status_panel"), (right_x, "fulfilment_panel")):
        heading(fig, x / w, y_top / h, _w(meta, title), PANEL_PT)
    region_h = y_top - 0.36 - bottom
    left: Box = (0.15, bottom, left_w, region_h)
    right: Box = (right_x, bottom, right_w, region_h)
    if status is None or status.empty:
        no_data(fig.add_axes(rect(fig, *left)), _w(meta, "no_status"))
    else:
        _status_tiles(fig, status, meta, left)
    if fulfilment is None or fulfilment.empty or fulfilment["count"].fillna(0).sum() == 0:
        no_data(fig.add_axes(rect(fig, *right)), _w(meta, "no_fulfilment"))
    else:
        _fulfilment_bars(fig, fulfilment, meta, right)


def _status_tiles(fig: FigureBase, status: pd.DataFrame, meta: ChartMeta, box: Box) -> None:
    """One tile per activity: code and organisation, colour + symbol for the latest status.

    Grouped by focus area, sorted by organisation within an area. With too many activities
    for legible tiles (a big plan), counts per area as stacked bars instead.
    """
    x, y, width, height = box
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
        _status_bars(fig, areas, groups, meta, (x, y, width, height))
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
        heading(ax, 0, cursor, f"{area} ({len(group)})", LABEL_PT)
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
    fig: FigureBase, areas: list[str], groups: list[pd.DataFrame], meta: ChartMeta, box: Box
) -> None:
    """Many activities: a horizontal stacked bar per focus area, counts in the segments."""
    x, y, width, height = box
    label_w = min(max(text_width_in(a, TICK_PT) for a in areas) + 0.15, width * 0.4)
    ax = fig.add_axes(rect(fig, x + label_w, y + 0.45, width - label_w - 0.1, height - 0.45))
    style_axes(ax, grid_axis="x")
    hatches = {"at-risk": "//", "delayed": "xx"}
    layers = [
        (
            np.array([(g["status"] == key).sum() for g in groups], dtype=float),
            STATUS_COLOUR[key],
            hatches.get(key, ""),
            "white" if key == "done" else INK,
            GREY if key == "none" else "white",
        )
        for key in STATUSES
    ]
    _stack(ax, range(len(areas)), layers, horizontal=True, height=0.6, linewidth=0.8)
    ax.set_yticks(range(len(areas)))
    ax.set_yticklabels(["\n".join(wrap(a, label_w - 0.1, TICK_PT)[:2]) for a in areas])
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 2.5, 5, 10]))
    ax.set_xlabel(_w(meta, "activities_count"), fontsize=SMALL_PT, color=INK)


_LABEL_BOX = {"boxstyle": "round,pad=0.12", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"}


def _stack(
    ax: Any,
    places: Sequence[float],
    layers: list[tuple[np.ndarray, str, str, str, str]],
    *,
    horizontal: bool,
    **bar: Any,
) -> None:
    """Stacked bars at `places`, one layer per (counts, colour, hatch, ink, edge colour), each
    segment's count written in its middle in `ink` (on a white box over hatching, to stay
    legible)."""
    draw, start = (ax.barh, "left") if horizontal else (ax.bar, "bottom")
    base = np.zeros(len(places))
    for counts, colour, hatch, ink, edge in layers:
        draw(places, counts, color=colour, edgecolor=edge, hatch=hatch, **{start: base}, **bar)
        for i, count in enumerate(counts):
            if count:
                middle = base[i] + count / 2
                ax.text(
                    *((middle, places[i]) if horizontal else (places[i], middle)),
                    f"{int(count)}",
                    ha="center",
                    va="center",
                    fontsize=SMALL_PT,
                    fontweight="bold",
                    color=ink,
                    zorder=3,  # matplotlib's default for text, above the bars' 2
                    bbox=_LABEL_BOX if hatch else None,
                )
        base += counts


def _fulfilment_bars(fig: FigureBase, fulfilment: pd.DataFrame, meta: ChartMeta, box: Box) -> None:
    """Stacked bars per year: met at the bottom, then partly, then not met (hatched)."""
    x, y, width, height = box
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
    total = table.sum(axis=1).to_numpy(dtype=float)
    layers = [
        (
            table[key].to_numpy(dtype=float) if key in table.columns else np.zeros(len(years)),
            *FULFILMENT_STYLE[key],
            "white",
        )
        for key in FULFILMENTS
    ]
    _stack(ax, years, layers, horizontal=False, width=0.62, linewidth=0.8, zorder=2)
    ax.set_ylim(0, max(total.max() * 1.08, 1))
    ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
    _year_ticks(ax, int(years.min()), int(years.max()), width - ylabel_in)
    ax.tick_params(axis="x", length=0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
    ax.set_ylabel(_w(meta, "activities_count"), fontsize=SMALL_PT, color=INK)
