"""user locales

A chat user's language setting as the platform reports it, looked up after the ack and kept for
every replica (issue 9). Signed Slack requests already seen are kept in `inbound_events`
(source `slack-signature`), so the replay guard needs no table of its own.

Revision ID: a9c1e2d3f4b5
Revises: e3a1c5f0b7d2
Create Date: 2026-12-03 01:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "a9c1e2d3f4b5"
down_revision: str | None = "e3a1c5f0b7d2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "user_locales",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _text(20), nullable=False),
        sa.Column("user_id", _text(80), nullable=False),
        sa.Column("locale", _text(20), nullable=False),
        sa.Column("looked_up_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("user_locales")
