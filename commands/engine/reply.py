"""The platform-neutral reply that every adapter renders (plain text, Block Kit, Adaptive Cards).

Markup: texts use one small CommonMark subset, and only it: `**bold**`, `` `code` ``, line
breaks, and lines starting with `- ` as a list. Adapters translate it to their own dialect;
nothing in `commands/` writes platform markup.

People are references (`Person`: platform, id, display name), never platform syntax: an adapter
renders them as real mentions, so only the bot's deliberate mentions notify anybody.

Buttons carry the command line they stand for (`meeting rsvp 12 yes`) and, for destructive
ones, a confirmation; an adapter runs the line through the same command path as typed text, so
rights, checks and the audit are the same. Forms are neutral specs (`Form`); each adapter draws
them within its platform's limits.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Person:
    """Someone the bot refers to: rendered as a mention where the platform has them."""

    platform: str  # the adapter's platform name
    id: str  # the platform's own id (a chat user id, a shell handle)
    name: str = ""
    # the account's home tenant where the platform tells it (Microsoft 365); not part of who
    # the person is, only a hint at their organisation
    tenant: str = field(default="", compare=False)

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    # People to notify: adapters render real mentions (after the text, which is escaped), so a
    # user's own text can never ping anyone, only the bot's deliberate mentions do.
    mentions: tuple[Person, ...] = ()


@dataclass(frozen=True)
class Note:
    """A small context line (source, data as of, hints)."""

    text: str


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class FileOut:
    name: str
    data: bytes
    mime: str
    title: str = ""
    alt: str = ""  # alt text for images, made from the data they show


@dataclass(frozen=True)
class Confirm:
    """Asked before a button's command runs (cancel, remove, confirm a plan)."""

    title: str
    text: str
    yes: str
    no: str


@dataclass(frozen=True)
class Button:
    label: str
    command: str  # the command line it stands for, without the root command
    confirm: Confirm | None = None
    style: Literal["", "primary", "danger"] = ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


FieldKind = Literal["text", "multiline", "choice", "person", "people"]


@dataclass(frozen=True)
class Field:
    """One input of a form. `choice` picks one of `choices`; `person`/`people` pick members or
    users of the platform. No platform limits here: an adapter that can show only so many
    choices offers a search instead."""

    name: str
    label: str
    kind: FieldKind = "text"
    choices: tuple[Choice, ...] = ()
    default: str | tuple[str, ...] = ""
    optional: bool = False
    max_length: int = 3000
    hint: str = ""


@dataclass(frozen=True)
class Form:
    """A form to open instead of a reply; submitted values go back to the command core as
    `{field name: value}` (`commands.engine.run.submit`)."""

    id: str  # the subcommand it stands for: "update", "member add", "activity add"
    title: str
    submit: str
    cancel: str
    fields: tuple[Field, ...]
    partnership: str = ""  # the slug the form was opened for


Block = Header | Text | Note | Table


@dataclass
class Reply:
    blocks: list[Block] = field(default_factory=list)
    files: list[FileOut] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    ephemeral: bool = True  # personal answers and errors; status and decisions go to the channel
    ok: bool = True  # False for refusals and errors: nothing was changed
    field: str = ""  # for a refused form: the field the refusal is about
    # After a button ran: replace the message that carried it (so no live button is left).
    replace_original: bool = False

    @classmethod
    def error(cls, text: str, *, field: str = "") -> Reply:
        return cls(blocks=[Text(text)], ok=False, field=field)

    @classmethod
    def text(cls, *lines: str, ephemeral: bool = True) -> Reply:
        return cls(blocks=[Text(line) for line in lines], ephemeral=ephemeral)

    def plain(self) -> str:
        """Plain-text rendering (the shell, logs, tests): markup stays as typed."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Header):
                out.append(f"== {block.text} ==")
            elif isinstance(block, Note):
                out.append(f"  ({block.text})")
            elif isinstance(block, Table):
                out.extend(render_table(block))
            else:
                mentions = " ".join(f"@{m.label}" for m in block.mentions)
                out.append(f"{block.text} {mentions}" if mentions else block.text)
        return "\n".join(out)


def render_table(table: Table, max_width: int = 48) -> list[str]:
    """Monospace table; a cell wider than `max_width` wraps onto more lines of its row, never
    cut (issue 14: the reason is often in the part a cut would drop)."""

    def lines_of(cell: str) -> list[str]:
        text = " ".join(cell.split())
        return textwrap.wrap(text, max_width, break_on_hyphens=False) or [""]

    rows = [[lines_of(c) for c in table.headers]] + [[lines_of(c) for c in r] for r in table.rows]
    widths = [max(len(line) for r in rows for line in r[i]) for i in range(len(table.headers))]
    lines = []
    for n, row in enumerate(rows):
        for k in range(max(len(cell) for cell in row)):
            parts = [
                (cell[k] if k < len(cell) else "").ljust(w)
                for cell, w in zip(row, widths, strict=True)
            ]
            lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines
