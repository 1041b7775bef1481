"""`meeting rsvp ID yes|no|maybe` (`møde svar`): a member's answer; a changed mind replaces it."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.messages import parse_word
from commands.engine.parse import Args
from commands.engine.reply import Reply
from commands.families.meeting.shared import local
from commands.vocab import Rsvp as Answer
from storage.models import Rsvp


def rsvp(call: Call, args: Args) -> Reply:
    if len(args.words) != 2:
        raise call.usage()
    answer = parse_word(call, Answer, args.words[1], "svar", "answer")
    meeting = lookup.meeting(call, args.words[0])
    if meeting.status == "cancelled" or meeting.starts_at <= call.now:
        raise call.fail(
            "Møde {i} er aflyst eller overstået.", "Meeting {i} is cancelled or over.", i=meeting.id
        )
    if call.member is None:
        raise call.fail(
            "Kun registrerede medlemmer kan svare.", "Only registered members can RSVP."
        )
    row = call.session.exec(
        select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.member_id == call.member.id)
    ).first()
    before = {"answer": row.answer} if row else None
    if row is None:
        row = Rsvp(
            partnership_id=call.pid,
            meeting_id=meeting.id or 0,
            member_id=call.member.id,
            answer=answer.value,
            answered_at=call.now,
        )
    row.answer, row.answered_at = answer.value, call.now
    call.save(row, "meeting.rsvp", "rsvp", before, {"answer": answer.value})
    return call.reply(
        "Gemt: {w} til møde {i} ({t}).",
        "Saved: {w} for meeting {i} ({t}).",
        w=answer.label(call.lang),
        i=meeting.id,
        t=local(call, meeting.starts_at),
    )
