"""Reminder kinds: how each kind of reminder row is keyed, named and opened (pure, no I/O).

A reminder row carries a kind string `NAME:ARG` and an idempotency key; both are stored in
existing databases and the dispatcher relies on the key never to post twice, so their formats
must never change. Two kinds:

- `lead` — a meeting reminder a fixed time before the meeting, one per lead in the
  partnership file's `meetings.reminder_leads` (ISO 8601 durations: P14D, P3D, PT1H, PT30M).
  Kind `lead:P14D`, key `meeting:{id}:{start:%Y%m%dT%H%MZ}:lead:P14D` (the start is in the key
  so a moved meeting gets fresh reminders). What it carries follows from the lead's length,
  whatever the file says:
    - 7 days or more: a call for agenda items, naming the organisations with no activity
      update since the last meeting (time enough to send items and updates);
    - 1 day or more: the agenda and a status snapshot (time enough to read them);
    - shorter: the place (people are on their way).
- `data` — the yearly data calendar (the survey and the police's figures are out by June).
  Kind `data:2027`, key `data:{slug}:2027`.
- `action` — a follow-up item's owner reminded before its due date (`action:12:due`) and
  after it while it is still open (`action:12:late`); kind and key are the same string.
- `undelivered` — a direct message to the chair and the secretariat that reminder ID did not
  reach people (no bound channel, given up, missed). Kind `undelivered:ID`, key
  `undelivered:ID`: one notice per reminder, whatever else befalls it.

Each kind's compose function is tied to it in `commands.views.notices.KINDS` (the registry),
next to the texts it writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from commands.engine.context import say
from config.partnership import parse_duration

CALL_FOR_ITEMS = dt.timedelta(days=7)
AGENDA = dt.timedelta(days=1)

Content = Literal["call-for-items", "agenda", "place"]

LEAD_KEY = "meeting:{meeting_id}:{starts_at:%Y%m%dT%H%MZ}:lead:{arg}"
DATA_KEY = "data:{slug}:{arg}"
UNDELIVERED_KEY = "undelivered:{arg}"
ACTION_KEY = "action:{arg}"


@dataclass(frozen=True)
class Due:
    """A due reminder row, as its kind's compose function reads it."""

    arg: str  # what follows the kind's name: `P14D` in `lead:P14D`, `2027` in `data:2027`
    meeting_id: int | None
    partnership_id: int | None
    late: bool  # sent after its time (the bot was down)
    platform: str  # the platform it is composed for (mentions are per platform)


@dataclass(frozen=True)
class ReminderKind:
    """One kind in the registry: its name (the kind string's prefix), key format, label and
    compose function (session, ctx, due) -> what to post, or None."""

    name: str
    key_format: str
    label: Callable[[str, str], str]  # (lang, ARG) -> words for the overview
    compose: Callable[..., Any]

    def kind(self, arg: object) -> str:
        return f"{self.name}:{arg}"

    def key(self, arg: object, **fields: object) -> str:
        return self.key_format.format(arg=arg, **fields)


def split(kind: str) -> tuple[str, str]:
    """`lead:P14D` → ("lead", "P14D"); a kind without an argument → (kind, "")."""
    name, _, arg = kind.partition(":")
    return name, arg


def lead_content(lead: dt.timedelta) -> Content:
    """What a meeting reminder this long before the meeting carries (see the module text)."""
    if lead >= CALL_FOR_ITEMS:
        return "call-for-items"
    if lead >= AGENDA:
        return "agenda"
    return "place"


# unit: (Danish one, Danish many, Danish "1" spelled, English one, English many)
_UNITS = (
    ("dag", "dage", "en", "day", "days"),
    ("time", "timer", "en", "hour", "hours"),
    ("minut", "minutter", "et", "minute", "minutes"),
)


def duration_words(lang: str, lead: dt.timedelta, *, spelled: bool = False) -> str:
    """14 days → "14 dage"; 1 hour → "1 time", or "en time" when `spelled` (running text);
    1 day 12 hours → "1 dag og 12 timer"."""
    hours, rest = divmod(lead.seconds, 3600)
    counts = (lead.days, hours, rest // 60)
    parts = []
    for n, (da_one, da_many, da_spelled, en_one, en_many) in zip(counts, _UNITS, strict=True):
        if n <= 0:
            continue
        number = (da_spelled if lang == "da" else "one") if n == 1 and spelled else str(n)
        noun = (da_one if n == 1 else da_many) if lang == "da" else (en_one if n == 1 else en_many)
        parts.append(f"{number} {noun}")
    if not parts:
        return say(lang, "nu", "now")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + say(lang, " og ", " and ") + parts[-1]


def lead_opening(lang: str, lead: dt.timedelta | None) -> str:
    """How a meeting reminder opens: "Om 14 dage", "Om en time" / "In 14 days", "In one hour"."""
    if lead is None:  # a row whose lead no longer reads as a duration: still worth sending
        return say(lang, "Snart", "Soon")
    return say(lang, "Om {d}", "In {d}", d=duration_words(lang, lead, spelled=True))


def lead_of(arg: str) -> dt.timedelta | None:
    return parse_duration(arg)


def lead_label(lang: str, arg: str) -> str:
    """`P14D` → "14 dage før" / "14 days before"; `PT30M` → "30 minutter før"."""
    lead = lead_of(arg)
    if lead is None:
        return arg
    return say(lang, "{d} før", "{d} before", d=duration_words(lang, lead))


def data_label(lang: str, arg: str) -> str:
    """`2027` → "datakalender 2027" / "data calendar 2027"."""
    return say(lang, "datakalender {y}", "data calendar {y}", y=arg).strip()


def undelivered_label(lang: str, arg: str) -> str:
    return say(lang, "besked om påmindelse {a}", "notice of reminder {a}", a=arg)


def action_label(lang: str, arg: str) -> str:
    """`12:due` → "opfølgningspunkt 12, før fristen" / "follow-up item 12, before it is due"."""
    number, _, which = arg.partition(":")
    if which == "late":
        return say(
            lang,
            "opfølgningspunkt {n}, fristen overskredet",
            "follow-up item {n}, overdue",
            n=number,
        )
    return say(
        lang, "opfølgningspunkt {n}, før fristen", "follow-up item {n}, before it is due", n=number
    )
