"""Storage on SQLite and PostgreSQL: migrations match the models, sync is idempotent, times
stay UTC, SQLite runs with WAL and foreign keys."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from helpers import table_snapshot
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from storage import migrate
from storage.models import AuditEvent, IndicatorDef, Organisation, Partnership
from storage.sync import sync_partnership


def test_migrations_match_the_models(engine):
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_sync_is_idempotent_and_keeps_removed_rows(engine, specs):
    before = table_snapshot(engine)
    with Session(engine) as session:
        for spec in specs.values():
            sync_partnership(session, spec)
        session.commit()
    assert table_snapshot(engine) == before

    spec = specs["tingbjerg-husum"]
    smaller = spec.model_copy(
        update={
            "organisations": tuple(o for o in spec.organisations if o.slug != "aab"),
            "name": "Tingbjerg-Husum Partnerskab 2021",
        }
    )
    with Session(engine) as session:
        sync_partnership(session, smaller)
        session.commit()
        aab = session.exec(select(Organisation).where(Organisation.slug == "aab")).one()
        assert aab.active is False  # kept for history, no longer offered
        row = session.exec(select(Partnership)).one()
        assert row.name == "Tingbjerg-Husum Partnerskab 2021"
        total = session.exec(select(IndicatorDef).where(IndicatorDef.key == "crime.total")).one()
        assert total.components.split(",") == list(spec.indicator("crime.total").components)


def test_times_round_trip_as_utc(engine):
    local = dt.datetime(2027, 3, 28, 2, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    with Session(engine) as session:
        session.add(AuditEvent(actor="t", action="x", entity="y", at=local))
        session.commit()
    with Session(engine) as session:
        stored = session.exec(select(AuditEvent)).one().at
    assert stored == local and stored.utcoffset() == dt.timedelta(0)
    with Session(engine) as session, pytest.raises(Exception, match="naive"):
        session.add(AuditEvent(actor="t", action="x", entity="y", at=dt.datetime(2027, 1, 1)))
        session.commit()


def test_foreign_keys_are_enforced(engine):
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.add(Organisation(partnership_id=999, slug="x", name="x"))
        session.commit()


def test_sqlite_runs_in_wal_mode(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
