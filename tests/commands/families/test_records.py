"""What a meeting leaves behind (issue 11), through the command path on both databases: meetings
recorded after the fact, attendance per person and per organisation, decisions, follow-up items
with their owners' reminders (before and after the due date, once each), open items on the next
agenda, and an organisation absent twice named in the next call for items."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from helpers import cast_at, run, table_snapshot
from sqlmodel import Session, select

from bot.dispatcher import Dispatcher
from bot.reminders import router
from bot.runtime import Runtime
from bot.shell import ShellAdapter
from commands.views.home import home
from config.settings import load_settings
from storage import records
from storage.models import AuditEvent, Partnership, Reminder

NOW = dt.datetime(2027, 3, 20, 10, 0, tzinfo=dt.UTC)  # a Saturday in March 2027


@pytest.fixture
def people(engine, make_ctx):
    return cast_at(engine, make_ctx, NOW)


def ok(ctx, line: str) -> str:
    reply = run(ctx, line)
    assert reply.ok, (line, reply.plain())
    return reply.plain()


def held(people, *dates: str) -> None:
    """Meetings that took place before NOW, added after the fact: ids 1, 2, …"""
    for day in dates:
        text = ok(people(), f"meeting add {day} 13:00")
        assert "Saved as a meeting held" in text


def pid(engine) -> int:
    with Session(engine) as session:
        return (
            session.exec(select(Partnership.id).where(Partnership.slug == "tingbjerg-husum")).one()
            or 0
        )


def test_a_meeting_held_is_recorded_after_the_fact_without_reminders(engine, people):
    text = ok(people(), "meeting add 2027-02-02 13:00 place=Bibliotek")
    assert "Saved as a meeting held: meeting 1" in text and "attendance 1" in text
    with Session(engine) as session:
        assert session.exec(select(Reminder).where(Reminder.meeting_id == 1)).all() == []


def test_attendance_per_person_and_organisation(engine, people):
    held(people, "2027-02-02")
    text = ok(people(), "attendance 1 @chair @anna apologies @bo")
    # expected at a working-group meeting: chair, secretariat, anna, bo (not the steering group)
    assert "2 present, 1 with apologies, 1 absent" in text
    assert "Not represented:" in text and "politi" in text and "sof" not in text.split("Not")[1]
    shown = ok(people(), "attendance 1")
    assert "anna" in shown and "apologies" in shown and "absent" in shown  # sekr
    # sent again, the list replaces the old one
    ok(people(), "attendance 1 @chair @anna @bo @sekr")
    assert "4 present, 0 with apologies, 0 absent" in ok(
        people(), "attendance 1 @chair @anna @bo @sekr"
    )
    danish = ok(people(lang="da"), "fremmøde 1 @chair afbud @anna")
    assert "1 til stede, 1 med afbud, 2 fraværende" in danish


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("attendance 1 @chair @nobody", "'@nobody' is not registered"),
        ("attendance 1 @chair apologies @chair", "both as present and with apologies"),
        ("attendance 2 @chair", "has not been held yet"),
        ("attendance 9 @chair", "Unknown meeting '9'"),
        ("attendance 1 apologies @bo", "Name who was present"),
    ],
)
def test_attendance_refusals_change_nothing(engine, people, line, expected):
    held(people, "2027-02-02")
    ok(people(), "meeting add 2027-04-06 13:00")  # meeting 2, ahead
    before = table_snapshot(engine)
    reply = run(people(), line)
    assert not reply.ok and expected in reply.plain()
    assert table_snapshot(engine) == before


def test_attendance_over_a_year_is_counted_per_organisation_in_status(engine, people):
    held(people, "2027-01-12", "2027-02-09", "2027-03-09")
    ok(people(), "attendance 1 @chair @anna @bo")
    ok(people(), "attendance 2 @chair @anna apologies @bo")
    ok(people(), "attendance 3 @sekr @anna")
    with Session(engine) as session:
        rows = {
            r.slug: (r.represented, r.recorded)
            for r in records.by_organisation(session, pid(engine), 2027, NOW)
        }
    assert rows["okf"] == (3, 3) and rows["sof"] == (3, 3) and rows["politi"] == (1, 3)
    assert rows["fsb"] == (0, 3)
    status = ok(people(), "status meetings")
    assert "Attendance 2027" in status and "at 3 meetings" in status
    assert "Københavns Politi" in status and "1/3" in status
    assert "fremmøde 2027" in ok(people(lang="da"), "status møder").lower()


def test_an_organisation_absent_twice_is_named_in_the_next_call_for_items(engine, people):
    held(people, "2027-02-09", "2027-03-09")
    ok(people(), "attendance 1 @chair @anna")
    ok(people(), "attendance 2 @sekr @anna")
    ok(people(), "meeting add 2027-04-20 13:00")  # meeting 3: its 14-day reminder is due 6 April
    shell = io.StringIO()
    runtime = Runtime(load_settings({}), engine, people().partnerships)
    send = router(runtime, {"shell": ShellAdapter(out=shell)}, lang="en")
    due = dt.datetime(2027, 4, 6, 11, 1, tzinfo=dt.UTC)
    with time_machine.travel(due, tick=False):  # the reminder is composed "now"
        assert Dispatcher(engine, send).tick() >= 1
    text = shell.getvalue()
    assert "Send agenda items" in text
    assert "Not represented at the last two meetings" in text and "Københavns Politi" in text
    assert "Socialforvaltningen" not in text.split("Not represented")[1].split(".")[0]


def test_decisions_belong_to_the_last_meeting_held_and_internal_ones_stay_private(engine, people):
    held(people, "2027-02-09", "2027-03-09")
    text = ok(people(), "decision add The night walks continue in 2027")
    assert "for meeting 2 (09.03.2027 13:00)" in text or "for meeting 2 (2027-03-09 13:00)" in text
    private = run(people(), "decision add 1 internal The budget is discussed again")
    assert private.ok and private.ephemeral and "(internal)" in private.plain()
    public = run(people(), "decision add 2 Approved the plan")
    assert public.ok and not public.ephemeral
    listed = ok(people("anna"), "decision list 2027")
    assert listed.index("budget") < listed.index("night walks")  # meeting 1's first
    assert "Beslutninger 2027" in ok(people(lang="da"), "beslutning liste")
    refused = run(people("anna"), "decision add Something")
    assert not refused.ok and "chair" in refused.plain()


def test_follow_up_items_owned_by_an_organisation_or_a_person(engine, people):
    held(people, "2027-03-09")
    text = ok(people(), 'action add "Send the count of night walks" owner=sof due=2027-04-01')
    assert "Follow-up item 1 saved" in text and "owner: sof" in text
    ok(people(lang="da"), "opfølgning tilføj Tjek lyset i tunnelen ansvarlig=@bo frist=15.4.2027")
    listed = ok(people("anna"), "action list")
    assert "Send the count" in listed and "Tjek lyset" in listed and "bo" in listed.lower()
    assert "Tjek lyset" not in ok(people("anna"), "action list org=sof")
    # done: not by someone else's organisation; by the owner's own people
    refused = run(people("bo"), "action done 1")
    assert not refused.ok and "Only the owner" in refused.plain()
    assert "is done" in ok(people("anna"), "action done 1 sent to the police")
    assert "Send the count" not in ok(people("anna"), "action list")
    assert "done" in ok(people("anna"), "action list all")
    for line, expected in [
        ("action add Item owner=sof due=2027-03-01", "already passed"),
        ("action add Item owner=nobody due=2027-05-01", "neither an organisation nor"),
        ("action add Item owner=sof", "owns it and the due date"),
        ("action done 99", "Unknown follow-up item"),
    ]:
        before = table_snapshot(engine)
        reply = run(people(), line)
        assert not reply.ok and expected in reply.plain(), (line, reply.plain())
        assert table_snapshot(engine) == before


def test_open_items_are_on_the_next_agenda(engine, people):
    held(people, "2027-03-09")
    ok(people(), "meeting add 2027-04-20 13:00")
    ok(people(), 'action add "Send the count" owner=sof due=2027-04-01')
    agenda = ok(people("anna"), "agenda list")
    assert "Follow-up items (open)" in agenda and "Send the count — sof, due 2027-04-01" in agenda


def test_the_owner_is_reminded_before_and_after_the_due_date_once_each(engine, people):
    held(people, "2027-03-09")
    ok(people(), 'action add "Send the count" owner=@anna due=2027-04-01')
    ok(people(), 'action add "Already done soon" owner=@bo due=2027-04-02')
    ok(people("bo"), "action done 2")
    shell = io.StringIO()
    runtime = Runtime(load_settings({}), engine, people().partnerships)
    send = router(runtime, {"shell": ShellAdapter(out=shell)}, lang="en")
    posts: list[str] = []
    for moment in (
        dt.datetime(2027, 3, 29, 8, 1, tzinfo=dt.UTC),  # 3 days before, 09:00 local (+1 min)
        dt.datetime(2027, 3, 29, 9, 0, tzinfo=dt.UTC),  # again: nothing new
        dt.datetime(2027, 4, 2, 7, 1, tzinfo=dt.UTC),  # the day after, 09:00 summer time
        dt.datetime(2027, 4, 3, 7, 1, tzinfo=dt.UTC),
    ):
        Dispatcher(engine, send, clock=lambda m=moment: m).tick()
        posts.append(shell.getvalue())
    text = shell.getvalue()
    assert text.count("Reminder: follow-up item 1 is due") == 1
    assert text.count("Follow-up item 1 was due") == 1
    assert "item 2" not in text  # done: its reminders were cancelled
    assert posts[0] == posts[1]  # the second tick posted nothing


def test_the_app_home_shows_an_organisations_open_items_and_attendance(engine, people):
    held(people, "2027-02-09", "2027-03-09")
    ok(people(), "attendance 1 @chair @anna")
    ok(people(), "attendance 2 @chair @bo")
    added = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)  # after meeting 2, before the due date
    ok(people(clock=added), 'action add "Send the count" owner=sof due=2027-03-15')
    ok(people(clock=added), 'action add "Check the light" owner=@bo due=2027-04-15')
    anna = home(people("anna"))
    text = anna.plain()
    assert "Your organisation's open items" in text and "Send the count" in text
    assert "(overdue)" in text and "Check the light" not in text
    assert "represented at 1 of 2 meetings" in text


def test_the_annual_report_has_attendance_per_organisation_and_the_follow_up_counts(engine, people):
    import pypdf

    held(people, "2027-01-12", "2027-02-09", "2027-03-09")
    ok(people(), "attendance 1 @chair @anna @bo")
    ok(people(), "attendance 2 @chair @anna apologies @bo")
    ok(people(), "attendance 3 @sekr @anna")
    early = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)
    ok(people(clock=early), 'action add "Send the count" owner=sof due=2027-03-15')
    ok(people(clock=early), 'action add "Check the light" owner=politi due=2027-04-15')
    ok(people("anna"), "action done 1")
    ok(people(admin=True), "indicator set crime.indbrud 2027 140")
    reply = run(people(), "report 2027")
    assert reply.ok, reply.plain()
    pdf = pypdf.PdfReader(io.BytesIO(reply.files[0].data))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Attendance per organisation 2027" in text
    assert "Københavns Politi" in text and "1 of 3 meetings" in text and "3 of 3 meetings" in text
    assert "2 present · 2 absent" in text  # meeting 3: chair and bo did not come
    assert (
        "2 follow-up items created in 2027, 1 of them done. Open now: 1, 0 of them overdue" in text
    )


def test_items_not_reached_are_carried_over_and_listed_in_the_call_for_items(engine, people):
    ok(people(clock=dt.datetime(2027, 3, 1, tzinfo=dt.UTC)), "meeting add 2027-03-09 13:00")
    early = people(clock=dt.datetime(2027, 3, 2, tzinfo=dt.UTC))
    ok(early, "agenda add 1 Status on the night walks")
    ok(early, "agenda add 1 internal The budget")
    ok(early, "agenda add 1 Lighting in the tunnel")
    ok(people(), "meeting add 2027-04-20 13:00")  # meeting 2
    text = ok(people(), "agenda carry 1 1 3")
    assert "2 agenda items carried over from meeting 1 to meeting 2" in text
    agenda = ok(people("anna"), "agenda list 2")
    assert "Status on the night walks" in agenda and "Lighting in the tunnel" in agenda
    assert "budget" not in agenda
    refused = run(people(), "agenda carry 1 4")
    assert not refused.ok and "Meeting 1 has 3 agenda items" in refused.plain()
    shell = io.StringIO()
    runtime = Runtime(load_settings({}), engine, people().partnerships)
    send = router(runtime, {"shell": ShellAdapter(out=shell)}, lang="en")
    due = dt.datetime(2027, 4, 6, 11, 1, tzinfo=dt.UTC)  # meeting 2's call for items
    with time_machine.travel(due, tick=False):
        Dispatcher(engine, send).tick()
    assert "Carried over from an earlier meeting:\n1. Status on the night walks" in shell.getvalue()


def test_the_chair_sees_rsvps_by_name_and_a_move_asks_everyone_again(engine, people):
    ok(people(), "meeting add 2027-04-20 13:00")
    ok(people("anna"), "meeting rsvp 1 yes")
    ok(people("bo"), "meeting rsvp 1 no")
    mine = ok(people("anna"), "meeting next")
    assert "Your answer: yes." in mine and "Not answered" not in mine  # a member sees her own
    chair = ok(people(), "meeting next")
    assert "Yes: anna" in chair and "No: bo" in chair and "Not answered:" in chair
    moved = run(people(), "meeting move 1 2027-04-27 13:00")
    assert moved.ok and "Please answer again" in moved.plain()
    assert moved.buttons[0].command == "meeting rsvp 1 yes"
    assert "Your answer: not answered." in ok(people("anna"), "meeting next")
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "meeting.move")).one()
    assert '"yes"' in event.before and '"no"' in event.before  # the old answers, in the history
