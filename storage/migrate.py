"""Schema migrations (Alembic), run from code: no alembic.ini is needed.

Start-up only asks whether the database is at the head revision; that answer comes from the
`alembic_version` table and the revision ids written in the version files, so Alembic itself
(a few hundred milliseconds to import) is loaded only when a migration must run.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"
_ASSIGN = r"^{name}\s*(?::[^=\n]+)?=\s*(.+)$"
_REVISION = re.compile(_ASSIGN.format(name="revision"), re.MULTILINE)
_DOWN = re.compile(_ASSIGN.format(name="down_revision"), re.MULTILINE)
_ID = re.compile(r"[\"']([0-9A-Za-z_]+)[\"']")


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str | None:
    """The one revision no other revision builds on, read from the version files' text."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN.search(source)
        if revision is None:
            continue
        revisions.update(_ID.findall(revision.group(1))[:1])
        if down is not None:
            parents.update(_ID.findall(down.group(1)))  # a merge names several
    heads = revisions - parents
    if len(heads) > 1:
        raise RuntimeError(f"migrations have several heads: {', '.join(sorted(heads))}")
    return next(iter(heads), None)


def known_revisions() -> set[str]:
    """Every revision the version files define."""
    found: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        revision = _REVISION.search(path.read_text(encoding="utf-8"))
        if revision is not None:
            found.update(_ID.findall(revision.group(1))[:1])
    return found


def current_revision(engine: Engine) -> str | None:
    """The revision the database says it is at; None for a database never migrated."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return None
        rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    return rows[0] if len(rows) == 1 else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def revision(engine: Engine, message: str) -> None:
    """Developer helper: autogenerate a migration from the models."""
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.revision(cfg, message=message, autogenerate=True)
