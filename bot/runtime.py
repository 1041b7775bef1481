"""Start-up shared by every entry point: settings, database, schema, partnership files.

Cheap to import (the CLI imports it before it knows the command); `start` loads the database
layer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from config.partnership import Partnership as Spec
    from config.settings import Settings


class StartupError(RuntimeError):
    """Start-up cannot go on; str() is the one line for the operator."""


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    partnerships: dict[str, Spec]


def prepare_database(engine: Engine) -> None:
    """Upgrade an empty database; refuse to run on one whose schema is behind.

    The usual case, a database already at head, costs one small query and no Alembic import.
    """
    from sqlalchemy import inspect

    from storage import migrate

    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current is not None and current == head:
        return
    tables = set(inspect(engine).get_table_names())
    if not tables or tables == {migrate.VERSION_TABLE}:
        migrate.upgrade(engine)
        return
    raise StartupError(
        f"DATABASE_URL: the database schema is at {current or 'an unknown version'}, "
        f"the code needs {head}; run `partnerbot db upgrade`"
    )


def start(
    settings: Settings, *, database_url: str | None = None, config_dir: Path | None = None
) -> Runtime:
    from sqlmodel import Session

    from config.partnership import load_all
    from storage.db import make_engine
    from storage.sync import sync_partnership

    specs = load_all(config_dir or settings.config_dir)
    engine = make_engine(database_url or settings.database_url)
    try:
        prepare_database(engine)
    except StartupError:
        raise
    except Exception as exc:  # unreachable server, bad file path, ...
        raise StartupError(
            f"DATABASE_URL: cannot open the database: {exc.__class__.__name__}: "
            f"{str(exc).splitlines()[0][:200]}"
        ) from exc
    with Session(engine) as session:
        for spec in specs.values():
            sync_partnership(session, spec)
        session.commit()
    return Runtime(settings=settings, engine=engine, partnerships=specs)
