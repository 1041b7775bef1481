"""The annual status report as an editable Word document (`report YEAR format=docx`): the same
content as the PDF — the summary, the targets with their tables (verdict cells shaded in their
traffic light, the word kept) and charts, the targets year by year with their notes and
sources, the activities in the city's form by focus area and prevention level (unfunded ones
marked †), the economy, the meetings, attendance per organisation, the follow-up items, what is
still to come and the sources — so the secretariat can add its commentary before the report
goes on. Built from the report's own data (charts.report_data.ReportData) through
charts/document.py; the charts are the status PNGs with alt text made from their figures
(charts.alt_text), as in the PDF."""

from __future__ import annotations

from charts.alt_text import crime_alt, safety_alt, total_alt
from charts.crime import crime_chart
from charts.document import Document, Section, to_docx
from charts.report import _has_values, activity_cells, activity_groups, sources_line
from charts.report_data import ReportData, TargetRow, tone
from charts.report_words import _word
from charts.safety import safety_chart
from charts.style import fmt_date
from charts.total import total_chart


def _target_rows(rows: list[TargetRow]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        (r.label, "–" if r.latest_year is None else str(r.latest_year), r.value, r.reference,
         r.verdict)
        for r in rows
    )  # fmt: skip


def _target_tones(rows: list[TargetRow]) -> tuple[tuple[str, ...], ...]:
    return tuple(("", "", "", "", tone(r.verdict_key)) for r in rows)


def report_docx(data: ReportData) -> bytes:
    meta = data.meta
    w = lambda key, **kw: _word(meta, key, **kw)  # noqa: E731  (the phrases, in the language)
    target_headers = tuple(w(k) for k in ("col_target", "col_year", "col_value", "col_reference",
                                           "col_verdict"))  # fmt: skip
    crime_figures: list[tuple[bytes, str, str]] = []
    if _has_values(data.total_frame, "value"):
        title = w("what_total").capitalize()
        png = total_chart(data.total_frame, meta, baseline_year=data.baseline_year)
        crime_figures.append((png, title, total_alt(data.total_frame, meta, data.baseline_year)))
    if _has_values(data.crime_frame, "value"):
        title = w("what_crime").capitalize()
        png = crime_chart(data.crime_frame, meta, baseline_year=data.baseline_year)
        crime_figures.append((png, title, crime_alt(data.crime_frame, meta, data.baseline_year)))
    safety_figures: list[tuple[bytes, str, str]] = []
    if _has_values(data.safety_frame, "area") or _has_values(data.safety_frame, "city"):
        title = w("what_safety").capitalize()
        png = safety_chart(data.safety_frame, meta)
        safety_figures.append((png, title, safety_alt(data.safety_frame, meta)))
    sections = [
        Section(w("summary"), tuple(data.summary)) if data.summary else None,
        Section(w("crime"), () if data.crime_targets else (w("no_targets"),),
                target_headers if data.crime_targets else (), _target_rows(data.crime_targets),
                figures=tuple(crime_figures), tones=_target_tones(data.crime_targets),
                after=data.chart_notes.get("crime", ())),
        Section(w("safety"), () if data.safety_targets else (w("no_targets"),),
                target_headers if data.safety_targets else (), _target_rows(data.safety_targets),
                figures=tuple(safety_figures), tones=_target_tones(data.safety_targets),
                after=data.chart_notes.get("safety", ())),
    ]  # fmt: skip
    for table in data.years:
        last = len(table.rows) - 1
        tones = tuple(
            tuple(tone(k) for k in table.verdict_keys) if i == last else ()
            for i in range(len(table.rows))
        )
        after = table.notes + ((sources_line(meta, table.sources),) if table.sources else ())
        sections.append(
            Section(table.title, (), table.headers, table.rows, tones=tones, after=after)
        )
    sections.extend(_activities(data))
    if data.economy is not None:
        economy = data.economy
        bold = economy.area_rows + (() if economy.total_row is None else (economy.total_row,))
        sections.append(
            Section(economy.title, (economy.frame,) if economy.frame else (), economy.headers,
                    economy.rows, bold_rows=bold, after=economy.notes)
        )  # fmt: skip
    sections.append(
        Section(w("meetings", year=data.year), () if data.meetings else (w("no_meetings"),),
                (w("col_date"), w("col_kind"), w("col_title"), w("col_attendance"))
                if data.meetings else (),
                tuple((m.date, m.kind, m.title, m.attendance) for m in data.meetings))
    )  # fmt: skip
    recorded = bool(data.attendance) and data.attendance[0][2] > 0
    sections.append(
        Section(
            w("attendance", year=data.year),
            () if recorded else (w("no_attendance"),),
            ("Organisation", w("col_represented")) if recorded else (),
            tuple((n, w("represented", r=r, n=m)) for n, r, m in data.attendance)
            if recorded
            else (),
        )
    )
    if data.follow_up:
        sections.append(Section(w("follow_up"), (data.follow_up,)))
    if data.pending:
        sections.append(Section(w("pending"), data.pending))
    sections.append(Section(w("sources"), tuple(data.sources) or (w("no_sources"),)))
    facts = (
        (w("annual", year=data.year), meta.partnership),
        (w("generated", date=fmt_date(data.generated, meta.lang)), ""),
        (w("as_of", date=fmt_date(meta.as_of, meta.lang)), ""),
        *data.case,
    )
    return to_docx(
        Document(
            title=data.title,
            lang=meta.lang,
            partnership=meta.partnership,
            facts=tuple((label, value) for label, value in facts),
            sections=tuple(s for s in sections if s is not None),
            footer=f"{meta.partnership} · {data.title}",
            demo=meta.demo,
        )
    )


def _activities(data: ReportData) -> list[Section]:
    """The city's form as in the PDF: a heading per focus area (and prevention level), a table
    of name, administration and fulfilment (shaded) under each, the † explained at the end."""
    meta = data.meta
    w = lambda key, **kw: _word(meta, key, **kw)  # noqa: E731
    if not data.activities:
        return [Section(w("activities"), (w("no_activities"),))]
    headers = (w("col_name"), w("col_org"), w("col_fulfilment"))
    out = [Section(w("activities"))]
    for area, groups in activity_groups(data.activities):
        if groups[0][0] is not None:
            out.append(Section(area, level=3))
        for level, members in groups:
            cells = [activity_cells(a) for a in members]
            heading, depth = (area, 3) if level is None else (level or w("no_prevention"), 4)
            out.append(
                Section(heading, (), headers, tuple(tuple(c) for c, _ in cells), (3.2, 2.2, 2.0),
                        level=depth, tones=tuple(tuple(t) for _, t in cells))
            )  # fmt: skip
    if any(not a.funded for a in data.activities):
        out[-1] = Section(**{**out[-1].__dict__, "after": (w("unfunded"),)})
    return out
