"""Personal data of one person (issue 13): where it is, and erasure by pseudonymisation.

A person is known by their *traces*: the display name and handle of their `members` row and
the platform ids of their `member_identities` (a chat user id, a directory object id, a shell
handle). Commands store the caller's platform id as `actor` (and `created_by`, `recorded_by`,
`done_by`, …), snapshots of rows in the audit trail's JSON, and people type names and
mentions (`<@U024BE7LH|anna>`) into free text.

`forget` replaces every trace, in every text column of every table — found by inspecting the
tables, so a column added later is covered without a change here — by one pseudonym
(`glemt-7f3a`). Rows are rewritten, never deleted: the organisation, the roles, the counts
(who came, per organisation; how many updates) stay true, only the person behind them is no
longer named. A trace is replaced where it stands alone (a cell, a JSON string, or a word in a
text: not inside a longer word or handle, so forgetting `anna` leaves `annabel` and
`anna.hansen` alone, but takes the genitive `Annas`); traces shorter than three characters
(`bo`) only where they are the whole value, so `bolig` stays.

The erasure row (`erasures`) keeps the pseudonym, the reason (its traces replaced too), who
asked and when, the rows rewritten per table, and each old platform id as a salted, slow hash:
never the old name or ids. As the identities now hold the pseudonym, the same platform id seen
later is a new person.

`traces` finds what `forget` would rewrite: the rows a person's own export shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets as random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column, String, Table, bindparam, or_, update
from sqlmodel import Session, SQLModel, select

from storage.models import ConversationRef, DownloadLink, Erasure, Member, MemberIdentity

PREFIX = "glemt-"  # Danish "forgotten": a stored value, the same in every language
ERASED_PLATFORM = "erased"  # the identities' platform after erasure: nobody is reached there
MIN_IN_TEXT = 3  # a shorter trace is replaced only as a whole value
HASH_ROUNDS = 120_000  # PBKDF2-SHA256: slow enough that ids cannot be guessed in bulk
# From the partnership file (re-synced at every start) or the person's own rows (done first)
NOT_SCANNED = {"partnerships", "organisations", "focus_areas", "indicators", "members",
               "member_identities"}  # fmt: skip
JSON_COLUMNS = {("audit_events", "before"), ("audit_events", "after")}


@dataclass(frozen=True)
class Traces:
    """What names one person: their texts (longest first) and their platform ids."""

    texts: tuple[str, ...]
    ids: tuple[str, ...]

    @classmethod
    def of(cls, session: Session, member: Member) -> Traces:
        identities = session.exec(
            select(MemberIdentity).where(MemberIdentity.member_id == member.id)
        ).all()
        ids = tuple(i.external_id for i in identities)
        seen: dict[str, str] = {}
        for value in (member.display_name, member.handle, *ids):
            value = (value or "").strip()
            if value and not value.startswith(PREFIX):
                seen.setdefault(value.casefold(), value)
        texts = tuple(sorted(seen.values(), key=lambda v: (-len(v), v)))
        return cls(texts, ids)

    def __bool__(self) -> bool:
        return bool(self.texts)


class Rewriter:
    """Replaces a person's traces in one value: a whole value, a JSON document, or a word in
    free text."""

    def __init__(self, traces: Traces, pseudonym: str) -> None:
        self.whole = {t.casefold() for t in traces.texts}
        self.pseudonym = pseudonym
        inner = [re.escape(t) for t in traces.texts if len(t) >= MIN_IN_TEXT]
        # a word of its own: not inside a longer word, nor joined to one by . _ - (a handle)
        # with a genitive as Danish and English write it: "Annas", "Anna's", "Hans'"
        self.pattern = (
            re.compile(
                r"(?<!\w)(?<!\w[._-])(?:" + "|".join(inner) + r")('s|’s|s|')?(?!\w)(?![._-]\w)",
                re.IGNORECASE,
            )
            if inner
            else None
        )

    def text(self, value: str) -> str:
        if value.strip().casefold() in self.whole:
            return self.pseudonym
        if self.pattern is None:
            return value
        return self.pattern.sub(lambda m: self.pseudonym + (m.group(1) or ""), value)

    def json(self, value: str) -> str:
        if not value:
            return value
        try:
            data = json.loads(value)
        except ValueError:
            return self.text(value)
        walked = self._walk(data)
        if walked == data:  # untouched: kept as written
            return value
        return json.dumps(walked, ensure_ascii=False, sort_keys=True)

    def _walk(self, data: Any) -> Any:
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, list):
            return [self._walk(v) for v in data]
        if isinstance(data, dict):
            return {k: self._walk(v) for k, v in data.items()}
        return data

    def found(self, value: str) -> bool:
        return self.text(value) != value


def text_columns(table: Table) -> list[Column[Any]]:
    """The columns holding text (String, Text and SQLModel's AutoString, a TypeDecorator)."""
    return [c for c in table.columns if isinstance(getattr(c.type, "impl", c.type), String)]


def _unique_columns(table: Table) -> set[str]:
    names = {c.name for c in table.columns if c.unique}
    for constraint in table.constraints:
        if constraint.__class__.__name__ == "UniqueConstraint":
            names |= {c.name for c in constraint.columns}
    for index in table.indexes:
        if index.unique:
            names |= {c.name for c in index.columns}
    return names


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _candidates(
    session: Session, table: Table, pid: int, traces: Traces
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The rows of `table` (this partnership's, or shared by all) whose text may hold a trace:
    the database finds them (LIKE), the rewriter decides."""
    columns = text_columns(table)
    (key,) = table.primary_key.columns
    maybe = or_(*(c.ilike(_like(t), escape="\\") for c in columns for t in traces.texts))
    query = select(key, *columns).where(maybe)
    if "partnership_id" in table.c:
        owner = table.c.partnership_id
        query = query.where(or_(owner == pid, owner.is_(None)))
    for row in session.execute(query):
        values = dict(zip([c.name for c in columns], row[1:], strict=True))
        yield row[0], {k: v for k, v in values.items() if isinstance(v, str)}


def scanned_tables() -> list[Table]:
    return [
        t
        for t in SQLModel.metadata.sorted_tables
        if t.name not in NOT_SCANNED and text_columns(t) and len(t.primary_key.columns) == 1
    ]


def rewrite_everywhere(
    session: Session, pid: int, traces: Traces, pseudonym: str, shared: Traces | None = None
) -> dict[str, int]:
    """Every trace in every other table's text replaced; rows rewritten per table. Rows that
    change the same columns are written in one batch (executemany). `shared`: the traces to
    replace in the tables no partnership owns (a chat user's locale, personal chats), when
    not all are the person's here alone."""
    counts: dict[str, int] = {}
    for table in scanned_tables():
        found = traces if "partnership_id" in table.c or shared is None else shared
        if not found:
            continue
        rewriter = Rewriter(found, pseudonym)
        unique = _unique_columns(table)
        (key,) = table.primary_key.columns
        batches: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for row_id, values in list(_candidates(session, table, pid, found)):
            changed: dict[str, str] = {}
            for name, value in values.items():
                json_column = (table.name, name) in JSON_COLUMNS
                new = rewriter.json(value) if json_column else rewriter.text(value)
                if new == pseudonym and name in unique:  # a key of its own: kept unique
                    new = f"{pseudonym}#{row_id}"
                if new != value:
                    changed[name] = new
            if changed:
                batch = batches.setdefault(tuple(sorted(changed)), [])
                batch.append({"row_id": row_id, **{f"new_{k}": v for k, v in changed.items()}})
        for names, rows in batches.items():
            statement = (
                update(table)
                .where(key == bindparam("row_id"))
                .values({name: bindparam(f"new_{name}") for name in names})
            )
            session.connection().execute(statement, rows)
            counts[table.name] = counts.get(table.name, 0) + len(rows)
    return counts


def hash_id(platform: str, external_id: str, *, salt: bytes | None = None) -> str:
    """A platform id as `pbkdf2-sha256$ROUNDS$SALT$HASH` (salt and hash in hex)."""
    salt = salt or random.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", f"{platform}:{external_id}".encode(), salt, HASH_ROUNDS)
    return f"pbkdf2-sha256${HASH_ROUNDS}${salt.hex()}${digest.hex()}"


def was_erased(erasure: Erasure, platform: str, external_id: str) -> bool:
    """Whether this erasure was of the account `platform:external_id` (a person asking again)."""
    for stored in json.loads(erasure.id_hashes or "[]"):
        _, rounds, salt, digest = stored.split("$")
        again = hashlib.pbkdf2_hmac(
            "sha256", f"{platform}:{external_id}".encode(), bytes.fromhex(salt), int(rounds)
        )
        if again.hex() == digest:
            return True
    return False


def new_pseudonym(session: Session, pid: int) -> str:
    """`glemt-` and four hex digits (more when those are taken), free as a handle here."""
    for length in (2, 2, 2, 3, 3, 4, 8):
        candidate = PREFIX + random.token_hex(length)
        taken = session.exec(
            select(Member.id).where(Member.partnership_id == pid, Member.handle == candidate)
        ).first()
        if taken is None:
            return candidate
    raise RuntimeError("no free pseudonym")  # 2**64 tries of luck


def is_forgotten(member: Member) -> bool:
    return member.handle.startswith(PREFIX)


def forget(
    session: Session,
    member: Member,
    *,
    reason: str,
    requested_by: str,
    at: dt.datetime,
) -> Erasure:
    """Pseudonymise `member` everywhere (see the module text) and record the erasure. The
    person is removed (inactive) and can no longer be reached or recognised; the caller
    commits. The reason's traces are replaced as well."""
    pid = member.partnership_id
    traces = Traces.of(session, member)
    pseudonym = new_pseudonym(session, pid)
    identities = session.exec(
        select(MemberIdentity).where(MemberIdentity.member_id == member.id)
    ).all()
    hashes = [hash_id(i.platform, i.external_id) for i in identities]
    # an account another partnership knows too is the same person there, still to be reached:
    # what no partnership owns (their locale, their personal chat) stays for that account
    elsewhere = set(
        session.exec(
            select(MemberIdentity.external_id).where(
                MemberIdentity.partnership_id != pid,
                MemberIdentity.external_id.in_(traces.ids or [""]),
            )
        )
    )
    shared = Traces(
        tuple(t for t in traces.texts if t not in elsewhere),
        tuple(i for i in traces.ids if i not in elsewhere),
    )
    for n, identity in enumerate(identities, start=1):
        identity.platform = ERASED_PLATFORM
        identity.external_id = pseudonym if n == 1 else f"{pseudonym}-{n}"
        session.add(identity)
    # a personal chat with the person: its ids lead to them, and nothing is sent there again
    for ref in session.exec(
        select(ConversationRef).where(
            ConversationRef.kind == "personal",
            ConversationRef.user_id.in_(shared.ids or [""]),
        )
    ):
        ref.channel_id = ref.conversation_id = f"{pseudonym}#{ref.id}"
        session.add(ref)
    member.handle = member.display_name = pseudonym
    member.lang = None
    member.active = False
    member.left_at = member.left_at or at
    session.add(member)
    session.flush()
    counts = {"members": 1, "member_identities": len(identities)}
    counts |= rewrite_everywhere(session, pid, traces, pseudonym, shared) if traces else {}
    # files the bot offers as links (minutes, reports) name people and cannot be rewritten:
    # they expire now (they live for hours anyway)
    links = session.exec(
        select(DownloadLink).where(DownloadLink.partnership_id == pid, DownloadLink.expires_at > at)
    ).all()
    for link in links:
        link.data, link.expires_at = b"", at
        session.add(link)
    if links:
        counts["download_links"] = len(links)
    erasure = Erasure(
        partnership_id=pid,
        member_id=member.id or 0,
        pseudonym=pseudonym,
        reason=Rewriter(traces, pseudonym).text(reason) if traces else reason,
        requested_by=requested_by,
        at=at,
        id_hashes=json.dumps(hashes),
        rows=json.dumps(counts, sort_keys=True),
    )
    session.add(erasure)
    session.flush()
    return erasure


def rows_about(
    session: Session, pid: int, member: Member, tables: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The rows of `tables` (this partnership's) that name the person in a text column, as
    `forget` would find them: {table: [row as a dict]}."""
    traces = Traces.of(session, member)
    if not traces:
        return {}
    rewriter = Rewriter(traces, PREFIX)
    out: dict[str, list[dict[str, Any]]] = {}
    for name in tables:
        table = SQLModel.metadata.tables[name]
        ids = [
            row_id
            for row_id, values in _candidates(session, table, pid, traces)
            if any(rewriter.found(v) for v in values.values())
        ]
        if not ids:
            continue
        (key,) = table.primary_key.columns
        rows = session.execute(table.select().where(key.in_(ids)).order_by(key)).mappings()
        out[name] = [dict(r) for r in rows]
    return out
