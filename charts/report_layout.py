"""Page mechanics of the annual report: A4 pages, lines of real text placed in inches from the
top, tables that run over pages repeating their header, and vector charts in a page's slot.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure, FigureBase
from matplotlib.gridspec import GridSpec
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from charts.layout import wrap
from charts.report_words import _word
from charts.style import DEMO_BAND_IN, INK, MUTED, RULE, VERDICT_COLOURS, ChartMeta

A4 = (8.27, 11.69)  # portrait, inches
MARGIN = 0.6
CONTENT_W = A4[0] - 2 * MARGIN
TOP = 0.6
BOTTOM = 0.75  # room for the footer
BODY_PT = 9.5
ASCENT = 0.93  # DejaVu Sans ascender in ems: from a line's top to its baseline
LINE_IN = BODY_PT * 1.3 / 72
CELL_PAD = 0.065
HEADER_FILL = "#E6ECF2"
GROUP_FILL = "#D5E1EC"
ZEBRA_FILL = "#F6F6F6"


@dataclass(frozen=True)
class _Column:
    header: str
    width: float  # inches
    verdict: bool = False  # draw a coloured mark before known verdict words


class _Pages:
    """Lays a document out page by page; a page is a Figure, positions are inches from the top."""

    def __init__(self, meta: ChartMeta) -> None:
        self.meta = meta
        self.pages: list[Figure] = []
        self.page = Figure()  # the page being drawn on; replaced by the first `new_page`
        self.contents: list[tuple[str, int]] = []
        self.y = 0.0

    # -- page mechanics -----------------------------------------------------------------------

    @property
    def top(self) -> float:
        return TOP + (DEMO_BAND_IN if self.meta.demo else 0.0)

    def new_page(self) -> Figure:
        self.page = Figure(figsize=A4, dpi=72, facecolor="white")
        self.pages.append(self.page)
        self.y = self.top
        return self.page

    def room(self) -> float:
        return A4[1] - BOTTOM - self.y

    def ensure(self, height: float) -> bool:
        """Start a new page unless `height` inches still fit; True when a page was started."""
        if height <= self.room():
            return False
        self.new_page()
        return True

    def put(
        self,
        x: float,
        y: float,
        value: str,
        size: float = BODY_PT,
        *,
        bold: bool = False,
        colour: str = INK,
        ha: str = "left",
    ) -> None:
        """One line of text with its top at (x, y) inches from the page's top-left."""
        self.page.text(  # on the baseline: "va=top" would shift lines with å or Å
            x / A4[0],
            1 - (y + size * ASCENT / 72) / A4[1],
            value,
            fontsize=size,
            fontweight="bold" if bold else "normal",
            color=colour,
            va="baseline",
            ha=ha,
        )

    def box(self, x: float, y: float, width: float, height: float, colour: str) -> None:
        self.page.add_artist(
            Rectangle(
                (x / A4[0], 1 - (y + height) / A4[1]),
                width / A4[0],
                height / A4[1],
                transform=self.page.transFigure,
                facecolor=colour,
                edgecolor="none",
                zorder=0,
            )
        )

    def rule(self, y: float, colour: str = RULE, width: float = 0.6) -> None:
        self.page.add_artist(
            Line2D(
                [MARGIN / A4[0], (A4[0] - MARGIN) / A4[0]],
                [1 - y / A4[1]] * 2,
                transform=self.page.transFigure,
                color=colour,
                linewidth=width,
            )
        )

    def heading(self, value: str, level: int = 1, *, contents: bool = False) -> None:
        size = 17 if level == 1 else 12.5
        lines = wrap(value, CONTENT_W, size, bold=True)
        height = len(lines) * size * 1.3 / 72 + (0.18 if level == 1 else 0.1)
        self.ensure(height + 4 * LINE_IN)  # never a heading alone at the foot of a page
        if contents:
            self.contents.append((value, len(self.pages)))
        for line in lines:
            self.put(MARGIN, self.y, line, size, bold=True)
            self.y += size * 1.3 / 72
        self.y += 0.18 if level == 1 else 0.1

    def paragraph(self, value: str, size: float = BODY_PT, colour: str = INK) -> None:
        for line in wrap(value, CONTENT_W, size):
            self.ensure(size * 1.3 / 72)
            self.put(MARGIN, self.y, line, size, colour=colour)
            self.y += size * 1.3 / 72
        self.y += 0.08

    # -- tables -------------------------------------------------------------------------------

    def _cells(
        self, columns: Sequence[_Column], values: Sequence[str], bold: bool
    ) -> list[list[str]]:
        return [
            wrap(value, c.width - 2 * CELL_PAD - (0.16 if c.verdict else 0), BODY_PT, bold)
            for c, value in zip(columns, values, strict=True)
        ]

    def table_header(self, columns: Sequence[_Column]) -> None:
        cells = self._cells(columns, [c.header for c in columns], bold=True)
        height = max(len(c) for c in cells) * LINE_IN + 2 * CELL_PAD
        self.box(MARGIN, self.y, CONTENT_W, height, HEADER_FILL)
        self._draw_cells(columns, cells, bold=True, verdicts=False)
        self.y += height
        self.rule(self.y, INK, 0.8)

    def row_height(self, columns: Sequence[_Column], values: Sequence[str]) -> float:
        cells = self._cells(columns, values, bold=False)
        return max(len(c) for c in cells) * LINE_IN + 2 * CELL_PAD

    def table_row(self, columns: Sequence[_Column], values: Sequence[str], zebra: bool) -> None:
        cells = self._cells(columns, values, bold=False)
        height = max(len(c) for c in cells) * LINE_IN + 2 * CELL_PAD
        if zebra:
            self.box(MARGIN, self.y, CONTENT_W, height, ZEBRA_FILL)
        self._draw_cells(columns, cells, bold=False, verdicts=True)
        self.y += height
        self.rule(self.y)

    def group_row(self, value: str) -> None:
        height = LINE_IN + 2 * CELL_PAD
        self.box(MARGIN, self.y, CONTENT_W, height, GROUP_FILL)
        self.put(MARGIN + CELL_PAD, self.y + CELL_PAD, value, BODY_PT + 0.5, bold=True)
        self.y += height

    def _draw_cells(
        self, columns: Sequence[_Column], cells: list[list[str]], *, bold: bool, verdicts: bool
    ) -> None:
        x = MARGIN
        for column, lines in zip(columns, cells, strict=True):
            offset = 0.0
            colour = VERDICT_COLOURS.get(" ".join(lines).strip().lower())
            if verdicts and column.verdict and colour:
                size = 0.09
                self.box(x + CELL_PAD, self.y + CELL_PAD + 0.03, size, size, colour)
                offset = 0.16
            for i, line in enumerate(lines):
                self.put(x + CELL_PAD + offset, self.y + CELL_PAD + i * LINE_IN, line, bold=bold)
            x += column.width

    def table(self, columns: Sequence[_Column], rows: Sequence[Sequence[str]]) -> None:
        """A table that continues on the next page, repeating its header, when it must."""
        self.ensure(self.row_height(columns, [c.header for c in columns]) + 2 * LINE_IN)
        self.table_header(columns)
        for i, values in enumerate(rows):
            if self.ensure(self.row_height(columns, values)):
                self.table_header(columns)
            self.table_row(columns, values, zebra=i % 2 == 1)
        self.y += 0.2

    # -- charts -------------------------------------------------------------------------------

    def chart(
        self, draw: Callable[[FigureBase], None], height: float, what: str, has_data: bool
    ) -> None:
        """A vector chart in a sub-figure of the page, or a line saying its data is missing."""
        if not has_data:
            self.ensure(0.5)
            self.paragraph(_word(self.meta, "no_chart", what=_word(self.meta, what)), 10, MUTED)
            return
        self.ensure(height)
        # Sub-figures follow only a grid's ratios (not its margins): the middle cell is the slot.
        side = MARGIN - 0.15
        grid = GridSpec(
            3,
            3,
            figure=self.page,
            width_ratios=[side, A4[0] - 2 * side, side],
            height_ratios=[self.y, height, A4[1] - self.y - height],
        )
        draw(self.page.add_subfigure(grid[1, 1]))
        self.y += height + 0.15


_PDF_LOCK = threading.Lock()  # rcParams are global: one PDF is written at a time


def write_pdf(pages: Sequence[Figure], title: str, subject: str) -> bytes:
    """The pages as one PDF with real (TrueType, Type 42) text and the document's title."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    metadata = {"Title": title, "Author": "Partnerbot", "Subject": subject, "Creator": "Partnerbot"}
    with (
        _PDF_LOCK,
        matplotlib.rc_context({"pdf.fonttype": 42}),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        for page in pages:
            pdf.savefig(page)
    return buffer.getvalue()
