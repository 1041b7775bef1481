"""Queries several commands and views share (plain reads, no rights and no replies)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import (
    ActivityUpdate,
    Assessment,
    Member,
    MemberIdentity,
    Partnership,
    Rsvp,
)


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


def identity_owner(session: Session, pid: int, platform: str, external_id: str) -> Member | None:
    """The person (active or not) who has this platform identity in the partnership."""
    return session.exec(
        select(Member)
        .join(MemberIdentity, MemberIdentity.member_id == Member.id)
        .where(
            MemberIdentity.partnership_id == pid,
            MemberIdentity.platform == platform,
            MemberIdentity.external_id == external_id,
        )
    ).first()


def identities_of(session: Session, pid: int) -> dict[int, list[MemberIdentity]]:
    """member id -> the person's platform identities, oldest first."""
    out: dict[int, list[MemberIdentity]] = {}
    for identity in session.exec(
        select(MemberIdentity)
        .where(MemberIdentity.partnership_id == pid)
        .order_by(MemberIdentity.id)
    ):
        out.setdefault(identity.member_id, []).append(identity)
    return out


def memberships_of(
    session: Session, platform: str, external_id: str
) -> list[tuple[Member, Partnership]]:
    """Every partnership this platform user is an active member of, by partnership name."""
    return list(
        session.exec(
            select(Member, Partnership)
            .join(MemberIdentity, MemberIdentity.member_id == Member.id)
            .join(Partnership, Partnership.id == Member.partnership_id)
            .where(
                MemberIdentity.platform == platform,
                MemberIdentity.external_id == external_id,
                Member.active == True,
            )
            .order_by(Partnership.name)
        ).all()
    )
