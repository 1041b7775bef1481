"""Slack's mrkdwn for user text: escaped so a typed `<!channel>` never pings anyone, Markdown
**bold** as Slack's *bold*, and texts cut or split inside Slack's limits without breaking an
`&amp;` entity (pure functions)."""

from __future__ import annotations

import re

ELLIPSIS = "…"
_CODE = re.compile(r"(```[\s\S]*?```|`[^`\n]+`)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def escape(text: str) -> str:
    """Escape Slack's control characters, so user text is shown and never parsed.

    Slack reads `<...>` as mentions and links (`<!channel>`, `<@U1>`); `&` must be escaped
    because the others are escaped as entities. Nothing else needs escaping in mrkdwn.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Escape text and turn Markdown **bold** into Slack's *bold*, leaving code spans as is.

    Commands write Markdown-ish text; Slack shows `**x**` literally with stray asterisks.
    """
    out: list[str] = []
    for i, part in enumerate(_CODE.split(text)):
        if i % 2 == 0:  # outside code: convert, then escape
            part = _BOLD.sub(r"*\1*", part)
        out.append(escape(part))
    return "".join(out)


def safe_cut(text: str, limit: int) -> int:
    """The largest cut position ≤ limit that does not split an `&amp;`-style entity."""
    if len(text) <= limit:
        return len(text)
    amp = text.rfind("&", max(0, limit - 4), limit)
    if amp != -1 and text.find(";", amp, limit) == -1:
        return amp  # the entity starting at `amp` would be cut in half
    return limit


def clip(text: str, limit: int) -> str:
    """Shorten already-escaped text to `limit` characters, ending with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: safe_cut(text, limit - 1)] + ELLIPSIS


def hard_split(line: str, limit: int) -> list[str]:
    """Split one over-long (escaped) line, preferring a space in the second half."""
    parts: list[str] = []
    while len(line) > limit:
        cut = safe_cut(line, limit)
        space = line.rfind(" ", limit // 2, cut)
        if space > 0:
            cut = space + 1
        parts.append(line[:cut])
        line = line[cut:]
    parts.append(line)
    return parts


def split_text(text: str, limit: int) -> list[str]:
    """Split (escaped) text into chunks ≤ limit, at line boundaries where possible.

    Whitespace-only chunks are dropped: Slack rejects empty section and context texts.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = -1  # length of "\n".join(current)
    for raw in text.split("\n"):
        for line in hard_split(raw, limit) if len(raw) > limit else [raw]:
            if current and size + 1 + len(line) > limit:
                chunks.append("\n".join(current))
                current, size = [], -1
            current.append(line)
            size += 1 + len(line)
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()]


def plain(text: str, limit: int) -> str:
    """Plain_text for headers and buttons: one line, never empty, clipped with an ellipsis.

    plain_text is never parsed for mentions, so it is not escaped.
    """
    text = " ".join(text.split()) or ELLIPSIS
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
