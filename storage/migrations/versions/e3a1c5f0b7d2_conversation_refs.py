"""conversation references and download links

Where proactive messages go per conversation (Teams needs each conversation's serviceUrl and
tenant), and the bot's own expiring download links for files a platform cannot take as posts.

Revision ID: e3a1c5f0b7d2
Revises: d7665aa5713e
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "e3a1c5f0b7d2"
down_revision: str | None = "d7665aa5713e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def upgrade() -> None:
    op.create_table(
        "conversation_refs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", _text(20), nullable=False),
        sa.Column("channel_id", _text(300), nullable=False),
        sa.Column("conversation_id", _text(300), nullable=False),
        sa.Column("kind", _text(20), nullable=False),
        sa.Column("service_url", _text(300), nullable=False),
        sa.Column("tenant_id", _text(80), nullable=True),
        sa.Column("team_id", _text(300), nullable=True),
        sa.Column("user_id", _text(80), nullable=True),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "channel_id"),
    )
    with op.batch_alter_table("conversation_refs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_conversation_refs_user_id"), ["user_id"], unique=False)
    op.create_table(
        "download_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", _text(80), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("name", _text(200), nullable=False),
        sa.Column("mime", _text(100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
    )
    with op.batch_alter_table("download_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_download_links_partnership_id"), ["partnership_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_download_links_expires_at"), ["expires_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("download_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_download_links_expires_at"))
        batch_op.drop_index(batch_op.f("ix_download_links_partnership_id"))
    op.drop_table("download_links")
    with op.batch_alter_table("conversation_refs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversation_refs_user_id"))
    op.drop_table("conversation_refs")
