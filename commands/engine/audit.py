"""Audit events: who changed what, when, with the values before and after."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel

from storage.models import AuditEvent


def snapshot(row: SQLModel | None, *, exclude: set[str] | None = None) -> dict[str, Any] | None:
    if row is None:
        return None
    data = row.model_dump(exclude=exclude or set())
    return {
        k: (v.isoformat() if isinstance(v, dt.datetime | dt.date) else v) for k, v in data.items()
    }


# A plain INSERT built once, in the command's transaction: no ORM object is needed afterwards.
_INSERT = insert(AuditEvent)


def record(
    session: Session,
    *,
    partnership_id: int | None,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    at: dt.datetime,
) -> None:
    session.execute(
        _INSERT,
        {
            "partnership_id": partnership_id,
            "actor": actor,
            "at": at,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id),
            "before": json.dumps(before, ensure_ascii=False, sort_keys=True) if before else "",
            "after": json.dumps(after, ensure_ascii=False, sort_keys=True) if after else "",
        },
    )
