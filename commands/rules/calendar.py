"""The partnership's meetings as an RFC 5545 iCalendar file, built with `icalendar`.

Why the library: it owns the format — CRLF line ends, TEXT escaping, folding at 75 octets
without splitting a UTF-8 character or an escape, typed values (TZID parameters, UTC offsets,
RRULE) and a fixed property order — and the tests read the file back with the same library.

What stays ours is what clients need from the content:
- times in the partnership's zone with a TZID and a VTIMEZONE that defines it. Outlook reads
  the VTIMEZONE, and `Timezone.from_tzinfo` does not serve it: it lists every change as an
  RDATE (Outlook ignores those) and dates the spring change an hour late. So the observances
  are derived here from the zone's real transitions: the usual RRULE pair when one yearly rule
  ("last Sunday of March at 02:00") explains every transition in the years in use, otherwise
  one observance per transition;
- a stable UID per meeting and a SEQUENCE the caller bumps when a meeting moves, so clients
  update the event instead of adding a second one; a cancelled meeting stays in the file with
  STATUS:CANCELLED (METHOD stays PUBLISH, as for any published calendar);
- the same meetings give the same bytes (sorted by start and UID), so a subscription does not
  churn.
"""

from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

PRODID = "-//Partnerbot//Partnerbot meetings//DA"


if TYPE_CHECKING:  # imported where a calendar is made: most commands never need it
    from icalendar import Event, Timezone, TimezoneDaylight, TimezoneStandard


@dataclass(frozen=True)
class CalEvent:
    uid_key: str  # stable, e.g. "meeting-42"; UID = f"{uid_key}@{slug}.partnerbot"
    starts_at: datetime  # aware; rendered in the partnership's zone
    duration_minutes: int
    summary: str
    location: str
    description: str
    cancelled: bool
    sequence: int  # bumped when a meeting moves, so clients update it
    updated_at: datetime  # DTSTAMP / LAST-MODIFIED


def calendar(events: list[CalEvent], *, name: str, slug: str, tz: ZoneInfo) -> bytes:
    """The VCALENDAR as UTF-8 bytes. Events are sorted by start and UID so that the output
    depends only on the set of events, not on the order a query returned them in."""
    for event in events:
        for field in ("starts_at", "updated_at"):
            if getattr(event, field).utcoffset() is None:
                raise ValueError(f"{event.uid_key}: {field} must be timezone-aware")
    ordered = sorted(events, key=lambda e: (e.starts_at.astimezone(UTC), e.uid_key))
    from icalendar import Calendar

    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    cal.add("METHOD", "PUBLISH")
    cal.add("X-WR-CALNAME", _text(name))
    cal.add("X-WR-TIMEZONE", tz.key)
    if ordered:  # nothing refers to the zone in an empty calendar
        years = {e.starts_at.astimezone(tz).year for e in ordered}
        cal.add_component(_vtimezone(tz, min(years) - 1, max(years) + 1))
    for event in ordered:
        cal.add_component(_vevent(event, slug, tz))
    return cal.to_ical()


def _text(value: str) -> str:
    """TEXT allows no control characters but tab and newline (the library escapes, it does
    not filter): line ends become newlines, the rest is dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in value if c in "\n\t" or not (ord(c) < 32 or ord(c) == 127))


def _vevent(event: CalEvent, slug: str, tz: ZoneInfo) -> Event:
    ends_at = event.starts_at + timedelta(minutes=event.duration_minutes)
    from icalendar import Event

    vevent = Event()
    vevent.add("UID", f"{event.uid_key}@{slug}.partnerbot")
    vevent.add("DTSTAMP", event.updated_at.astimezone(UTC))
    vevent.add("DTSTART", _when(event.starts_at, tz))
    vevent.add("DTEND", _when(ends_at, tz))
    vevent.add("SUMMARY", _text(event.summary))
    if event.location:
        vevent.add("LOCATION", _text(event.location))
    if event.description:
        vevent.add("DESCRIPTION", _text(event.description))
    vevent.add("STATUS", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("LAST-MODIFIED", event.updated_at.astimezone(UTC))
    return vevent


def _when(moment: datetime, tz: ZoneInfo) -> datetime:
    """Local time (written with TZID); the second pass of a repeated autumn hour cannot be
    written that way (RFC 5545 reads an ambiguous local time as the first), so it stays UTC."""
    local = moment.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


# --- VTIMEZONE ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Transition:
    local: datetime  # wall-clock time just before the change (naive), as DTSTART wants it
    offset_from: timedelta
    offset_to: timedelta
    name: str
    daylight: bool


def _transitions(tz: ZoneInfo, first_year: int, last_year: int) -> list[_Transition]:
    """Every change of offset or name in the years, found by a daily scan and a bisection to
    the second (zoneinfo does not expose its transition table)."""

    def state(second: int) -> tuple[object, ...]:
        local = datetime.fromtimestamp(second, tz)
        return local.utcoffset(), local.dst(), local.tzname()

    found: list[_Transition] = []
    day = 86400
    start = int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(last_year + 1, 1, 1, tzinfo=UTC).timestamp())
    for low in range(start, end, day):
        high = low + day
        if state(low) == state(high):
            continue
        while high - low > 1:  # the first second of the new state
            mid = (low + high) // 2
            low, high = (mid, high) if state(mid) == state(low) else (low, mid)
        before, after = datetime.fromtimestamp(low, tz), datetime.fromtimestamp(high, tz)
        offset_from = before.utcoffset() or timedelta(0)
        found.append(
            _Transition(
                local=datetime.fromtimestamp(high, UTC).replace(tzinfo=None) + offset_from,
                offset_from=offset_from,
                offset_to=after.utcoffset() or timedelta(0),
                name=after.tzname() or "",
                daylight=bool(after.dst()),
            )
        )
    return found


def _nth_weekday(local: datetime) -> int:
    """Which weekday of the month the day is: 1–4 from the start, or -1 for the last one."""
    days_in_month = _cal.monthrange(local.year, local.month)[1]
    return -1 if local.day + 7 > days_in_month else (local.day - 1) // 7 + 1


def _rule_day(year: int, month: int, weekday: int, nth: int) -> date:
    days = [
        date(year, month, d)
        for d in range(1, _cal.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return days[nth - 1] if nth > 0 else days[nth]


_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _rrule(group: list[_Transition], years: range) -> dict[str, object] | None:
    """The yearly RRULE that yields exactly the group's transitions, one per year, or None."""
    last = group[-1].local
    weekday, nth = last.weekday(), _nth_weekday(last)
    expected = [
        datetime.combine(_rule_day(y, last.month, weekday, nth), last.time()) for y in years
    ]
    if [t.local for t in group] != expected:
        return None
    return {"FREQ": "YEARLY", "BYMONTH": last.month, "BYDAY": f"{nth}{_DAYS[weekday]}"}


def _observance(
    t: _Transition, rrule: dict[str, object] | None
) -> TimezoneStandard | TimezoneDaylight:
    from icalendar import TimezoneDaylight, TimezoneStandard

    observance = TimezoneDaylight() if t.daylight else TimezoneStandard()
    observance.add("DTSTART", t.local)
    observance.add("TZOFFSETFROM", t.offset_from)
    observance.add("TZOFFSETTO", t.offset_to)
    if rrule:
        observance.add("RRULE", rrule)
    if t.name:
        observance.add("TZNAME", t.name)
    return observance


def _vtimezone(tz: ZoneInfo, first_year: int, last_year: int) -> Timezone:
    """VTIMEZONE covering the years: RRULE observances when one yearly rule per kind explains
    every transition (Europe/Copenhagen: last Sunday of March and of October); otherwise the
    state at the start of the range plus one observance per transition (this also covers a
    zone without daylight saving)."""
    transitions = _transitions(tz, first_year, last_year)
    from icalendar import Timezone

    vtz = Timezone()
    vtz.add("TZID", tz.key)
    groups: dict[tuple[object, ...], list[_Transition]] = {}
    for t in transitions:
        groups.setdefault((t.daylight, t.offset_from, t.offset_to, t.name), []).append(t)
    years = range(first_year, last_year + 1)
    rules = {key: _rrule(group, years) for key, group in groups.items()}
    if transitions and all(rules.values()):
        for key, group in groups.items():
            vtz.add_component(_observance(group[0], rules[key]))
        return vtz
    start = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(tz)
    offset = start.utcoffset() or timedelta(0)
    initial = _Transition(
        start.replace(tzinfo=None), offset, offset, start.tzname() or "", bool(start.dst())
    )
    for t in [initial, *transitions]:
        vtz.add_component(_observance(t, None))
    return vtz
