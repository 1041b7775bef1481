"""reminder posts and a shared channel pace

Delivery recorded per channel (`reminder_posts`: a reminder that reached one bound channel is
never posted there again when another channel failed), and the posting pace per channel shared
by replicas on PostgreSQL (`channel_pace`). Issue 9.

Revision ID: b8d2f3e4a5c6
Revises: a9c1e2d3f4b5
Create Date: 2026-12-03 07:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "b8d2f3e4a5c6"
down_revision: str | None = "a9c1e2d3f4b5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "reminder_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("platform", _text(20), nullable=False),
        sa.Column("channel_id", _text(300), nullable=False),
        sa.Column("message_ref", _text(300), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("posted_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"]),
        sa.ForeignKeyConstraint(["reminder_id"], ["reminders.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("reminder_id", "platform", "channel_id"),
    )
    op.create_index(op.f("ix_reminder_posts_partnership_id"), "reminder_posts", ["partnership_id"])
    op.create_table(
        "channel_pace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _text(20), nullable=False),
        sa.Column("channel_id", _text(300), nullable=False),
        sa.Column("next_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel_id"),
    )


def downgrade() -> None:
    op.drop_table("channel_pace")
    op.drop_index(op.f("ix_reminder_posts_partnership_id"), table_name="reminder_posts")
    op.drop_table("reminder_posts")
