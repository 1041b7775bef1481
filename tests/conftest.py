"""Shared fixtures: real databases (a SQLite file, and the local PostgreSQL) and contexts.
Plain helpers live in `helpers.py`.

PostgreSQL: each test run creates its own database `partnerbot_test_<random>` on
127.0.0.1:5432 and drops it at the end. Under CI=true a missing server fails the run; elsewhere
the PostgreSQL variants skip with the reason.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from helpers import CtxFactory, shell_ctx
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

from bot.runtime import prepare_database
from config.partnership import Partnership as Spec
from config.partnership import load_all
from config.settings import SHIPPED_CONFIG_DIR
from storage.db import make_engine
from storage.sync import sync_partnership

PG_ADMIN_URL = os.environ.get(
    "PARTNERBOT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def specs() -> dict[str, Spec]:
    return load_all(SHIPPED_CONFIG_DIR)


def _pg_reason() -> str | None:
    try:
        probe = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with probe.connect() as conn:
            conn.execute(text("select 1"))
        probe.dispose()
        return None
    except Exception as exc:  # any failure means: no usable server
        return f"PostgreSQL at {PG_ADMIN_URL} is not reachable ({exc.__class__.__name__})"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    reason = _pg_reason()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true needs PostgreSQL: {reason}")
        pytest.skip(reason)
    name = f"partnerbot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def _pg_engine(pg_url: str) -> Iterator[Engine]:
    engine = make_engine(pg_url)
    prepare_database(engine)
    yield engine
    engine.dispose()


def _reset_pg(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def _synced(engine: Engine, specs: dict[str, Spec]) -> Engine:
    with Session(engine) as session:
        for spec in specs.values():
            sync_partnership(session, spec)
        session.commit()
    return engine


@pytest.fixture
def sqlite_engine(tmp_path: Path, specs: dict[str, Spec]) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'partnerbot.db'}")
    prepare_database(engine)
    yield _synced(engine, specs)
    engine.dispose()


@pytest.fixture
def pg_engine(_pg_engine: Engine, specs: dict[str, Spec]) -> Engine:
    _reset_pg(_pg_engine)
    return _synced(_pg_engine, specs)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> Engine:
    """The storage-backed tests run on both backends."""
    return request.getfixturevalue("sqlite_engine" if request.param == "sqlite" else "pg_engine")


@pytest.fixture
def make_ctx(specs: dict[str, Spec]) -> Callable[[Engine], CtxFactory]:
    def factory(engine: Engine) -> CtxFactory:
        return partial(shell_ctx, engine, specs)

    return factory
