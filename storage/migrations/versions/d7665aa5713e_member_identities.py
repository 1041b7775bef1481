"""member identities

A person (a `members` row, with one set of roles) gets one or more platform identities in
`member_identities`; the caller is found by (platform, external id) from now on, and
`members.handle` stays as the person's display handle.

Today's members move over without loss: a handle that looks like a Slack user id
(`^[UW][A-Z0-9]{2,}$`) becomes a `slack` identity with the id as it is; any other handle
becomes a `shell` identity in lower case, because the shell's handles are case-insensitive.

Two shell handles of one partnership that differ only by case (`Mette`, `mette`) were always
the same person typing with a different case, and can only be one identity now. They become
one person: the older row (by created_at, then id) keeps its id, handle and identity; the roles
of the rows still active are united on it (so nobody loses a right), it stays active when any
of them was, and if it was itself removed it takes the organisation and language of the
oldest active one. The newer rows are marked inactive (never deleted: history refers to them),
their activity updates and RSVPs move to the older person (an RSVP only where the older has
none for that meeting), and each merge is written to the audit log (action `member.merge`,
actor `migration`) with both rows as they were. Downgrade drops the identities; merges stay.

Revision ID: d7665aa5713e
Revises: cef66df6ca02
Create Date: 2026-12-01 23:00:00.000000
"""

import datetime as dt
import json
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "d7665aa5713e"
down_revision: str | None = "cef66df6ca02"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SLACK_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
ACTOR = "migration"

# The tables as this revision knows them (not the models, which move on).
_meta = sa.MetaData()
members = sa.Table(
    "members",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("partnership_id", sa.Integer),
    sa.Column("handle", sa.String(80)),
    sa.Column("display_name", sa.String(200)),
    sa.Column("organisation_id", sa.Integer),
    sa.Column("lang", sa.String(5)),
    sa.Column("active", sa.Boolean),
    sa.Column("created_at", storage.types.UTCDateTime(timezone=True)),
)
member_roles = sa.Table(
    "member_roles",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("partnership_id", sa.Integer),
    sa.Column("member_id", sa.Integer),
    sa.Column("role", sa.String(20)),
)
identities = sa.Table(
    "member_identities",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("partnership_id", sa.Integer),
    sa.Column("member_id", sa.Integer),
    sa.Column("platform", sa.String(20)),
    sa.Column("external_id", sa.String(80)),
    sa.Column("tenant", sa.String(80)),
    sa.Column("created_at", storage.types.UTCDateTime(timezone=True)),
)
activity_updates = sa.Table(
    "activity_updates",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("member_id", sa.Integer),
)
rsvps = sa.Table(
    "rsvps",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("meeting_id", sa.Integer),
    sa.Column("member_id", sa.Integer),
)
audit_events = sa.Table(
    "audit_events",
    _meta,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("partnership_id", sa.Integer),
    sa.Column("actor", sa.String(80)),
    sa.Column("at", storage.types.UTCDateTime(timezone=True)),
    sa.Column("action", sa.String(60)),
    sa.Column("entity", sa.String(40)),
    sa.Column("entity_id", sa.String(80)),
    sa.Column("before", sa.Text),
    sa.Column("after", sa.Text),
)


def upgrade() -> None:
    op.create_table(
        "member_identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("tenant", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"]),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("partnership_id", "platform", "external_id"),
    )
    with op.batch_alter_table("member_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_member_identities_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_member_identities_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_index(
            "ix_member_identities_platform_external_id",
            ["platform", "external_id"],
            unique=False,
        )
    _move_members(op.get_bind())


def identity_of(handle: str) -> tuple[str, str]:
    """(platform, external id) of a handle as the bot stored it before identities."""
    if SLACK_ID.match(handle):
        return "slack", handle
    return "shell", handle.lstrip("@").lower()


def _move_members(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.select(members).order_by(members.c.partnership_id, members.c.created_at, members.c.id)
    ).all()
    groups: dict[tuple[int, str, str], list[Any]] = {}
    for row in rows:  # in age order: the first of each group is the oldest
        groups.setdefault((row.partnership_id, *identity_of(row.handle)), []).append(row)
    roles: dict[int, list[str]] = {}
    for member_id, role in conn.execute(
        sa.select(member_roles.c.member_id, member_roles.c.role).order_by(member_roles.c.id)
    ):
        roles.setdefault(member_id, []).append(role)
    for (pid, platform, external_id), group in groups.items():
        oldest = group[0]
        conn.execute(
            identities.insert().values(
                partnership_id=pid,
                member_id=oldest.id,
                platform=platform,
                external_id=external_id,
                tenant=None,
                created_at=oldest.created_at,
            )
        )
        if len(group) > 1:
            _merge(conn, group, roles)


def _merge(conn: sa.Connection, group: list[Any], roles: dict[int, list[str]]) -> None:
    """The newer rows of one shell handle become the oldest (see the module's text)."""
    keep, others = group[0], group[1:]
    active = [row for row in group if row.active]
    kept_roles = set(roles.get(keep.id, []))
    changes: dict[str, Any] = {}
    if active:
        if not keep.active:
            # its own roles went with its removal (`member add` drops them on return too)
            kept_roles = set()
            changes = {
                "active": True,
                "organisation_id": active[0].organisation_id,
                "lang": active[0].lang,
            }
            conn.execute(member_roles.delete().where(member_roles.c.member_id == keep.id))
        for role in sorted({r for row in active for r in roles.get(row.id, [])} - kept_roles):
            conn.execute(
                member_roles.insert().values(
                    partnership_id=keep.partnership_id, member_id=keep.id, role=role
                )
            )
            kept_roles.add(role)
    if changes:
        conn.execute(members.update().where(members.c.id == keep.id).values(**changes))
    other_ids = [row.id for row in others]
    conn.execute(members.update().where(members.c.id.in_(other_ids)).values(active=False))
    conn.execute(
        activity_updates.update()
        .where(activity_updates.c.member_id.in_(other_ids))
        .values(member_id=keep.id)
    )
    answered = set(
        conn.execute(sa.select(rsvps.c.meeting_id).where(rsvps.c.member_id == keep.id)).scalars()
    )
    for rsvp_id, meeting_id in conn.execute(
        sa.select(rsvps.c.id, rsvps.c.meeting_id)
        .where(rsvps.c.member_id.in_(other_ids))
        .order_by(rsvps.c.id.desc())  # the newest answer wins
    ).all():
        if meeting_id not in answered:
            conn.execute(rsvps.update().where(rsvps.c.id == rsvp_id).values(member_id=keep.id))
            answered.add(meeting_id)

    def state(row: Any) -> dict[str, Any]:
        return {
            "id": row.id,
            "handle": row.handle,
            "active": bool(row.active),
            "organisation_id": row.organisation_id,
            "roles": sorted(roles.get(row.id, [])),
        }

    conn.execute(
        audit_events.insert().values(
            partnership_id=keep.partnership_id,
            actor=ACTOR,
            at=dt.datetime.now(dt.UTC),
            action="member.merge",
            entity="member",
            entity_id=str(keep.id),
            before=json.dumps([state(row) for row in group], ensure_ascii=False),
            after=json.dumps(
                {
                    "id": keep.id,
                    "handle": keep.handle,
                    "active": bool(keep.active) or bool(active),
                    "roles": sorted(kept_roles),
                    "merged": other_ids,
                },
                ensure_ascii=False,
            ),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("member_identities", schema=None) as batch_op:
        batch_op.drop_index("ix_member_identities_platform_external_id")
        batch_op.drop_index(batch_op.f("ix_member_identities_partnership_id"))
        batch_op.drop_index(batch_op.f("ix_member_identities_member_id"))

    op.drop_table("member_identities")
