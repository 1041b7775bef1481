"""Inbound requests and events already handled, shared by every replica (`inbound_events`):
a retried Slack event and a replayed signed request are each recognised wherever they land,
also after a restart."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import InboundEvent


def first_seen(engine: Engine, source: str, key: str) -> bool:
    """Record `key` under `source`; True the first time, False when any process already did.
    The unique constraint decides, so two copies arriving together cannot both pass."""
    try:
        with Session(engine) as session:
            session.add(InboundEvent(source=source, event_id=key))
            session.commit()
        return True
    except IntegrityError:
        return False


def forget_before(engine: Engine, source: str, before: dt.datetime) -> int:
    """Drop what `source` recorded before `before` (what can no longer come back)."""
    with Session(engine) as session:
        result = session.exec(
            delete(InboundEvent).where(
                InboundEvent.source == source,
                InboundEvent.received_at < before,
            )
        )
        session.commit()
        return int(result.rowcount or 0)
