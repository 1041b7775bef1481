"""The annual status report as a tagged A4 PDF (PDF/UA-1), ready to go to the steering group
and to be published on kk.dk as it stands.

The first page carries the partnership, the title, the case fields, the date, the summary and
the contents (no separate cover). Then the overall targets (a traffic-light verdict cell per
row, colour and word), their charts, the targets year by year, the activities in the city's own
form ("Indsatsens navn | Forvaltning | Indfrielse af succeskriterier", by focus area and
prevention level), the economy, the year's meetings with attendance, what is still to come and
the sources. Every page has a footer with the partnership and "side n af N", and for demo data
a red band.

This module only says *what* goes where (charts.typst_source's blocks); Typst lays it out
(charts.report_pdf), so tables run over pages with their header repeated and nothing clips.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
from babel import Locale
from matplotlib.figure import FigureBase

from charts import typst_source as t
from charts.alt_text import attendance_alt, crime_alt, safety_alt, total_alt
from charts.crime import crime_size_px, draw_crime
from charts.layout import text_width_in
from charts.report_data import ActivityRow, ReportData, YearTable, tone
from charts.report_figures import draw_attendance, svg
from charts.report_pdf import compile_pdf
from charts.report_words import WORDS, _word
from charts.safety import draw_safety
from charts.style import ChartMeta, fmt_date, text
from charts.total import draw_total

NBSP = "\u00a0"  # a space a line may not break at: "1.690.000 kr." is one word

CHART_W = t.TEXT_W  # inches: charts as wide as the text, so their text keeps its point size


def report_pdf(data: ReportData) -> bytes:
    """Render the annual status report; returns the PDF's bytes."""
    document, images = report_document(data)
    return compile_pdf(document, images)


def report_document(data: ReportData) -> tuple[dict[str, Any], dict[str, str]]:
    """The report as a Typst document and its charts' SVGs by name (one per chart drawn)."""
    return _Report(data).build()


def page_words(lang: str) -> list[str]:
    """ "side {n} af {total}" cut around its numbers, for the template to fill per page."""
    phrase = WORDS[lang]["page"]
    before, rest = phrase.split("{n}")
    middle, after = rest.split("{total}")
    return [before, middle, after]


def sources_line(meta: ChartMeta, sources: tuple[str, ...] | list[str]) -> str:
    key = "source_one" if len(sources) == 1 else "source_many"
    return _word(meta, key, sources="; ".join(sources))


class _Report:
    def __init__(self, data: ReportData) -> None:
        self.data = data
        self.meta = data.meta
        self.blocks: list[t.Block] = []
        self.images: dict[str, str] = {}

    def w(self, key: str, **values: Any) -> str:
        return _word(self.meta, key, **values)

    def build(self) -> tuple[dict[str, Any], dict[str, str]]:
        data, meta = self.data, self.meta
        self.first_page()
        self.targets()
        self.years()
        self.activities()
        self.economy()
        self.meetings()
        self.sources()
        document = {
            "title": data.title,
            "lang": meta.lang,
            "author": "Partnerbot",
            "subject": f"{self.w('subject')} {data.year} · {meta.partnership}",
            "footer": meta.partnership,
            "page": page_words(meta.lang),
            "demo": text(meta.lang, "demo") if meta.demo else None,
            "blocks": self.blocks,
        }
        return document, self.images

    # -- the sections ---------------------------------------------------------------------------

    def first_page(self) -> None:
        data, meta, add = self.data, self.meta, self.blocks.append
        add(t.title(meta.partnership, self.w("annual", year=data.year)))
        facts = [
            self.w("generated", date=fmt_date(data.generated, meta.lang)),
            self.w("as_of", date=fmt_date(meta.as_of, meta.lang)),
            *(f"{label}: {value}" for label, value in data.case),
        ]
        add(t.lines(facts))
        if meta.demo:
            add(t.notice(text(meta.lang, "demo"), self.w("demo_note")))
        if data.summary:
            add(t.heading(self.w("summary"), 1, outlined=False))
            add(t.bullets(data.summary))
        add(t.contents(self.w("contents")))

    def targets(self) -> None:
        data, add = self.data, self.blocks.append
        add(t.heading(self.w("targets")))
        header = [
            self.w(k)
            for k in ("col_target", "col_year", "col_value", "col_reference", "col_verdict")
        ]
        for key, targets in (("crime", data.crime_targets), ("safety", data.safety_targets)):
            add(t.heading(self.w(key), 2))
            if targets:
                cells = [
                    [
                        r.label,
                        "–" if r.latest_year is None else str(r.latest_year),
                        r.value,
                        r.reference,
                        r.verdict,
                    ]
                    for r in targets
                ]
                rows = [
                    t.row(c, ["", "", "", "", tone(r.verdict_key)])
                    for c, r in zip(cells, targets, strict=True)
                ]
                add(t.table(header, rows, _widths(header, cells), keep=len(rows) <= 30))
            else:
                add(t.para(self.w("no_targets"), muted=True))
            if key == "crime":
                self.crime_charts()
            else:
                self.chart(
                    "safety",
                    lambda fig, meta: draw_safety(fig, data.safety_frame, meta, stamp=False),
                    4.3,
                    _has_values(data.safety_frame, "area")
                    or _has_values(data.safety_frame, "city"),
                    lambda: safety_alt(data.safety_frame, data.meta),
                )

    def crime_charts(self) -> None:
        data, meta, baseline = self.data, self.meta, self.data.baseline_year
        self.chart(
            "total",
            lambda fig, m: draw_total(fig, data.total_frame, m, baseline, stamp=False),
            3.9,
            _has_values(data.total_frame, "value"),
            lambda: total_alt(data.total_frame, meta, baseline),
        )
        has_crime = _has_values(data.crime_frame, "value")
        _, height = crime_size_px(data.crime_frame) if has_crime else (0, 750)
        self.chart(
            "crime",
            lambda fig, m: draw_crime(fig, data.crime_frame, m, baseline, stamp=False),
            5.1 * height / 750,  # taller than the PNG's shape: room for the panels' titles
            has_crime,
            lambda: crime_alt(data.crime_frame, meta, baseline),
        )

    def chart(
        self,
        key: str,
        draw: Callable[[FigureBase, ChartMeta], None],
        height: float,
        has_data: bool,
        alt: Callable[[], str],
    ) -> None:
        """A chart as a figure with its alt text and its series breaks under it; or a line
        saying its data is missing. The chart's own source line names the sources of the
        figures it shows (`chart_sources`), where the command gave them."""
        if not has_data:
            missing = self.w(f"what_{key}")
            self.blocks.append(t.para(self.w("no_chart", what=missing), muted=True))
            return
        sources = self.data.chart_sources.get(key, ())
        meta = dataclasses.replace(self.meta, source="; ".join(sources)) if sources else self.meta
        self.images[key] = svg(lambda fig: draw(fig, meta), CHART_W, height)
        self.blocks.append(t.figure(key, alt(), self.data.chart_notes.get(key, ())))

    def years(self) -> None:
        """Every year from the first figure to the report year, the missing ones as missing;
        the change against the baseline and the verdict under the years."""
        for table in self.data.years:
            self.blocks.append(t.heading(table.title))
            self.blocks.append(self.year_table(table))

    def year_table(self, table: YearTable) -> t.Block:
        last = len(table.rows) - 1
        rows = [
            t.row(cells, [tone(k) for k in table.verdict_keys] if i == last else [])
            for i, cells in enumerate(table.rows)
        ]
        below = list(table.notes)
        if table.sources:
            below.append(sources_line(self.meta, table.sources))
        # a short table reads best on one page: 40 rows of 14 pt and a header fit on any page
        keep = len(rows) <= 40
        widths = _widths(table.headers, table.rows, whole_first=True)
        return t.table(table.headers, rows, widths, below, keep=keep, hyphenate=True)

    def activities(self) -> None:
        """The city's form: name | administration | fulfilment, a heading per focus area and,
        when any activity has one, per prevention level within it, in code order."""
        add = self.blocks.append
        add(t.heading(self.w("activities")))
        if not self.data.activities:
            add(t.para(self.w("no_activities"), muted=True))
            return
        header = [self.w("col_name"), self.w("col_org"), self.w("col_fulfilment")]
        for area, groups in activity_groups(self.data.activities):
            add(t.heading(area, 2))
            for level, members in groups:
                if level is not None:
                    add(t.heading(level or self.w("no_prevention"), 3))
                rows = [t.row(*activity_cells(a)) for a in members]
                add(t.table(header, rows, [3.2, 2.2, 2.0]))
        if any(not a.funded for a in self.data.activities):
            add(t.notes([self.w("unfunded")]))

    def economy(self) -> None:
        economy = self.data.economy
        if economy is None:
            return
        add = self.blocks.append
        add(t.heading(economy.title))
        if economy.frame:
            add(t.para(economy.frame))
        bold = set(economy.area_rows) | ({economy.total_row} - {None})
        # an amount is one word: "1.690.000 kr." never breaks before its "kr."
        cells = [(*r[:2], *(c.replace(" ", NBSP) for c in r[2:])) for r in economy.rows]
        rows = [t.row(row, bold=i in bold) for i, row in enumerate(cells)]
        widths = _widths(economy.headers, cells, bold_cells=True)  # its sums are bold
        amounts = ["right" if i >= 2 else "left" for i in range(len(economy.headers))]
        add(t.table(economy.headers, rows, widths, economy.notes, align=amounts))

    def meetings(self) -> None:
        data, add = self.data, self.blocks.append
        add(t.heading(self.w("meetings", year=data.year)))
        if data.meetings:
            header = [self.w(k) for k in ("col_date", "col_kind", "col_title", "col_attendance")]
            rows = [t.row([m.date, m.kind, m.title, m.attendance]) for m in data.meetings]
            add(t.table(header, rows, [1.0, 1.4, 2.7, 2.0]))
        else:
            add(t.para(self.w("no_meetings"), muted=True))
        self.attendance()
        if data.follow_up:
            add(t.heading(self.w("follow_up"), 2))
            add(t.para(data.follow_up))
        if data.pending:
            add(t.heading(self.w("pending"), 2))
            add(t.bullets(data.pending))

    def attendance(self) -> None:
        """Which organisations were represented at how many of the year's meetings: a table,
        and the same figures as bars (the table carries the numbers; the chart the shape)."""
        data, meta, add = self.data, self.meta, self.blocks.append
        add(t.heading(self.w("attendance", year=data.year), 2))
        rows = data.attendance
        if not rows or not rows[0][2]:
            add(t.para(self.w("no_attendance"), muted=True))
            return
        rule = Locale.parse("da_DK" if meta.lang == "da" else "en_US")  # CLDR's plural rule

        def represented(r: int, n: int) -> str:
            key = "represented_one" if rule.plural_form(n) == "one" else "represented"
            return self.w(key, r=r, n=n)

        cells = [(name, represented(r, n)) for name, r, n in rows]
        add(
            t.table(
                ["Organisation", self.w("col_represented")], [t.row(c) for c in cells], [3.0, 1.5]
            )
        )
        self.chart(
            "attendance",
            lambda fig, _meta: draw_attendance(fig, rows),
            0.28 * len(rows) + 0.6,
            True,
            lambda: attendance_alt(cells, meta),
        )

    def sources(self) -> None:
        add = self.blocks.append
        add(t.heading(self.w("sources")))
        if self.data.sources:
            add(t.bullets(self.data.sources))
        else:
            add(t.para(self.w("no_sources"), muted=True))


def activity_groups(
    activities: Sequence[ActivityRow],
) -> list[tuple[str, list[tuple[str | None, list[ActivityRow]]]]]:
    """The activities by focus area, in the order given (code order), and within an area by
    prevention level when any activity has one (level None: no such grouping; "": none set).

    "Primær", "Sekundær", "Tertiær" (and "Primary", …) sort as the levels run, so the worded
    level orders the groups; activities without a level come last."""
    by_level = any(a.prevention for a in activities)
    areas: dict[str, list[ActivityRow]] = {}
    for activity in activities:
        areas.setdefault(activity.area, []).append(activity)
    out: list[tuple[str, list[tuple[str | None, list[ActivityRow]]]]] = []
    for area, rows in areas.items():
        if not by_level:
            out.append((area, [(None, rows)]))
            continue
        groups: dict[str, list[ActivityRow]] = {}
        for activity in sorted(rows, key=lambda a: (not a.prevention, a.prevention)):
            groups.setdefault(activity.prevention, []).append(activity)
        out.append((area, [(level, members) for level, members in groups.items()]))
    return out


def activity_cells(activity: ActivityRow) -> tuple[list[str], list[str]]:
    """The city's three cells and their tones: the name (marked † when it runs without the
    partnership's money), the administration, the fulfilment word with its note."""
    name = activity.name if activity.funded else f"{activity.name} †"
    fulfilment = activity.fulfilment
    if activity.note:
        fulfilment = f"{fulfilment}: {activity.note}"
    return [name, activity.organisation, fulfilment], ["", "", tone(activity.fulfilment_key)]


def _widths(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    whole_first: bool = False,
    bold_cells: bool = False,
) -> list[float]:
    """Column widths in inches (Typst takes them as shares of the text width), as a browser
    lays out an automatic table, giving way step by step while the table is too wide: first
    headers wrap at their spaces and after a "/", then long header words are hyphenated
    (year tables allow that in their header cells), and only last do cells wrap, never inside a
    word ("Narkotik-a"). `whole_first`: the row labels ("Ændring siden 2015") stay whole;
    `bold_cells`: cells measured as bold, for tables with bold rows (sums)."""
    pad = 2 * 4.5 / 72 + 0.04  # the cells' inset, and a little air

    def width(value: str, bold: bool = False) -> float:
        return text_width_in(value, 9.5, bold=bold) + pad

    def split(value: str) -> list[str]:
        return [w for w in re.split(r"(?<=/)|[^\S\u00a0]+", value) if w]  # NBSP holds

    natural, head_words, cells_whole, cell_words = [], [], [], []
    for i, head in enumerate(header):
        cells = [r[i] for r in rows if i < len(r)]
        words = max((width(w, bold_cells) for c in cells for w in split(c)), default=pad)
        if whole_first and i == 0:
            words = max([words, *(min(width(c), 1.8) for c in cells)])
        cell_words.append(words)
        cells_whole.append(max([words, *(width(c, bold_cells) for c in cells)]))
        head_words.append(max([cells_whole[-1], *(width(w, True) for w in split(head))]))
        natural.append(max(head_words[-1], width(head, True)))
    if sum(natural) <= CHART_W:
        return [n + (CHART_W - sum(natural)) / len(natural) for n in natural]
    levels = [natural, head_words, cells_whole, cell_words]
    for wide, narrow in itertools.pairwise(levels):
        if sum(narrow) <= CHART_W:
            more = [w - n for w, n in zip(wide, narrow, strict=True)]
            spare = CHART_W - sum(narrow)
            return [n + spare * m / (sum(more) or 1) for n, m in zip(narrow, more, strict=True)]
    return cell_words  # wider than the page even so: Typst scales the shares down


def _has_values(frame: pd.DataFrame | None, column: str) -> bool:
    return (
        frame is not None
        and not frame.empty
        and column in frame.columns
        and bool(frame[column].notna().any())
    )
