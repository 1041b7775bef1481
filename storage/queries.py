"""Queries several commands and views share (plain reads, no rights and no replies)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Select, func
from sqlmodel import Session, select
from sqlmodel.sql.expression import Select as SQLModelSelect

from storage.models import (
    Activity,
    ActivityUpdate,
    AgendaItem,
    Assessment,
    FocusArea,
    Member,
    MemberIdentity,
    MemberRole,
    Organisation,
    Partnership,
    Rsvp,
)

# sqlmodel's own Select, so `session.exec` types its rows as (Activity, FocusArea, Organisation)
SelectOfTriple = SQLModelSelect[Activity, FocusArea, Organisation]


def plan_query(pid: int) -> SelectOfTriple:
    """The Tryghedsplan: every activity with its focus area and organisation, in focus-area
    then code order; callers may narrow it with further `.where(...)`."""
    return (
        select(Activity, FocusArea, Organisation)
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .join(Organisation, Organisation.id == Activity.organisation_id)
        .where(Activity.partnership_id == pid)
        .order_by(FocusArea.id, Activity.code)
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


def _active_on(platform: str, *columns: Any) -> Select[Any]:
    """Active people with an identity on `platform`: where reading who to mention there, or
    where someone there belongs, starts."""
    return (
        select(*columns)
        .select_from(Member)
        .join(MemberIdentity, MemberIdentity.member_id == Member.id)
        .where(Member.active == True, MemberIdentity.platform == platform)
    )


def memberships_of(
    session: Session, platform: str, external_id: str
) -> list[tuple[Member, Partnership]]:
    """Every partnership this platform user is an active member of, by partnership name."""
    return list(
        session.exec(
            _active_on(platform, Member, Partnership)
            .join(Partnership, Partnership.id == Member.partnership_id)
            .where(MemberIdentity.external_id == external_id)
            .order_by(Partnership.name)
        ).all()
    )


def reachable(
    session: Session, pid: int, platform: str, org_slugs: list[str], role: str
) -> list[tuple[str, str]]:
    """(external id, name) of the active people with `role` in these organisations who have an
    identity on `platform` (someone known only on another platform cannot be mentioned)."""
    rows = session.exec(
        _active_on(platform, MemberIdentity.external_id, Member.handle, Member.display_name)
        .join(Organisation, Organisation.id == Member.organisation_id)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(
            Member.partnership_id == pid,
            Organisation.slug.in_(org_slugs),
            MemberRole.role == role,
        )
        .order_by(Member.handle, MemberIdentity.external_id)
        .distinct()
    )
    return [(external_id, name or handle) for external_id, handle, name in rows]


def identities_with_roles(
    session: Session, pid: int, platform: str, roles: Iterable[str]
) -> list[str]:
    """The `platform` ids of the active people with any of these roles: who a notice for the
    chair and the secretariat goes to there."""
    rows = session.exec(
        _active_on(platform, MemberIdentity.external_id)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(Member.partnership_id == pid, MemberRole.role.in_(tuple(roles)))
        .order_by(MemberIdentity.external_id)
        .distinct()
    )
    return list(rows)


def names_with_roles(session: Session, pid: int, roles: Iterable[str]) -> list[str]:
    """The names (display name, else handle) of the active people with any of these roles."""
    rows = session.exec(
        select(Member.display_name, Member.handle)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(
            Member.partnership_id == pid,
            Member.active == True,
            MemberRole.role.in_(tuple(roles)),
        )
    )
    return sorted({name or handle for name, handle in rows})


def agenda_items(session: Session, meeting_id: int | None) -> list[AgendaItem]:
    """A meeting's agenda, in the order the items were added."""
    return list(
        session.exec(
            select(AgendaItem).where(AgendaItem.meeting_id == meeting_id).order_by(AgendaItem.id)
        )
    )
