"""Meeting planning and local-time rules (DESIGN section 5): pure functions, no I/O.

Why these rules: the working group meets 6–8 times a year and the steering group reviews the
year before the annual status deadline. People do not meet on weekends, Danish public holidays
or in the school holidays they take off (the partnership file's `meetings.blackouts`: in
Copenhagen the summer holiday, winter break week 7, autumn break week 42 and Christmas), so
the planner never proposes those days, and a meeting put on one by hand, or at night (22–06),
is asked back first (`concerns`).

Reminders a day or more ahead are read at work: one that would fall on a weekend, a holiday or
outside working hours (08–16) goes out in the working hours before it (`working_due`).

Local time: meetings are typed in the partnership's wall-clock time and stored in UTC.
- A wall time inside the spring daylight-saving gap does not exist; `local_to_utc` shifts it
  forward (02:30 on the last Sunday of March becomes 03:30 local), and `in_dst_gap` lets a
  command refuse a typed time there instead of silently moving it.
- A wall time in the repeated autumn hour resolves to its first occurrence (PEP 495 `fold=0`).
- Reminder leads are exact durations (`reminder_due`): "14 days before" is 14 × 24 hours in UTC.
  Across a DST change the reminder therefore arrives one hour earlier or later on the wall clock
  than the meeting's own time (a 13:00 meeting just after the March change gets its 14-day
  reminder at 12:00 local). The alternative, the same local wall time, would make a lead land
  in a gap or a repeated hour and would make reminder order depend on the zone; an exact lead
  is unambiguous, monotonic and identical on every replica.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from config.partnership import Blackout, Meetings, parse_duration

TUESDAY = 1
SG_LEAD_DAYS = 14  # the review is placed at least two weeks before the deadline when it can be
NIGHT_FROM, NIGHT_UNTIL = time(22), time(6)  # a meeting starting then is asked back
WORK_FROM, WORK_UNTIL = time(8), time(16)  # working hours: long-lead reminders go out in them
LATE_SEND = time(15)  # a reminder moved off an evening, a night or a day off goes out then
LONG_LEAD = timedelta(days=1)  # reminders this far ahead or more go out in working hours


@dataclass(frozen=True)
class Proposal:
    kind: str  # "wg" | "sg"
    starts_at: datetime  # aware, in the partnership's time zone
    duration_minutes: int
    title_da: str
    title_en: str


class PlanError(ValueError):
    """A plan that cannot be made. `key` and `params` let a command word the reply in the
    user's language; str() is a clear English message for logs and tests."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


@functools.lru_cache(maxsize=64)
def _holidays(year: int, language: str = "da") -> dict[date, str]:
    """Danish holidays of a year by name ("da": Grundlovsdag, "en_US": Constitution Day),
    including the optional ones the package lists (Juleaftensdag, Nytårsaften, 1 May):
    offices close on them."""
    import holidays  # 12 ms to import: only where a plan or a date check needs it

    categories = getattr(holidays.Denmark, "supported_categories", ("public",))
    return dict(holidays.Denmark(years=year, language=language, categories=categories))


def holiday_name(day: date, lang: str) -> str | None:
    """The holiday's name in the language ("Grundlovsdag" / "Constitution Day"), or None."""
    return _holidays(day.year, "da" if lang == "da" else "en_US").get(day)


def day_reasons(day: date, blackouts: Sequence[Blackout] = ()) -> list[str]:
    """Every reason no meeting should be held on `day`, in this order: "weekend",
    "holiday:<Danish name>", "blackout:<index in blackouts>". Empty on an open working day."""
    reasons = []
    if day.weekday() >= 5:
        reasons.append("weekend")
    name = _holidays(day.year).get(day)
    if name:
        reasons.append(f"holiday:{name}")
    reasons += [f"blackout:{n}" for n, b in enumerate(blackouts) if b.covers(day)]
    return reasons


def blocked_reason(day: date, blackouts: Sequence[Blackout] = ()) -> str | None:
    """The first reason no meeting can be held on `day` (see `day_reasons`), or None when it
    is an open working day."""
    reasons = day_reasons(day, blackouts)
    return reasons[0] if reasons else None


def is_working_day(day: date) -> bool:
    """Not a weekend nor a Danish holiday (school holidays are working days)."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def concerns(day: date, at: time, tz: ZoneInfo, blackouts: Sequence[Blackout] = ()) -> list[str]:
    """Why a meeting typed for `day` at `at` (local) should be asked back before it is saved:
    the `day_reasons`, "night" for a start from 22:00 to before 06:00, and "repeated-hour"
    when the time occurs twice that night (the clocks go back; the first is meant)."""
    reasons = day_reasons(day, blackouts)
    if at >= NIGHT_FROM or at < NIGHT_UNTIL:
        reasons.append("night")
    if in_repeated_hour(day, at, tz):
        reasons.append("repeated-hour")
    return reasons


def local_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time: gap times shift forward, repeated hours take the
    first occurrence. Both follow from PEP 495 `fold=0`, which uses the offset in force before
    the transition."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    return naive.replace(tzinfo=tz).astimezone(UTC)


def in_dst_gap(day: date, at: time, tz: ZoneInfo) -> bool:
    """True when the wall-clock time does not exist (spring forward), so a typed time there
    can be refused with a clear reply rather than moved without telling anyone."""
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    back = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    return back != naive


def in_repeated_hour(day: date, at: time, tz: ZoneInfo) -> bool:
    """True when the wall-clock time occurs twice (the autumn change: 02:30 on the last
    Sunday of October in Copenhagen), so the reply can say which one is meant."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    first = naive.replace(tzinfo=tz, fold=0).utcoffset()
    return first != naive.replace(tzinfo=tz, fold=1).utcoffset()


def reminder_due(starts_at_utc: datetime, lead: timedelta) -> datetime:
    """When a reminder falls due: the meeting's instant minus an exact duration, in UTC.

    Exact, not wall-clock, leads: see the module docstring for why.
    """
    if starts_at_utc.tzinfo is None or starts_at_utc.utcoffset() is None:
        raise ValueError("starts_at_utc must be timezone-aware")
    return starts_at_utc.astimezone(UTC) - lead


def working_due(due_utc: datetime, tz: ZoneInfo) -> datetime:
    """When a reminder a day or more ahead is sent: its exact due time when that is in working
    hours (08:00–16:00 local on a working day), else in the last working hours before it — the
    same time of day when that is a working hour, otherwise 15:00 (read before people leave):
    a 2-day reminder due Sunday 13:00 goes out Friday 13:00, one due Tuesday 19:00 goes out
    Tuesday 15:00, one due Tuesday 06:30 goes out Monday 15:00 (Friday after a weekend).
    Shorter leads (the 1-hour one) are not given to this: they keep their time."""
    local = due_utc.astimezone(tz)
    day, at = local.date(), local.time().replace(tzinfo=None, fold=0)
    in_hours = WORK_FROM <= at < WORK_UNTIL
    if in_hours and is_working_day(day):
        return due_utc.astimezone(UTC)
    if not (at >= WORK_UNTIL and is_working_day(day)):  # earlier than 08, or a day off
        day -= timedelta(days=1)
        while not is_working_day(day):
            day -= timedelta(days=1)
    return local_to_utc(day, at if in_hours else LATE_SEND, tz)


def reminder_send_at(starts_at_utc: datetime, lead: timedelta, tz: ZoneInfo) -> datetime:
    """When a meeting reminder is sent (UTC): the exact lead before the meeting, moved into the
    working hours before it (`working_due`) when the lead is a day or more (the 14- and 2-day
    ones are read at work); a shorter lead (the 1-hour one) keeps its time."""
    exact = reminder_due(starts_at_utc, lead)
    return working_due(exact, tz) if lead >= LONG_LEAD else exact


def check_year(meetings: list[tuple[str, date]], year: int, rules: Meetings) -> list[str]:
    """Flags for a year's meetings against the partnership's rules.

    `meetings` are (kind, local date) pairs; the caller leaves out cancelled ones. Keys:
    "wg-too-few:N", "wg-too-many:N", "sg-missing", "sg-too-few:N" (N = how many there are).
    """
    wg = sum(1 for kind, day in meetings if kind == "wg" and day.year == year)
    sg = sum(1 for kind, day in meetings if kind == "sg" and day.year == year)
    flags: list[str] = []
    if wg < rules.working_group_min:
        flags.append(f"wg-too-few:{wg}")
    if wg > rules.working_group_max:
        flags.append(f"wg-too-many:{wg}")
    if sg == 0 and rules.steering_group_min > 0:
        flags.append("sg-missing")
    elif sg < rules.steering_group_min:
        flags.append(f"sg-too-few:{sg}")
    return flags


def plan_year(
    year: int,
    rules: Meetings,
    tz: ZoneInfo,
    *,
    count: int | None = None,
    weekday: int | None = None,
    at: time | None = None,
    today: date | None = None,
    existing: Sequence[tuple[str, date]] = (),
) -> list[Proposal]:
    """Propose a year's working-group meetings and the steering group's review, sorted by time.

    - `count` defaults to the midpoint of the rules' range rounded up (7 for 6–8); a count
      outside the range raises `PlanError`.
    - Evenly: the open working days of the year (no weekends, holidays nor days in the rules'
      blackouts) are cut
      into `count` equal runs; each meeting aims at the middle of its run and moves to the
      nearest open day on `weekday` (default Tuesday) in a week that has no meeting yet.
    - The steering-group review goes on `weekday` before the annual status deadline, at least
      two weeks before it when possible (latest such day), in a week without a working-group
      meeting; if no day is left before the deadline it is not proposed.
    - `today` inside `year`: only days after today are proposed, and the count shrinks in
      proportion to the open working days left (rounded up). Since count ≥ the minimum, this
      never falls below the prorated minimum.
    - `existing` (kind, local date) are the meetings the year already has (not cancelled):
      only what is missing is proposed — `count` less the year's working-group meetings, and
      no more than the prorated count less those still ahead — in weeks without a meeting,
      and the review only when the year has no steering-group meeting. So a plan confirmed
      twice proposes nothing the second time (DESIGN section 5).
    """
    low, high = rules.working_group_min, rules.working_group_max
    if count is None:
        count = (low + high + 1) // 2
    elif not low <= count <= high:
        raise PlanError(
            "count-out-of-range",
            f"count={count} is outside the partnership's rule of {low}–{high} "
            "working-group meetings a year",
            count=count,
            min=low,
            max=high,
        )
    weekday = TUESDAY if weekday is None else weekday
    if not 0 <= weekday <= 4:
        raise PlanError("weekday", f"weekday={weekday} is not Monday–Friday (0–4)", weekday=weekday)
    at = at or time.fromisoformat(rules.default_time)

    first = date(year, 1, 1)
    year_days = [first + timedelta(n) for n in range((date(year + 1, 1, 1) - first).days)]
    open_year = [d for d in year_days if blocked_reason(d, rules.blackouts) is None]
    start = first if today is None or today < first else today + timedelta(1)
    if start.year > year:
        raise PlanError("year-past", f"{year} is over; nothing left to plan", year=year)
    open_days = [d for d in open_year if d >= start]
    prorated = -(-count * len(open_days) // len(open_year))  # proportional, rounded up
    held = sorted(d for kind, d in existing if kind == "wg" and d.year == year)
    ahead = [d for d in held if d >= start]
    missing = max(0, min(count - len(held), prorated - len(ahead)))

    used_weeks = {_week(d) for _, d in existing if d.year == year}
    wg_days = _spread(open_days, missing, weekday, used_weeks)
    has_review = any(kind == "sg" and d.year == year for kind, d in existing)
    sg_day = None if has_review else _steering_day(open_days, rules, year, weekday, used_weeks)

    def make(kind: str, day: date, title_da: str, title_en: str) -> Proposal:
        starts = local_to_utc(day, at, tz).astimezone(tz)
        return Proposal(kind, starts, rules.default_duration_minutes, title_da, title_en)

    year_wg = sorted(held + wg_days)  # numbered among all the year's meetings
    n = len(year_wg)
    out = [
        make("wg", d, f"Arbejdsgruppemøde {i}/{n}", f"Working group meeting {i}/{n}")
        for i, d in enumerate(year_wg, start=1)
        if d in wg_days
    ]
    if sg_day is not None:
        out.append(
            make("sg", sg_day, "Styregruppens årlige status", "Steering group annual review")
        )
    return sorted(out, key=lambda p: p.starts_at)


def _week(day: date) -> tuple[int, int]:
    iso = day.isocalendar()
    return iso.year, iso.week


def _spread(
    open_days: list[date], count: int, weekday: int, used_weeks: set[tuple[int, int]]
) -> list[date]:
    """`count` days on `weekday`, each nearest to the middle of its equal share of open days."""
    chosen: list[date] = []
    for i in range(count):
        target = open_days[(2 * i + 1) * len(open_days) // (2 * count)]
        free = [d for d in open_days if d.weekday() == weekday and _week(d) not in used_weeks]
        if not free:
            raise PlanError(
                "no-free-day", f"not enough free days left for {count} meetings", count=count
            )
        best = min(free, key=lambda d: (abs((d - target).days), d))
        chosen.append(best)
        used_weeks.add(_week(best))
    return chosen


def _steering_day(
    open_days: list[date],
    rules: Meetings,
    year: int,
    weekday: int,
    used_weeks: set[tuple[int, int]],
) -> date | None:
    """The latest free day at least two weeks before the deadline, else the earliest one in the
    last two weeks before it; None when no free day is left before the deadline."""
    month, day = (int(p) for p in rules.annual_status_deadline.split("-"))
    deadline = date(year, month, day)
    free = [
        d
        for d in open_days
        if d < deadline and d.weekday() == weekday and _week(d) not in used_weeks
    ]
    if not free:
        return None

    def preference(d: date) -> tuple[bool, int]:
        before = (deadline - d).days
        return (before < SG_LEAD_DAYS, before if before >= SG_LEAD_DAYS else -before)

    best = min(free, key=preference)
    used_weeks.add(_week(best))
    return best


def reminder_leads(rules: Meetings) -> list[timedelta]:
    """The partnership's reminder leads as durations (validated by the schema)."""
    return [lead for text in rules.reminder_leads if (lead := parse_duration(text))]
