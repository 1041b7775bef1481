"""Queries several commands and views share (plain reads, no rights and no replies)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import ActivityUpdate, Assessment, Rsvp


def latest_updates(
    session: Session, partnership_id: int, activity_ids: list[int]
) -> dict[int, ActivityUpdate]:
    """The newest update of each activity (ids grow with time: the highest id is the newest)."""
    if not activity_ids:
        return {}
    newest = (
        select(ActivityUpdate.activity_id, func.max(ActivityUpdate.id).label("last_id"))
        .where(
            ActivityUpdate.partnership_id == partnership_id,
            ActivityUpdate.activity_id.in_(activity_ids),
        )
        .group_by(ActivityUpdate.activity_id)
        .subquery()
    )
    rows = session.exec(
        select(ActivityUpdate).join(newest, ActivityUpdate.id == newest.c.last_id)
    ).all()
    return {u.activity_id: u for u in rows}


def latest_assessments(session: Session, pid: int) -> dict[tuple[int, int], str]:
    """(activity id, year) -> the newest assessment's fulfilment."""
    rows = session.exec(
        select(Assessment.activity_id, Assessment.year, Assessment.fulfilment)
        .where(Assessment.partnership_id == pid)
        .order_by(Assessment.id)
    ).all()
    return {(a, y): f for a, y, f in rows}  # ordered by id: the newest wins


def rsvp_counts(session: Session, pid: int) -> dict[int, dict[str, int]]:
    """meeting id -> {answer: how many}."""
    out: dict[int, dict[str, int]] = {}
    for meeting_id, answer, n in session.exec(
        select(Rsvp.meeting_id, Rsvp.answer, func.count())
        .where(Rsvp.partnership_id == pid)
        .group_by(Rsvp.meeting_id, Rsvp.answer)
    ):
        out.setdefault(meeting_id, {})[answer] = n
    return out
