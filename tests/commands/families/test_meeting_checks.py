"""`meeting add` and `meeting move` where people do not meet — a public holiday, a weekend, a
school holiday from the partnership file, a night hour — are asked back with the reason, in
Danish and English, with a button for the same line with `confirm`; nothing is saved until that
line comes (DESIGN section 5, issue 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import cast_at, run, table_snapshot
from sqlmodel import Session, select

from storage.models import Meeting, Reminder

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(engine, make_ctx):
    return cast_at(engine, make_ctx, NOW)


def meetings(engine) -> list[Meeting]:
    with Session(engine) as session:
        return list(session.exec(select(Meeting).order_by(Meeting.id)))


@pytest.mark.parametrize(
    ("line", "english", "danish"),
    [
        (
            "2027-06-05 13:00",  # Grundlovsdag, a Saturday in 2027
            "2027-06-05 13:00 is not a usual meeting time: a Saturday and a public holiday "
            "(Constitution Day). Add the meeting there anyway?",
            "5.6.2027 kl. 13.00 er ikke et almindeligt mødetidspunkt: en lørdag og "
            "Grundlovsdag (helligdag). Skal mødet alligevel ligge der?",
        ),
        (
            "2028-06-05 13:00",  # Grundlovsdag on a Monday, and Whit Monday too
            "2028-06-05 13:00 is not a usual meeting time: public holidays (Constitution Day and "
            "Pentecost Monday).",
            "5.6.2028 kl. 13.00 er ikke et almindeligt mødetidspunkt: Anden pinsedag og "
            "Grundlovsdag (helligdage).",
        ),
        (
            "2027-05-06 13:00",  # Kristi himmelfartsdag, a Thursday
            "2027-05-06 13:00 is not a usual meeting time: a public holiday (Ascension Day).",
            "6.5.2027 kl. 13.00 er ikke et almindeligt mødetidspunkt: Kristi himmelfartsdag "
            "(helligdag).",
        ),
        (
            "7.3.2027 13.00",  # a Sunday, typed the Danish way
            "2027-03-07 13:00 is not a usual meeting time: a Sunday.",
            "7.3.2027 kl. 13.00 er ikke et almindeligt mødetidspunkt: en søndag.",
        ),
        (
            "2027-10-19 13:00",  # Tuesday of week 42
            "2027-10-19 13:00 is not a usual meeting time: the autumn break (week 42).",
            "19.10.2027 kl. 13.00 er ikke et almindeligt mødetidspunkt: efterårsferien (uge 42).",
        ),
        (
            "2027-07-06 13:00",
            "2027-07-06 13:00 is not a usual meeting time: the summer holiday.",
            "6.7.2027 kl. 13.00 er ikke et almindeligt mødetidspunkt: sommerferien.",
        ),
        (
            "2027-03-02 22:00",
            "2027-03-02 22:00 is not a usual meeting time: at night (22–06).",
            "2.3.2027 kl. 22.00 er ikke et almindeligt mødetidspunkt: om natten (22–06).",
        ),
        (
            "2027-03-03 05:59",
            "2027-03-03 05:59 is not a usual meeting time: at night (22–06).",
            "3.3.2027 kl. 05.59 er ikke et almindeligt mødetidspunkt: om natten (22–06).",
        ),
        (
            "2027-10-31 02:30",  # a Sunday, at night, in the hour that comes twice
            "2027-10-31 02:30 is not a usual meeting time: a Sunday and at night (22–06). "
            "02:30 comes twice that night as the clocks go back; the meeting is set at the "
            "first (summer time). Add the meeting there anyway?",
            "31.10.2027 kl. 02.30 er ikke et almindeligt mødetidspunkt: en søndag og om natten "
            "(22–06). Kl. 02.30 kommer to gange den nat, fordi urene stilles tilbage; mødet "
            "lægges på den første (sommertid). Skal mødet alligevel ligge der?",
        ),
    ],
)
def test_add_on_an_unusual_time_is_asked_back(engine, people, line, english, danish):
    before = table_snapshot(engine)
    asked = run(people(), f"meeting add {line}")
    assert asked.ok and english in asked.plain(), asked.plain()
    assert "Nothing is saved yet." in asked.plain()
    (button,) = asked.buttons
    assert button.label == "Save anyway" and button.command.startswith("meeting add ")
    assert button.command.endswith(" confirm") and button.confirm is None
    spurgt = run(people(lang="da"), f"møde tilføj {line}")
    assert danish in spurgt.plain(), spurgt.plain()
    assert "Gem med knappen eller skriv `/wg møde tilføj " in spurgt.plain()
    assert spurgt.buttons[0].label == "Gem alligevel"
    assert table_snapshot(engine) == before  # asking saves nothing
    saved = run(people(), button.command)
    assert saved.ok and "Saved: meeting 1" in saved.plain(), saved.plain()
    assert saved.replace_original and not saved.buttons  # the question's button is gone
    assert len(meetings(engine)) == 1


def test_the_typed_confirmation_saves_where_the_clocks_go_back(engine, people):
    """Sunday 31 October 2027 02:30 Copenhagen time: the first of the two (02:30 CEST)."""
    reply = run(people(lang="da"), "møde tilføj 31.10.2027 02.30 bekræft")
    assert reply.ok and "Gemt: møde 1" in reply.plain(), reply.plain()
    (meeting,) = meetings(engine)
    assert meeting.starts_at.replace(tzinfo=dt.UTC) == dt.datetime(
        2027, 10, 31, 0, 30, tzinfo=dt.UTC
    )


def test_the_button_keeps_the_options_typed(engine, people):
    asked = run(people(), 'meeting add 19.10.2027 13.00 place="Tingbjerg Bibliotek" kind=sg')
    (button,) = asked.buttons
    assert button.command == (
        'meeting add 2027-10-19 13:00 confirm place="Tingbjerg Bibliotek" kind=sg'
    )
    danish = run(people(lang="da"), "møde tilføj 19.10.2027 13.00 sted=Biblioteket").plain()
    assert "`/wg møde tilføj 19.10.2027 13.00 sted=Biblioteket bekræft`" in danish, danish
    assert run(people(), button.command).ok
    (meeting,) = meetings(engine)
    assert (meeting.place, meeting.kind) == ("Tingbjerg Bibliotek", "sg")


def test_an_ordinary_time_is_saved_at_once(engine, people):
    for line in ("2027-03-02 13:00", "2027-03-03 06:00", "2027-03-04 21:59"):
        reply = run(people(), f"meeting add {line}")
        assert reply.ok and reply.plain().startswith("Saved: meeting"), reply.plain()
        assert not reply.buttons and not reply.replace_original
    assert len(meetings(engine)) == 3


def test_move_onto_a_holiday_is_asked_back_and_moves_on_confirm(engine, people):
    assert run(people(), "meeting add 2027-06-01 13:00").ok
    before = table_snapshot(engine)
    asked = run(people(), "meeting move 1 2027-06-05 13:00")
    assert (
        "Meeting 1 would move to 2027-06-05 13:00, which is not a usual meeting time: a "
        "Saturday and a public holiday (Constitution Day). Move it there anyway?"
    ) in asked.plain(), asked.plain()
    (button,) = asked.buttons
    assert button.command == "meeting move 1 2027-06-05 13:00 confirm"
    assert button.label == "Move anyway"
    danish = run(people(lang="da"), "møde flyt 1 5.6.2027 13.00").plain()
    assert "Møde 1 flyttes til 5.6.2027 kl. 13.00, som ikke er et almindeligt" in danish
    assert "Skal det alligevel flyttes dertil?" in danish
    assert "`/wg møde flyt 1 5.6.2027 13.00 bekræft`" in danish
    assert table_snapshot(engine) == before  # not moved, reminders untouched
    moved = run(people(lang="da"), "møde flyt 1 5.6.2027 13.00 bekræft")
    assert moved.ok and "Møde 1 er flyttet" in moved.plain(), moved.plain()
    (meeting,) = meetings(engine)
    assert meeting.starts_at.replace(tzinfo=dt.UTC) == dt.datetime(2027, 6, 5, 11, tzinfo=dt.UTC)
    with Session(engine) as session:
        pending = session.exec(
            select(Reminder).where(Reminder.meeting_id == 1, Reminder.status == "pending")
        ).all()
    assert len(pending) == 3


def test_move_at_night_and_into_a_blackout(engine, people):
    assert run(people(), "meeting add 2027-02-09 13:00").ok
    night = run(people(), "meeting move 1 2027-02-10 23:00").plain()
    assert "which is not a usual meeting time: at night (22–06)." in night, night
    winter = run(people(), "meeting move 1 2027-02-16 13:00").plain()
    assert "the winter break (week 7)" in winter, winter
    moved = run(people(), "meeting move 1 2027-02-23 13:00").plain()
    assert moved.startswith("Meeting 1 moved from"), moved


def test_refusals_come_before_the_question(engine, people):
    """A bad kind or a gap time is refused as before, never asked back (a past time is a
    meeting held, recorded after the fact: see test_records)."""
    for line, expected in (
        ("meeting add 2027-06-05 13:00 kind=xx", "Kind must be wg"),
        ("meeting add 2027-03-28 02:30", "the clocks go forward"),
        ("meeting add 2027-06-05 confirm", "Use:"),
    ):
        reply = run(people(), line)
        assert not reply.ok and expected in reply.plain(), (line, reply.plain())
        assert not reply.buttons


def test_in_slack_the_question_has_the_button_with_the_line(engine, people):
    from bot.slack.render import messages

    asked = run(people(lang="da"), "møde tilføj 5.6.2027 13.00")
    (msg,) = messages(asked)
    (actions,) = [b for b in msg["blocks"] if b["type"] == "actions"]
    (element,) = actions["elements"]
    assert element["value"] == "meeting add 2027-06-05 13:00 confirm"
    assert element["text"]["text"] == "Gem alligevel" and element["style"] == "primary"
    assert "Grundlovsdag (helligdag)" in str(msg["blocks"])
