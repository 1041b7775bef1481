"""How meetings read in replies, reminders and the report (shared by several families)."""

from __future__ import annotations

from sqlmodel import Session

from commands.vocab import Rsvp
from storage.queries import rsvp_counts


def rsvp_summary(session: Session, pid: int, lang: str) -> dict[int, str]:
    """meeting id -> "3 ja · 1 nej · 2 måske" (used by the list and the annual report)."""
    return {
        m: " · ".join(f"{c[r]} {r.label(lang)}" for r in Rsvp if c.get(r))
        for m, c in rsvp_counts(session, pid).items()
    }
