"""What a command runs with: the adapter's context and, per call, the resolved caller."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from commands import audit
from commands.errors import CommandError
from config.partnership import Partnership as Spec
from storage.models import Member, Organisation, Partnership
from storage.types import utcnow


@dataclass
class Context:
    """Set by the adapter (shell, Slack, ...): who speaks, where, and with what."""

    engine: Engine
    partnerships: dict[str, Spec]
    platform: str = "shell"
    channel: str = "local"
    user: str = "local"
    user_name: str = ""
    is_admin: bool = False
    lang: str | None = None  # an explicit choice (shell --lang) beats every preference
    user_locale: str | None = None  # the chat platform's locale for the user, if known
    partnership: str | None = None  # an explicit slug (shell --partnership)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    local_files: bool = False  # the shell may read files named on the command line
    clock: Callable[[], dt.datetime] = utcnow
    command: str = "/wg"


@dataclass
class Call:
    """One command being run: the caller resolved against the database."""

    ctx: Context
    session: Session
    lang: str
    now: dt.datetime
    partnership: Partnership | None = None
    spec: Spec | None = None
    member: Member | None = None
    roles: frozenset[str] = frozenset()
    organisation: Organisation | None = None

    @property
    def actor(self) -> str:
        return self.ctx.user

    @property
    def pid(self) -> int:
        if self.partnership is None or self.partnership.id is None:
            raise RuntimeError("command needs a partnership")  # the registry guarantees one
        return self.partnership.id

    @property
    def is_manager(self) -> bool:
        return self.ctx.is_admin or bool(self.roles & {"chair", "secretariat"})

    def t(self, da: str, en: str, **values: Any) -> str:
        """The text in the caller's language; both are always written together."""
        return (da if self.lang == "da" else en).format(**values)

    def fail(self, da: str, en: str, **values: Any) -> CommandError:
        return CommandError(self.t(da, en, **values))

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: object,
        before: SQLModel | dict[str, Any] | None,
        after: SQLModel | dict[str, Any] | None,
    ) -> None:
        def as_dict(value: SQLModel | dict[str, Any] | None) -> dict[str, Any] | None:
            return value if value is None or isinstance(value, dict) else audit.snapshot(value)

        audit.record(
            self.session,
            partnership_id=self.partnership.id if self.partnership else None,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            before=as_dict(before),
            after=as_dict(after),
            at=self.now,
        )
