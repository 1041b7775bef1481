"""`meeting rsvp ID yes|no|maybe` (`møde svar`): a member's answer; a changed mind replaces it."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.reply import Reply
from commands.families.meeting.shared import local
from storage.models import Rsvp

ANSWERS = {"yes": "yes", "ja": "yes", "no": "no", "nej": "no", "maybe": "maybe", "måske": "maybe"}


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
            t=local(call, meeting.starts_at),
        )
    )
