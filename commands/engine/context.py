"""What a command runs with: the adapter's context and, per call, the resolved caller."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from commands.engine import audit
from commands.engine.errors import CommandError
from commands.engine.reply import Person, Reply
from commands.vocab import Role
from config.partnership import Partnership as Spec
from storage.types import utcnow

if TYPE_CHECKING:
    from commands.engine.registry import Sub

HANDLE = re.compile(r"^@?([A-Za-z0-9][A-Za-z0-9._-]{0,79})$")


@dataclass
class Context:
    """Set by the adapter (the shell or a chat platform): who speaks, where, and with what."""

    engine: Engine
    partnerships: dict[str, Spec]
    platform: str = "shell"
    channel: str = "local"
    user: str = "local"
    user_name: str = ""
    is_admin: bool = False
    lang: str | None = None  # an explicit choice (shell --lang) beats every preference
    # The platform's locale for the user, as the adapter knows it without asking anyone: the
    # core never waits on a chat platform (it runs before the acknowledgement).
    user_locale: str | None = None
    partnership: str | None = None  # an explicit slug (shell --partnership)
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    local_files: bool = False  # the shell may read files named on the command line
    clock: Callable[[], dt.datetime] = utcnow
    command: str = "/wg"
    caps: Capabilities = field(default_factory=lambda: Capabilities())
    # How the platform writes a person in command text (a mention), set by chat adapters;
    # without it a person is a handle (`@anna` or `anna`, case-insensitive: the shell, the CLI).
    person: Callable[[str], Person | None] | None = None

    def read_person(self, word: str) -> Person | None:
        if self.person is not None:
            return self.person(word)
        found = HANDLE.match(word)
        return Person(self.platform, found.group(1).lower(), found.group(1)) if found else None

    def preferred_lang(self) -> str:
        """An explicit choice, else the platform's locale for the user, else Danish — for when
        no member row is at hand (forms, App Home, the adapter's own short messages)."""
        return self.lang or locale_lang(self.user_locale) or "da"


@dataclass(frozen=True)
class Capabilities:
    """What the adapter's platform can do; the core shapes its outcome by it."""

    forms: bool = False  # can open a form (a modal, a dialog)
    deferred: bool = False  # answers at once and delivers slow work afterwards


def locale_lang(locale: str | None) -> str | None:
    """ "da-DK" → "da"; any other locale → "en"; none → None."""
    if not locale:
        return None
    return "da" if locale.lower().startswith("da") else "en"


def say(lang: str, da: str, en: str, **values: Any) -> str:
    """The text in `lang`; both languages are always written together at the call site.

    The one place that chooses between two texts: every other choice of language (labels,
    "did you mean", usage) goes through it, `Call.t` or a `commands.vocab` word."""
    text = da if lang == "da" else en
    return text.format(**values) if values else text  # a text without values may hold braces


@dataclass(frozen=True, slots=True)
class PartnershipInfo:
    """Read-only snapshot of the caller's partnership (loaded as plain columns: fast)."""

    id: int
    slug: str
    name: str
    timezone: str
    locale: str
    demo: bool


@dataclass(frozen=True, slots=True)
class MemberInfo:
    id: int
    handle: str
    display_name: str
    organisation_id: int | None
    lang: str | None


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    id: int
    slug: str
    name: str


@dataclass
class Call:
    """One command being run: the caller resolved against the database."""

    ctx: Context
    session: Session
    lang: str
    now: dt.datetime
    partnership: PartnershipInfo | None = None
    spec: Spec | None = None
    member: MemberInfo | None = None  # a snapshot: commands that change members load them
    roles: frozenset[str] = frozenset()
    organisation: OrganisationInfo | None = None
    sub: Sub | None = None  # the subcommand being run, set by the runner before its handler

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
        return self.ctx.is_admin or bool(self.roles & {Role.CHAIR, Role.SECRETARIAT})

    def t(self, da: str, en: str, **values: Any) -> str:
        """The text in the caller's language; both are always written together."""
        return say(self.lang, da, en, **values)

    def fail(self, da: str, en: str, **values: Any) -> CommandError:
        return CommandError(self.t(da, en, **values))

    def reply(self, da: str, en: str, **values: Any) -> Reply:
        """A reply in the caller's language, for the caller."""
        return Reply.text(self.t(da, en, **values))

    def announce(self, da: str, en: str, **values: Any) -> Reply:
        """The reply to a change, shown to the whole channel: everyone sees what was saved."""
        return Reply.text(self.t(da, en, **values), ephemeral=False)

    def usage(self, da: str = "", en: str = "", **values: Any) -> CommandError:
        """A refusal that shows how the subcommand is written, from its own usage text:
        `raise call.usage()` -> "Skriv: `/wg møde liste [ÅR]`" / "Use: `/wg meeting list
        [YEAR]`"; with a reason, `call.usage("Navnet skal stå i citationstegn.", "The name
        goes in quotes.")` puts it first."""
        from commands.engine.registry import usage  # the registry imports this module

        reason = self.t(da, en, **values) if da or en else ""
        if self.sub is None:  # run outside the runner (a test calling a handler)
            return CommandError(
                reason
                or self.t(
                    "Kommandoen er ikke skrevet rigtigt.", "The command is not written right."
                )
            )
        shown = self.t("Skriv: {u}", "Use: {u}", u=usage(self.sub, self.lang, self.ctx.command))
        return CommandError(f"{reason} {shown}" if reason else shown)

    def save(
        self,
        row: SQLModel,
        action: str,
        entity: str,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        """Write a row (flushed, so a new one has its id) and audit the change: `before` is what
        it was (None: it is new), `after` what it is now (by default the row itself)."""
        self.session.add(row)
        self.session.flush()
        self.audit(action, entity, row.id, before, row if after is None else after)

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
