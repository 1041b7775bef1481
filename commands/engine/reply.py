"""The platform-neutral reply that every adapter renders (plain text, Block Kit, ...)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Header:
    text: str


@dataclass(frozen=True)
class Text:
    text: str
    # People to notify (chat user ids / shell handles): adapters render real mentions, so a
    # user's own text can never ping anyone, only the bot's deliberate mentions do.
    mentions: tuple[str, ...] = ()


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


@dataclass(frozen=True)
class Button:
    label: str
    action: str  # e.g. "update:PF1"; adapters map it to their own action ids
    value: str = ""


Block = Header | Text | Note | Table


@dataclass
class Reply:
    blocks: list[Block] = field(default_factory=list)
    files: list[FileOut] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    ephemeral: bool = True  # personal answers and errors; status and decisions go to the channel
    ok: bool = True  # False for refusals and errors: nothing was changed

    @classmethod
    def error(cls, text: str) -> Reply:
        return cls(blocks=[Text(text)], ok=False)

    @classmethod
    def text(cls, *lines: str, ephemeral: bool = True) -> Reply:
        return cls(blocks=[Text(line) for line in lines], ephemeral=ephemeral)

    def plain(self) -> str:
        """Plain-text rendering (the shell, logs, tests)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, Header):
                out.append(f"== {block.text} ==")
            elif isinstance(block, Note):
                out.append(f"  ({block.text})")
            elif isinstance(block, Table):
                out.extend(render_table(block))
            else:
                mentions = " ".join(f"@{m}" for m in block.mentions)
                out.append(f"{block.text} {mentions}" if mentions else block.text)
        return "\n".join(out)


def render_table(table: Table, max_width: int = 48) -> list[str]:
    """Monospace table with columns clipped to `max_width` characters."""

    def clip(cell: str) -> str:
        cell = cell.replace("\n", " ")
        return cell if len(cell) <= max_width else cell[: max_width - 1] + "…"

    rows = [tuple(clip(c) for c in table.headers)] + [tuple(clip(c) for c in r) for r in table.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(table.headers))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
