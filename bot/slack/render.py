"""Render a platform-neutral Reply as Slack Block Kit (pure functions, no network).

Slack rejects a whole message when one limit is crossed (`invalid_blocks`,
`msg_blocks_too_long`), and the user then sees nothing at all. Everything here therefore
keeps inside the limits by construction: long texts and tables are split into several
sections, a long reply into several messages, and a view is truncated with a visible marker.
Nothing is dropped silently from a message.

User text is escaped (`&`, `<`, `>`) so that a member who types `<!channel>` or `<@U123>`
into an activity note never pings anybody when the bot repeats it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.slack.mrkdwn import ELLIPSIS, clip, escape, mrkdwn, plain, split_text
from commands.engine.reply import Button, Confirm, Header, Note, Reply, Table, Text, render_table

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_BUTTONS_PER_ACTIONS = 25
# Slack also has an undocumented cumulative limit on the text of all blocks in one message
# (`msg_blocks_too_long` at roughly 12,000 characters, sometimes less because the block
# containers count too: slackapi/bolt-js#2509, #2867). Stay well below it.
MAX_MESSAGE_TEXT = 10_000
# A table line longer than this is clipped, so that the repeated header row plus one body
# row always fit in one section (three lines of 900 plus the fence < 3000).
MAX_TABLE_LINE = 900
# Monospace characters a phone shows on one line in Slack; wider tables become one line per row.
PHONE_COLUMNS = 44

ACTION_PREFIX = "pb"
_FENCE_OPEN = "```\n"
_FENCE_CLOSE = "\n```"

SlackBlock = dict[str, Any]


@dataclass(frozen=True)
class _Piece:
    """One Slack block and how many reply items it carries (table rows, or 1).

    The item count lets a truncated view say how much was left out.
    """

    block: SlackBlock
    items: int = 1


# --- block renderers ----------------------------------------------------------------------


def _section(text: str) -> SlackBlock:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str) -> SlackBlock:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _header(block: Header) -> list[_Piece]:
    if not block.text.strip():
        return []
    text = {"type": "plain_text", "text": plain(block.text, MAX_HEADER), "emoji": True}
    return [_Piece({"type": "header", "text": text})]


SLACK_USER = re.compile(r"^[UW][A-Z0-9]{1,39}$")


def _text(block: Text) -> list[_Piece]:
    text = mrkdwn(block.text)
    mentions = " ".join(
        f"<@{m.id}>" for m in block.mentions if m.platform == "slack" and SLACK_USER.match(m.id)
    )
    if mentions:  # added after escaping: only the bot's own mentions notify
        text = f"{text} {mentions}"
    return [_Piece(_section(c)) for c in split_text(text, MAX_SECTION_TEXT)]


def _note(block: Note) -> list[_Piece]:
    return [_Piece(_context(c)) for c in split_text(mrkdwn(block.text), MAX_SECTION_TEXT)]


def _table_lines(table: Table) -> list[str]:
    """Aligned, escaped monospace lines: header, rule, rows (one line each).

    Rows shorter or longer than the header are padded rather than rejected, so a sloppy
    command still shows every cell.
    """
    width = max([len(table.headers), *(len(r) for r in table.rows)])
    headers = tuple(table.headers) + ("",) * (width - len(table.headers))
    rows = tuple(tuple(r) + ("",) * (width - len(r)) for r in table.rows)
    lines = render_table(Table(headers, rows))
    # A cell containing ``` would close the code block early; a zero-width space defuses it.
    return [clip(escape(line).replace("```", "`\u200b`\u200b`"), MAX_TABLE_LINE) for line in lines]


def _record(headers: tuple[str, ...], row: tuple[str, ...]) -> str:
    """One row as a line that wraps well: the first cell in bold, the second (a name) as it
    is, the rest as `header: value`; empty cells are left out."""
    cells = [c.replace("\n", " ").strip() for c in row]
    first = f"*{escape(cells[0])}*" if cells and cells[0] else ""
    parts = [first] if first else []
    for i, cell in enumerate(cells[1:], start=1):
        if cell in {"", "-"}:
            continue
        label = headers[i] if i < len(headers) else ""
        shown = escape(clip(cell, MAX_TABLE_LINE))
        parts.append(shown if i == 1 or not label else f"{escape(label)}: {shown}")
    return " · ".join(parts)


def _records(block: Table) -> list[_Piece]:
    """A wide table on a phone: one line per row (a code block would wrap mid-column)."""
    lines = [_record(block.headers, row) for row in block.rows]
    pieces: list[_Piece] = []
    chunk: list[str] = []
    size = 0
    for line in lines:
        line = clip(line, MAX_SECTION_TEXT)
        if chunk and size + 1 + len(line) > MAX_SECTION_TEXT:
            pieces.append(_Piece(_section("\n".join(chunk)), len(chunk)))
            chunk, size = [], 0
        chunk.append(line)
        size += 1 + len(line)
    if chunk:
        pieces.append(_Piece(_section("\n".join(chunk)), len(chunk)))
    return pieces


def _table(block: Table) -> list[_Piece]:
    """A narrow table as code-block sections of whole rows, each ≤ 3000 chars, the header row
    on top of each; a wide one (wider than a phone shows) as one line per row."""
    if not block.headers and not block.rows:
        return []
    lines = _table_lines(block)
    if block.rows and max(len(line) for line in lines) > PHONE_COLUMNS:
        return _records(block)
    head, body = lines[:2], lines[2:]
    budget = MAX_SECTION_TEXT - len(_FENCE_OPEN) - len(_FENCE_CLOSE)

    def piece(chunk: list[str]) -> _Piece:
        text = _FENCE_OPEN + "\n".join(head + chunk) + _FENCE_CLOSE
        return _Piece(_section(text), max(len(chunk), 1))

    pieces: list[_Piece] = []
    chunk: list[str] = []
    size = len("\n".join(head))
    for line in body:
        if chunk and size + 1 + len(line) > budget:
            pieces.append(piece(chunk))
            chunk, size = [], len("\n".join(head))
        chunk.append(line)
        size += 1 + len(line)
    if chunk or not pieces:
        pieces.append(piece(chunk))
    return pieces


def button_action_id(index: int) -> str:
    """`pb:<index>`: Slack requires unique action_ids within one actions block; the command
    the button stands for travels in its value."""
    return f"{ACTION_PREFIX}:{index}"


def is_our_action(action_id: str) -> bool:
    prefix = ACTION_PREFIX + ":"
    index = action_id[len(prefix) :]
    return action_id.startswith(prefix) and index.isascii() and index.isdigit()


def _confirm(confirm: Confirm) -> SlackBlock:
    return {
        "title": {"type": "plain_text", "text": plain(confirm.title, 100)},
        "text": {"type": "plain_text", "text": plain(confirm.text, 300)},
        "confirm": {"type": "plain_text", "text": plain(confirm.yes, 30)},
        "deny": {"type": "plain_text", "text": plain(confirm.no, 30)},
    }


def _button(index: int, button: Button) -> SlackBlock:
    element: SlackBlock = {
        "type": "button",
        "text": {
            "type": "plain_text",
            "text": plain(button.label, MAX_BUTTON_TEXT),
            "emoji": True,
        },
        "action_id": button_action_id(index),
        "value": button.command[:MAX_BUTTON_VALUE] or "help",
    }
    if button.style:
        element["style"] = button.style
    if button.confirm is not None:
        element["confirm"] = _confirm(button.confirm)
    return element


def _actions(buttons: list[Button]) -> list[_Piece]:
    """Actions blocks of at most 25 buttons each; indexes are unique over the whole reply."""
    elements = [_button(i, b) for i, b in enumerate(buttons)]
    step = MAX_BUTTONS_PER_ACTIONS
    return [
        _Piece({"type": "actions", "elements": elements[i : i + step]}, 0)
        for i in range(0, len(elements), step)
    ]


def _units(reply: Reply) -> list[list[_Piece]]:
    """Logical units: what one reply block became, with a Header glued to what follows it.

    Messages are split between units where possible, so a heading never ends a message
    while its table starts the next one.
    """
    units: list[list[_Piece]] = []
    pending: list[_Piece] = []  # a header waiting for its content
    for block in reply.blocks:
        if isinstance(block, Header):
            units.extend([pending] if pending else [])
            pending = _header(block)
            continue
        if isinstance(block, Note):
            pieces = _note(block)
        elif isinstance(block, Table):
            pieces = _table(block)
        else:
            pieces = _text(block)
        if pieces or pending:
            units.append(pending + pieces)
            pending = []
    if pending:
        units.append(pending)
    return units


# --- public API ---------------------------------------------------------------------------


def reply_blocks(reply: Reply) -> list[SlackBlock]:
    """All blocks of the reply, buttons last, not split into messages (may exceed 50)."""
    pieces = [p for unit in _units(reply) for p in unit] + _actions(reply.buttons)
    return [p.block for p in pieces]


def _block_text_len(block: SlackBlock) -> int:
    """Characters of visible text in a block (what Slack's cumulative limit counts)."""
    if block["type"] in ("section", "header"):
        return len(block["text"]["text"])
    # context (mrkdwn elements) and actions (buttons with a plain_text label)
    return sum(
        len(e["text"]) if e["type"] == "mrkdwn" else len(e["text"]["text"])
        for e in block["elements"]
    )


def _text_len(blocks: list[SlackBlock]) -> int:
    return sum(_block_text_len(b) for b in blocks)


def _blank(block: Header | Text | Note | Table) -> bool:
    if isinstance(block, Table):
        return not block.headers and not block.rows
    return not block.text.strip()


def fallback_text(reply: Reply, limit: int = MAX_SECTION_TEXT) -> str:
    """The notification and screen-reader text: the first lines of `reply.plain()`.

    Escaped like the blocks, since Slack parses this text for mentions too. Never empty:
    Slack warns about (and some clients show nothing for) a message without `text`.
    """
    # Blank blocks render as nothing, so they must not become "==  ==" here either.
    shown = [b for b in reply.blocks if not _blank(b)]
    out: list[str] = []
    size = -1
    for raw in Reply(blocks=shown).plain().split("\n"):
        line = escape(raw.rstrip())
        if not line.strip():
            continue
        if size + 1 + len(line) > limit:
            if not out:
                out.append(clip(line, limit))
            break
        out.append(line)
        size += 1 + len(line)
    return "\n".join(out) or ELLIPSIS


def messages(reply: Reply) -> list[dict[str, Any]]:
    """Message payloads `{"text", "blocks"}` that Slack accepts, in posting order.

    Each has ≤ 50 blocks, sections ≤ 3000 chars and ≤ MAX_MESSAGE_TEXT chars of text in all;
    a long reply becomes several messages, split between logical units where possible.
    The buttons come last, so they sit under the final message where the user reads on.
    """
    groups: list[list[SlackBlock]] = []
    current: list[SlackBlock] = []
    chars = 0

    def fits(blocks: list[SlackBlock]) -> bool:
        return (
            len(current) + len(blocks) <= MAX_MESSAGE_BLOCKS
            and chars + _text_len(blocks) <= MAX_MESSAGE_TEXT
        )

    def flush() -> None:
        nonlocal current, chars
        if current:
            groups.append(current)
        current, chars = [], 0

    def add(blocks: list[SlackBlock]) -> None:
        nonlocal chars
        current.extend(blocks)
        chars += _text_len(blocks)

    units = _units(reply)
    actions = _actions(reply.buttons)
    if actions:
        units.append(actions)
    for unit in units:
        blocks = [p.block for p in unit]
        if fits(blocks):
            add(blocks)
            continue
        if len(blocks) <= MAX_MESSAGE_BLOCKS and _text_len(blocks) <= MAX_MESSAGE_TEXT:
            flush()  # the unit fits a message of its own: do not cut it in two
            add(blocks)
            continue
        # Too big for any one message: fill messages block by block (tables repeat their
        # header row in every section, so each part still reads on its own), keeping a
        # header together with its first content block.
        lead = 2 if blocks[0]["type"] == "header" and len(blocks) > 1 else 1
        if not fits(blocks[:lead]):
            flush()
        add(blocks[:lead])
        for block in blocks[lead:]:
            if not fits([block]):
                flush()
            add([block])
    flush()

    text = fallback_text(reply)
    if not groups:  # an empty reply still posts something the user can see
        return [{"text": text, "blocks": [_context(ELLIPSIS)]}]
    if len(groups) == 1:
        return [{"text": text, "blocks": groups[0]}]
    first_line = clip(text.split("\n", 1)[0], 200)
    n = len(groups)
    return [
        {"text": text if i == 0 else f"{first_line} ({i + 1}/{n})", "blocks": blocks}
        for i, blocks in enumerate(groups)
    ]


MAX_COMMENT = 4000  # a message's text is shown in full up to about 4000 characters


def comment_text(reply: Reply) -> str | None:
    """The reply as one mrkdwn text, for the initial comment of a file upload (which takes no
    blocks): headers in bold, tables still fenced. None when it has buttons or is too long to
    read as one text; then it is posted as blocks and the files follow."""
    if reply.buttons:
        return None
    lines: list[str] = []
    for piece in (p for unit in _units(reply) for p in unit):
        block = piece.block
        if block["type"] == "header":
            lines.append(f"*{escape(block['text']['text'])}*")
        elif block["type"] == "section":
            lines.append(block["text"]["text"])
        else:  # context
            lines.append(" ".join(e["text"] for e in block["elements"]))
    text = "\n".join(lines)
    return text if text.strip() and len(text) <= MAX_COMMENT else None


def view_blocks(reply: Reply, limit: int = MAX_VIEW_BLOCKS) -> list[SlackBlock]:
    """Blocks for a modal or the App Home (one view, ≤ `limit` blocks, no splitting possible).

    When the reply is longer, the buttons are kept, the content is cut and a context block
    `… +N` says how many items (table rows, or other blocks) were left out. The marker is
    language-neutral because the reply's language is not known here.
    """
    if limit < 1:
        raise ValueError("a view needs room for at least one block")
    content = [p for unit in _units(reply) for p in unit]
    actions = _actions(reply.buttons)
    if len(content) + len(actions) <= limit:
        return [p.block for p in content + actions]
    actions = actions[: limit - 1]
    keep = limit - 1 - len(actions)
    kept, dropped = content[:keep], content[keep:]
    if kept and kept[-1].block["type"] == "header":  # a heading without its content
        dropped.insert(0, kept.pop())
    left_out = sum(p.items for p in dropped)
    marker = _context(f"{ELLIPSIS} +{left_out}")
    return [p.block for p in kept] + [marker] + [p.block for p in actions]
