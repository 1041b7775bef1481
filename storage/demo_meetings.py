"""The demo's meetings, as they would have gone (issue 11) — in the year the annual report is
shown for (the agreement's last full year, so `report` has every section filled) and in the last
twelve months (for status, the App Home and the reminders): a working-group
meeting about every seven weeks on a Tuesday at 13:00 (one in the autumn is the steering
group's annual review), each with its attendance, a decision or two and follow-up items, the
minutes approved at the next meeting. Synthetic like the rest of the demo data and in the same
years as its figures and updates, so `status møder`, the App Home and the minutes have a year
that hangs together.

Who comes: most organisations each time; someone sends apologies now and then; the lagging
organisations of the demo (they also post no updates) stay away from the last two meetings, so
the next call for agenda items names them. Follow-up items: the older ones done, one overdue,
the newest open.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from sqlmodel import Session

from storage.models import ActionItem, Attendance, Decision, Meeting, Member, MemberRole

EVERY = dt.timedelta(weeks=7)
DECISIONS = (
    "Natteravnene fortsætter med samme bemanding resten af året.",
    "Sekretariatet samler status på alle aktiviteter til næste møde.",
    "Arbejdsgruppen støtter en ekstra indsats i sommerferien.",
    "Lyset i tunnelerne gennemgås med Teknik- og Miljøforvaltningen.",
    "Tryghedsvandringen gentages i efteråret.",
)
ACTIONS = (
    "Send opgørelsen af natteravneture for perioden",
    "Undersøg muligheden for flere lokaler til lektiecaféen",
    "Indkald boligsociale medarbejdere til næste møde",
    "Lav aftale om fælles tryghedsvandring",
    "Send politiets tal for anmeldelser til sekretariatet",
)


def _tuesdays(today: dt.date, count: int, blocked: Callable[[dt.date], bool]) -> list[dt.date]:
    """`count` Tuesdays about seven weeks apart, the last one 2–3 weeks before `today`; one in
    a school holiday (the partnership file's blackouts) moves a week earlier until it is not."""
    last = today - dt.timedelta(days=14)
    last -= dt.timedelta(days=(last.weekday() - 1) % 7)
    days = []
    for n in reversed(range(count)):
        day = last - EVERY * n
        while blocked(day):
            day -= dt.timedelta(weeks=1)
        days.append(day)
    return days


def seed_meetings(
    session: Session,
    pid: int,
    members: Sequence[Member],
    roles: Sequence[MemberRole],
    at: Callable[[dt.date, int], dt.datetime],
    today: dt.date,
    rng: random.Random,
    lagging: set[int | None],
    actor: str,
    *,
    blocked: Callable[[dt.date], bool] = lambda day: False,
    settled: bool = False,
) -> dict[str, int]:
    """`settled`: a year long past (the annual report's), every item done, every set of
    minutes approved."""
    role_of = {r.member_id: r.role for r in roles}
    expected = [m for m in members if role_of.get(m.id or 0) != "steering"]
    days = _tuesdays(today, 7, blocked)
    meetings = []
    for n, day in enumerate(days):
        sg = n == len(days) - 2  # the steering group's review in the autumn
        meetings.append(
            Meeting(
                partnership_id=pid,
                kind="sg" if sg else "wg",
                title="",
                starts_at=at(day, 13),
                place="Tingbjerg Bibliotek" if n % 2 else "Husum Medborgerhus",
                created_by=actor,
                created_at=at(day - dt.timedelta(days=60), 10),
            )
        )
    session.add_all(meetings)
    session.flush()
    rows: list[Attendance | Decision | ActionItem] = []
    last_two = {m.id for m in meetings[-2:]}
    for n, meeting in enumerate(meetings):
        day = days[n]
        people = (
            [m for m in members if role_of.get(m.id or 0) in ("steering", "chair", "secretariat")]
            if meeting.kind == "sg"
            else expected
        )
        for person in people:
            away = meeting.id in last_two and person.organisation_id in lagging
            state = "absent" if away else "apologies" if rng.random() < 0.12 else "present"
            rows.append(
                Attendance(
                    partnership_id=pid,
                    meeting_id=meeting.id or 0,
                    member_id=person.id or 0,
                    organisation_id=person.organisation_id,
                    state=state,
                    recorded_by=actor,
                    recorded_at=at(day + dt.timedelta(days=1), 9),
                )
            )
        for k in range(1 + n % 2):
            rows.append(
                Decision(
                    partnership_id=pid,
                    meeting_id=meeting.id or 0,
                    text=DECISIONS[(n + k) % len(DECISIONS)],
                    internal=k == 1 and n % 3 == 0,
                    actor=actor,
                    created_at=at(day, 15),
                )
            )
        owner = expected[(n * 3) % len(expected)]
        due = day + dt.timedelta(days=28)
        done = settled or n < len(meetings) - 2  # else the two newest are open, one overdue
        rows.append(
            ActionItem(
                partnership_id=pid,
                meeting_id=meeting.id,
                text=ACTIONS[n % len(ACTIONS)],
                organisation_id=owner.organisation_id,
                due=min(due, today - dt.timedelta(days=3))
                if n == len(meetings) - 2 and not settled
                else due,
                status="done" if done else "open",
                done_by=owner.handle if done else None,
                done_at=at(due - dt.timedelta(days=5), 11) if done else None,
                actor=actor,
                created_at=at(day, 15),
            )
        )
        if settled or n + 1 < len(meetings):  # approved at the next meeting
            meeting.minutes_approved_by = actor
            meeting.minutes_approved_at = at(days[min(n + 1, len(days) - 1)], 15)
    session.add_all(rows)
    session.flush()
    return {
        "meetings": len(meetings),
        "attendance": sum(isinstance(r, Attendance) for r in rows),
        "decisions": sum(isinstance(r, Decision) for r in rows),
        "action_items": sum(isinstance(r, ActionItem) for r in rows),
    }
