"""`meeting ics` (`møde kalender`): every meeting as one iCalendar file to import."""

from __future__ import annotations

from sqlmodel import select

from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.reply import FileOut, Reply, Text
from commands.families.meeting.shared import kind_label, tz
from commands.rules.calendar import CalEvent, calendar
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
    events = [
        CalEvent(
            uid_key=f"meeting-{m.id}",
            starts_at=m.starts_at,
            duration_minutes=m.duration_minutes,
            summary=m.title or kind_label(call, m.kind),
            location=m.place,
            description=f"{call.partnership.name} — {kind_label(call, m.kind)}",
            cancelled=m.status == "cancelled",
            sequence=m.sequence,
            updated_at=m.updated_at or m.created_at,
        )
        for m in meetings
    ]
    data = calendar(events, name=call.partnership.name, slug=call.partnership.slug, tz=tz(call))
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
