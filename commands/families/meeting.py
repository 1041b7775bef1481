"""`meeting …` (`møde …`): the partnership's meetings and their reminders.

Times are typed in the partnership's time zone and stored in UTC. Adding, moving or cancelling
a meeting schedules, moves or cancels its reminder rows (one per lead in the partnership file);
the dispatcher sends them. A moved meeting gets new reminder keys (they include the start), so
reminders already sent for the old time do not block the new ones.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.options import keys, opt
from commands.engine.parse import Args, ParseError, command_line, parse_date, parse_time, parse_year
from commands.engine.registry import Right, Sub, family
from commands.engine.reply import Button, FileOut, Note, Reply, Table, Text
from commands.rules import planning
from commands.rules.calendar import CalEvent, calendar
from commands.views.meetings import rsvp_summary
from storage import reminders
from storage.models import AgendaItem, Meeting, Rsvp

FAM = family(
    "meeting",
    "møde",
    "meetings: list, add, plan, move, cancel, RSVP, calendar",
    "møder: vis, tilføj, planlæg, flyt, aflys, svar, kalender",
)
KINDS = {
    "wg": ("Arbejdsgruppemøde", "Working group meeting"),
    "sg": ("Styregruppemøde", "Steering group meeting"),
}
ANSWERS = {"yes": "yes", "ja": "yes", "no": "no", "nej": "no", "maybe": "maybe", "måske": "maybe"}
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
FLAGS = {
    "wg-too-few": (
        "{y}: kun {n} arbejdsgruppemøder (reglen er {a}–{b})",
        "{y}: only {n} working-group meetings (the rule is {a}–{b})",
    ),
    "wg-too-many": (
        "{y}: {n} arbejdsgruppemøder (reglen er {a}–{b})",
        "{y}: {n} working-group meetings (the rule is {a}–{b})",
    ),
    "sg-missing": ("{y}: intet styregruppemøde", "{y}: no steering-group meeting"),
    "sg-too-few": ("{y}: kun {n} styregruppemøder", "{y}: only {n} steering-group meetings"),
}


def _tz(call: Call) -> ZoneInfo:
    return call.spec.tz if call.spec else ZoneInfo("Europe/Copenhagen")


def _local(call: Call, moment: dt.datetime) -> str:
    local = moment.astimezone(_tz(call))
    return local.strftime("%d.%m.%Y %H:%M" if call.lang == "da" else "%Y-%m-%d %H:%M")


def _kind_label(call: Call, kind: str) -> str:
    da, en = KINDS.get(kind, (kind, kind))
    return da if call.lang == "da" else en


def _when(call: Call, date_word: str, time_word: str) -> dt.datetime:
    """A new meeting time: a real local time, in the future (UTC)."""
    day, at = parse_date(date_word), parse_time(time_word)
    tz = _tz(call)
    if planning.in_dst_gap(day, at, tz):
        raise call.fail(
            "{t} findes ikke den {d}: urene stilles frem. Vælg et andet klokkeslæt.",
            "{t} does not exist on {d}: the clocks go forward. Choose another time.",
            t=time_word,
            d=date_word,
        )
    starts = planning.local_to_utc(day, at, tz)
    if starts <= call.now:
        raise call.fail(
            "{d} {t} er i fortiden. Nye møder skal ligge i fremtiden.",
            "{d} {t} is in the past. New meetings must be in the future.",
            d=date_word,
            t=time_word,
        )
    return starts


def schedule(call: Call, meeting: Meeting) -> int:
    """One reminder row per lead still ahead; returns how many."""
    rules = call.spec.meetings if call.spec else None
    leads = planning.reminder_leads(rules) if rules else []
    count = 0
    for lead, text in zip(leads, rules.reminder_leads if rules else (), strict=True):
        due = planning.reminder_due(meeting.starts_at, lead)
        if due <= call.now:
            continue  # a lead already passed when the meeting was made is not owed
        key = f"meeting:{meeting.id}:{meeting.starts_at:%Y%m%dT%H%MZ}:lead:{text}"
        reminders.upsert(
            call.session,
            partnership_id=call.pid,
            meeting_id=meeting.id,
            kind=f"lead:{text}",
            key=key,
            due_at=due,
        )
        count += 1
    return count


def _flags(call: Call, year: int, extra: list[tuple[str, dt.date]] | None = None) -> list[str]:
    if call.spec is None:
        return []
    tz = _tz(call)
    rows = call.session.exec(
        select(Meeting.kind, Meeting.starts_at).where(
            Meeting.partnership_id == call.pid, Meeting.status == "planned"
        )
    ).all()
    held = [(k, s.astimezone(tz).date()) for k, s in rows if s.astimezone(tz).year == year]
    rules = call.spec.meetings
    out = []
    for flag in planning.check_year(held + (extra or []), year, rules):
        key, _, n = flag.partition(":")
        da, en = FLAGS.get(key, (flag, flag))
        out.append(
            call.t(da, en, y=year, n=n, a=rules.working_group_min, b=rules.working_group_max)
        )
    return out


def add(call: Call, args: Args) -> Reply:
    if len(args.words) != 2:
        raise call.fail(
            "Skriv `{c} møde tilføj DATO KL [type=wg|sg] [sted=…] [titel=…]`.",
            "Write `{c} meeting add DATE TIME [kind=wg|sg] [place=…] [title=…]`.",
            c=call.ctx.command,
        )
    starts = _when(call, args.words[0], args.words[1])
    kind = (opt(args, "kind", "type") or "wg").lower()
    if kind not in KINDS:
        raise call.fail(
            "Type skal være wg (arbejdsgruppe) eller sg (styregruppe).",
            "Kind must be wg (working group) or sg (steering group).",
        )
    place = (opt(args, "place", "sted") or "")[:200]
    title = (opt(args, "title", "titel") or "")[:200]
    duration = call.spec.meetings.default_duration_minutes if call.spec else 120
    meeting = Meeting(
        partnership_id=call.pid,
        kind=kind,
        title=title,
        starts_at=starts,
        duration_minutes=duration,
        place=place,
        created_by=call.actor,
        created_at=call.now,
    )
    call.session.add(meeting)
    call.session.flush()
    count = schedule(call, meeting)
    call.audit("meeting.add", "meeting", meeting.id, None, meeting)
    lines = [
        call.t(
            "Gemt: møde {i}, {k}, {w}{p}. {n} påmindelser planlagt.",
            "Saved: meeting {i}, {k}, {w}{p}. {n} reminders scheduled.",
            i=meeting.id,
            k=_kind_label(call, kind),
            w=_local(call, starts),
            p=f", {place}" if place else "",
            n=count,
        )
    ]
    return Reply(
        blocks=[Text(lines[0])] + [Note(f) for f in _flags(call, starts.year)], ephemeral=False
    )


def list_(call: Call, args: Args) -> Reply:
    if len(args.words) > 1:
        raise call.fail(
            "Skriv `{c} møde liste [ÅR]`.", "Write `{c} meeting list [YEAR]`.", c=call.ctx.command
        )
    tz = _tz(call)
    year = parse_year(args.words[0]) if args.words else call.now.astimezone(tz).year
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    meetings = call.session.exec(
        select(Meeting)
        .where(
            Meeting.partnership_id == call.pid,
            Meeting.starts_at >= start,
            Meeting.starts_at < dt.datetime(year + 1, 1, 1, tzinfo=tz),
        )
        .order_by(Meeting.starts_at)
    ).all()
    if not meetings:
        return Reply(
            blocks=[
                Text(
                    call.t(
                        "Ingen møder i {y}. Planlæg året med `{c} møde planlæg {y}`.",
                        "No meetings in {y}. Plan the year with `{c} meeting plan {y}`.",
                        y=year,
                        c=call.ctx.command,
                    )
                )
            ]
            + [Note(f) for f in _flags(call, year)]
        )
    answers = rsvp_summary(call.session, call.pid, call.lang)
    rows = tuple(
        (
            str(m.id),
            _local(call, m.starts_at),
            _kind_label(call, m.kind),
            m.title or "-",
            m.place or "-",
            call.t("aflyst", "cancelled")
            if m.status == "cancelled"
            else call.t("planlagt", "planned"),
            answers.get(m.id or 0, "-"),
        )
        for m in meetings
    )
    headers = call.t("Id|Tid|Type|Titel|Sted|Status|Svar", "Id|When|Kind|Title|Place|Status|RSVP")
    return Reply(
        blocks=[
            Text(call.t("Møder i {y}:", "Meetings in {y}:", y=year)),
            Table(tuple(headers.split("|")), rows),
        ]
        + [Note(f) for f in _flags(call, year)]
    )


def next_(call: Call, args: Args) -> Reply:
    meeting = lookup.next_meeting(call)
    if meeting is None:
        return Reply.text(call.t("Der er intet planlagt møde.", "There is no meeting planned."))
    items = call.session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all()
    blocks: list[Text | Note] = [
        Text(
            call.t(
                "Næste møde: {i}, {k}, {w}{p}.",
                "Next meeting: {i}, {k}, {w}{p}.",
                i=meeting.id,
                k=_kind_label(call, meeting.kind),
                w=_local(call, meeting.starts_at),
                p=f", {meeting.place}" if meeting.place else "",
            )
        )
    ]
    blocks.append(
        Text(
            call.t("Dagsorden:", "Agenda:")
            + "".join(f"\n{n}. {item.text}" for n, item in enumerate(items, 1))
            if items
            else call.t("Ingen punkter på dagsordenen endnu.", "No agenda items yet.")
        )
    )
    return Reply(
        blocks=list(blocks),
        buttons=[
            Button(call.t("Jeg kommer", "I'll come"), f"meeting rsvp {meeting.id} yes"),
            Button(call.t("Jeg kommer ikke", "I can't come"), f"meeting rsvp {meeting.id} no"),
        ],
    )


def move(call: Call, args: Args) -> Reply:
    if len(args.words) != 3:
        raise call.fail(
            "Skriv `{c} møde flyt ID DATO KL`.",
            "Write `{c} meeting move ID DATE TIME`.",
            c=call.ctx.command,
        )
    meeting = lookup.meeting(call, args.words[0])
    if meeting.status == "cancelled":
        raise call.fail(
            "Møde {i} er aflyst og kan ikke flyttes. Opret et nyt.",
            "Meeting {i} is cancelled and cannot be moved. Add a new one.",
            i=meeting.id,
        )
    if meeting.starts_at <= call.now:
        raise call.fail(
            "Møde {i} er allerede holdt.", "Meeting {i} has already taken place.", i=meeting.id
        )
    starts = _when(call, args.words[1], args.words[2])
    before = {"starts_at": meeting.starts_at.isoformat(), "sequence": meeting.sequence}
    reminders.cancel_for_meeting(call.session, meeting.id or 0)
    old = _local(call, meeting.starts_at)
    meeting.starts_at, meeting.sequence, meeting.updated_at = starts, meeting.sequence + 1, call.now
    call.session.add(meeting)
    call.session.flush()
    count = schedule(call, meeting)
    call.audit(
        "meeting.move",
        "meeting",
        meeting.id,
        before,
        {"starts_at": starts.isoformat(), "sequence": meeting.sequence},
    )
    return Reply.text(
        call.t(
            "Møde {i} er flyttet fra {a} til {b}. {n} påmindelser flyttet med.",
            "Meeting {i} moved from {a} to {b}. {n} reminders moved with it.",
            i=meeting.id,
            a=old,
            b=_local(call, starts),
            n=count,
        ),
        ephemeral=False,
    )


def cancel(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.fail(
            "Skriv `{c} møde aflys ID`.", "Write `{c} meeting cancel ID`.", c=call.ctx.command
        )
    meeting = lookup.meeting(call, args.words[0])
    if meeting.status == "cancelled":
        raise call.fail(
            "Møde {i} er allerede aflyst.", "Meeting {i} is already cancelled.", i=meeting.id
        )
    meeting.status, meeting.sequence, meeting.updated_at = (
        "cancelled",
        meeting.sequence + 1,
        call.now,
    )
    call.session.add(meeting)
    count = reminders.cancel_for_meeting(call.session, meeting.id or 0)
    call.audit(
        "meeting.cancel", "meeting", meeting.id, {"status": "planned"}, {"status": "cancelled"}
    )
    return Reply.text(
        call.t(
            "Møde {i} den {w} er aflyst ({n} påmindelser annulleret).",
            "Meeting {i} on {w} is cancelled ({n} reminders cancelled).",
            i=meeting.id,
            w=_local(call, meeting.starts_at),
            n=count,
        ),
        ephemeral=False,
    )


def rsvp(call: Call, args: Args) -> Reply:
    if len(args.words) != 2 or args.words[1].lower() not in ANSWERS:
        raise call.fail(
            "Skriv `{c} møde svar ID ja|nej|måske`.",
            "Write `{c} meeting rsvp ID yes|no|maybe`.",
            c=call.ctx.command,
        )
    meeting = lookup.meeting(call, args.words[0])
    if meeting.status == "cancelled" or meeting.starts_at <= call.now:
        raise call.fail(
            "Møde {i} er aflyst eller overstået.", "Meeting {i} is cancelled or over.", i=meeting.id
        )
    if call.member is None:
        raise call.fail(
            "Kun registrerede medlemmer kan svare.", "Only registered members can RSVP."
        )
    answer = ANSWERS[args.words[1].lower()]
    row = call.session.exec(
        select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.member_id == call.member.id)
    ).first()
    before = {"answer": row.answer} if row else None
    if row is None:
        row = Rsvp(
            partnership_id=call.pid,
            meeting_id=meeting.id or 0,
            member_id=call.member.id,
            answer=answer,
            answered_at=call.now,
        )
    row.answer, row.answered_at = answer, call.now
    call.session.add(row)
    call.session.flush()
    call.audit("meeting.rsvp", "rsvp", row.id, before, {"answer": answer})
    word = {
        "yes": call.t("ja", "yes"),
        "no": call.t("nej", "no"),
        "maybe": call.t("måske", "maybe"),
    }[answer]
    return Reply.text(
        call.t(
            "Gemt: {w} til møde {i} ({t}).",
            "Saved: {w} for meeting {i} ({t}).",
            w=word,
            i=meeting.id,
            t=_local(call, meeting.starts_at),
        )
    )


def ics(call: Call, args: Args) -> Reply:
    meetings = call.session.exec(
        select(Meeting).where(Meeting.partnership_id == call.pid).order_by(Meeting.starts_at)
    ).all()
    if not meetings:
        raise call.fail(
            "Der er ingen møder at lægge i kalenderen endnu.",
            "There are no meetings to put in a calendar yet.",
        )
    assert call.partnership is not None
    events = [
        CalEvent(
            uid_key=f"meeting-{m.id}",
            starts_at=m.starts_at,
            duration_minutes=m.duration_minutes,
            summary=m.title or _kind_label(call, m.kind),
            location=m.place,
            description=f"{call.partnership.name} — {_kind_label(call, m.kind)}",
            cancelled=m.status == "cancelled",
            sequence=m.sequence,
            updated_at=m.updated_at or m.created_at,
        )
        for m in meetings
    ]
    data = calendar(events, name=call.partnership.name, slug=call.partnership.slug, tz=_tz(call))
    return Reply(
        blocks=[
            Text(
                call.t(
                    "Kalender med {n} møder (importér i Outlook eller Google).",
                    "Calendar with {n} meetings (import into Outlook or Google).",
                    n=len(events),
                )
            )
        ],
        files=[
            FileOut(
                f"{call.partnership.slug}-meetings.ics",
                data,
                "text/calendar",
                call.t("Møder", "Meetings"),
            )
        ],
    )


def _reminder_kind(call: Call, kind: str) -> str:
    """`lead:P14D` → "14 dage før" / "14 days before"; `data:2027` → the data calendar."""
    if kind.startswith("data:"):
        return call.t("datakalender", "data calendar")
    lead = kind.removeprefix("lead:")
    days, _, rest = lead.removeprefix("P").partition("T")
    if days.endswith("D") and not rest:
        n = int(days[:-1])
        return call.t("{n} dage før", "{n} days before", n=n)
    if rest.endswith("H") and not days:
        n = int(rest[:-1])
        return call.t("{n} time(r) før", "{n} hour(s) before", n=n)
    return lead


def reminders_(call: Call, args: Args) -> Reply:
    groups = reminders.overview(call.session, call.pid)
    names = {
        "pending": call.t("Venter", "Pending"),
        "late": call.t("Sendt for sent", "Sent late"),
        "failed": call.t("Fejlet", "Failed"),
        "missed": call.t("Ikke sendt (mødet var begyndt)", "Missed"),
    }
    rows = tuple(
        (
            names[group],
            str(r.meeting_id or "-"),
            _reminder_kind(call, r.kind),
            _local(call, r.due_at),
            str(r.attempts),
            (r.last_error or "")[:80],
        )
        for group, items in groups.items()
        for r in items
    )
    if not rows:
        return Reply.text(call.t("Ingen påmindelser.", "No reminders."))
    headers = call.t(
        "Status|Møde|Type|Forfald|Forsøg|Fejl", "Status|Meeting|Kind|Due|Attempts|Error"
    )
    return Reply(blocks=[Table(tuple(headers.split("|")), rows)])


def plan(call: Call, args: Args) -> Reply:
    if (
        not args.words
        or len(args.words) > 2
        or (len(args.words) == 2 and args.words[1].lower() not in {"confirm", "bekræft"})
    ):
        raise call.fail(
            "Skriv `{c} møde planlæg ÅR [antal=N] [ugedag=tirsdag] [kl=13:00]` og "
            "derefter `… bekræft`.",
            "Write `{c} meeting plan YEAR [count=N] "
            "[weekday=tuesday] [time=13:00]`, then `… confirm`.",
            c=call.ctx.command,
        )
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
    tz = _tz(call)
    try:
        proposals = planning.plan_year(
            year,
            call.spec.meetings,
            tz,
            count=count,
            weekday=WEEKDAYS.get(weekday_word) if weekday_word else None,
            at=parse_time(time_word) if time_word else None,
            today=call.now.astimezone(tz).date(),
        )
    except planning.PlanError as err:
        raise call.fail(
            "Planen kan ikke laves: {e}.", "The plan cannot be made: {e}.", e=str(err)
        ) from None
    confirm = len(args.words) == 2
    rows = tuple(
        (
            _local(call, p.starts_at),
            _kind_label(call, p.kind),
            p.title_da if call.lang == "da" else p.title_en,
        )
        for p in proposals
    )
    table = Table(tuple(call.t("Tid|Type|Titel", "When|Kind|Title").split("|")), rows)
    if not confirm:
        extra = [(p.kind, p.starts_at.date()) for p in proposals]
        return Reply(
            blocks=[
                Text(
                    call.t(
                        "Forslag til {y} ({n} møder). Intet er oprettet endnu; bekræft med "
                        "`{c} møde planlæg {y} bekræft` med de samme valg.",
                        "Proposal for {y} ({n} meetings). Nothing is created yet; confirm "
                        "with `{c} meeting plan {y} confirm` with the same options.",
                        y=year,
                        n=len(proposals),
                        c=call.ctx.command,
                    )
                ),
                table,
            ]
            + [Note(f) for f in _flags(call, year, extra)],
            buttons=[
                Button(
                    call.t("Bekræft planen", "Confirm the plan"),
                    command_line("meeting", "plan", str(year), "confirm", options=args.options),
                    style="primary",
                )
            ],
        )
    created = []
    for p in proposals:
        meeting = Meeting(
            partnership_id=call.pid,
            kind=p.kind,
            title=p.title_da if call.lang == "da" else p.title_en,
            starts_at=p.starts_at.astimezone(dt.UTC),
            duration_minutes=p.duration_minutes,
            created_by=call.actor,
            created_at=call.now,
        )
        call.session.add(meeting)
        call.session.flush()
        schedule(call, meeting)
        call.audit("meeting.add", "meeting", meeting.id, None, meeting)
        created.append(meeting)
    return Reply(
        blocks=[
            Text(
                call.t(
                    "Oprettet: {n} møder i {y} med påmindelser.",
                    "Created: {n} meetings in {y} with reminders.",
                    n=len(created),
                    y=year,
                )
            ),
            table,
        ]
        + [Note(f) for f in _flags(call, year)],
        ephemeral=False,
    )


FAM.add(
    Sub(
        "list",
        "liste",
        Right.REGISTERED,
        list_,
        "meeting list [YEAR]",
        "møde liste [ÅR]",
        "meeting list 2027",
        "møde liste 2027",
    )
)
FAM.add(
    Sub(
        "next",
        "næste",
        Right.REGISTERED,
        next_,
        "meeting next",
        "møde næste",
        "meeting next",
        "møde næste",
    )
)
FAM.add(
    Sub(
        "add",
        "tilføj",
        Right.MANAGER,
        add,
        "meeting add DATE TIME [kind=wg|sg] [place=…] [title=…]",
        "møde tilføj DATO KL [type=wg|sg] [sted=…] [titel=…]",
        'meeting add 2027-03-02 13:00 place="Tingbjerg Bibliotek"',
        'møde tilføj 2.3.2027 13.00 sted="Tingbjerg Bibliotek"',
        keys("kind", "type", "place", "sted", "title", "titel"),
    )
)
FAM.add(
    Sub(
        "plan",
        "planlæg",
        Right.MANAGER,
        plan,
        "meeting plan YEAR [count=N] [weekday=tuesday] [time=13:00] [confirm]",
        "møde planlæg ÅR [antal=N] [ugedag=tirsdag] [kl=13:00] [bekræft]",
        "meeting plan 2027 count=7",
        "møde planlæg 2027 antal=7",
        keys("count", "antal", "weekday", "ugedag", "time", "kl"),
    )
)
FAM.add(
    Sub(
        "move",
        "flyt",
        Right.MANAGER,
        move,
        "meeting move ID DATE TIME",
        "møde flyt ID DATO KL",
        "meeting move 12 2027-03-09 13:00",
        "møde flyt 12 9.3.2027 13.00",
    )
)
FAM.add(
    Sub(
        "cancel",
        "aflys",
        Right.MANAGER,
        cancel,
        "meeting cancel ID",
        "møde aflys ID",
        "meeting cancel 12",
        "møde aflys 12",
    )
)
FAM.add(
    Sub(
        "rsvp",
        "svar",
        Right.REGISTERED,
        rsvp,
        "meeting rsvp ID yes|no|maybe",
        "møde svar ID ja|nej|måske",
        "meeting rsvp 12 yes",
        "møde svar 12 ja",
    )
)
FAM.add(
    Sub(
        "ics",
        "kalender",
        Right.REGISTERED,
        ics,
        "meeting ics",
        "møde kalender",
        "meeting ics",
        "møde kalender",
        slow=True,
    )
)
FAM.add(
    Sub(
        "reminders",
        "påmindelser",
        Right.MANAGER,
        reminders_,
        "meeting reminders",
        "møde påmindelser",
        "meeting reminders",
        "møde påmindelser",
    )
)
FAM.default = "next"
