"""`decision add [ID] [internal] TEXT` / `decision list [YEAR]` (`beslutning tilføj|liste`):
what the meetings decided. Without an id a decision belongs to the last meeting held; the word
`internal` (`intern`) first keeps it out of the public minutes."""

from __future__ import annotations

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.reply import Reply, Text
from commands.families.meeting.shared import local
from storage import records
from storage.models import Decision, Meeting

MAX_TEXT = 2000
INTERNAL = {"internal", "intern"}


def held_meeting(call: Call, words: list[str]) -> tuple[Meeting, list[str]]:
    """The meeting named by a leading id (held or not: minutes are written around it), else
    the last one held; and the words after it."""
    named = bool(words) and words[0].isdigit()
    return lookup.meeting_first(
        call,
        words,
        None if named else records.last_held(call.session, call.pid, call.now),
        "Der er endnu ikke holdt noget møde. Skriv mødets id først.",
        "No meeting has been held yet. Put the meeting's id first.",
    )


def internal_flag(words: list[str]) -> tuple[bool, list[str]]:
    if words and words[0].lower() in INTERNAL:
        return True, words[1:]
    return False, words


def add(call: Call, args: Args) -> Reply:
    meeting, rest = held_meeting(call, args.words)
    internal, rest = internal_flag(rest)
    text = " ".join(rest).strip()
    if not text:
        raise call.usage("Skriv beslutningen.", "Write the decision.")
    if len(text) > MAX_TEXT:
        raise call.fail(
            "Beslutningen er for lang (højst {n} tegn).",
            "The decision is too long (at most {n} characters).",
            n=MAX_TEXT,
        )
    row = Decision(
        partnership_id=call.pid,
        meeting_id=meeting.id or 0,
        text=text,
        internal=internal,
        actor=call.actor,
        created_at=call.now,
    )
    call.save(row, "decision.add", "decision")
    note = call.t(" (intern)", " (internal)") if internal else ""
    reply = call.announce(
        "Beslutning {n} gemt for møde {i} ({d}){x}: {t}",
        "Decision {n} saved for meeting {i} ({d}){x}: {t}",
        n=row.id,
        i=meeting.id,
        d=local(call, meeting.starts_at),
        x=note,
        t=text,
    )
    reply.ephemeral = internal  # an internal decision is not posted to the whole channel
    return reply


def list_(call: Call, args: Args) -> Reply:
    if len(args.words) > 1 or (args.words and not args.words[0].isdigit()):
        raise call.usage()
    year = int(args.words[0]) if args.words else call.now.year
    meetings = [m for m in records.held(call.session, call.pid, call.now, year)]
    rows = records.decisions(call.session, (m.id or 0 for m in meetings))
    if not rows:
        return call.reply(
            "Ingen beslutninger skrevet i {y}.", "No decisions recorded in {y}.", y=year
        )
    when = {m.id: local(call, m.starts_at) for m in meetings}
    lines = [
        f"{d.id}. {when.get(d.meeting_id, '')} — {d.text}"
        + (call.t(" (intern)", " (internal)") if d.internal else "")
        for d in rows
    ]
    head = call.t("Beslutninger {y}:", "Decisions {y}:", y=year)
    return Reply(blocks=[Text(head + "\n" + "\n".join(lines))])
