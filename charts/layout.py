"""Placing things on a chart in the house style: exact text metrics and wrapping, figures of an
exact pixel size, rectangles in inches, the title, the source line, the DEMO band and legends.

Everything here works on an explicit `Figure` (or a `SubFigure` of a report page) with the Agg
canvas attached directly, never through pyplot: no global figure registry to leak or to race on
in a server.
"""

from __future__ import annotations

import io
import math
import re
from functools import lru_cache
from typing import Any

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure, FigureBase
from matplotlib.patches import Rectangle

from charts.style import (
    DEMO_BAND_IN,
    DEMO_RED,
    DPI,
    FONT,
    HEIGHT_PX,
    INK,
    LABEL_PT,
    MUTED,
    RULE,
    SMALL_PT,
    TICK_PT,
    TITLE_PT,
    WIDTH_PX,
    ChartMeta,
    fmt_date,
    text,
)

# --- measuring and wrapping text (exact font metrics, so tables and captions never clip) -------


@lru_cache(maxsize=2)
def _font_path(bold: bool) -> str:
    weight = "bold" if bold else "normal"
    return font_manager.findfont(font_manager.FontProperties(family=FONT, weight=weight))


@lru_cache(maxsize=8)
def _advances(size_pt: float, bold: bool) -> dict[str, float]:
    """Per-character advance widths (inches) at a size, filled lazily; one dict per size."""
    return {}


def text_width_in(value: str, size_pt: float, bold: bool = False) -> float:
    """Width of one line of text in inches, from the font's own advance widths.

    Summing cached per-character advances (kerning ignored, hence the 3 % slack) costs
    microseconds, where laying out the string with FreeType costs about a millisecond: wrapping
    a caption word by word must not dominate a chart's render time.
    """
    advances = _advances(size_pt, bold)
    missing = [c for c in set(value) if c not in advances]
    if missing:
        font = font_manager.get_font(_font_path(bold))  # cached per thread by matplotlib
        font.set_size(size_pt, 72)
        for char in missing:
            glyph = font.load_char(ord(char))
            advances[char] = glyph.linearHoriAdvance / 65536 / 72
    return sum(advances[c] for c in value) * 1.03


def _pieces(word: str) -> list[str]:
    """A word split after its "/" and "-" ("Baseline/", "sammenligning"), where it may break."""
    return [p for p in re.split(r"(?<=[/-])", word) if p]


def wrap(value: str, width_in: float, size_pt: float, bold: bool = False) -> list[str]:
    """Greedy word wrap to a width in inches.

    A word too long for a line breaks after a "/" or "-" if it has one, else where it must.
    """
    lines: list[str] = []
    for paragraph in (value or "").split("\n"):
        line = ""
        for word in (w for w in paragraph.split(" ") if w):  # no-break spaces hold together
            candidate = f"{line} {word}" if line else word
            if text_width_in(candidate, size_pt, bold) <= width_in:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for piece in _pieces(word):
                if text_width_in(line + piece, size_pt, bold) <= width_in or not line:
                    line += piece
                else:
                    lines.append(line)
                    line = piece
                while text_width_in(line, size_pt, bold) > width_in and len(line) > 1:
                    cut = len(line) - 1
                    while cut > 1 and text_width_in(line[:cut], size_pt, bold) > width_in:
                        cut -= 1
                    lines.append(line[:cut])
                    line = line[cut:]
        lines.append(line)
    return lines or [""]


# --- figures -----------------------------------------------------------------------------------


def new_figure(width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> Figure:
    """A white figure of exactly width_px x height_px at `DPI`, with its own Agg canvas."""
    fig = Figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def to_png(fig: Figure) -> bytes:
    """PNG bytes of the figure at `DPI` (no tight bbox: the pixel size stays what was asked)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


def bare_png(width_px: int = WIDTH_PX, height_px: int = HEIGHT_PX) -> bytes:
    """The benchmark's baseline: a bare matplotlib figure of the same size with one line plot.

    DESIGN section 7: a status chart renders in at most twice the time of this.
    """
    fig = new_figure(width_px, height_px)
    ax = fig.add_subplot()
    ax.plot(range(2015, 2021), [145, 150, 138, 160, 120, 118])
    return to_png(fig)


def size_in(fig: FigureBase) -> tuple[float, float]:
    """Width and height in inches of a figure or of a report page's sub-figure."""
    bbox = fig.bbox
    return bbox.width / fig.dpi, bbox.height / fig.dpi


def rect(fig: FigureBase, left: float, bottom: float, width: float, height: float) -> list[float]:
    """An axes rectangle given in inches from the bottom-left, as fractions of `fig`.

    Layout in inches keeps margins for tick labels the same on a 8 x 5 in PNG and on a chart
    placed on an A4 page, where fractions would squeeze them.
    """
    w, h = size_in(fig)
    return [left / w, bottom / h, max(width, 0.05) / w, max(height, 0.05) / h]


def style_axes(ax: Any, grid_axis: str = "y") -> None:
    """House axes: no top/right frame, light grid behind the data, legible ticks."""
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.tick_params(labelsize=TICK_PT, colors=INK, length=3, color="#888888")
    if grid_axis:
        ax.grid(axis=grid_axis, color=RULE, linewidth=0.8)


def heading(
    target: Any, x: float, y: float, value: str, size_pt: float, color: str = INK, **extra: Any
) -> None:
    """Bold text hanging from (x, y) in `target`'s coordinates: titles and panel headings."""
    target.text(x, y, value, fontsize=size_pt, fontweight="bold", color=color, va="top", **extra)


def header(fig: FigureBase, meta: ChartMeta, title: str, *, stamp: bool = True) -> float:
    """The chart title, left-aligned at the top; returns the inches used from the top edge.

    `stamp` says whether `footer` will draw the DEMO band above it (not inside report pages,
    which carry their own band).
    """
    w, h = size_in(fig)
    top = DEMO_BAND_IN if (stamp and meta.demo) else 0.0
    lines = wrap(title, w - 0.3, TITLE_PT, bold=True)
    line_in = TITLE_PT * 1.3 / 72
    y = top + 0.14
    for line in lines:
        heading(fig, 0.15 / w, 1 - y / h, line, TITLE_PT)
        y += line_in
    return y + 0.1


def footer(fig: FigureBase, meta: ChartMeta, *, stamp: bool = True) -> float:
    """What every chart carries: the source and data date, and, for demo data, the red band.

    Returns the inches used at the bottom, so the caller lays its axes out above it.
    """
    w, h = size_in(fig)
    line = text(meta.lang, "source", source=meta.source, date=fmt_date(meta.as_of, meta.lang))
    lines = wrap(line, w - 0.3, SMALL_PT)
    line_in = SMALL_PT * 1.3 / 72
    for i, part in enumerate(reversed(lines)):
        fig.text(
            0.15 / w,
            (0.1 + i * line_in) / h,
            part,
            fontsize=SMALL_PT,
            color=MUTED,
            va="bottom",
            ha="left",
        )
    if stamp and meta.demo:
        demo_band(fig, meta.lang)
    return 0.1 + len(lines) * line_in + 0.05


def chart_frame(
    fig: FigureBase, meta: ChartMeta, title: str, *, stamp: bool = True
) -> tuple[float, float, float, float]:
    """Title and footer drawn; the figure's width and height, and the inches they take at the
    top and at the bottom, for the chart to lay its axes out in between."""
    w, h = size_in(fig)
    top = header(fig, meta, title, stamp=stamp)
    return w, h, top, footer(fig, meta, stamp=stamp)


def demo_band(fig: FigureBase, lang: str) -> None:
    """A red band across the top edge: "DEMODATA — syntetiske tal", impossible to overlook."""
    _, h = size_in(fig)
    band = DEMO_BAND_IN / h
    fig.add_artist(
        Rectangle(
            (0, 1 - band),
            1,
            band,
            transform=fig.transSubfigure,
            facecolor=DEMO_RED,
            edgecolor="none",
            zorder=10,
        )
    )
    fig.text(
        0.5,
        1 - band / 2,
        text(lang, "demo"),
        fontsize=LABEL_PT,
        fontweight="bold",
        color="white",
        ha="center",
        va="center",
        zorder=11,
    )


def no_data(ax: Any, message: str) -> None:
    """An empty panel that says so, instead of an axis that looks like zero."""
    ax.set_axis_off()
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=LABEL_PT,
        color=MUTED,
    )


def place_legend(
    fig: FigureBase,
    handles: list[Any],
    x_in: float,
    y_in: float,
    width_in: float,
    *,
    loc: str = "upper left",
    size_pt: float = SMALL_PT,
    max_cols: int = 6,
    handlelength: float = 1.4,
) -> float:
    """A frameless legend with as many columns as fit `width_in`; returns its height in inches.

    Placed outside the data (below or beside the axes) so it can never cover a point; the
    column count is worked out from the real label widths instead of trusting matplotlib to
    clip, because a legend running off the figure edge is the commonest ugly chart.
    """
    w, h = size_in(fig)
    labels = [str(handle.get_label()) for handle in handles]
    ncol, height = legend_layout(labels, width_in, size_pt, max_cols, handlelength)
    fig.legend(
        handles=handles,
        loc=loc,
        bbox_to_anchor=(x_in / w, y_in / h),
        bbox_transform=fig.transSubfigure,
        ncol=ncol,
        frameon=False,
        fontsize=size_pt,
        borderaxespad=0,
        borderpad=0,
        handlelength=handlelength,
        handleheight=1.0,
        handletextpad=_LEGEND_PAD,
        columnspacing=_LEGEND_SPACING,
        labelspacing=0.45,
        labelcolor=INK,
    )
    return height


_LEGEND_PAD, _LEGEND_SPACING = 0.5, 1.2  # handletextpad, columnspacing (in font sizes)


def legend_layout(
    labels: list[str],
    width_in: float,
    size_pt: float = SMALL_PT,
    max_cols: int = 6,
    handlelength: float = 1.4,
) -> tuple[int, float]:
    """Columns and height (inches) of a `place_legend` legend, for laying out before drawing."""
    em = size_pt / 72
    ncol = 1
    for cols in range(min(max_cols, len(labels)), 0, -1):
        rows = math.ceil(len(labels) / cols)
        columns = [labels[i * rows : (i + 1) * rows] for i in range(cols)]
        total = (
            sum(
                (handlelength + _LEGEND_PAD) * em + max(text_width_in(t, size_pt) for t in col)
                for col in columns
                if col
            )
            + (cols - 1) * _LEGEND_SPACING * em
        )
        if total <= width_in:
            ncol = cols
            break
    return ncol, math.ceil(len(labels) / ncol) * em * 1.75
