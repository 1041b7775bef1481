"""The annual status report as an A4 PDF, ready to go to the steering group as it stands.

Pages: (1) cover with contents, (2) overall targets: the crime and safety tables and the total
chart, (3) the crime and safety charts, (4+) the activity overview in the city's own form
("Indsatsens navn | Forvaltning | Indfrielse af succeskriterier", grouped by focus area, running
over as many pages as it needs with the header and the current focus area repeated), then the
year's meetings with attendance and the sources. Every page has a footer with the partnership
and "side n af N", and for demo data a red band and a red footer stamp.

All text is real PDF text (TrueType, Type 42), never an image of text, so the report can be
searched, copied from and read aloud; the charts are drawn as vectors straight onto the page
with the same code that draws the PNGs in Slack.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure, FigureBase
from matplotlib.gridspec import GridSpec
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from charts.status import draw_crime, draw_safety, draw_total
from charts.style import (
    DEMO_BAND_IN,
    DEMO_RED,
    INK,
    MUTED,
    RULE,
    VERDICT_COLOURS,
    ChartMeta,
    demo_band,
    fmt_date,
    text,
    wrap,
)

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

_PDF_LOCK = threading.Lock()  # rcParams are global: one PDF is written at a time

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "annual": "Årlig status {year}",
        "generated": "Udarbejdet {date} af Partnerbot",
        "as_of": "Data pr. {date}",
        "demo_note": (
            "Alle tal i denne rapport er syntetiske demodata. De må ikke bruges som grundlag "
            "for beslutninger eller citeres som partnerskabets resultater."
        ),
        "contents": "Indhold",
        "targets": "Overordnede mål",
        "crime": "Kriminalitet",
        "safety": "Tryghed",
        "activities": "Aktiviteter: indfrielse af succeskriterier",
        "meetings": "Møder i {year}",
        "sources": "Kilder",
        "continued": "(fortsat)",
        "col_target": "Mål",
        "col_year": "Seneste år",
        "col_value": "Værdi",
        "col_reference": "Baseline/sammenligning",
        "col_verdict": "Vurdering",
        "col_name": "Indsatsens navn",
        "col_org": "Forvaltning",
        "col_fulfilment": "Indfrielse af succeskriterier",
        "col_date": "Dato",
        "col_kind": "Type",
        "col_title": "Emne",
        "col_attendance": "Deltagelse",
        "no_targets": "Ingen mål registreret.",
        "no_activities": "Ingen aktiviteter registreret.",
        "no_meetings": "Ingen møder registreret",
        "no_sources": "Ingen kilder angivet.",
        "no_chart": "Ingen data til figuren: {what}.",
        "what_total": "samlet antal anmeldelser",
        "what_crime": "anmeldelser pr. kategori",
        "what_safety": "andel utrygge borgere",
        "page": "side {n} af {total}",
        "subject": "Årlig status",
    },
    "en": {
        "annual": "Annual status {year}",
        "generated": "Generated {date} by Partnerbot",
        "as_of": "Data as of {date}",
        "demo_note": (
            "All figures in this report are synthetic demo data. They must not be used for "
            "decisions or quoted as the partnership's results."
        ),
        "contents": "Contents",
        "targets": "Overall targets",
        "crime": "Crime",
        "safety": "Safety",
        "activities": "Activities: fulfilment of success criteria",
        "meetings": "Meetings in {year}",
        "sources": "Sources",
        "continued": "(continued)",
        "col_target": "Target",
        "col_year": "Latest year",
        "col_value": "Value",
        "col_reference": "Baseline/comparison",
        "col_verdict": "Verdict",
        "col_name": "Activity",
        "col_org": "Administration",
        "col_fulfilment": "Fulfilment of success criteria",
        "col_date": "Date",
        "col_kind": "Kind",
        "col_title": "Subject",
        "col_attendance": "Attendance",
        "no_targets": "No targets recorded.",
        "no_activities": "No activities recorded.",
        "no_meetings": "No meetings recorded",
        "no_sources": "No sources given.",
        "no_chart": "No data for the figure: {what}.",
        "what_total": "total police reports",
        "what_crime": "police reports per category",
        "what_safety": "share of residents who feel unsafe",
        "page": "page {n} of {total}",
        "subject": "Annual status",
    },
}


@dataclass(frozen=True)
class TargetRow:
    """One line of an overall-targets table, every cell already formatted in the language."""

    label: str
    latest_year: int | None
    value: str
    reference: str
    verdict: str


@dataclass(frozen=True)
class ActivityRow:
    """One activity in the city's form; `fulfilment` is a word in the language, or "–"."""

    area: str
    name: str
    organisation: str
    fulfilment: str


@dataclass(frozen=True)
class MeetingRow:
    """A meeting held in the year; `attendance` e.g. "9 ja · 2 nej · 1 måske"."""

    date: str
    kind: str
    title: str
    attendance: str


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already evaluated and worded by the command.

    The frames are those of `charts.status` (they may be empty: the page then says which
    figure has no data). `baseline_year` only words the crime chart titles ("2015-niveau").
    """

    meta: ChartMeta
    year: int
    title: str
    generated: dt.date
    crime_targets: list[TargetRow]
    safety_targets: list[TargetRow]
    crime_frame: pd.DataFrame
    total_frame: pd.DataFrame
    safety_frame: pd.DataFrame
    activities: list[ActivityRow]
    meetings: list[MeetingRow]
    sources: list[str]
    baseline_year: int | None = None


@dataclass(frozen=True)
class _Column:
    header: str
    width: float  # inches
    verdict: bool = False  # draw a coloured mark before known verdict words


def report_pdf(data: ReportData) -> bytes:
    """Render the annual status report; returns the PDF's bytes."""
    doc = _Document(data)
    doc.build()
    buffer = io.BytesIO()
    metadata = {
        "Title": data.title,
        "Author": "Partnerbot",
        "Subject": f"{_word(data.meta, 'subject')} {data.year} · {data.meta.partnership}",
        "Creator": "Partnerbot",
    }
    with (
        _PDF_LOCK,
        matplotlib.rc_context({"pdf.fonttype": 42}),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        for page in doc.pages:
            pdf.savefig(page)
    return buffer.getvalue()


def _word(meta: ChartMeta, key: str, **values: object) -> str:
    phrase = WORDS[meta.lang][key]
    return phrase.format(**values) if values else phrase


class _Document:
    """Lays the report out page by page; a page is a Figure, positions are inches from the top."""

    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.meta = data.meta
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

    # -- the report ---------------------------------------------------------------------------

    def build(self) -> None:
        self.new_page()  # the cover is filled in last, when the contents' page numbers are known
        self.targets()
        self.charts()
        self.activities()
        self.meetings_and_sources()
        self.cover()
        for n, page in enumerate(self.pages, start=1):
            self.stamp(page, n)

    def cover(self) -> None:
        data, meta = self.data, self.meta
        self.page = self.pages[0]
        self.y = self.top + 1.3
        self.put(MARGIN, self.y, meta.partnership, 14, bold=True, colour=MUTED)
        self.y += 0.45
        for line in wrap(data.title, CONTENT_W, 26, bold=True):
            self.put(MARGIN, self.y, line, 26, bold=True)
            self.y += 26 * 1.25 / 72
        self.y += 0.15
        self.put(MARGIN, self.y, _word(meta, "annual", year=data.year), 16)
        self.y += 0.5
        self.rule(self.y, INK, 1.0)
        self.y += 0.2
        self.put(
            MARGIN, self.y, _word(meta, "generated", date=fmt_date(data.generated, meta.lang)), 11
        )
        self.y += 0.25
        self.put(MARGIN, self.y, _word(meta, "as_of", date=fmt_date(meta.as_of, meta.lang)), 11)
        self.y += 0.55
        if meta.demo:
            lines = wrap(_word(meta, "demo_note"), CONTENT_W - 0.4, 11)
            height = 0.6 + len(lines) * 11 * 1.35 / 72 + 0.15
            self.page.add_artist(
                Rectangle(
                    (MARGIN / A4[0], 1 - (self.y + height) / A4[1]),
                    CONTENT_W / A4[0],
                    height / A4[1],
                    transform=self.page.transFigure,
                    facecolor="#FBEAEC",
                    edgecolor=DEMO_RED,
                    linewidth=1.5,
                )
            )
            self.put(
                MARGIN + 0.2, self.y + 0.18, text(meta.lang, "demo"), 16, bold=True, colour=DEMO_RED
            )
            y = self.y + 0.6
            for line in lines:
                self.put(MARGIN + 0.2, y, line, 11, colour=INK)
                y += 11 * 1.35 / 72
            self.y += height + 0.4
        self.put(MARGIN, self.y, _word(meta, "contents"), 12.5, bold=True)
        self.y += 0.35
        for title, page in self.contents:
            self.put(MARGIN, self.y, title, 11)
            self.put(A4[0] - MARGIN, self.y, str(page), 11, ha="right")
            self.y += 0.27

    def stamp(self, page: Figure, n: int) -> None:
        """Footer on every page; the DEMO band and footer stamp on every page of demo data."""
        meta = self.meta
        total = len(self.pages)
        y = (BOTTOM - 0.35) / A4[1]
        page.add_artist(
            Line2D(
                [MARGIN / A4[0], (A4[0] - MARGIN) / A4[0]],
                [y + 0.2 / A4[1]] * 2,
                transform=page.transFigure,
                color=RULE,
                linewidth=0.6,
            )
        )
        label = f"{meta.partnership} · {_word(meta, 'page', n=n, total=total)}"
        page.text(MARGIN / A4[0], y, label, fontsize=9, color=MUTED, va="top")
        if meta.demo:
            page.text(
                (A4[0] - MARGIN) / A4[0],
                y,
                text(meta.lang, "demo"),
                fontsize=9,
                fontweight="bold",
                color=DEMO_RED,
                va="top",
                ha="right",
            )
            demo_band(page, meta.lang)

    def targets(self) -> None:
        data, meta = self.data, self.meta
        self.new_page()
        self.heading(_word(meta, "targets"), contents=True)
        columns = [
            _Column(_word(meta, "col_target"), 1.85),
            _Column(_word(meta, "col_year"), 1.0),
            _Column(_word(meta, "col_value"), 0.85),
            _Column(_word(meta, "col_reference"), 2.05),
            _Column(_word(meta, "col_verdict"), CONTENT_W - 5.75, verdict=True),
        ]
        for key, rows in (("crime", data.crime_targets), ("safety", data.safety_targets)):
            self.heading(_word(meta, key), level=2)
            if not rows:
                self.paragraph(_word(meta, "no_targets"), colour=MUTED)
                continue
            self.table(
                columns,
                [
                    [
                        r.label,
                        "–" if r.latest_year is None else str(r.latest_year),
                        r.value,
                        r.reference,
                        r.verdict,
                    ]
                    for r in rows
                ],
            )
        height = min(4.6, self.room() - 0.1)
        self.chart(
            lambda fig: draw_total(fig, data.total_frame, meta, data.baseline_year, stamp=False),
            max(height, 3.4),
            "what_total",
            _has_values(data.total_frame, "value"),
        )

    def charts(self) -> None:
        data, meta = self.data, self.meta
        self.new_page()
        # Level-2 headings: each chart carries its own title, the page needs the room for data.
        available = A4[1] - BOTTOM - self.top - 2 * (12.5 * 1.3 / 72 + 0.1) - 0.3
        self.heading(_word(meta, "crime"), level=2, contents=True)
        self.chart(
            lambda fig: draw_crime(fig, data.crime_frame, meta, data.baseline_year, stamp=False),
            available * 0.54,
            "what_crime",
            _has_values(data.crime_frame, "value"),
        )
        self.heading(_word(meta, "safety"), level=2, contents=True)
        self.chart(
            lambda fig: draw_safety(fig, data.safety_frame, meta, stamp=False),
            available * 0.46,
            "what_safety",
            _has_values(data.safety_frame, "area") or _has_values(data.safety_frame, "city"),
        )

    def activities(self) -> None:
        """The city's form: name | administration | fulfilment, a group row per focus area."""
        meta = self.meta
        self.new_page()
        heading = _word(meta, "activities")
        self.heading(heading, contents=True)
        if not self.data.activities:
            self.paragraph(_word(meta, "no_activities"), colour=MUTED)
            return
        columns = [
            _Column(_word(meta, "col_name"), 3.4),
            _Column(_word(meta, "col_org"), 2.05),
            _Column(_word(meta, "col_fulfilment"), CONTENT_W - 5.45, verdict=True),
        ]
        groups: dict[str, list[ActivityRow]] = {}
        for activity in self.data.activities:
            groups.setdefault(activity.area, []).append(activity)
        self.table_header(columns)
        continued = _word(meta, "continued")
        for area, rows in groups.items():
            first = [rows[0].name, rows[0].organisation, rows[0].fulfilment]
            if self.room() < LINE_IN + 2 * CELL_PAD + self.row_height(columns, first):
                self._continue(heading, columns)
            self.group_row(area)
            for i, act in enumerate(rows):
                values = [act.name, act.organisation, act.fulfilment]
                if self.room() < self.row_height(columns, values):
                    self._continue(heading, columns)
                    self.group_row(f"{area} {continued}")
                self.table_row(columns, values, zebra=i % 2 == 1)
        self.y += 0.2

    def _continue(self, heading: str, columns: Sequence[_Column]) -> None:
        self.new_page()
        self.heading(f"{heading} {_word(self.meta, 'continued')}")
        self.table_header(columns)

    def meetings_and_sources(self) -> None:
        data, meta = self.data, self.meta
        self.new_page()
        self.heading(_word(meta, "meetings", year=data.year), contents=True)
        if data.meetings:
            columns = [
                _Column(_word(meta, "col_date"), 1.0),
                _Column(_word(meta, "col_kind"), 1.45),
                _Column(_word(meta, "col_title"), 2.75),
                _Column(_word(meta, "col_attendance"), CONTENT_W - 5.2),
            ]
            self.table(columns, [[m.date, m.kind, m.title, m.attendance] for m in data.meetings])
        else:
            self.paragraph(_word(meta, "no_meetings"), colour=MUTED)
        self.y += 0.2
        self.heading(_word(meta, "sources"), contents=True)
        if not data.sources:
            self.paragraph(_word(meta, "no_sources"), colour=MUTED)
        for source in data.sources:
            lines = wrap(source, CONTENT_W - 0.25, BODY_PT)
            self.ensure(LINE_IN)
            self.put(MARGIN, self.y, "•")
            for line in lines:
                self.ensure(LINE_IN)
                self.put(MARGIN + 0.25, self.y, line)
                self.y += LINE_IN
            self.y += 0.08


def _has_values(frame: pd.DataFrame | None, column: str) -> bool:
    return (
        frame is not None
        and not frame.empty
        and column in frame.columns
        and bool(frame[column].notna().any())
    )
