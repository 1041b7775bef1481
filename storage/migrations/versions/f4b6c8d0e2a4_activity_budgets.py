"""activity budgets, prevention level, funding

The economy of the annual report (issue 12): per activity and year the amount granted from the
partnership's frame and the amount spent (`activity_budgets`); the activity's prevention level
(primary, secondary, tertiary) and whether it runs without the partnership's money.

Revision ID: f4b6c8d0e2a4
Revises: c3d5e7f9a1b2
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision = "f4b6c8d0e2a4"
down_revision = "c3d5e7f9a1b2"


def upgrade() -> None:
    # plain ALTER TABLE, also on SQLite: a batch would copy the table, and SQLite's foreign
    # keys refuse to drop the old one while updates point at it
    op.add_column("activities", sa.Column("prevention", sqlmodel.sql.sqltypes.AutoString(20)))
    op.add_column(
        "activities", sa.Column("funded", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.create_table(
        "activity_budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), sa.ForeignKey("activities.id"), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("granted_dkk", sa.Integer()),
        sa.Column("spent_dkk", sa.Integer()),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(80), nullable=False),
        sa.Column("updated_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnerships.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("activity_id", "year"),
    )
    op.create_index(
        op.f("ix_activity_budgets_partnership_id"), "activity_budgets", ["partnership_id"]
    )


def downgrade() -> None:
    op.drop_table("activity_budgets")
    op.drop_column("activities", "funded")  # SQLite 3.35 and later drop columns in place
    op.drop_column("activities", "prevention")
