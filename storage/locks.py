"""Serialising writers of one partnership where a check and a write must not interleave."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session

from storage.models import Partnership


def lock_partnership(session: Session, partnership_id: int) -> None:
    """Hold the partnership's row until the transaction ends, so what is read next (e.g. how
    many meetings a year has) stays true until this transaction's writes commit. A no-op
    UPDATE: PostgreSQL locks the row; SQLite takes its one write lock (a SELECT … FOR UPDATE
    would lock nothing there), so a second writer waits and then reads the first one's rows."""
    session.execute(
        update(Partnership)
        .where(Partnership.id == partnership_id)
        .values(synced_at=Partnership.synced_at)
    )
