"""The annual status report as an editable Word document (`report YEAR format=docx`): the same
content as the PDF — targets with their tables and charts, the activities in the city's form,
the meetings, attendance per organisation, the follow-up items and the sources — so the
secretariat can add its commentary before the report goes on. Built from the report's own data
(charts.report.ReportData) through charts/document.py; the charts are the status PNGs with alt
text made from the table beside them."""

from __future__ import annotations

from charts.crime import crime_chart
from charts.document import Document, Section, to_docx
from charts.report import _has_values
from charts.report_data import ReportData, TargetRow
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


def _alt(title: str, rows: list[TargetRow]) -> str:
    parts = [
        f"{r.label} {r.value} ({r.latest_year or '–'}), {r.reference}: {r.verdict}" for r in rows
    ]
    return f"{title}: " + "; ".join(parts) + "." if parts else f"{title}."


def report_docx(data: ReportData) -> bytes:
    meta = data.meta
    w = lambda key, **kw: _word(meta, key, **kw)  # noqa: E731  (the phrases, in the language)
    target_headers = tuple(w(k) for k in ("col_target", "col_year", "col_value", "col_reference",
                                           "col_verdict"))  # fmt: skip
    crime_figures: list[tuple[bytes, str, str]] = []
    if _has_values(data.total_frame, "value"):
        title = w("what_total").capitalize()
        png = total_chart(data.total_frame, meta, baseline_year=data.baseline_year)
        crime_figures.append((png, title, _alt(title, data.crime_targets)))
    if _has_values(data.crime_frame, "value"):
        title = w("what_crime").capitalize()
        png = crime_chart(data.crime_frame, meta, baseline_year=data.baseline_year)
        crime_figures.append((png, title, _alt(title, data.crime_targets)))
    safety_figures: list[tuple[bytes, str, str]] = []
    if _has_values(data.safety_frame, "area") or _has_values(data.safety_frame, "city"):
        title = w("what_safety").capitalize()
        png = safety_chart(data.safety_frame, meta)
        safety_figures.append((png, title, _alt(title, data.safety_targets)))
    sections = [
        Section(w("summary"), tuple(data.summary)) if data.summary else None,
        Section(w("crime"), () if data.crime_targets else (w("no_targets"),),
                target_headers if data.crime_targets else (), _target_rows(data.crime_targets),
                figures=tuple(crime_figures)),
        Section(w("safety"), () if data.safety_targets else (w("no_targets"),),
                target_headers if data.safety_targets else (), _target_rows(data.safety_targets),
                figures=tuple(safety_figures)),
        *(Section(t.title, (), t.headers, t.rows) for t in data.years),
        Section(w("activities"), () if data.activities else (w("no_activities"),),
                (w("col_name"), w("col_org"), w("col_fulfilment"), w("col_area"))
                if data.activities else (),
                tuple((a.name, a.organisation, a.fulfilment, a.area) for a in data.activities)),
        Section(w("meetings", year=data.year), () if data.meetings else (w("no_meetings"),),
                (w("col_date"), w("col_kind"), w("col_title"), w("col_attendance"))
                if data.meetings else (),
                tuple((m.date, m.kind, m.title, m.attendance) for m in data.meetings)),
    ]  # fmt: skip
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
