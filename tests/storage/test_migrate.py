"""The start-up schema check without Alembic agrees with Alembic."""

from __future__ import annotations

from alembic.script import ScriptDirectory

from storage import migrate
from storage.db import make_engine


def test_head_read_from_the_files_is_alembics_head():
    alembic_head = ScriptDirectory.from_config(migrate._config()).get_current_head()
    assert migrate.head_revision() == alembic_head is not None


def test_current_revision_of_new_and_migrated_databases(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    assert migrate.current_revision(engine) is None
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()
