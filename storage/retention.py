"""Retention (issue 13): once a day per partnership, delete the audit events older than the
partnership file's `retention.audit_years`, and pseudonymise the former members who left more
than `retention.former_members_months` ago (storage.personal.forget, as `member forget` does).

Once a day across replicas: the run takes the partnership's row lock (storage.locks) and looks
for the day's `retention` audit event, which it writes itself, with its counts, in the same
transaction. A second replica waits for the lock and then finds the event; a run that fails
rolls back whole and is tried again at the next tick. Running twice changes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func
from sqlmodel import Session, select

from storage import personal
from storage.locks import lock_partnership
from storage.models import AuditEvent, Member

ACTOR = "partnerbot"  # the bot itself, as its reminders
ACTION = "retention"


@dataclass(frozen=True)
class Outcome:
    day: str
    audit_deleted: int
    forgotten: int


def years_before(moment: dt.datetime, years: int) -> dt.datetime:
    """The same moment `years` earlier (29 February → 28 February)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same moment `months` earlier (31 March less one month → 28/29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _audit(session: Session, pid: int, action: str, entity: str, entity_id: object,
           after: dict[str, Any], at: dt.datetime) -> None:  # fmt: skip
    session.add(
        AuditEvent(
            partnership_id=pid,
            actor=ACTOR,
            at=at,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            after=json.dumps(after, ensure_ascii=False, sort_keys=True),
        )
    )


def _left_at(session: Session, member: Member, now: dt.datetime) -> dt.datetime:
    """When a former member left: `left_at`, else (removed before it was kept) their last
    removal in the audit trail, else now — the clock starts when the job first sees them."""
    if member.left_at is not None:
        return member.left_at
    removed = session.exec(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.partnership_id == member.partnership_id,
            AuditEvent.action == "member.remove",
            AuditEvent.entity == "member",
            AuditEvent.entity_id == str(member.id),
        )
    ).first()
    return removed or now


def run(
    session: Session,
    pid: int,
    *,
    day: dt.date,
    now: dt.datetime,
    audit_years: int,
    former_members_months: int,
    reason: str,
) -> Outcome | None:
    """The day's run for one partnership, or None when it has run today (`day`: the
    partnership's local date). The caller commits."""
    lock_partnership(session, pid)
    done = session.exec(
        select(AuditEvent.id).where(
            AuditEvent.partnership_id == pid,
            AuditEvent.action == ACTION,
            AuditEvent.entity_id == day.isoformat(),
        )
    ).first()
    if done is not None:
        return None
    # when each former member left, read before the trail that may tell it is purged
    former = session.exec(
        select(Member)
        .where(Member.partnership_id == pid, Member.active == False)
        .order_by(Member.id)
    ).all()
    leaving: list[tuple[Member, dt.datetime]] = []
    for member in former:
        if personal.is_forgotten(member):
            continue
        left = _left_at(session, member, now)
        if member.left_at is None:
            member.left_at = left
            session.add(member)
        leaving.append((member, left))
    audit_before = years_before(now, audit_years)
    deleted = session.execute(
        delete(AuditEvent).where(AuditEvent.partnership_id == pid, AuditEvent.at < audit_before)
    ).rowcount
    left_before = months_before(now, former_members_months)
    forgotten = 0
    for member, left in leaving:
        if left >= left_before:
            continue
        erasure = personal.forget(session, member, reason=reason, requested_by=ACTOR, at=now)
        _audit(session, pid, "member.forget", "member", member.id,
               {"pseudonym": erasure.pseudonym, "reason": erasure.reason, "erasure": erasure.id,
                "rows": json.loads(erasure.rows)}, now)  # fmt: skip
        forgotten += 1
    _audit(
        session,
        pid,
        ACTION,
        "partnership",
        day.isoformat(),
        {
            "audit_events_deleted": deleted,
            "audit_before": audit_before.isoformat(),
            "former_members_forgotten": forgotten,
            "left_before": left_before.isoformat(),
        },
        now,
    )
    session.flush()
    return Outcome(day.isoformat(), deleted, forgotten)
