"""personal data: erasures, when a member left

Issue 13: `member forget` and the retention job record each erasure (`erasures`: pseudonym,
reason, who asked, salted hashes of the old platform ids, never the old name or ids), and a
removed member's `left_at` starts the retention clock.

Revision ID: a7c9e1b3d5f7
Revises: b8d0f2a4c6e8
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "a7c9e1b3d5f7"
down_revision = "b8d0f2a4c6e8"


def upgrade() -> None:
    op.add_column("members", sa.Column("left_at", storage.types.UTCDateTime(timezone=True)))
    op.create_table(
        "erasures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), sa.ForeignKey("members.id"), nullable=False),
        sa.Column("pseudonym", sqlmodel.sql.sqltypes.AutoString(80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("requested_by", sqlmodel.sql.sqltypes.AutoString(80), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id_hashes", sa.Text(), nullable=False),
        sa.Column("rows", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_erasures_partnership_id"), "erasures", ["partnership_id"])
    op.create_index(op.f("ix_erasures_member_id"), "erasures", ["member_id"])


def downgrade() -> None:
    op.drop_table("erasures")
    op.drop_column("members", "left_at")  # SQLite 3.35 and later drop columns in place
