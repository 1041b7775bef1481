"""Engines and sessions. SQLite runs with WAL and foreign keys on."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@contextmanager
def transaction(engine: Engine, *, immediate: bool = False) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    `immediate`: on SQLite start with BEGIN IMMEDIATE, so the write lock is taken before the
    first read; a read-then-write transaction can then neither be overtaken between its read
    and its write nor fail with SQLITE_BUSY on the upgrade (the busy timeout waits for the lock
    instead). Other databases lock rows as they go.
    """
    with Session(engine, expire_on_commit=False) as session:
        if immediate and engine.dialect.name == "sqlite":
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
