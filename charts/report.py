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

import re
from collections.abc import Sequence

import pandas as pd
from babel import Locale
from matplotlib.figure import Figure, FigureBase
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from charts.crime import draw_crime
from charts.layout import demo_band, text_width_in, wrap
from charts.report_data import ActivityRow, ReportData
from charts.report_layout import (
    A4,
    BODY_PT,
    BOTTOM,
    CELL_PAD,
    CONTENT_W,
    LINE_IN,
    MARGIN,
    _Column,
    _Pages,
    write_pdf,
)
from charts.report_words import _word
from charts.safety import draw_safety
from charts.style import BLUE, DEMO_RED, INK, MUTED, RULE, fmt_date, text
from charts.total import draw_total


def report_pdf(data: ReportData) -> bytes:
    """Render the annual status report; returns the PDF's bytes."""
    doc = _Document(data)
    doc.build()
    subject = f"{_word(data.meta, 'subject')} {data.year} · {data.meta.partnership}"
    return write_pdf(doc.pages, data.title, subject)


class _Document(_Pages):
    """The annual report's pages: cover, targets, charts, activities, meetings and sources."""

    def __init__(self, data: ReportData) -> None:
        super().__init__(data.meta)
        self.data = data

    # -- the report ---------------------------------------------------------------------------

    def build(self) -> None:
        self.new_page()  # the cover is filled in last, when the contents' page numbers are known
        self.targets()
        self.charts()
        self.years()
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
        for label, value in data.case:
            self.y += 0.25
            self.put(MARGIN, self.y, f"{label}: {value}", 11)
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
        if data.summary:
            self.put(MARGIN, self.y, _word(meta, "summary"), 12.5, bold=True)
            self.y += 0.3
            for line in data.summary:
                for i, part in enumerate(wrap(line, CONTENT_W - 0.25, 10.5)):
                    if i == 0:
                        self.put(MARGIN, self.y, "•", 10.5)
                    self.put(MARGIN + 0.25, self.y, part, 10.5)
                    self.y += 10.5 * 1.35 / 72
                self.y += 0.06
            self.y += 0.3
        self.put(MARGIN, self.y, _word(meta, "contents"), 12.5, bold=True)
        self.y += 0.35
        # the summary shares the cover: the contents close up rather than run into the footer
        step = min(0.27, (A4[1] - BOTTOM - self.y) / max(len(self.contents), 1))
        for title, page in self.contents:
            self.put(MARGIN, self.y, title, 11)
            self.put(A4[0] - MARGIN, self.y, str(page), 11, ha="right")
            self.y += step

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

    def years(self) -> None:
        """Every year from the first figure to the report year, the missing ones as missing;
        the change against the baseline and the verdict under the years."""
        if not self.data.years:
            return
        self.new_page()
        for n, table in enumerate(self.data.years):
            title, headers, rows = table.title, table.headers, table.rows
            self.heading(title, 1 if n == 0 else 2, contents=n == 0)
            first = 1.0  # the row labels: years, "Ændring siden 2015", "Vurdering"

            # every column at least as wide as its longest word, header or cell (never
            # "Narkotik-a", "monitor-ed"); what is left shared out evenly
            def widest(texts: Sequence[str], bold: bool) -> float:
                words = [w for t in texts for w in re.split(r"[\s/]+", t) if w]
                return max((text_width_in(w, BODY_PT, bold=bold) for w in words), default=0.0)

            need = [
                max(widest([h], True), widest([r[i] for r in rows], False)) + 2 * CELL_PAD + 0.06
                for i, h in enumerate(headers[1:], start=1)
            ]
            spare = (CONTENT_W - first - sum(need)) / max(len(need), 1)
            widths = [n + spare if spare > 0 else n * (CONTENT_W - first) / sum(need) for n in need]
            columns = [
                _Column(headers[0], first),
                *(_Column(h, w) for h, w in zip(headers[1:], widths, strict=True)),
            ]
            self.table(columns, [list(r) for r in rows])

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
        self.attendance()
        if data.follow_up:
            self.heading(_word(meta, "follow_up"), 2)
            self.paragraph(data.follow_up)
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

    def attendance(self) -> None:
        """Which organisations were represented at how many of the year's meetings: a table,
        and the same figures as bars (the table carries the numbers; the chart the shape)."""
        data, meta = self.data, self.meta
        self.heading(_word(meta, "attendance", year=data.year), 2)
        rows = data.attendance
        if not rows or not rows[0][2]:
            self.paragraph(_word(meta, "no_attendance"), colour=MUTED)
            return
        columns = [
            _Column("Organisation", CONTENT_W - 2.2),
            _Column(_word(meta, "col_represented"), 2.2),
        ]
        rule = Locale.parse("da_DK" if meta.lang == "da" else "en_US")  # CLDR's plural rule

        def represented(r: int, n: int) -> str:
            key = "represented_one" if rule.plural_form(n) == "one" else "represented"
            return _word(meta, key, r=r, n=n)

        cells = [[name, represented(r, n)] for name, r, n in rows]
        self.table(columns, cells)
        height = 0.28 * len(rows) + 0.6
        self.chart(lambda fig: draw_attendance(fig, rows), height, "what_attendance", True)


def draw_attendance(fig: FigureBase, rows: Sequence[tuple[str, int, int]]) -> None:
    """Horizontal bars: meetings represented out of those recorded, one bar per organisation."""
    ax = fig.add_axes((0.34, 0.08, 0.62, 0.88))
    names = [name for name, _, _ in rows][::-1]
    shares = [r for _, r, _ in rows][::-1]
    total = max(n for _, _, n in rows)
    ax.barh(names, shares, color=BLUE, height=0.6)
    ax.set_xlim(0, total)
    ax.set_xticks(range(0, total + 1))
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _has_values(frame: pd.DataFrame | None, column: str) -> bool:
    return (
        frame is not None
        and not frame.empty
        and column in frame.columns
        and bool(frame[column].notna().any())
    )
