"""Start-up shared by every entry point: settings, database, schema, partnership files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from config.partnership import Partnership as Spec
from config.partnership import load_all
from config.settings import Settings
from storage import migrate
from storage.db import make_engine
from storage.sync import sync_partnership


class StartupError(RuntimeError):
    """Start-up cannot go on; str() is the one line for the operator."""


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    partnerships: dict[str, Spec]


def prepare_database(engine: Engine) -> None:
    """Upgrade an empty database; refuse to run on one whose schema is behind."""
    tables = set(inspect(engine).get_table_names())
    if not tables or tables == {"alembic_version"}:
        migrate.upgrade(engine)
        return
    current, head = migrate.current_revision(engine), migrate.head_revision()
    if current != head:
        raise StartupError(
            f"DATABASE_URL: the database schema is at {current or 'an unknown version'}, "
            f"the code needs {head}; run `partnerbot db upgrade`"
        )


def start(
    settings: Settings, *, database_url: str | None = None, config_dir: Path | None = None
) -> Runtime:
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
