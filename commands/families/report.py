"""`report YEAR` (`rapport ÅR`): the annual status report for the steering group, as an A4 PDF
in the partnership's language: cover, the overall targets with tables and charts, the activity
overview in the city's own form (Indsatsens navn | Forvaltning | Indfrielse af succeskriterier,
grouped by focus area), the meetings held in the year with attendance, and the sources."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlmodel import select

from commands.engine import fmt
from commands.engine.context import Call
from commands.engine.options import keys, opt
from commands.engine.parse import Args, parse_year
from commands.engine.registry import Right, family
from commands.engine.reply import FileOut, Reply, Text
from commands.rules.evaluate import Verdict, evaluate
from commands.views import economy, targets
from commands.views.meetings import rsvp_summary
from commands.views.report_summary import summary
from commands.views.report_years import year_tables
from commands.vocab import Fulfilment, MeetingKind, Presence, Prevention
from storage import records
from storage.models import Activity, Assessment, Meeting
from storage.queries import latest_assessments, plan_query

# how a count of each presence reads: "1 afbud", "2 apologies", "1 apology"
PRESENCE_COUNTED = {
    Presence.PRESENT: (("til stede", "til stede"), ("present", "present")),
    Presence.APOLOGIES: (("afbud", "afbud"), ("apology", "apologies")),
    Presence.ABSENT: (("fraværende", "fraværende"), ("absent", "absent")),
}

if TYPE_CHECKING:  # charts import matplotlib: loaded only when a report is made
    from charts.report_data import ActivityRow, EconomyTable, MeetingRow, ReportData

FAM = family(
    "report", "rapport", "the annual status report as PDF", "den årlige statusrapport som PDF"
)


def report(call: Call, args: Args) -> Reply:
    from charts.report import report_pdf

    if len(args.words) != 1:
        raise call.usage()
    kind = (opt(args, "format") or "pdf").lower()
    if kind not in ("pdf", "docx"):
        raise call.fail("Format skal være pdf eller docx.", "Format must be pdf or docx.")
    year = parse_year(args.words[0])
    if not 2000 <= year <= call.now.year:
        raise call.fail(
            "Året skal ligge mellem 2000 og {y}.",
            "The year must be between 2000 and {y}.",
            y=call.now.year,
        )
    data, has_figures = build(call, year, _case(call, args))
    slug = call.partnership.slug if call.partnership else "report"
    name = f"{slug}-{call.t('statusrapport', 'status-report')}-{year}"
    if kind == "docx":
        from charts.report_docx import report_docx

        file = FileOut(f"{name}.docx", report_docx(data), DOCX, data.title)
    else:
        file = FileOut(f"{name}.pdf", report_pdf(data), "application/pdf", data.title)
    text = call.t(
        "Årlig statusrapport for {y} til styregruppen{d}.",
        "Annual status report for {y} for the steering group{d}.",
        y=year,
        d=call.t(", som Word-dokument til at rette i", ", as a Word document to edit")
        if kind == "docx"
        else "",
    )
    if not has_figures:  # the working year: what exists is reported, the rest named
        text += " " + call.t(
            "Tallene for {y} er ikke offentliggjort endnu (politiets tal og "
            "tryghedsundersøgelsen kommer året efter); rapporten viser det, der findes.",
            "The figures for {y} are not published yet (the police's figures and the survey "
            "come the year after); the report shows what exists.",
            y=year,
        )
    return Reply(blocks=[Text(text)], files=[file], ephemeral=False)


def build(call: Call, year: int, case: tuple[tuple[str, str], ...] = ()) -> tuple[ReportData, bool]:
    """The report's content for the year, and whether the year has published figures; a
    CommandError when there is nothing at all to report."""
    from charts.report_data import ReportData, TargetRow

    fig = targets.figures_of(call)
    assessments = latest_assessments(call.session, call.pid)
    has_figures = any(year in s for s in fig.series.values())
    working = year == call.now.year and bool(records.held(call.session, call.pid, call.now, year))
    if not has_figures and not working and not any(y == year for _, y in assessments):
        covered = fig.years()
        raise call.fail(
            "Der er hverken tal eller vurderinger for {y}, så der er intet at rapportere.{c}",
            "There are neither figures nor assessments for {y}, so there is nothing to report.{c}",
            y=year,
            c=call.t(
                " Tallene dækker {a}–{b}.",
                " The figures cover {a}–{b}.",
                a=covered[0],
                b=covered[-1],
            )
            if covered
            else "",
        )
    upto = range(2000, year + 1)
    rows: dict[str, list[TargetRow]] = {"crime": [], "safety": []}
    verdicts: dict[str, list[tuple[targets.Indicator, Verdict]]] = {"crime": [], "safety": []}
    for ind in fig.indicators:
        if ind.group not in rows or ind.target.rule == "comparison":
            continue
        series = {k: {y: v for y, v in s.items() if y <= year} for k, s in fig.series.items()}
        # the survey is not yearly: a year without one is judged on the latest survey before
        # it, which the table names in its year column ("2016"); police figures are yearly
        verdict = evaluate(ind.target, series, None if ind.target.rule == "approach" else year)
        rows[ind.group].append(
            TargetRow(*targets.verdict_line(ind, verdict, call.lang), verdict_key=verdict.verdict)
        )
        verdicts[ind.group].append((ind, verdict))
    crime, total = targets.crime_frames(fig, call.lang, upto)
    charts = targets.chart_keys(fig)
    used = [k for ks in charts.values() for k in ks]
    shown = fig.shown_years(used, upto)
    meta = targets.chart_meta(call, fig)
    data = ReportData(
        meta=meta,
        year=year,
        title=call.t("Status for {p} {y}", "Status for {p} {y}", p=meta.partnership, y=year),
        generated=call.now.astimezone(call.spec.tz if call.spec else dt.UTC).date(),
        crime_targets=rows["crime"],
        safety_targets=rows["safety"],
        crime_frame=crime,
        total_frame=total,
        safety_frame=targets.safety_frame(fig, call.lang, upto),
        activities=_activities(call, year),
        economy=_economy(call, year),
        meetings=_meetings(call, year),
        attendance=[
            (r.name, r.represented, r.recorded)
            for r in records.by_organisation(call.session, call.pid, year, call.now)
        ],
        follow_up=_follow_up(call, year),
        case=case,
        years=year_tables(fig, verdicts, year, call.lang, _baseline(call)),
        summary=summary(
            call.session,
            call.pid,
            year,
            call.lang,
            call.now,
            verdicts,
            _fulfilment(call, year, assessments),
        ),
        baseline_year=call.spec.period.baseline_year if call.spec else None,
        sources=list(fig.sources_for(used, shown))
        or [call.t("Partnerskabets egne registreringer", "The partnership's own records")],
        chart_sources={
            name: fig.sources_for(ks, fig.shown_years(ks, upto)) for name, ks in charts.items()
        },
        # the crime chart draws its series' notes itself (footnotes by category)
        chart_notes={
            name: fig.notes_for(ks, fig.shown_years(ks, upto), call.lang)
            for name, ks in charts.items()
            if name != "crime"
        },
        pending=_pending(call, fig, year),
    )
    return data, has_figures


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CASE = (
    (("case", "sagsnr"), "Sagsnr.", "Case no."),
    (("document", "dokumentnr"), "Dokumentnr.", "Document no."),
    (("appendix", "bilag"), "Bilag", "Appendix"),
)


def _case(call: Call, args: Args) -> tuple[tuple[str, str], ...]:
    """The city's case fields for the cover, as given with the command."""
    return tuple(
        (call.t(da, en), value[:60]) for names, da, en in CASE if (value := opt(args, *names))
    )


def _activities(call: Call, year: int) -> list[ActivityRow]:
    """The plan in the city's form, with the year's newest assessment and its note; in focus
    area order, then prevention level, then code (the report groups by the first two)."""
    from charts.report_data import ActivityRow

    acts = call.session.exec(plan_query(call.pid)).all()
    newest = {
        a.activity_id: a
        for a in call.session.exec(
            select(Assessment)
            .where(Assessment.partnership_id == call.pid, Assessment.year == year)
            .order_by(Assessment.id)
        )
    }
    levels = [str(p) for p in Prevention]
    rows = []
    for act, area, org in acts:
        got = newest.get(act.id or 0)
        level = Prevention.parse(act.prevention) if act.prevention else None
        rows.append(
            (
                (area.id or 0, levels.index(level) if level else len(levels)),
                ActivityRow(
                    area=call.t(area.name_da, area.name_en),
                    name=act.name,
                    organisation=org.name,
                    fulfilment=Fulfilment.label_of(got.fulfilment, call.lang).replace("-", " ")
                    if got
                    else "–",
                    code=act.code,
                    prevention=level.heading(call.lang) if level else "",
                    fulfilment_key=got.fulfilment if got else "",
                    note=(got.note or "") if got else "",
                    funded=act.funded,
                ),
            )
        )
    return [row for _, row in sorted(rows, key=lambda r: r[0])]  # stable: code order kept


def _meetings(call: Call, year: int) -> list[MeetingRow]:
    from charts.report_data import MeetingRow

    tz = call.spec.tz if call.spec else dt.UTC
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = min(dt.datetime(year + 1, 1, 1, tzinfo=tz), call.now)
    meetings = call.session.exec(
        select(Meeting)
        .where(
            Meeting.partnership_id == call.pid,
            Meeting.status == "planned",
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
        )
        .order_by(Meeting.starts_at)
    ).all()
    answers = rsvp_summary(call.session, call.pid, call.lang)
    out = []
    for m in meetings:
        # who came, where it was recorded; else how people answered the invitation
        attendance = _came(call, m.id or 0) or answers.get(m.id or 0) or "–"
        out.append(
            MeetingRow(
                date=fmt.date(m.starts_at.astimezone(tz), call.lang),
                kind=MeetingKind.label_of(m.kind, call.lang).capitalize(),
                title=m.title or "–",
                attendance=attendance,
            )
        )
    return out


def _economy(call: Call, year: int) -> EconomyTable | None:
    """The year's money against the frame; None when nothing is granted or spent that year."""
    groups = economy.areas(call.session, call.pid, year, call.lang)
    if not any(x.granted is not None or x.spent is not None for a in groups for x in a.lines):
        return None
    return economy.table(groups, year, *economy.frame_of(call.spec), call.lang)


def _pending(call: Call, fig: targets.Figures, year: int) -> tuple[str, ...]:
    """For the working year: which figures are not published yet, and when they come."""
    if year < call.now.year:
        return ()
    texts = {
        "crime": (
            "Politiets anmeldelsestal for {y} er ikke offentliggjort endnu (ventes i {n}).",
            "The police's figures for {y} are not published yet (expected in {n}).",
        ),
        "safety": (
            "Tryghedsundersøgelsen for {y} er ikke offentliggjort endnu (ventes i {n}).",
            "The safety survey for {y} is not published yet (expected in {n}).",
        ),
    }
    out = []
    for group, (da, en) in texts.items():
        keys = [i.target.key for i in fig.indicators if i.group == group]
        if keys and not fig.shown_years(keys, [year]):
            out.append(call.t(da, en, y=year, n=year + 1))
    return tuple(out)


def _baseline(call: Call) -> int | None:
    return call.spec.period.baseline_year if call.spec else None


def _fulfilment(call: Call, year: int, assessments: dict[tuple[int, int], str]) -> list[str]:
    """Per activity of the plan, its assessment for the year ("" where none)."""
    ids = call.session.exec(select(Activity.id).where(Activity.partnership_id == call.pid)).all()
    return [assessments.get((a, year), "") for a in ids]


def _came(call: Call, meeting_id: int) -> str:
    rows = records.attendance(call.session, meeting_id)
    if not rows:
        return ""
    counts = {p: sum(1 for a, _ in rows if a.state == p) for p in Presence}
    return " · ".join(
        fmt.count(call.lang, counts[p], *PRESENCE_COUNTED[p]) for p in Presence if counts[p]
    )


def _follow_up(call: Call, year: int) -> str:
    """The year's follow-up items in one sentence, overdue ones per organisation."""
    every = records.actions(call.session, call.pid, open_only=False)
    made = [a for a in every if a.created_at.year == year]
    if not every:
        return ""
    done = sum(1 for a in made if a.status == "done")
    overdue = records.overdue_by_org(call.session, call.pid, call.now.date())
    late = ", ".join(f"{slug} {n}" for slug, n in overdue.items())
    return call.t(
        "{m} oprettet i {y}, heraf {d} udført. Åbne nu: {o}, heraf {l} overskredet{x}.",
        "{m} created in {y}, {d} of them done. Open now: {o}, {l} of them overdue{x}.",
        m=fmt.count(
            call.lang,
            len(made),
            ("opfølgningspunkt", "opfølgningspunkter"),
            ("follow-up item", "follow-up items"),
        ),
        y=year,
        d=done,
        o=records.count_open(call.session, call.pid),
        l=sum(overdue.values()),
        x=f" ({late})" if late else "",
    )


FAM.subcommand(
    "",
    "",
    Right.REGISTERED,
    report,
    "YEAR [format=pdf|docx] [case=…] [document=…] [appendix=…]",
    "ÅR [format=pdf|docx] [sagsnr=…] [dokumentnr=…] [bilag=…]",
    "2019 format=docx",
    "2019 format=docx",
    keys("format", "case", "sagsnr", "document", "dokumentnr", "appendix", "bilag"),
    slow=True,
)
