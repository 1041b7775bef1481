"""meeting records: attendance, decisions, follow-up items, minutes approval

What happens at and between meetings (issue 11): who came (`attendance`, per member with their
organisation at the time), what was decided (`decisions`), who does what by when
(`action_items`), when the minutes were approved (`meetings.minutes_approved_*`), and agenda
items marked internal or carried over from an earlier meeting.

Revision ID: c3d5e7f9a1b2
Revises: b8d2f3e4a5c6
Create Date: 2026-12-03 07:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "c3d5e7f9a1b2"
down_revision: str | None = "b8d2f3e4a5c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = storage.types.UTCDateTime(timezone=True)


def _owned(name: str, *columns: sa.Column, **kw: object) -> None:
    """A table whose rows belong to one partnership (id, partnership_id first)."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"]),
        sa.PrimaryKeyConstraint("id"),
        **kw,
    )
    op.create_index(op.f(f"ix_{name}_partnership_id"), name, ["partnership_id"])


def upgrade() -> None:
    word, handle = sqlmodel.sql.sqltypes.AutoString(20), sqlmodel.sql.sqltypes.AutoString(80)
    _owned(
        "attendance",
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisations.id")),
        sa.Column("state", word, nullable=False),
        sa.Column("recorded_by", handle, nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.UniqueConstraint("meeting_id", "member_id"),
    )
    op.create_index(op.f("ix_attendance_meeting_id"), "attendance", ["meeting_id"])
    _owned(
        "decisions",
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id"), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("actor", handle, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
    )
    op.create_index(op.f("ix_decisions_meeting_id"), "decisions", ["meeting_id"])
    _owned(
        "action_items",
        sa.Column("meeting_id", sa.Integer(), sa.ForeignKey("meetings.id")),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), sa.ForeignKey("organisations.id")),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id")),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("status", word, nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("done_note", sa.Text(), nullable=False),
        sa.Column("done_by", handle),
        sa.Column("done_at", UTC),
        sa.Column("actor", handle, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
    )
    op.create_index(op.f("ix_action_items_meeting_id"), "action_items", ["meeting_id"])
    with op.batch_alter_table("meetings") as batch:
        batch.add_column(sa.Column("minutes_approved_by", handle))
        batch.add_column(sa.Column("minutes_approved_at", UTC))
    with op.batch_alter_table("agenda_items") as batch:
        batch.add_column(
            sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("carried_from", sa.Integer()))


def downgrade() -> None:
    with op.batch_alter_table("agenda_items") as batch:
        batch.drop_column("carried_from")
        batch.drop_column("internal")
    with op.batch_alter_table("meetings") as batch:
        batch.drop_column("minutes_approved_at")
        batch.drop_column("minutes_approved_by")
    for name in ("action_items", "decisions", "attendance"):
        op.drop_index(op.f(f"ix_{name}_meeting_id"), table_name=name)
        op.drop_index(op.f(f"ix_{name}_partnership_id"), table_name=name)
        op.drop_table(name)
