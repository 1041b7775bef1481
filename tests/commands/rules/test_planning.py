"""Meeting planning and local-time rules (commands/planning.py): pure functions, no database."""

from __future__ import annotations

import calendar
import itertools
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest
import time_machine
from helpers import REPO

from commands.rules.planning import (
    PlanError,
    Proposal,
    blocked_reason,
    check_year,
    day_reasons,
    in_dst_gap,
    is_working_day,
    local_to_utc,
    plan_year,
    reminder_due,
    reminder_leads,
    reminder_send_at,
)
from config.partnership import Meetings, load_partnership

SPEC = load_partnership(REPO / "config" / "partnerships" / "tingbjerg-husum.toml")
RULES = SPEC.meetings
CPH = ZoneInfo("Europe/Copenhagen")
YEARS = range(2021, 2031)


def last_sunday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - 6) % 7)


def deadline(year: int, rules: Meetings = RULES) -> date:
    month, day = (int(p) for p in rules.annual_status_deadline.split("-"))
    return date(year, month, day)


def danish_holidays(year: int) -> set[date]:
    public = holidays.Denmark(years=year)
    optional = holidays.Denmark(years=year, categories=("optional",))
    return set(public) | set(optional)


def days(plan: list[Proposal], kind: str | None = None) -> list[date]:
    return [p.starts_at.date() for p in plan if kind is None or p.kind == kind]


# --- blocked days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2025, 6, 7), "weekend"),
        (date(2025, 6, 8), "weekend"),  # Pinsedag falls on a Sunday: weekend comes first
        (date(2025, 6, 5), "holiday:Grundlovsdag"),
        (date(2025, 4, 21), "holiday:Anden påskedag"),
        (date(2025, 5, 29), "holiday:Kristi himmelfartsdag"),
        (date(2025, 12, 24), "holiday:Juleaftensdag"),
        (date(2025, 12, 31), "holiday:Nytårsaften"),
        (date(2025, 1, 1), "holiday:Nytårsdag"),
        # the shipped file's blackouts: 0 summer, 1 winter break, 2 autumn break, 3 Christmas
        (date(2025, 12, 22), "blackout:3"),
        (date(2025, 12, 23), "blackout:3"),
        (date(2025, 12, 29), "blackout:3"),
        (date(2026, 12, 30), "blackout:3"),
        (date(2025, 6, 27), None),  # the Friday before the last Saturday of June
        (date(2025, 6, 30), "blackout:0"),
        (date(2025, 7, 1), "blackout:0"),
        (date(2025, 7, 31), "blackout:0"),
        (date(2025, 8, 8), "blackout:0"),  # six weeks from Saturday 28 June
        (date(2025, 8, 11), None),
        (date(2025, 2, 10), "blackout:1"),  # week 7
        (date(2025, 2, 14), "blackout:1"),
        (date(2025, 2, 17), None),
        (date(2027, 10, 21), "blackout:2"),  # week 42: the 21–22 October
        (date(2027, 10, 25), None),
        (date(2025, 12, 19), None),
        (date(2026, 1, 2), None),
        (date(2025, 3, 11), None),
    ],
)
def test_blocked_reason(day: date, reason: str | None) -> None:
    assert blocked_reason(day, RULES.blackouts) == reason


def test_without_blackouts_only_weekends_and_holidays_are_blocked() -> None:
    assert blocked_reason(date(2025, 7, 1)) is None
    assert blocked_reason(date(2025, 6, 5)) == "holiday:Grundlovsdag"


def test_every_reason_is_given_in_order() -> None:
    sunday_in_week_42 = date(2027, 10, 24)
    assert day_reasons(sunday_in_week_42, RULES.blackouts) == ["weekend", "blackout:2"]
    assert day_reasons(date(2027, 12, 24), RULES.blackouts) == [
        "holiday:Juleaftensdag",
        "blackout:3",
    ]


@pytest.mark.parametrize("year", YEARS)
def test_every_danish_holiday_is_blocked(year: int) -> None:
    for day in danish_holidays(year):
        assert blocked_reason(day) is not None, day
    for day in (date(year, 12, 24), date(year, 12, 31)):
        assert blocked_reason(day) is not None


def cph_school_holidays(year: int) -> set[date]:
    """Copenhagen's school holidays worked out here by hand, independently of the file's rules:
    the summer from the last Saturday of June for six weeks, weeks 7 and 42, 22 Dec–1 Jan."""
    last_of_june = date(year, 6, 30)
    summer = last_of_june - timedelta(days=(last_of_june.weekday() - 5) % 7)
    out = {summer + timedelta(days=n) for n in range(42)}
    for week in (7, 42):
        out |= {date.fromisocalendar(year, week, d) for d in range(1, 8)}
    out |= {date(year, 12, d) for d in range(22, 32)} | {date(year, 1, 1)}
    return out


@pytest.mark.parametrize("year", YEARS)
def test_the_shipped_blackouts_are_copenhagens_school_holidays(year: int) -> None:
    expected = cph_school_holidays(year)
    first = date(year, 1, 1)
    for day in (first + timedelta(days=n) for n in range(365)):
        covered = any(b.covers(day) for b in RULES.blackouts)
        assert covered == (day in expected), day


# --- plan_year ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_plan_respects_every_rule(year: int) -> None:
    plan = plan_year(year, RULES, CPH)
    assert plan == sorted(plan, key=lambda p: p.starts_at)
    forbidden = danish_holidays(year)
    for p in plan:
        d = p.starts_at.date()
        assert p.starts_at.tzinfo is not None and p.starts_at.utcoffset() == CPH.utcoffset(
            p.starts_at.replace(tzinfo=None)
        )
        assert d.year == year
        assert d.weekday() < 5, p
        assert d not in forbidden, p
        assert d.month != 7, p
        assert not (d.month == 12 and d.day >= 22) and d != date(year, 1, 1), p
        assert d not in cph_school_holidays(year), p  # summer, weeks 7 and 42, Christmas
        assert blocked_reason(d, RULES.blackouts) is None
        assert p.starts_at.time() == time(13, 0)
        assert p.duration_minutes == RULES.default_duration_minutes

    wg = days(plan, "wg")
    assert RULES.working_group_min <= len(wg) <= RULES.working_group_max
    assert len(wg) == 7  # midpoint of 6–8
    assert all(d.weekday() == 1 for d in wg)  # Tuesday by default
    weeks = [d.isocalendar()[:2] for d in days(plan)]
    assert len(weeks) == len(set(weeks)), "two meetings in one ISO week"

    (sg,) = days(plan, "sg")
    assert sg < deadline(year)
    assert timedelta(days=14) <= deadline(year) - sg <= timedelta(days=35)
    assert check_year([(p.kind, p.starts_at.date()) for p in plan], year, RULES) == []


@pytest.mark.parametrize("year", YEARS)
def test_plan_is_spread_over_the_year(year: int) -> None:
    wg = days(plan_year(year, RULES, CPH), "wg")
    gaps = [(b - a).days for a, b in itertools.pairwise(wg)]
    assert min(gaps) >= 28, gaps
    assert max(gaps) <= 84, gaps  # the longest spans July
    assert wg[0] < date(year, 2, 15) and wg[-1] > date(year, 11, 1)
    halves = sum(d.month <= 6 for d in wg), sum(d.month >= 8 for d in wg)
    assert abs(halves[0] - halves[1]) <= 1, halves


def test_titles_and_kinds() -> None:
    plan = plan_year(2027, RULES, CPH)
    wg = [p for p in plan if p.kind == "wg"]
    assert [p.title_da for p in wg] == [f"Arbejdsgruppemøde {i}/7" for i in range(1, 8)]
    assert wg[2].title_en == "Working group meeting 3/7"
    (sg,) = (p for p in plan if p.kind == "sg")
    assert sg.title_da == "Styregruppens årlige status"


@pytest.mark.parametrize("count", [6, 7, 8])
def test_count_within_rules(count: int) -> None:
    for year in (2024, 2028):
        assert len(days(plan_year(year, RULES, CPH, count=count), "wg")) == count


@pytest.mark.parametrize("count", [0, 5, 9, 20])
def test_count_outside_rules_refused(count: int) -> None:
    with pytest.raises(ValueError, match=r"6–8") as caught:
        plan_year(2026, RULES, CPH, count=count)
    assert isinstance(caught.value, PlanError)
    assert caught.value.key == "count-out-of-range"
    assert caught.value.params == {"count": count, "min": 6, "max": 8}


def test_weekday_and_time_options() -> None:
    plan = plan_year(2026, RULES, CPH, weekday=3, at=time(9, 30))
    assert {p.starts_at.weekday() for p in plan} == {3}
    assert {p.starts_at.time() for p in plan} == {time(9, 30)}
    for p in plan:
        assert blocked_reason(p.starts_at.date(), RULES.blackouts) is None


@pytest.mark.parametrize("weekday", [5, 6, -1, 7])
def test_weekend_weekday_refused(weekday: int) -> None:
    with pytest.raises(PlanError) as caught:
        plan_year(2026, RULES, CPH, weekday=weekday)
    assert caught.value.key == "weekday"


def test_default_time_comes_from_rules() -> None:
    rules = RULES.model_copy(update={"default_time": "15:15", "default_duration_minutes": 90})
    plan = plan_year(2026, rules, CPH)
    assert {(p.starts_at.hour, p.starts_at.minute) for p in plan} == {(15, 15)}
    assert {p.duration_minutes for p in plan} == {90}


def test_other_rules_and_deadline() -> None:
    rules = Meetings(
        working_group_min=4,
        working_group_max=5,
        steering_group_min=1,
        annual_status_deadline="06-20",
    )
    plan = plan_year(2026, rules, CPH)
    assert len(days(plan, "wg")) == 5  # midpoint of 4–5, rounded up
    (sg,) = days(plan, "sg")
    assert deadline(2026, rules) - sg >= timedelta(days=14)
    weeks = [d.isocalendar()[:2] for d in days(plan)]
    assert len(weeks) == len(set(weeks))


def test_steering_group_avoids_working_group_weeks() -> None:
    # With a dense plan the ideal review week may be taken; it must then move, not double up.
    rules = Meetings(
        working_group_min=20, working_group_max=20, steering_group_min=1,
        annual_status_deadline="11-15",
    )  # fmt: skip
    plan = plan_year(2026, rules, CPH)
    (sg,) = days(plan, "sg")
    wg_weeks = {d.isocalendar()[:2] for d in days(plan, "wg")}
    assert sg.isocalendar()[:2] not in wg_weeks
    assert sg < deadline(2026)


def test_today_mid_year_plans_only_future_dates() -> None:
    today = date(2026, 5, 15)
    plan = plan_year(2026, RULES, CPH, today=today)
    assert plan and all(p.starts_at.date() > today for p in plan)
    wg = days(plan, "wg")
    # About 58 % of the year's open working days are left: 7 × 0.58 rounded up.
    assert len(wg) == 5
    assert len(wg) >= -(-RULES.working_group_min * 58 // 100)
    assert next(p.title_da for p in plan if p.kind == "wg") == "Arbejdsgruppemøde 1/5"
    (sg,) = days(plan, "sg")
    assert sg < deadline(2026)
    for p in plan:
        assert blocked_reason(p.starts_at.date(), RULES.blackouts) is None


def test_today_before_the_year_plans_it_whole() -> None:
    assert plan_year(2027, RULES, CPH, today=date(2026, 12, 1)) == plan_year(2027, RULES, CPH)


def test_today_after_the_deadline_has_no_review() -> None:
    plan = plan_year(2026, RULES, CPH, today=date(2026, 11, 20))
    assert days(plan, "sg") == []
    assert all(d > date(2026, 11, 20) for d in days(plan))
    assert len(days(plan, "wg")) == 1


def test_past_year_refused() -> None:
    with pytest.raises(PlanError) as caught:
        plan_year(2025, RULES, CPH, today=date(2026, 1, 5))
    assert caught.value.key == "year-past"


def test_no_free_day_left_refused_with_its_count() -> None:
    # From 16 December the only Tuesday left, the 22nd, is in the Christmas week.
    with pytest.raises(PlanError) as caught:
        plan_year(2026, RULES, CPH, today=date(2026, 12, 15))
    assert caught.value.key == "no-free-day"
    assert caught.value.params == {"count": 1}  # what the reply words its reason from


def test_plan_today_via_clock() -> None:
    # The command passes the partnership's local date; time-machine pins the clock.
    with time_machine.travel(datetime(2026, 8, 31, 22, 30, tzinfo=UTC), tick=False):
        today = datetime.now(CPH).date()  # already 1 September in Copenhagen
        plan = plan_year(2026, RULES, CPH, today=today)
    assert today == date(2026, 9, 1)
    assert all(d > today for d in days(plan))


def test_plan_is_deterministic() -> None:
    assert plan_year(2029, RULES, CPH) == plan_year(2029, RULES, CPH)


# --- check_year ---------------------------------------------------------------------------


def test_check_year_flags() -> None:
    def year(n_wg: int, n_sg: int) -> list[tuple[str, date]]:
        wg = [("wg", date(2026, m, 10)) for m in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12)[:n_wg]]
        return wg + [("sg", date(2026, 10, 27))] * n_sg

    assert check_year(year(7, 1), 2026, RULES) == []
    assert check_year(year(6, 1), 2026, RULES) == []
    assert check_year(year(8, 2), 2026, RULES) == []
    assert check_year(year(5, 1), 2026, RULES) == ["wg-too-few:5"]
    assert check_year(year(9, 1), 2026, RULES) == ["wg-too-many:9"]
    assert check_year(year(7, 0), 2026, RULES) == ["sg-missing"]
    assert check_year(year(0, 0), 2026, RULES) == ["wg-too-few:0", "sg-missing"]
    # Other years do not count.
    assert check_year([*year(7, 1), ("wg", date(2027, 1, 5))], 2026, RULES) == []
    assert check_year(year(7, 1), 2027, RULES) == ["wg-too-few:0", "sg-missing"]
    two = RULES.model_copy(update={"steering_group_min": 2})
    assert check_year(year(7, 1), 2026, two) == ["sg-too-few:1"]


# --- local time and DST (Europe/Copenhagen) -----------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_local_to_utc_around_the_changes(year: int) -> None:
    spring, autumn = last_sunday(year, 3), last_sunday(year, 10)
    assert local_to_utc(spring + timedelta(2), time(13), CPH) == datetime(
        *(spring + timedelta(2)).timetuple()[:3], 11, tzinfo=UTC
    )
    assert local_to_utc(autumn + timedelta(2), time(13), CPH) == datetime(
        *(autumn + timedelta(2)).timetuple()[:3], 12, tzinfo=UTC
    )
    # The Tuesday before each change is on the other side.
    assert local_to_utc(spring - timedelta(5), time(13), CPH).hour == 12
    assert local_to_utc(autumn - timedelta(5), time(13), CPH).hour == 11


def test_spring_gap_shifts_forward() -> None:
    sunday = date(2025, 3, 30)
    assert in_dst_gap(sunday, time(2, 30), CPH)
    assert in_dst_gap(sunday, time(2, 0), CPH)
    assert not in_dst_gap(sunday, time(1, 59), CPH)
    assert not in_dst_gap(sunday, time(3, 0), CPH)
    assert not in_dst_gap(date(2025, 3, 31), time(2, 30), CPH)
    utc = local_to_utc(sunday, time(2, 30), CPH)
    assert utc == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)
    local = utc.astimezone(CPH)
    assert (local.hour, local.minute, local.tzname()) == (3, 30, "CEST")


def test_autumn_repeated_hour_takes_first_occurrence() -> None:
    sunday = date(2025, 10, 26)
    assert not in_dst_gap(sunday, time(2, 30), CPH)
    utc = local_to_utc(sunday, time(2, 30), CPH)
    assert utc == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST, not 02:30 CET
    assert utc.astimezone(CPH).tzname() == "CEST"
    # A time carrying fold=1 is still read as the first occurrence.
    assert local_to_utc(sunday, time(2, 30, fold=1), CPH) == utc


def test_in_dst_gap_other_zone() -> None:
    new_york = ZoneInfo("America/New_York")
    assert in_dst_gap(date(2025, 3, 9), time(2, 15), new_york)
    assert not in_dst_gap(date(2025, 3, 9), time(2, 15), ZoneInfo("Asia/Tokyo"))


LEADS = {"P14D": timedelta(days=14), "P2D": timedelta(days=2), "PT1H": timedelta(hours=1)}


def test_reminder_leads_from_rules() -> None:
    assert reminder_leads(RULES) == list(LEADS.values())


def test_reminders_across_the_march_change() -> None:
    # Tuesday 1 April 2025, 13:00 CEST; the clocks went forward on Sunday 30 March.
    starts = local_to_utc(date(2025, 4, 1), time(13), CPH)
    assert starts == datetime(2025, 4, 1, 11, tzinfo=UTC)
    due = {key: reminder_due(starts, lead) for key, lead in LEADS.items()}
    assert due == {
        "P14D": datetime(2025, 3, 18, 11, tzinfo=UTC),  # 12:00 CET: same UTC distance
        "P2D": datetime(2025, 3, 30, 11, tzinfo=UTC),  # 13:00 CEST, the day of the change
        "PT1H": datetime(2025, 4, 1, 10, tzinfo=UTC),
    }
    assert all(d.tzinfo is UTC for d in due.values())
    assert due["P14D"].astimezone(CPH).hour == 12  # one hour earlier on the wall clock
    assert starts - due["P14D"] == timedelta(hours=336)


def test_reminders_across_the_october_change() -> None:
    # Tuesday 28 October 2025, 13:00 CET; the clocks went back on Sunday 26 October.
    starts = local_to_utc(date(2025, 10, 28), time(13), CPH)
    assert starts == datetime(2025, 10, 28, 12, tzinfo=UTC)
    due = {key: reminder_due(starts, lead) for key, lead in LEADS.items()}
    assert due == {
        "P14D": datetime(2025, 10, 14, 12, tzinfo=UTC),  # 14:00 CEST
        "P2D": datetime(2025, 10, 26, 12, tzinfo=UTC),  # 13:00 CET, the day of the change
        "PT1H": datetime(2025, 10, 28, 11, tzinfo=UTC),
    }
    assert due["P14D"].astimezone(CPH).hour == 14  # one hour later on the wall clock


def test_one_hour_reminder_inside_the_repeated_hour() -> None:
    # A meeting at 03:00 CET on the autumn Sunday: one hour before is the second 02:00.
    starts = datetime(2025, 10, 26, 3, tzinfo=CPH)
    assert starts.utcoffset() == timedelta(hours=1)
    due = reminder_due(starts, timedelta(hours=1))
    assert due == datetime(2025, 10, 26, 1, tzinfo=UTC)
    assert due.astimezone(CPH).fold == 1  # the second 02:00, exactly one hour before


def test_reminder_due_needs_aware_time() -> None:
    with pytest.raises(ValueError, match="aware"):
        reminder_due(datetime(2025, 4, 1, 11), timedelta(days=2))
    # Any aware zone is accepted; the answer is in UTC.
    assert reminder_due(datetime(2025, 4, 1, 13, tzinfo=CPH), timedelta(hours=1)) == datetime(
        2025, 4, 1, 10, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("now", "sent"),
    [
        (datetime(2025, 3, 18, 11, 59, tzinfo=CPH), False),
        (datetime(2025, 3, 18, 12, 0, tzinfo=CPH), True),  # 12:00 CET = 11:00 UTC
        (datetime(2025, 10, 14, 13, 59, tzinfo=CPH), False),
        (datetime(2025, 10, 14, 14, 0, tzinfo=CPH), True),  # 14:00 CEST = 12:00 UTC
    ],
)
def test_fourteen_day_reminder_due_by_the_clock(now: datetime, sent: bool) -> None:
    meeting_day = date(2025, 4, 1) if now.month == 3 else date(2025, 10, 28)
    due = reminder_due(local_to_utc(meeting_day, time(13), CPH), timedelta(days=14))
    with time_machine.travel(now, tick=False):
        assert (datetime.now(UTC) >= due) is sent


# --- a year that already has meetings: only what is missing --------------------------------


def as_existing(plan: list[Proposal]) -> list[tuple[str, date]]:
    return [(p.kind, p.starts_at.date()) for p in plan]


@pytest.mark.parametrize("year", [2027, 2029])
def test_a_planned_year_needs_nothing_more(year: int) -> None:
    """Confirming the same proposal twice creates nothing the second time (DESIGN 5)."""
    first = plan_year(year, RULES, CPH)
    assert plan_year(year, RULES, CPH, existing=as_existing(first)) == []


def test_mid_year_the_second_plan_is_empty_too() -> None:
    today = date(2026, 5, 15)
    first = plan_year(2026, RULES, CPH, today=today)
    assert plan_year(2026, RULES, CPH, today=today, existing=as_existing(first)) == []


def test_only_the_missing_meetings_are_proposed_in_free_weeks() -> None:
    held = [("wg", date(2027, 1, 19)), ("wg", date(2027, 3, 2)), ("wg", date(2027, 4, 13))]
    plan = plan_year(2027, RULES, CPH, existing=held)
    wg = days(plan, "wg")
    assert len(wg) == 7 - 3  # the year's count, less what it has
    held_weeks = {d.isocalendar()[:2] for _, d in held}
    assert not {d.isocalendar()[:2] for d in days(plan)} & held_weeks
    assert len(days(plan, "sg")) == 1  # no review yet: proposed
    # numbered among all the year's working-group meetings, the held ones included
    titles = [p.title_en for p in plan if p.kind == "wg"]
    assert titles[-1] == "Working group meeting 7/7"
    assert all(t.endswith("/7") for t in titles)


def test_a_year_with_its_review_gets_no_second_one() -> None:
    plan = plan_year(2027, RULES, CPH, existing=[("sg", date(2027, 4, 6))])
    assert days(plan, "sg") == [] and len(days(plan, "wg")) == 7


def test_a_year_with_more_than_the_count_gets_nothing() -> None:
    crowded = [("wg", date(2027, 1, 5) + timedelta(weeks=5 * n)) for n in range(8)]
    plan = plan_year(2027, RULES, CPH, count=6, existing=[*crowded, ("sg", date(2027, 4, 6))])
    assert plan == []


# --- blackouts with existing meetings, 2021–2030 ----------------------------------------------


def open_days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    every = (first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days))
    return [d for d in every if blocked_reason(d, RULES.blackouts) is None]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("held", [0, 2, 5])
@pytest.mark.parametrize("today", [None, (5, 20), (9, 1)])
def test_no_proposal_in_a_blackout_with_meetings_held(
    year: int, held: int, today: tuple[int, int] | None
) -> None:
    """Any year 2021–2030, with some working-group meetings already held (on Tuesdays early in
    the year) and planned from different days: nothing proposed in a school holiday, only what
    is missing, and the same plan confirmed again proposes nothing."""
    tuesdays = [d for d in open_days_of(year) if d.weekday() == 1]
    existing = [("wg", d) for d in tuesdays[: 5 * held : 5]]
    clock = date(year, *today) if today else None
    plan = plan_year(year, RULES, CPH, today=clock, existing=existing)
    holidays_of_year = cph_school_holidays(year)
    for p in plan:
        d = p.starts_at.date()
        assert d not in holidays_of_year and blocked_reason(d, RULES.blackouts) is None, p
        assert clock is None or d > clock
    wg = days(plan, "wg")
    assert len(existing) + len(wg) <= 7  # never more than the year's count in all
    if clock is None:
        assert len(existing) + len(wg) == 7
    weeks = [d.isocalendar()[:2] for d in [*days(plan), *(d for _, d in existing)]]
    assert len(weeks) == len(set(weeks)), "two meetings in one week"
    again = plan_year(year, RULES, CPH, today=clock, existing=[*existing, *as_existing(plan)])
    assert again == []


def test_the_autumn_break_is_avoided_2027() -> None:
    """Issue 11: the plan for 2027 put a meeting on 21–22 October, in the autumn break."""
    plan = plan_year(2027, RULES, CPH)
    week_42 = {date.fromisocalendar(2027, 42, d) for d in range(1, 8)}
    assert not set(days(plan)) & week_42


def test_a_partnership_without_blackouts_may_meet_in_july() -> None:
    """The school holidays are the file's facts, not code: a file without them gets none."""
    bare = RULES.model_copy(update={"blackouts": ()})
    plan = plan_year(2027, bare, CPH, count=8)
    assert any(blocked_reason(d, RULES.blackouts) for d in days(plan))  # one in a holiday


# --- reminders a day or more ahead go out in working hours -----------------------------------


def cph(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)


@pytest.mark.parametrize(
    ("meeting", "lead", "sent"),
    [
        # issue 11: a Tuesday meeting's 2-day reminder fell on Sunday 13:00 -> Friday 13:00
        (cph(2027, 1, 19, 13), timedelta(days=2), cph(2027, 1, 15, 13)),
        (cph(2027, 1, 19, 13), timedelta(days=14), cph(2027, 1, 5, 13)),  # a Tuesday: kept
        (cph(2027, 1, 19, 13), timedelta(hours=1), cph(2027, 1, 19, 12)),  # short: kept
        (cph(2027, 1, 17, 13), timedelta(hours=1), cph(2027, 1, 17, 12)),  # even on a Sunday
        (cph(2027, 1, 21, 19), timedelta(days=2), cph(2027, 1, 19, 15)),  # evening: 15:00
        (cph(2027, 1, 20, 7, 30), timedelta(days=2), cph(2027, 1, 15, 15)),  # Mon 07:30 -> Fri
        (cph(2027, 1, 21, 16), timedelta(days=2), cph(2027, 1, 19, 15)),  # 16:00 is after hours
        (cph(2027, 1, 21, 8), timedelta(days=2), cph(2027, 1, 19, 8)),  # 08:00 is in hours
        # Easter 2027: Sunday 28.3 -> back over Langfredag and Skærtorsdag to Wednesday 24.3,
        # across the change to summer time (13:00 CEST due, 13:00 CET sent)
        (cph(2027, 3, 30, 13), timedelta(days=2), cph(2027, 3, 24, 13)),
        # 14 days before 5.1.2027 is 22.12.2026, a working day in the Christmas holiday: kept
        (cph(2027, 1, 5, 13), timedelta(days=14), cph(2026, 12, 22, 13)),
        # Tuesday after New Year: 2 days before is 3.1 (Sunday) -> Friday 1.1 is Nytårsdag ->
        # Thursday 31.12 is Nytårsaften -> Wednesday 30.12.2026
        (cph(2027, 1, 5, 13), timedelta(days=2), cph(2026, 12, 30, 13)),
    ],
)
def test_long_leads_go_out_in_working_hours(meeting: datetime, lead: timedelta, sent: datetime):
    got = reminder_send_at(meeting.astimezone(UTC), lead, CPH)
    assert got.tzinfo is UTC and got == sent.astimezone(UTC), got.astimezone(CPH)


@pytest.mark.parametrize("year", YEARS)
def test_every_long_lead_of_a_year_is_read_at_work(year: int) -> None:
    """Every day of the year 2021–2030 at 13:00 and 19:00, the 14- and 2-day leads: sent on a
    working day, 08–16 local, never after the exact lead, and as late as the rule allows (the
    same time of day, on the last working day before the lead when it falls on a day off)."""
    for n in range(365):
        day = date(year, 1, 1) + timedelta(days=n)
        for hour in (13, 19):
            starts = local_to_utc(day, time(hour), CPH)
            for lead in (timedelta(days=14), timedelta(days=2)):
                exact = reminder_due(starts, lead)
                sent = reminder_send_at(starts, lead, CPH).astimezone(CPH)
                assert sent <= exact and is_working_day(sent.date()), (day, hour, lead)
                assert time(8) <= sent.time() < time(16), (day, hour, lead)
                local = exact.astimezone(CPH)
                if is_working_day(local.date()) and hour == 13:
                    assert sent == local
                gap = local.date() - sent.date()
                assert gap.days <= 6  # Easter is the longest run of days off


def test_working_days_are_not_weekends_nor_holidays() -> None:
    assert is_working_day(date(2027, 2, 16))  # in the winter break: still a working day
    assert not is_working_day(date(2027, 6, 5)) and not is_working_day(date(2028, 6, 5))
    assert not is_working_day(date(2027, 12, 24)) and is_working_day(date(2027, 12, 23))
