"""What happened at and between meetings, as the commands, status, the App Home, the reminders
and the minutes read it: meetings held, attendance per organisation, decisions and follow-up
items (issue 11). Queries only; the commands write.

A meeting counts as held when it is planned (not cancelled) and has begun. An organisation is
represented at a meeting when one of its people was recorded present; meetings without any
attendance recorded are not counted for or against anyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import ActionItem, Attendance, Decision, Meeting, Member, Organisation


@dataclass(frozen=True)
class OrgAttendance:
    slug: str
    name: str
    represented: int  # meetings of the year with someone of the organisation present
    recorded: int  # meetings of the year with attendance recorded


def held(session: Session, pid: int, now: dt.datetime, year: int | None = None) -> list[Meeting]:
    """The partnership's meetings that were held (before `now`), oldest first."""
    query = select(Meeting).where(
        Meeting.partnership_id == pid, Meeting.status == "planned", Meeting.starts_at <= now
    )
    rows = session.exec(query.order_by(Meeting.starts_at)).all()
    return [m for m in rows if year is None or m.starts_at.year == year]


def last_held(session: Session, pid: int, now: dt.datetime) -> Meeting | None:
    meetings = held(session, pid, now)
    return meetings[-1] if meetings else None


def attendance(session: Session, meeting_id: int) -> list[tuple[Attendance, Member]]:
    """A meeting's recorded attendance with the people, by handle."""
    return list(
        session.exec(
            select(Attendance, Member)
            .join(Member, Member.id == Attendance.member_id)
            .where(Attendance.meeting_id == meeting_id)
            .order_by(Member.handle)
        ).all()
    )


def _present_orgs(session: Session, meeting_ids: Iterable[int]) -> dict[int, set[int]]:
    """meeting id -> the organisations someone was present for; only meetings with
    attendance recorded are keys."""
    ids = list(meeting_ids)
    out: dict[int, set[int]] = {}
    if not ids:
        return out
    rows = session.exec(
        select(Attendance.meeting_id, Attendance.organisation_id, Attendance.state).where(
            Attendance.meeting_id.in_(ids)
        )
    ).all()
    for meeting_id, org_id, state in rows:
        orgs = out.setdefault(meeting_id, set())
        if state == "present" and org_id is not None:
            orgs.add(org_id)
    return out


def organisations(session: Session, pid: int) -> list[Organisation]:
    return list(
        session.exec(
            select(Organisation)
            .where(Organisation.partnership_id == pid)
            .order_by(Organisation.slug)
        ).all()
    )


def by_organisation(session: Session, pid: int, year: int, now: dt.datetime) -> list[OrgAttendance]:
    """Per organisation: at how many of the year's recorded meetings it was represented."""
    meetings = held(session, pid, now, year)
    present = _present_orgs(session, (m.id or 0 for m in meetings))
    recorded = len(present)
    return [
        OrgAttendance(
            org.slug,
            org.name,
            sum(1 for orgs in present.values() if org.id in orgs),
            recorded,
        )
        for org in organisations(session, pid)
    ]


def absent_twice(session: Session, pid: int, now: dt.datetime) -> list[Organisation]:
    """Organisations nobody came for at the last two held meetings with attendance recorded
    (the agreement wants every party represented: the next call for items names them)."""
    meetings = held(session, pid, now)
    present = _present_orgs(session, (m.id or 0 for m in meetings))
    last_two = [m.id for m in meetings if m.id in present][-2:]
    if len(last_two) < 2:
        return []
    came = present[last_two[0]] | present[last_two[1]]
    return [org for org in organisations(session, pid) if org.id not in came]


def decisions(session: Session, meeting_ids: Iterable[int]) -> list[Decision]:
    ids = list(meeting_ids)
    if not ids:
        return []
    return list(
        session.exec(
            select(Decision)
            .where(Decision.meeting_id.in_(ids))
            .order_by(Decision.meeting_id, Decision.id)
        ).all()
    )


def actions(
    session: Session, pid: int, *, open_only: bool = True, organisation_id: int | None = None
) -> list[ActionItem]:
    """Follow-up items by due date; an organisation's own and its people's."""
    query = select(ActionItem).where(ActionItem.partnership_id == pid)
    if open_only:
        query = query.where(ActionItem.status == "open")
    rows = session.exec(query.order_by(ActionItem.due, ActionItem.id)).all()
    if organisation_id is None:
        return list(rows)
    owners = owner_orgs(session, rows)
    return [a for a in rows if owners.get(a.id or 0) == organisation_id]


def owner_orgs(session: Session, items: Iterable[ActionItem]) -> dict[int, int | None]:
    """Item id -> the organisation answerable for it (its own, or its person's)."""
    items = list(items)
    people = {a.member_id for a in items if a.member_id is not None}
    orgs: dict[int, int | None] = {}
    if people:
        orgs = dict(
            session.exec(
                select(Member.id, Member.organisation_id).where(Member.id.in_(people))
            ).all()
        )
    return {
        a.id or 0: a.organisation_id if a.member_id is None else orgs.get(a.member_id)
        for a in items
    }


def overdue_by_org(session: Session, pid: int, today: dt.date) -> dict[str, int]:
    """Organisation slug -> open follow-up items past their due date (status, the report)."""
    late = [a for a in actions(session, pid) if a.due < today]
    owners = owner_orgs(session, late)
    slugs = dict(
        session.exec(select(Organisation.id, Organisation.slug).where(
            Organisation.partnership_id == pid
        )).all()
    )  # fmt: skip
    out: dict[str, int] = {}
    for item in late:
        slug = slugs.get(owners.get(item.id or 0) or 0, "-")
        out[slug] = out.get(slug, 0) + 1
    return dict(sorted(out.items()))


def count_open(session: Session, pid: int) -> int:
    return int(
        session.exec(
            select(func.count())
            .select_from(ActionItem)
            .where(ActionItem.partnership_id == pid, ActionItem.status == "open")
        ).one()
    )
