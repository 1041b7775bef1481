"""a figure's respondents, significance and note

Revision ID: b8d0f2a4c6e8
Revises: f4b6c8d0e2a4
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "b8d0f2a4c6e8"
down_revision = "f4b6c8d0e2a4"


def upgrade() -> None:
    # plain ALTER TABLE on SQLite too: nullable columns need no copy of the table
    op.add_column("indicator_values", sa.Column("n", sa.Integer()))
    op.add_column("indicator_values", sa.Column("significant", sa.Boolean()))
    op.add_column("indicator_values", sa.Column("note", sqlmodel.sql.sqltypes.AutoString(300)))


def downgrade() -> None:
    for column in ("note", "significant", "n"):
        op.drop_column("indicator_values", column)
