"""The notice to the chair and the secretariat that a reminder did not reach people (no bound
channel, given up, missed): a direct message on each platform where they have an account, made
once per reminder as a reminder row of its own (kind `undelivered:ID`), so it too goes out
exactly once."""

from __future__ import annotations

from sqlmodel import Session

from commands.engine.context import Context, say
from commands.engine.reply import Reply, Text
from commands.views.meetings import local_zone
from commands.views.outgoing import Outgoing
from commands.views.reminder_kinds import UNDELIVERED_KEY, Due, split
from commands.vocab import Role
from storage.models import Meeting, Partnership, Reminder
from storage.queries import identities_with_roles
from storage.reminders import NO_CHANNEL, upsert
from storage.types import utcnow

UNDELIVERED_NAME = "undelivered"


def schedule_undelivered(session: Session, reminder_id: int) -> None:
    """Tell the chair and the secretariat, once, that this reminder has not reached people
    (a notice about a notice is not made: `meeting reminders` shows both)."""
    row = session.get(Reminder, reminder_id)
    if row is None or split(row.kind)[0] == UNDELIVERED_NAME:
        return
    upsert(
        session,
        partnership_id=row.partnership_id,
        meeting_id=None,
        kind=f"{UNDELIVERED_NAME}:{reminder_id}",
        key=UNDELIVERED_KEY.format(arg=reminder_id),
        due_at=utcnow(),
    )


def why_undelivered(lang: str, row: Reminder, *, command: str, slug: str) -> str:
    """Why a reminder did not reach people, in words for the chair."""
    error = (row.last_error or "")[:120]
    if error == NO_CHANNEL:
        return say(
            lang,
            "der er ikke knyttet en kanal til partnerskabet. Skriv `{c} tilknyt {s}` i "
            "arbejdsgruppens kanal",
            "no channel is tied to the partnership. Write `{c} bind {s}` in the working "
            "group's channel",
            c=command,
            s=slug,
        )
    if row.status == "missed" and not row.attempts:
        return say(
            lang,
            "mødet var begyndt, før den kunne sendes (botten var nede)",
            "the meeting had begun before it could be sent (the bot was down)",
        )
    if row.status == "missed":
        return say(
            lang,
            "den kunne ikke sendes, før mødet begyndte (sidste fejl: {e})",
            "it could not be sent before the meeting began (last error: {e})",
            e=error,
        )
    return say(
        lang,
        "den kunne ikke sendes (sidste fejl: {e})",
        "it could not be sent (last error: {e})",
        e=error,
    )


def compose_undelivered(session: Session, ctx: Context, due: Due) -> Outgoing | None:
    """A direct message to the chair and the secretariat on this platform; None where none
    of them has an account on it (App Home and `meeting reminders` still show it)."""
    row = session.get(Reminder, int(due.arg)) if due.arg.isdigit() else None
    if row is None:
        return None
    partnership = session.get(Partnership, row.partnership_id)
    if partnership is None:
        return None
    people = identities_with_roles(
        session, row.partnership_id, due.platform, (Role.CHAIR, Role.SECRETARIAT)
    )
    if not people:
        return None
    lang = ctx.lang or partnership.locale
    meeting = session.get(Meeting, row.meeting_id) if row.meeting_id else None
    of = ""
    if meeting is not None:
        when = meeting.starts_at.astimezone(local_zone(partnership.timezone))
        of = say(
            lang,
            " til mødet {d}",
            " for the meeting on {d}",
            d=when.strftime(say(lang, "%d.%m.%Y kl. %H.%M", "%Y-%m-%d at %H:%M")),
        )
    from commands.views.notices import label  # the registry names every kind; it imports us

    why = why_undelivered(lang, row, command=ctx.command, slug=partnership.slug)
    text = say(
        lang,
        "Påmindelsen «{k}»{m} er ikke nået frem: {w}. Se `{c} møde påmindelser`.",
        "The reminder “{k}”{m} has not reached people: {w}. See `{c} meeting reminders`.",
        k=label(lang, row.kind),
        m=of,
        w=why,
        c=ctx.command,
    )
    return Outgoing(people, Reply(blocks=[Text(text)], ephemeral=False))
