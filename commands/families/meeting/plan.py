"""`meeting plan YEAR` (`møde planlæg`): propose the year's meetings, create them on `confirm`.

The proposal changes nothing; the same command with `confirm` (a button, which asks first)
creates the meetings and their reminders. Both count the meetings the year already has and
take only what is missing, so a confirmation sent twice — typed again, a double click, two
replicas — creates nothing the second time; the partnership is locked while one is counted and
created. Why a plan cannot be made is worded here from the planner's reason key, in the
caller's language.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from commands.engine import fmt
from commands.engine.confirm import WORDS as confirm_words
from commands.engine.context import Call
from commands.engine.errors import CommandError
from commands.engine.options import opt
from commands.engine.parse import Args, ParseError, command_line, parse_time, parse_year
from commands.engine.reply import Block, Button, Confirm, Note, Reply, Table, Text
from commands.families.meeting.schedule import schedule
from commands.families.meeting.shared import (
    flags,
    kind_counts,
    kind_label,
    local,
    meeting_count,
    meeting_words,
    tz,
)
from commands.rules import planning
from storage.locks import lock_partnership
from storage.models import Meeting

WEEKDAYS = {
    "mandag": 0,
    "monday": 0,
    "mon": 0,
    "tirsdag": 1,
    "tuesday": 1,
    "tue": 1,
    "onsdag": 2,
    "wednesday": 2,
    "wed": 2,
    "torsdag": 3,
    "thursday": 3,
    "thu": 3,
    "fredag": 4,
    "friday": 4,
    "fri": 4,
}
# PlanError.key -> why, in both languages, from its params
REASONS = {
    "count-out-of-range": (
        "partnerskabets regel er {min}–{max} arbejdsgruppemøder om året, ikke {count}",
        "the partnership's rule is {min}–{max} working-group meetings a year, not {count}",
    ),
    "weekday": ("ugedagen skal være mandag–fredag", "the weekday must be Monday–Friday"),
    "year-past": (
        "{year} er slut, så der er intet at planlægge",
        "{year} is over, so there is nothing to plan",
    ),
    "no-free-day": (
        "der er ikke ledige mødedage nok tilbage i året (der skal bruges {count})",
        "there are not enough free meeting days left in the year ({count} needed)",
    ),
}


def plan_refused(call: Call, err: planning.PlanError) -> CommandError:
    """The planner's reason as a reply: "Planen kan ikke laves: …" in the caller's language."""
    da, en = REASONS.get(err.key, ("", ""))
    try:
        reason = call.t(da, en, **err.params)
    except (KeyError, IndexError):  # a reason whose params changed: say no more than we know
        reason = ""
    if not reason:
        return call.fail("Planen kan ikke laves.", "The plan cannot be made.")
    return call.fail("Planen kan ikke laves: {e}.", "The plan cannot be made: {e}.", e=reason)


def plan(call: Call, args: Args) -> Reply:
    if (
        not args.words
        or len(args.words) > 2
        or (len(args.words) == 2 and args.words[1].lower() not in confirm_words)
    ):
        raise call.usage()
    assert call.spec is not None
    year = parse_year(args.words[0])
    count_word = opt(args, "count", "antal")
    weekday_word = (opt(args, "weekday", "ugedag") or "").lower()
    time_word = opt(args, "time", "kl")
    if weekday_word and weekday_word not in WEEKDAYS:
        raise call.fail("Ugedag skal være mandag–fredag.", "Weekday must be Monday–Friday.")
    try:
        count = int(count_word) if count_word else None
    except ValueError:
        raise ParseError("bad_number", count_word or "") from None
    zone = tz(call)
    confirm = len(args.words) == 2
    if confirm:  # count and create under one lock: two confirmations never both create
        lock_partnership(call.session, call.pid)
    existing = _year_meetings(call, year)
    try:
        proposals = planning.plan_year(
            year,
            call.spec.meetings,
            zone,
            count=count,
            weekday=WEEKDAYS.get(weekday_word) if weekday_word else None,
            at=parse_time(time_word) if time_word else None,
            today=call.now.astimezone(zone).date(),
            existing=existing,
        )
    except planning.PlanError as err:
        raise plan_refused(call, err) from None
    if not proposals:
        return _nothing_missing(call, year, existing, confirm)
    rows = tuple(
        (
            local(call, p.starts_at),
            kind_label(call, p.kind),
            call.t(p.title_da, p.title_en),
        )
        for p in proposals
    )
    table = Table(tuple(call.t("Tid|Type|Titel", "When|Kind|Title").split("|")), rows)
    if not confirm:
        held_wg = sum(kind == "wg" for kind, _ in existing)
        return _proposal(call, args, year, proposals, table, len(existing), held_wg)
    created = []
    for p in proposals:
        meeting = Meeting(
            partnership_id=call.pid,
            kind=p.kind,
            title=call.t(p.title_da, p.title_en),
            starts_at=p.starts_at.astimezone(dt.UTC),
            duration_minutes=p.duration_minutes,
            created_by=call.actor,
            created_at=call.now,
        )
        call.save(meeting, "meeting.add", "meeting")
        schedule(call, meeting)
        created.append(meeting)
    done = call.t(
        "Oprettet: {n} i {y} med påmindelser.",
        "Created: {n} in {y} with reminders.",
        n=meeting_words(call.lang, len(created)),
        y=year,
    )
    blocks: list[Block] = [Text(done), table]
    blocks += [Note(f) for f in flags(call, year)]
    # a confirmation clicked in chat takes the place of the proposal: no live button is left
    return Reply(blocks=blocks, ephemeral=False, replace_original=True)


def _year_meetings(call: Call, year: int) -> list[tuple[str, dt.date]]:
    """(kind, local date) of the year's meetings that are not cancelled."""
    zone = tz(call)
    rows = call.session.exec(
        select(Meeting.kind, Meeting.starts_at).where(
            Meeting.partnership_id == call.pid, Meeting.status != "cancelled"
        )
    ).all()
    days = [(kind, starts.astimezone(zone).date()) for kind, starts in rows]
    return [(kind, day) for kind, day in days if day.year == year]


def _already(call: Call, held: int, year_wg: int) -> str:
    """The tail of the proposal's count: "; 2 er allerede planlagt, så året får 7 …"."""
    return call.t(
        "; {h} er allerede planlagt, så året får {w}",
        "; {h} already planned, so the year gets {w}",
        h=fmt.number(held, call.lang),
        w=kind_counts(call.lang, year_wg, 0),
    )


def _nothing_missing(
    call: Call, year: int, existing: list[tuple[str, dt.date]], confirm: bool
) -> Reply:
    kinds = [kind for kind, _ in existing]
    has = call.t(
        "{y} har allerede sine møder ({m}).",
        "{y} already has its meetings ({m}).",
        y=year,
        m=kind_counts(call.lang, kinds.count("wg"), kinds.count("sg")),
    )
    text = (
        call.t("Intet er oprettet: {h}", "Nothing was created: {h}", h=has)
        if confirm
        else call.t("{h} Der er intet at foreslå.", "{h} There is nothing to propose.", h=has)
    )
    blocks: list[Block] = [Text(text), *(Note(f) for f in flags(call, year))]
    return Reply(blocks=blocks, replace_original=confirm)


def _proposal(
    call: Call,
    args: Args,
    year: int,
    proposals: list[planning.Proposal],
    table: Table,
    held: int,
    held_wg: int,
) -> Reply:
    """Nothing is created: the proposal, the year's flags with it, and a button to confirm."""
    extra = [(p.kind, p.starts_at.date()) for p in proposals]
    wg = sum(p.kind == "wg" for p in proposals)
    intro = call.t(
        "Forslag til {y}: {n}{h}. Intet er oprettet endnu; bekræft med "
        "`{c} møde planlæg {y} bekræft` med de samme valg.",
        "Proposal for {y}: {n}{h}. Nothing is created yet; confirm "
        "with `{c} meeting plan {y} confirm` with the same options.",
        y=year,
        n=meeting_count(call.lang, len(proposals), wg),
        c=call.ctx.command,
        h=_already(call, held, held_wg + wg) if held else "",
    )
    blocks: list[Block] = [Text(intro), table]
    blocks += [Note(f) for f in flags(call, year, extra)]
    ask = Confirm(
        call.t("Opret møderne?", "Create the meetings?"),
        call.t(
            "Der oprettes {n} i {y} med deres påmindelser.",
            "{n} in {y} will be created, with their reminders.",
            n=meeting_words(call.lang, len(proposals)),
            y=year,
        ),
        call.t("Opret", "Create"),
        call.t("Annullér", "Cancel"),
    )
    line = command_line("meeting", "plan", str(year), "confirm", options=args.options)
    return Reply(
        blocks=blocks,
        buttons=[Button(call.t("Bekræft planen", "Confirm the plan"), line, ask, "primary")],
    )
