"""A year of meetings as people see it: the list hides cancelled meetings unless asked, titles
number the meetings as the year is now, the calendar counts the cancelled ones apart and keeps
them in the file, and reminders follow the numbering and working hours (issue 11)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import icalendar
import pytest
from helpers import cast_at, run
from sqlmodel import Session, select

from commands.views.notices import compose
from storage.models import Reminder

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
# `meeting plan 2027 confirm` makes, in time order: ids 1–6 the working group's meetings 1/7–
# 6/7 (19.1, 9.3, 27.4, 8.6, 31.8, 12.10), 7 the steering group's review (26.10), 8 the working
# group's 7/7 (30.11)


@pytest.fixture
def people(engine, make_ctx):
    return cast_at(engine, make_ctx, NOW)


def column(reply, name: str) -> list[str]:
    (table,) = [b for b in reply.blocks if hasattr(b, "headers")]
    index = table.headers.index(name)
    return [row[index] for row in table.rows]


def test_the_list_numbers_the_meetings_as_they_are(engine, people):
    assert run(people(), "meeting plan 2027 confirm").ok
    listed = run(people(), "meeting list 2027")
    assert column(listed, "Title") == [
        *(f"Working group meeting {n}/7" for n in range(1, 7)),
        "Steering group annual review",
        "Working group meeting 7/7",
    ]
    assert run(people(), "meeting cancel 3 confirm").ok
    assert run(people(), "meeting add 2027-09-14 13:00").ok  # 9: between 31.8 and 12.10
    assert run(people(), "meeting add 2027-12-07 13:00").ok  # 10: the last of the year
    after = run(people(), "meeting list 2027")
    assert column(after, "Id") == ["1", "2", "4", "5", "9", "6", "7", "8", "10"]
    assert column(after, "Title") == [
        "Working group meeting 1/8",
        "Working group meeting 2/8",
        "Working group meeting 3/8",  # was 4/7: the 3rd now that 27.4 is cancelled
        "Working group meeting 4/8",
        "Working group meeting 5/8",  # the one added by hand
        "Working group meeting 6/8",
        "Steering group annual review",
        "Working group meeting 7/8",
        "Working group meeting 8/8",
    ]
    assert "cancelled" not in column(after, "Status")
    assert "(1 cancelled meeting not shown; see it with `/wg meeting list 2027 all`)" in (
        after.plain()
    )
    danish = run(people(lang="da"), "møde liste 2027")
    assert column(danish, "Titel")[2] == "Arbejdsgruppemøde 3/8"  # in the reader's language
    assert column(danish, "Titel")[6] == "Styregruppens årlige status"
    assert "(1 aflyst møde vises ikke; se det med `/wg møde liste 2027 alle`)" in danish.plain()


def test_all_shows_the_cancelled_ones_unnumbered(engine, people):
    assert run(people(), "meeting plan 2027 confirm").ok
    for n in (2, 3):
        assert run(people(), f"meeting cancel {n} confirm").ok
    every = run(people(lang="da"), "møde liste alle 2027")  # in either order
    assert column(every, "Id") == [str(n) for n in range(1, 9)]
    assert column(every, "Status").count("aflyst") == 2
    assert column(every, "Titel")[:4] == [
        "Arbejdsgruppemøde 1/5",
        "Arbejdsgruppemøde",  # cancelled: no number
        "Arbejdsgruppemøde",
        "Arbejdsgruppemøde 2/5",
    ]
    assert "vises ikke" not in every.plain()
    hidden = run(people(lang="da"), "møde liste 2027").plain()
    assert "2 aflyste møder vises ikke; se dem med `/wg møde liste 2027 alle`" in hidden
    english = run(people(), "meeting list 2027 all")
    assert column(english, "Status").count("cancelled") == 2
    assert not run(people(), "meeting list 2027 all everything").ok  # one year, one `all`


def test_a_year_with_only_cancelled_meetings_says_so(engine, people):
    assert run(people(), "meeting add 2027-03-02 13:00").ok
    assert run(people(), "meeting cancel 1 confirm").ok
    reply = run(people(), "meeting list 2027").plain()
    assert reply.startswith("No meetings in 2027.") and "1 cancelled meeting not shown" in reply


def test_a_titled_meeting_keeps_its_title_and_counts(engine, people):
    assert run(people(), "meeting add 2027-03-02 13:00").ok
    assert run(people(), 'meeting add 2027-04-06 13:00 title="Temamøde om nattelivet"').ok
    assert run(people(), "meeting add 2027-05-04 13:00").ok
    titles = column(run(people(), "meeting list 2027"), "Title")
    assert titles == [
        "Working group meeting 1/3",
        "Temamøde om nattelivet",
        "Working group meeting 3/3",
    ]


def test_the_calendar_counts_the_cancelled_apart_and_keeps_them(engine, people):
    """19 meetings over two years, 10 of them cancelled: all 19 are in the file, the cancelled
    ones as CANCELLED so that calendars which had them remove them."""
    days = [dt.date(2027, 1, 5) + dt.timedelta(weeks=4 * n) for n in range(19)]
    for day in days:
        reply = run(people(), f"meeting add {day.isoformat()} 13:00 confirm")
        assert reply.ok, reply.plain()
    for n in range(1, 20, 2)[:10]:
        assert run(people(), f"meeting cancel {n} confirm").ok
    danish = run(people(lang="da"), "møde kalender")
    assert danish.plain().startswith(
        "Kalender med 19 møder, heraf 10 aflyst (importér i Outlook eller Google)."
    ), danish.plain()
    assert "De aflyste står i filen som aflyst" in danish.plain()
    english = run(people(), "meeting ics")
    assert english.plain().startswith("Calendar with 19 meetings, 10 of them cancelled")
    (file,) = english.files
    events = icalendar.Calendar.from_ical(file.data).walk("VEVENT")
    assert len(events) == 19
    status = {str(e["UID"]).split("@")[0]: str(e.get("STATUS", "")) for e in events}
    assert sum(s == "CANCELLED" for s in status.values()) == 10
    summaries = sorted(str(e["SUMMARY"]) for e in events if str(e.get("STATUS")) != "CANCELLED")
    assert "Working group meeting 1/6" in summaries  # 2027's 6 that are left, numbered


def test_a_single_meeting_reads_in_the_singular(engine, people):
    run(people(), "meeting add 2027-03-02 13:00")
    assert run(people(lang="da"), "møde kalender").plain().startswith("Kalender med 1 møde (")
    run(people(), "meeting cancel 1 confirm")
    assert run(people(), "meeting ics").plain().startswith("Calendar with 1 meeting (cancelled)")


def test_the_reminder_names_the_meeting_as_it_is_numbered_now(engine, people):
    assert run(people(), "meeting plan 2027 confirm").ok
    assert run(people(), "meeting cancel 1 confirm").ok
    with Session(engine) as session:
        row = session.exec(
            select(Reminder).where(Reminder.meeting_id == 2, Reminder.kind == "lead:P14D")
        ).one()
        message = compose(
            session,
            people(lang=None),
            meeting_id=2,
            kind=row.kind,
            late=False,
            platform="shell",
            partnership_id=row.partnership_id,
        )
    assert message is not None
    assert message.reply.plain().startswith("== Arbejdsgruppemøde 1/6 — 09.03.2027 kl. 13.00 ==")


def test_a_reminder_whose_working_day_has_passed_goes_out_at_once(engine, people):
    """Added on Saturday 16.1.2027 for Tuesday 19.1 13:00: the 2-day reminder would fall on
    Sunday and its Friday has passed, so it is due now; the 1-hour one keeps its time."""
    saturday = dt.datetime(2027, 1, 16, 10, 0, tzinfo=dt.UTC)
    ctx = replace(people(), clock=lambda: saturday)
    assert run(ctx, "meeting add 2027-01-19 13:00").ok
    with Session(engine) as session:
        rows = session.exec(select(Reminder).order_by(Reminder.due_at)).all()
    assert [(r.kind, r.due_at.replace(tzinfo=dt.UTC)) for r in rows] == [
        ("lead:P2D", saturday),
        ("lead:PT1H", dt.datetime(2027, 1, 19, 11, 0, tzinfo=dt.UTC)),
    ]  # the 14-day lead had passed already: not owed
