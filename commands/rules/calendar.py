"""The partnership's meetings as an RFC 5545 iCalendar file, written by hand.

Why by hand: the format is small, and a writer of our own keeps the output byte-stable (same
meetings → same bytes, so a subscribed calendar does not churn) with no run-time dependency.

What clients need, and where it is handled:
- times in the partnership's zone with a TZID and a VTIMEZONE that defines it (`_vtimezone`).
  Outlook reads the VTIMEZONE, so it is derived from the zone's real transitions; when one
  yearly rule ("last Sunday of March at 02:00") explains every transition in the years in use
  it is written as the usual RRULE pair, otherwise each transition gets its own observance;
- a stable UID per meeting and a SEQUENCE the caller bumps when a meeting moves, so clients
  update the event instead of adding a second one; a cancelled meeting stays in the file with
  STATUS:CANCELLED (METHOD stays PUBLISH, as for any published calendar);
- CRLF line ends, TEXT escaping, and folding at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import calendar as _cal
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

PRODID = "-//Partnerbot//Partnerbot meetings//DA"
_LINE_OCTETS = 75
_ESCAPE_OR_CHAR = re.compile(r"\\.|.", re.DOTALL)


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
    lines = [
        "BEGIN:VCALENDAR",
        f"PRODID:{PRODID}",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{tz.key}",
    ]
    if ordered:  # nothing refers to the zone in an empty calendar
        years = {e.starts_at.astimezone(tz).year for e in ordered}
        lines += _vtimezone(tz, min(years) - 1, max(years) + 1)
    for event in ordered:
        lines += _vevent(event, slug, tz)
    lines.append("END:VCALENDAR")
    return b"".join(fold(line) + b"\r\n" for line in lines)


def escape_text(value: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; other control
    characters (not allowed in TEXT) dropped, tab kept."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c in "\n\t" or not (ord(c) < 32 or ord(c) == 127))
    for raw, escaped in (("\\", "\\\\"), (";", "\\;"), (",", "\\,"), ("\n", "\\n")):
        value = value.replace(raw, escaped)
    return value


def fold(line: str) -> bytes:
    """Fold a content line at 75 octets (continuation lines start with a space, which counts),
    never inside a UTF-8 multi-byte character nor, to spare naive readers, a `\\x` escape."""
    out: list[bytes] = []
    chunk = b""
    limit = _LINE_OCTETS
    for char in _ESCAPE_OR_CHAR.findall(line):
        encoded = char.encode("utf-8")
        if len(chunk) + len(encoded) > limit:
            out.append(chunk)
            chunk, limit = b" ", _LINE_OCTETS
        chunk += encoded
    out.append(chunk)
    return b"\r\n".join(out)


def _vevent(event: CalEvent, slug: str, tz: ZoneInfo) -> list[str]:
    ends_at = event.starts_at + timedelta(minutes=event.duration_minutes)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(f'{event.uid_key}@{slug}.partnerbot')}",
        f"DTSTAMP:{_utc(event.updated_at)}",
        _when("DTSTART", event.starts_at, tz),
        _when("DTEND", ends_at, tz),
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    lines += [
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SEQUENCE:{event.sequence}",
        f"LAST-MODIFIED:{_utc(event.updated_at)}",
        "END:VEVENT",
    ]
    return lines


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _when(prop: str, moment: datetime, tz: ZoneInfo) -> str:
    """Local time with TZID; the second pass of a repeated autumn hour cannot be written that
    way (RFC 5545 reads an ambiguous local time as the first), so it is written in UTC."""
    local = moment.astimezone(tz)
    if local.fold and local.replace(fold=0).utcoffset() != local.utcoffset():
        return f"{prop}:{_utc(moment)}"
    return f"{prop};TZID={_param(tz.key)}:{local.strftime('%Y%m%dT%H%M%S')}"


def _param(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ":;,") else value


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


def _rrule(group: list[_Transition], years: range) -> str | None:
    """The yearly RRULE that yields exactly the group's transitions, one per year, or None."""
    last = group[-1].local
    weekday, nth = last.weekday(), _nth_weekday(last)
    expected = [
        datetime.combine(_rule_day(y, last.month, weekday, nth), last.time()) for y in years
    ]
    if [t.local for t in group] != expected:
        return None
    return f"FREQ=YEARLY;BYMONTH={last.month};BYDAY={nth}{_DAYS[weekday]}"


def _offset(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _observance(t: _Transition, rrule: str | None) -> list[str]:
    kind = "DAYLIGHT" if t.daylight else "STANDARD"
    lines = [
        f"BEGIN:{kind}",
        f"DTSTART:{t.local.strftime('%Y%m%dT%H%M%S')}",
        f"TZOFFSETFROM:{_offset(t.offset_from)}",
        f"TZOFFSETTO:{_offset(t.offset_to)}",
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    if t.name:
        lines.append(f"TZNAME:{escape_text(t.name)}")
    return [*lines, f"END:{kind}"]


def _vtimezone(tz: ZoneInfo, first_year: int, last_year: int) -> list[str]:
    """VTIMEZONE covering the years: RRULE observances when one yearly rule per kind explains
    every transition (Europe/Copenhagen: last Sunday of March and of October); otherwise the
    state at the start of the range plus one observance per transition (this also covers a
    zone without daylight saving)."""
    transitions = _transitions(tz, first_year, last_year)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz.key}"]
    groups: dict[tuple[object, ...], list[_Transition]] = {}
    for t in transitions:
        groups.setdefault((t.daylight, t.offset_from, t.offset_to, t.name), []).append(t)
    years = range(first_year, last_year + 1)
    rules = {key: _rrule(group, years) for key, group in groups.items()}
    if transitions and all(rules.values()):
        for key, group in groups.items():
            lines += _observance(group[0], rules[key])
        return [*lines, "END:VTIMEZONE"]
    start = datetime(first_year, 1, 1, tzinfo=UTC).astimezone(tz)
    offset = start.utcoffset() or timedelta(0)
    initial = _Transition(
        start.replace(tzinfo=None), offset, offset, start.tzname() or "", bool(start.dst())
    )
    for t in [initial, *transitions]:
        lines += _observance(t, None)
    return [*lines, "END:VTIMEZONE"]
