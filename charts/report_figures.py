"""The report's charts as SVG: the same `draw_*` code as the Slack PNGs, drawn at the size they
take on the A4 page, so their text is 9-15 pt as on screen.

Why SVG, not PNG: with `svg.fonttype = "none"` every label stays text, which Typst sets in the
same embedded DejaVu Sans as the body, so the charts print sharp at any zoom, their words can be
searched and copied, and the file stays small (a 200-dpi PNG of the crime chart is four times
the bytes and takes twice as long to draw).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence

from matplotlib.figure import Figure, FigureBase

from charts.layout import rect, size_in, text_width_in, wrap
from charts.style import BLUE

_SVG_LOCK = threading.Lock()  # rcParams are global: one SVG is written at a time


def svg(draw: Callable[[FigureBase], None], width_in: float, height_in: float) -> str:
    """The chart `draw` draws, as SVG text of `width_in` x `height_in` inches."""
    import matplotlib

    fig = Figure(figsize=(width_in, height_in), dpi=72, facecolor="white")
    draw(fig)
    buffer = io.BytesIO()
    with _SVG_LOCK, matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "partnerbot"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue().decode("utf-8")


def draw_attendance(fig: FigureBase, rows: Sequence[tuple[str, int, int]]) -> None:
    """Horizontal bars: meetings represented out of those recorded, one bar per organisation.

    Laid out in inches: the names get the room their longest one needs (at most half the
    width; a longer one wraps) and the meeting counts under the bars 0.3 in, whatever the
    number of rows."""
    w, h = size_in(fig)
    names_in = min(max(text_width_in(name, 8) for name, _, _ in rows) + 0.2, w / 2)
    ax = fig.add_axes(rect(fig, names_in, 0.3, w - names_in - 0.2, h - 0.4))
    names = ["\n".join(wrap(name, names_in - 0.2, 8)) for name, _, _ in rows][::-1]
    shares = [r for _, r, _ in rows][::-1]
    total = max(n for _, _, n in rows)
    ax.barh(names, shares, color=BLUE, height=0.6)
    ax.set_xlim(0, total)
    ax.set_xticks(range(0, total + 1))
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
