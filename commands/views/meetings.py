"""How meetings read in replies, reminders and the report (shared by several families)."""

from __future__ import annotations

from sqlmodel import Session

from commands.engine.context import say
from storage.queries import rsvp_counts


def rsvp_summary(session: Session, pid: int, lang: str) -> dict[int, str]:
    """meeting id -> "3 ja · 1 nej · 2 måske" (used by the list and the annual report)."""
    words = {
        "yes": say(lang, "ja", "yes"),
        "no": say(lang, "nej", "no"),
        "maybe": say(lang, "måske", "maybe"),
    }
    return {
        m: " · ".join(f"{c[k]} {w}" for k, w in words.items() if c.get(k))
        for m, c in rsvp_counts(session, pid).items()
    }
