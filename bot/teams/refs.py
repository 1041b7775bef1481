"""Conversation references: where the bot may post without being spoken to (DESIGN 6b).

Teams gives the bot a conversation's `serviceUrl` and tenant only on the activities that reach
it; a reminder or the result of slow work needs them later. Every conversation the bot hears
from is remembered (the `bind` message itself, the bot being added to a team), written only
when new or changed: a cache in front keeps the database out of the reply path.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import ConversationRef
from storage.types import utcnow

PLATFORM = "teams"


@dataclass(frozen=True)
class Ref:
    channel_id: str  # as channel bindings name it
    conversation_id: str  # where to post
    kind: str  # channel, groupChat, personal
    service_url: str
    tenant_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None  # a personal chat's person (Entra object id)


class Refs:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._known: dict[str, Ref] = {}
        self._lock = threading.Lock()

    def remember(self, ref: Ref) -> bool:
        """Store `ref` when it is new or changed; True when it was written."""
        with self._lock:
            if self._known.get(ref.channel_id) == ref:
                return False
        with Session(self.engine) as session:
            row = self._row(session, ref.channel_id)
            if row is None:
                row = ConversationRef(platform=PLATFORM, channel_id=ref.channel_id,
                                      conversation_id="", kind="", service_url="")  # fmt: skip
            row.conversation_id, row.kind, row.service_url = (
                ref.conversation_id,
                ref.kind,
                ref.service_url,
            )
            row.tenant_id = ref.tenant_id or row.tenant_id
            row.team_id = ref.team_id or row.team_id
            row.user_id = ref.user_id or row.user_id
            row.updated_at = utcnow()
            session.add(row)
            try:
                session.commit()
            except IntegrityError:  # another replica wrote it first: theirs is as good
                session.rollback()
        with self._lock:
            self._known[ref.channel_id] = ref
        return True

    def get(self, channel_id: str) -> Ref | None:
        with self._lock:
            known = self._known.get(channel_id)
        if known is not None:
            return known
        with Session(self.engine) as session:
            row = self._row(session, channel_id)
            return _ref(row) if row is not None else None

    def personal(self, user_id: str) -> Ref | None:
        """The personal chat with a person, if the bot has one."""
        with Session(self.engine) as session:
            row = session.exec(
                select(ConversationRef).where(
                    ConversationRef.platform == PLATFORM,
                    ConversationRef.kind == "personal",
                    ConversationRef.user_id == user_id,
                )
            ).first()
            return _ref(row) if row is not None else None

    @staticmethod
    def _row(session: Session, channel_id: str) -> ConversationRef | None:
        return session.exec(
            select(ConversationRef).where(
                ConversationRef.platform == PLATFORM, ConversationRef.channel_id == channel_id
            )
        ).first()


def _ref(row: ConversationRef) -> Ref:
    return Ref(
        row.channel_id,
        row.conversation_id,
        row.kind,
        row.service_url,
        row.tenant_id,
        row.team_id,
        row.user_id,
    )
