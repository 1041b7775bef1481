"""Meetings, agenda and reminders through the command path, on both databases, with a fixed
clock (the partnership's time zone is Europe/Copenhagen)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import icalendar
import pytest
from helpers import cast_at, run, table_snapshot
from sqlmodel import Session, select

from bot.dispatcher import Dispatcher
from bot.reminders import router
from bot.runtime import Runtime
from bot.shell import ShellAdapter
from commands.rules.planning import blocked_reason
from config.settings import load_settings
from storage.models import Meeting, Partnership, Reminder
from storage.sync import sync_partnership

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def people(engine, make_ctx):
    return cast_at(engine, make_ctx, NOW)


def reminders_of(engine, meeting_id: int) -> list[Reminder]:
    with Session(engine) as session:
        return list(
            session.exec(
                select(Reminder).where(Reminder.meeting_id == meeting_id).order_by(Reminder.due_at)
            )
        )


def test_add_schedules_one_reminder_per_lead(engine, people):
    reply = run(people(), 'meeting add 2027-03-02 13:00 place="Tingbjerg Bibliotek"')
    assert reply.ok, reply.plain()
    assert "Saved: meeting 1" in reply.plain() and "02.03.2027" not in reply.plain()
    rows = reminders_of(engine, 1)
    start = dt.datetime(2027, 3, 2, 12, 0, tzinfo=dt.UTC)  # 13:00 CET, a Tuesday
    assert [r.due_at for r in rows] == [
        start - dt.timedelta(days=14),
        start - dt.timedelta(days=4),  # 2 days before is a Sunday: Friday at 13:00
        start - dt.timedelta(hours=1),
    ]
    assert all(r.status == "pending" for r in rows)
    assert len({r.idempotency_key for r in rows}) == 3
    assert "only 1 working-group meeting (" in reply.plain()  # the year's rule is flagged


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("meeting add 31.2.2027 13:00", "does not exist"),
        ("meeting add 2027-03-02 25:00", "does not exist"),
        ("meeting add 2027-03-28 02:30", "the clocks go forward"),
        ("meeting add 2027-03-02 13:00 kind=xx", "Kind must be wg"),
        ("meeting move 99 2027-03-02 13:00", "Unknown meeting '99'"),
        ("meeting cancel 99", "Unknown meeting '99'"),
        ("meeting plan 2027 count=12", "cannot be made"),
        ("meeting rsvp 99 yes", "Unknown meeting"),
    ],
)
def test_bad_meeting_input_changes_nothing(engine, people, text, expected):
    before = table_snapshot(engine)
    reply = run(people(), text)
    assert not reply.ok and expected in reply.plain(), reply.plain()
    assert table_snapshot(engine) == before


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        (
            "møde planlæg 2027 antal=12",
            NOW,
            "Planen kan ikke laves: partnerskabets regel er 6–8 arbejdsgruppemøder om året, "
            "ikke 12.",
        ),
        ("møde planlæg 2025", NOW, "Planen kan ikke laves: 2025 er slut"),
        (
            "møde planlæg 2026",
            dt.datetime(2026, 12, 15, 12, 0, tzinfo=dt.UTC),
            "Planen kan ikke laves: der er ikke ledige mødedage nok tilbage i året",
        ),
    ],
)
def test_plan_refusals_are_worded_in_danish(engine, people, text, today, expected):
    before = table_snapshot(engine)
    reply = run(replace(people(lang="da"), clock=lambda: today), text)
    assert not reply.ok and expected in reply.plain(), reply.plain()
    assert not {"count", "outside", "over", "free"} & set(reply.plain().split())
    assert table_snapshot(engine) == before


def test_move_and_cancel_carry_the_reminders(engine, people):
    run(people(), "meeting add 2027-03-02 13:00")
    old_keys = {r.idempotency_key for r in reminders_of(engine, 1)}
    reply = run(people(), "meeting move 1 9.3.2027 14.00")
    assert reply.ok and not reply.ephemeral  # the channel is told
    rows = reminders_of(engine, 1)
    assert {r.idempotency_key for r in rows if r.status == "cancelled"} == old_keys
    pending = [r for r in rows if r.status == "pending"]
    assert pending[-1].due_at == dt.datetime(2027, 3, 9, 12, 0, tzinfo=dt.UTC)
    assert run(people(), "meeting cancel 1 confirm").ok
    assert all(r.status == "cancelled" for r in reminders_of(engine, 1))
    again = run(people(), "meeting move 1 2027-03-16 13:00")
    assert not again.ok and "cancelled" in again.plain()


def test_cancel_asks_first_then_cancels_once(engine, people):
    assert run(people(), "meeting add 2027-03-02 13:00").ok
    before = table_snapshot(engine)
    asked = run(people(), "meeting cancel 1")
    assert asked.ok and asked.ephemeral and "Nothing has changed yet" in asked.plain()
    assert "02.03.2027" not in asked.plain() and "2027-03-02 13:00" in asked.plain()
    assert table_snapshot(engine) == before
    (button,) = asked.buttons
    assert button.command == "meeting cancel 1 confirm" and button.style == "danger"
    assert button.confirm is not None and button.confirm.yes == "Cancel the meeting"
    done = run(people(), button.command)
    assert done.ok and done.replace_original and "is cancelled" in done.plain()
    assert all(r.status == "cancelled" for r in reminders_of(engine, 1))
    again = run(people(), button.command)  # a second click finds it done: no live button
    assert not again.ok and again.replace_original and "already cancelled" in again.plain()
    danish = run(people(lang="da"), "meeting add 2027-03-23 13:00")
    assert danish.ok
    asked_da = run(people(lang="da"), "møde aflys 2")
    assert "Bekræft med knappen eller med `/wg møde aflys 2 bekræft`" in asked_da.plain()
    assert asked_da.buttons[0].label == "Aflys mødet"


def test_rsvp_agenda_and_next(engine, people):
    run(people(), "meeting add 2027-03-02 13:00")
    assert run(people("anna"), "meeting rsvp 1 yes").ok
    assert run(people("bo", lang=None), "møde svar 1 måske").ok
    assert run(people("anna"), "meeting rsvp 1 no").ok  # a changed mind replaces the answer
    assert run(people("anna"), "agenda add Status on the night walks").ok
    listed = run(people("anna"), "meeting list 2027").plain()
    assert "1 no" in listed and "1 maybe" in listed
    nxt = run(people("anna"), "meeting next")
    assert "Status on the night walks" in nxt.plain()
    assert [b.command for b in nxt.buttons] == ["meeting rsvp 1 yes", "meeting rsvp 1 no"]


def test_members_cannot_plan_and_other_partnerships_are_unknown(engine, people, specs):
    refused = run(people("anna"), "meeting add 2027-03-02 13:00")
    assert not refused.ok and "needs one of the roles chair or secretariat" in refused.plain()
    other = specs["tingbjerg-husum"].model_copy(update={"slug": "amager", "name": "Amager"})
    with Session(engine) as session:
        row = sync_partnership(session, other)
        session.add(
            Meeting(
                partnership_id=row.id or 0, starts_at=NOW + dt.timedelta(days=30), created_by="x"
            )
        )
        session.commit()
        foreign = session.exec(select(Meeting).where(Meeting.partnership_id == row.id)).one()
    reply = run(people("anna"), f"meeting rsvp {foreign.id} yes")
    assert not reply.ok and "Unknown meeting" in reply.plain()


def test_calendar_file_with_stable_uids(engine, people):
    run(people(), "meeting add 2027-03-02 13:00")
    run(people(), "meeting add 2027-06-15 13:00 kind=sg")
    run(people(), "meeting cancel 2 confirm")
    first = run(people("anna"), "meeting ics")
    second = run(people("anna"), "meeting ics")
    assert first.files[0].data == second.files[0].data
    cal = icalendar.Calendar.from_ical(first.files[0].data)
    events = [c for c in cal.walk("VEVENT")]
    assert [str(e["UID"]) for e in events] == [
        "meeting-1@tingbjerg-husum.partnerbot",
        "meeting-2@tingbjerg-husum.partnerbot",
    ]
    assert events[0].decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2027, 3, 2, 12, 0, tzinfo=dt.UTC
    )
    assert events[1].decoded("DTSTART").astimezone(dt.UTC) == dt.datetime(
        2027, 6, 15, 11, 0, tzinfo=dt.UTC
    )  # summer time
    assert str(events[1]["STATUS"]) == "CANCELLED"
    assert cal.walk("VTIMEZONE")


def test_plan_proposes_then_confirm_creates(engine, people):
    before = table_snapshot(engine)
    proposal = run(people(), "meeting plan 2027")
    assert proposal.ok and "Nothing is created yet" in proposal.plain()
    assert table_snapshot(engine) == before
    assert run(people(), "meeting plan 2027 confirm").ok
    with Session(engine) as session:
        meetings = session.exec(select(Meeting).order_by(Meeting.starts_at)).all()
    tz = dt.timezone(dt.timedelta(hours=1))
    kinds = [m.kind for m in meetings]
    assert 6 <= kinds.count("wg") <= 8 and kinds.count("sg") == 1
    blackouts = people().partnerships["tingbjerg-husum"].meetings.blackouts
    assert all(
        blocked_reason(m.starts_at.astimezone(tz).date(), blackouts) is None for m in meetings
    )
    listed = run(people(), "meeting list 2027").plain()
    assert "working-group meetings" not in listed  # within the rules: no flag


def _count(engine, model) -> int:
    with Session(engine) as session:
        return len(session.exec(select(model.id)).all())


def test_plan_confirmed_twice_creates_the_meetings_once(engine, people):
    """Issue 9: a second confirmation (typed again, a second click) made 16 meetings."""
    assert run(people(), "meeting plan 2027 confirm").ok
    first = table_snapshot(engine)
    assert _count(engine, Meeting) == 8  # 7 working-group meetings and the review
    again = run(people(), "meeting plan 2027 confirm")
    assert again.ok and "Nothing was created" in again.plain(), again.plain()
    assert "2027 already has its meetings" in again.plain()
    assert table_snapshot(engine) == first  # no meeting, reminder or audit event more
    proposal = run(people(), "meeting plan 2027")
    assert "already has its meetings" in proposal.plain() and not proposal.buttons
    danish = run(people(lang="da"), "møde planlæg 2027 bekræft")
    assert "Intet er oprettet" in danish.plain() and "har allerede sine møder" in danish.plain()


def test_plan_button_asks_first_and_leaves_no_live_button(engine, people):
    proposal = run(people(), "meeting plan 2027 count=7")
    (button,) = proposal.buttons
    assert button.confirm is not None  # a confirmation before 8 meetings are created
    assert "8 meetings" in button.confirm.text and button.confirm.yes == "Create"
    done = run(people(), button.command)
    assert done.ok and done.replace_original and not done.buttons
    second = run(people(), button.command)  # a double click, or a click on a stale copy
    assert second.replace_original and "Nothing was created" in second.plain()
    assert _count(engine, Meeting) == 8


def test_plan_proposes_only_what_the_year_lacks(engine, people):
    assert run(people(), "meeting add 2027-03-02 13:00").ok
    assert run(people(), "meeting add 2027-05-04 13:00 kind=sg").ok
    proposal = run(people(), "meeting plan 2027")
    assert proposal.plain().startswith(
        "Proposal for 2027: 6 working-group meetings; 2 already planned, so the year gets 7 "
        "working-group meetings. Nothing is created yet"
    ), proposal.plain()
    assert "6 meetings in 2027 will be created" in proposal.buttons[0].confirm.text
    danish = run(people(lang="da"), "møde planlæg 2027").plain()
    assert danish.startswith(
        "Forslag til 2027: 6 arbejdsgruppemøder; 2 er allerede planlagt, så året får 7 "
        "arbejdsgruppemøder. Intet er oprettet endnu"
    ), danish
    assert run(people(), "meeting plan 2027 confirm").ok
    with Session(engine) as session:
        kinds = [m.kind for m in session.exec(select(Meeting))]
    assert kinds.count("wg") == 7 and kinds.count("sg") == 1


def test_after_a_cancellation_the_plan_proposes_the_one_missing(engine, people):
    """A year planned and confirmed, then one meeting cancelled: the proposal counts what the
    year has (one missing, in the singular), a confirm adds that one, a second confirm nothing."""
    assert run(people(), "meeting plan 2027 confirm").ok
    assert run(people(), "meeting cancel 3 confirm").ok
    proposal = run(people(lang="da"), "møde planlæg 2027").plain()
    assert proposal.startswith(
        "Forslag til 2027: 1 arbejdsgruppemøde; 7 er allerede planlagt, så året får 7 "
        "arbejdsgruppemøder."
    ), proposal
    english = run(people(), "meeting plan 2027").plain()
    assert english.startswith("Proposal for 2027: 1 working-group meeting; 7 already planned")
    created = run(people(), "meeting plan 2027 confirm").plain()
    assert created.startswith("Created: 1 meeting in 2027 with reminders."), created
    again = run(people(), "meeting plan 2027 confirm").plain()
    assert again.startswith(
        "Nothing was created: 2027 already has its meetings (7 working-group meetings and 1 "
        "steering-group meeting)."
    ), again
    assert _count(engine, Meeting) == 9  # 8 planned, 1 cancelled


def test_two_confirmations_at_once_create_one_plan(engine, people):
    """Two replicas (or two clicks) confirming in the same moment: one plan, not two."""
    import threading

    start = threading.Barrier(2)
    replies = []

    def confirm() -> None:
        start.wait()
        replies.append(run(people(), "meeting plan 2027 confirm"))

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(replies) == 2 and all(r.ok for r in replies), [r.plain() for r in replies]
    assert _count(engine, Meeting) == 8
    assert sum("Nothing was created" in r.plain() for r in replies) == 1


def test_reminder_is_printed_when_due(engine, people):
    run(people(), 'meeting add 2027-03-02 13:00 place="Tingbjerg Bibliotek"')
    run(people("anna"), "agenda add Natteravne: status")
    runtime = Runtime(load_settings({}), engine, people().partnerships)
    out = io.StringIO()
    due_two_days = dt.datetime(2027, 2, 26, 12, 0, 30, tzinfo=dt.UTC)  # Friday, not Sunday
    dispatcher = Dispatcher(
        engine, router(runtime, {"shell": ShellAdapter(out)}, lang="en"), clock=lambda: due_two_days
    )
    assert dispatcher.tick() == 2  # the 14-day one (late) and the 2-day one
    text = out.getvalue()
    assert "In 14 days" in text and "Sent late" in text
    assert "No activity update since the last meeting: bif, sof" in text and "@anna" in text
    assert "In 4 days. Agenda:\n1. Natteravne: status" in text
    assert "[I'll come] [Maybe] [I can't come]" in text
    assert dispatcher.tick() == 0  # nothing is sent twice
    with Session(engine) as session:
        assert session.exec(select(Partnership)).first() is not None


def test_data_calendar_reminds_the_secretariat_of_missing_figures(engine, people):
    from commands.views.notices import compose, schedule_data_reminders

    ctx = people()
    with Session(engine) as session:
        assert schedule_data_reminders(session, ctx) == 1
        assert schedule_data_reminders(session, ctx) == 1  # idempotent: the same key
        session.commit()
        row = session.exec(select(Reminder).where(Reminder.kind.startswith("data:"))).one()
    assert row.idempotency_key == "data:tingbjerg-husum:2027"
    assert row.due_at == dt.datetime(2027, 6, 15, 8, 0, tzinfo=dt.UTC)  # 10:00 CEST
    run(people("root", admin=True), "indicator set crime.indbrud 2026 120")
    with Session(engine) as session:
        message = compose(
            session,
            ctx,
            meeting_id=None,
            kind=row.kind,
            late=False,
            platform="shell",
            partnership_id=row.partnership_id,
        )
    assert message is not None
    text = message.reply.plain()
    assert "sekr" in text and "crime.tyveri-roeveri" in text
    assert "crime.indbrud" not in text and "crime.total" not in text
