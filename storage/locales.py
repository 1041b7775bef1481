"""Chat users' own language settings (`user_locales`), as their platform reported them after an
acknowledgement: read before the next ack without asking the platform, by any replica."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import UserLocale
from storage.types import utcnow


def known(engine: Engine, platform: str, user: str) -> tuple[str, dt.datetime] | None:
    """(locale, when it was looked up), or None when nobody has looked yet."""
    with Session(engine) as session:
        row = session.exec(
            select(UserLocale.locale, UserLocale.looked_up_at).where(
                UserLocale.platform == platform, UserLocale.user_id == user
            )
        ).first()
    return (row[0], row[1]) if row is not None else None


def remember(engine: Engine, platform: str, user: str, locale: str) -> None:
    """Store or refresh a user's locale (two replicas looking at once: the last one wins)."""
    for _ in range(2):
        with Session(engine) as session:
            row = session.exec(
                select(UserLocale).where(
                    UserLocale.platform == platform, UserLocale.user_id == user
                )
            ).first()
            if row is None:
                row = UserLocale(platform=platform, user_id=user, locale=locale[:20])
            else:
                row.locale, row.looked_up_at = locale[:20], utcnow()
            session.add(row)
            try:
                session.commit()
                return
            except IntegrityError:  # inserted by another replica meanwhile: update theirs
                session.rollback()
