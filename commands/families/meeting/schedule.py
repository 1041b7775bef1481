"""`meeting add`, `move`, `cancel`: one meeting at a time, and its reminder rows.

Times are typed in the partnership's time zone and stored in UTC. Adding, moving or cancelling
a meeting schedules, moves or cancels its reminder rows (one per lead in the partnership file);
the dispatcher sends them. A moved meeting gets new reminder keys (they include the start), so
reminders already sent for the old time do not block the new ones.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from commands.engine import confirm, fmt, lookup
from commands.engine.context import Call
from commands.engine.options import opt
from commands.engine.parse import Args, parse_when
from commands.engine.reply import Block, Note, Reply, Text
from commands.families.meeting import checks
from commands.families.meeting.shared import (
    REMINDERS,
    counted,
    flags,
    kind_label,
    local,
    spelled,
    tz,
)
from commands.rules import planning
from commands.views.meetings import rsvp_buttons
from commands.views.notices import LEAD
from commands.vocab import MeetingKind
from commands.vocab import Rsvp as Answer
from config.partnership import parse_duration
from storage import reminders
from storage.models import Meeting, Rsvp


def when(call: Call, words: list[str], *, past: bool = False) -> dt.datetime:
    """A new meeting time from the words of DATE TIME, as people write them ("2/3 kl. 13",
    "tirsdag 13.30"; commands.engine.parse): a real local time (UTC), in the future unless
    `past` (a meeting held before the bot knew of it, recorded after the fact)."""
    if len(words) < 2:
        raise call.usage()
    zone = tz(call)
    day, at = parse_when(words, call.now.astimezone(zone).date(), call.lang)
    date_word, time_word = fmt.date(day, call.lang), fmt.time(at, call.lang)
    if planning.in_dst_gap(day, at, zone):
        raise call.fail(
            "{t} findes ikke den {d}: urene stilles frem. Vælg et andet klokkeslæt.",
            "{t} does not exist on {d}: the clocks go forward. Choose another time.",
            t=time_word,
            d=date_word,
        )
    starts = planning.local_to_utc(day, at, zone)
    if starts <= call.now and not past:
        raise call.fail(
            "{d} {t} er i fortiden. Nye møder skal ligge i fremtiden.",
            "{d} {t} is in the past. New meetings must be in the future.",
            d=date_word,
            t=time_word,
        )
    return starts


def schedule(call: Call, meeting: Meeting) -> int:
    """One reminder row per lead in the partnership file still ahead; returns how many.

    A lead of a day or more that would fall on a weekend, a holiday or outside working hours
    is due in the working hours before it (`planning.reminder_send_at`: the 2-day reminder of
    a Tuesday 13:00 meeting goes out Friday 13:00, not Sunday); if that moment has passed
    already while the lead itself is still ahead, it is due at once."""
    count = 0
    zone = tz(call)
    for text in call.spec.meetings.reminder_leads if call.spec else ():
        lead = parse_duration(text)
        if lead is None:
            continue  # the schema refuses such a file; nothing to schedule from it
        if planning.reminder_due(meeting.starts_at, lead) <= call.now:
            continue  # a lead already passed when the meeting was made is not owed
        due = max(planning.reminder_send_at(meeting.starts_at, lead, zone), call.now)
        reminders.upsert(
            call.session,
            partnership_id=call.pid,
            meeting_id=meeting.id,
            kind=LEAD.kind(text),
            key=LEAD.key(text, meeting_id=meeting.id, starts_at=meeting.starts_at),
            due_at=due,
        )
        count += 1
    return count


def add(call: Call, args: Args) -> Reply:
    """A weekend, a holiday, a blackout or a night hour is asked back first (checks)."""
    words, confirmed = confirm.confirmed(args.words)
    starts = when(call, words, past=True)
    kind = MeetingKind.parse(opt(args, "kind", "type") or MeetingKind.WG)
    if kind is None:
        kinds = [f"{k.value} ({k.label(call.lang)})" for k in MeetingKind]
        raise call.fail(
            "Type skal være {k}.", "Kind must be {k}.", k=call.t(" eller ", " or ").join(kinds)
        )
    if not confirmed and (asked := checks.ask_back(call, args, "add", starts)):
        return asked
    place = (opt(args, "place", "sted") or "")[:200]
    title = (opt(args, "title", "titel") or "")[:200]
    duration = call.spec.meetings.default_duration_minutes if call.spec else 120
    meeting = Meeting(
        partnership_id=call.pid,
        kind=kind.value,
        title=title,
        starts_at=starts,
        duration_minutes=duration,
        place=place,
        created_by=call.actor,
        created_at=call.now,
    )
    call.save(meeting, "meeting.add", "meeting")
    count = schedule(call, meeting)
    saved = call.t(
        "Gemt: møde {i}, {k}, {w}{p}. {n} planlagt.",
        "Saved: meeting {i}, {k}, {w}{p}. {n} scheduled.",
        i=meeting.id,
        k=kind_label(call, kind),
        w=spelled(call, starts),
        p=f", {place}" if place else "",
        n=counted(call.lang, count, *REMINDERS),
    )
    if starts <= call.now:  # recorded after the fact: held, nothing to remind of
        saved = call.t(
            "Gemt som holdt møde: møde {i}, {k}, {w}{p}. Skriv fremmødet med `{c} fremmøde {i} "
            "@navn … afbud @navn …`.",
            "Saved as a meeting held: meeting {i}, {k}, {w}{p}. Record who came with `{c} "
            "attendance {i} @name … apologies @name …`.",
            i=meeting.id,
            k=kind_label(call, kind),
            w=spelled(call, starts),
            p=f", {place}" if place else "",
            c=call.ctx.command,
        )
    blocks: list[Block] = [Text(saved)]
    blocks += [Note(f) for f in flags(call, starts.astimezone(tz(call)).year)]
    saved_reply = Reply(blocks=blocks, ephemeral=False)
    return confirm.answer(saved_reply) if confirmed else saved_reply


def move(call: Call, args: Args) -> Reply:
    """A weekend, a holiday, a blackout or a night hour is asked back first (checks)."""
    words, confirmed = confirm.confirmed(args.words)
    if len(words) < 3:
        raise call.usage()
    meeting = lookup.meeting(call, words[0])
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
    starts = when(call, words[1:])
    if not confirmed and (
        asked := checks.ask_back(call, args, "move", starts, meeting_id=meeting.id)
    ):
        return asked
    before = {"starts_at": meeting.starts_at.isoformat(), "sequence": meeting.sequence}
    reminders.cancel_for_meeting(call.session, meeting.id or 0)
    old = local(call, meeting.starts_at)
    meeting.starts_at, meeting.sequence, meeting.updated_at = starts, meeting.sequence + 1, call.now
    # Everyone is asked again: the answers were for the old time. They stay in the history
    # (this audit event), not in the count.
    answers = call.session.exec(select(Rsvp).where(Rsvp.meeting_id == meeting.id)).all()
    before["rsvps"] = {str(r.member_id): r.answer for r in answers}
    for row in answers:
        call.session.delete(row)
    after = {"starts_at": starts.isoformat(), "sequence": meeting.sequence, "rsvps": {}}
    call.save(meeting, "meeting.move", "meeting", before, after)
    count = schedule(call, meeting)
    moved = call.announce(
        "Møde {i} er flyttet fra {a} til {b}. {n} flyttet med. Svar igen, om I kommer.",
        "Meeting {i} moved from {a} to {b}. {n} moved with it. Please answer again "
        "whether you will come.",
        i=meeting.id,
        a=old,
        b=spelled(call, starts),
        n=counted(call.lang, count, *REMINDERS),
    )
    moved.buttons = rsvp_buttons(call.lang, meeting.id, (Answer.YES, Answer.MAYBE, Answer.NO))
    return confirm.answer(moved) if confirmed else moved


def cancel(call: Call, args: Args) -> Reply:
    """Asks first; `meeting cancel ID confirm` cancels (commands.engine.confirm)."""
    words, confirmed = confirm.confirmed(args.words)
    if len(words) != 1:
        raise call.usage()
    meeting = lookup.meeting(call, words[0])
    if meeting.status == "cancelled":
        refused = Reply.error(
            call.t(
                "Møde {i} er allerede aflyst.", "Meeting {i} is already cancelled.", i=meeting.id
            )
        )
        return confirm.answer(refused) if confirmed else refused
    if not confirmed:
        return confirm.ask(
            call,
            call.t(
                "Skal møde {i} ({k}, {w}) aflyses? Dets påmindelser annulleres.",
                "Cancel meeting {i} ({k}, {w})? Its reminders are cancelled too.",
                i=meeting.id,
                k=kind_label(call, meeting.kind),
                w=local(call, meeting.starts_at),
            ),
            label=call.t("Aflys mødet", "Cancel the meeting"),
            line=f"meeting cancel {meeting.id}",
            line_da=f"møde aflys {meeting.id}",
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
    done = call.t(
        "Møde {i} den {w} er aflyst ({n} annulleret).",
        "Meeting {i} on {w} is cancelled ({n} cancelled).",
        i=meeting.id,
        w=local(call, meeting.starts_at),
        n=counted(call.lang, count, *REMINDERS),
    )
    return confirm.answer(Reply.text(done, ephemeral=False))
