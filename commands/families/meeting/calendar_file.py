"""`meeting ics` (`møde kalender`): every meeting as one iCalendar file to import."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import fmt
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.reply import Block, FileOut, Note, Reply, Text
from commands.families.meeting.shared import kind_label, meeting_words, tz
from commands.rules.calendar import CalEvent, calendar
from commands.views.meetings import titles
from storage.models import Meeting


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
    zone = tz(call)
    shown = titles(meetings, call.lang, zone)
    events = [
        CalEvent(
            uid_key=f"meeting-{m.id}",
            starts_at=m.starts_at,
            duration_minutes=m.duration_minutes,
            summary=shown.get(m.id or 0) or kind_label(call, m.kind),
            location=m.place,
            description=f"{call.partnership.name} — {kind_label(call, m.kind)}",
            # kept in the file, so a calendar that has the meeting removes it
            cancelled=m.status == "cancelled",
            sequence=m.sequence,
            updated_at=m.updated_at or m.created_at,
        )
        for m in meetings
    ]
    data = calendar(events, name=call.partnership.name, slug=call.partnership.slug, tz=zone)
    cancelled = sum(e.cancelled for e in events)
    blocks: list[Block] = [Text(_counts(call, len(events), cancelled))]
    if cancelled:
        blocks.append(
            Note(
                call.t(
                    "De aflyste står i filen som aflyst, så de forsvinder fra de kalendere, "
                    "der har dem.",
                    "The cancelled ones are in the file as cancelled, so calendars that have "
                    "them remove them.",
                )
            )
        )
    return Reply(
        blocks=blocks,
        files=[
            FileOut(
                f"{call.partnership.slug}-meetings.ics",
                data,
                "text/calendar",
                call.t("Møder", "Meetings"),
            )
        ],
    )


def _counts(call: Call, n: int, cancelled: int) -> str:
    """ "Kalender med 19 møder, heraf 10 aflyst (…)." / "Calendar with 19 meetings, 10 of them
    cancelled (…)."; a single cancelled meeting reads "1 møde (aflyst)"."""
    total = meeting_words(call.lang, n)
    if cancelled and n == 1:
        total += call.t(" (aflyst)", " (cancelled)")
    elif cancelled:
        total += call.t(
            ", heraf {c} aflyst",
            ", {c} of them cancelled",
            c=fmt.number(cancelled, call.lang),
        )
    return call.t(
        "Kalender med {m} (importér i Outlook eller Google).",
        "Calendar with {m} (import into Outlook or Google).",
        m=total,
    )
