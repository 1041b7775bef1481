"""How meetings read in replies, reminders and the report (shared by several families)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session, select

from commands.engine.context import say
from commands.engine.reply import Button
from commands.vocab import MeetingKind, Rsvp
from storage.models import Meeting
from storage.queries import rsvp_counts

DEFAULT_ZONE = "Europe/Copenhagen"
# Titles the planner gives (in either language): shown as the year is now, never as stored
PLANNED_TITLE = re.compile(r"^(?:Arbejdsgruppemøde|Working group meeting) \d+/\d+$")
REVIEW_TITLES = ("Styregruppens årlige status", "Steering group annual review")


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


def kind_title(kind: str, lang: str) -> str:
    """ "wg" -> "Arbejdsgruppemøde" / "Working group meeting"."""
    label = MeetingKind.label_of(kind, lang)
    return say(lang, "{k}møde", "{k} meeting", k=label).capitalize()


def titles(meetings: Sequence[Meeting], lang: str, zone: ZoneInfo) -> dict[int, str]:
    """meeting id -> its title as shown, given all the meetings of the years concerned.

    A working-group meeting with the planner's title or none is numbered as the year is now —
    "Arbejdsgruppemøde 3/8", the 3rd of the year's 8 working-group meetings that are not
    cancelled — so the numbers follow when one is cancelled or added; a cancelled one shows
    its kind without a number. The steering group's review reads in the reader's language. A
    title someone typed stays as typed (and the meeting still counts in the numbers)."""
    year_wg: dict[int, list[int]] = {}
    for m in sorted(meetings, key=lambda m: m.starts_at):
        if m.kind == "wg" and m.status != "cancelled":
            year_wg.setdefault(m.starts_at.astimezone(zone).year, []).append(m.id or 0)
    out: dict[int, str] = {}
    for m in meetings:
        title = m.title or ""
        if m.kind == "wg" and (not title or PLANNED_TITLE.match(title)):
            of_year = year_wg.get(m.starts_at.astimezone(zone).year, [])
            number = f" {of_year.index(m.id or 0) + 1}/{len(of_year)}" if m.id in of_year else ""
            title = kind_title(m.kind, lang) + number
        elif title in REVIEW_TITLES:
            title = say(lang, *REVIEW_TITLES)
        out[m.id or 0] = title or kind_title(m.kind, lang)
    return out


def title_of(session: Session, meeting: Meeting, lang: str, zone: ZoneInfo) -> str:
    """One meeting's title as shown (`titles`), counted among its year's meetings."""
    year = meeting.starts_at.astimezone(zone).year
    same_year = session.exec(
        select(Meeting).where(
            Meeting.partnership_id == meeting.partnership_id,
            Meeting.starts_at >= dt.datetime(year, 1, 1, tzinfo=zone),
            Meeting.starts_at < dt.datetime(year + 1, 1, 1, tzinfo=zone),
        )
    ).all()
    by_id = {m.id: m for m in [*same_year, meeting]}  # the meeting itself, once
    return titles(list(by_id.values()), lang, zone)[meeting.id or 0]
