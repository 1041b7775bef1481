"""How meetings read in replies, reminders and the report (shared by several families)."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from commands.engine.context import say
from commands.engine.reply import Button
from commands.vocab import Rsvp
from storage.queries import rsvp_counts

DEFAULT_ZONE = "Europe/Copenhagen"


def local_zone(timezone: str | None) -> ZoneInfo:
    """The zone a partnership's times read in: its `timezone` column (copied from its file at
    start), else Copenhagen's. One default everywhere, and not UTC: every partnership is in
    Denmark, and a time shown in UTC would be an hour or two off for everyone who reads it."""
    try:
        return ZoneInfo(timezone or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def rsvp_summary(session: Session, pid: int, lang: str) -> dict[int, str]:
    """meeting id -> "3 ja · 1 nej · 2 måske" (used by the list and the annual report)."""
    return {
        m: " · ".join(f"{c[r]} {r.label(lang)}" for r in Rsvp if c.get(r))
        for m, c in rsvp_counts(session, pid).items()
    }


ANSWER_BUTTONS = {
    Rsvp.YES: ("Jeg kommer", "I'll come"),
    Rsvp.MAYBE: ("Måske", "Maybe"),
    Rsvp.NO: ("Jeg kommer ikke", "I can't come"),
}


def rsvp_buttons(lang: str, meeting_id: int | None, answers: tuple[Rsvp, ...]) -> list[Button]:
    """A button per answer, each running `meeting rsvp ID ANSWER` for whoever presses it."""
    return [
        Button(say(lang, *ANSWER_BUTTONS[a]), f"meeting rsvp {meeting_id} {a.value}")
        for a in answers
    ]


def agenda_text(lang: str, items: list[str]) -> str:
    """ "Dagsorden:" and the numbered items, or that there are none yet."""
    if not items:
        return say(lang, "Ingen punkter på dagsordenen endnu.", "No agenda items yet.")
    return say(lang, "Dagsorden:", "Agenda:") + "".join(
        f"\n{n}. {text}" for n, text in enumerate(items, 1)
    )
