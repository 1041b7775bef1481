"""Reminder kinds: whatever leads the partnership file sets, each reminder says its real lead
and carries what that lead calls for; the overview names it in both languages; the key and kind
strings stay those stored in existing databases."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from helpers import SLUG, run, setup_people
from sqlmodel import Session, select

from commands.views.notices import DATA, LEAD, compose, label
from commands.views.reminder_kinds import duration_words, lead_content
from storage.models import Partnership, Reminder

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
START = dt.datetime(2027, 3, 2, 12, 0, tzinfo=dt.UTC)  # 13:00 in Copenhagen, a Tuesday
THURSDAY = START + dt.timedelta(days=2)


@pytest.fixture
def people(engine, make_ctx, specs):
    """The shipped partnership, but its file asks for reminders 3 days and 30 minutes ahead."""
    spec = specs[SLUG]
    leads = spec.meetings.model_copy(update={"reminder_leads": ("P3D", "PT30M")})
    custom = {SLUG: spec.model_copy(update={"meetings": leads})}
    make = make_ctx(engine)
    setup_people(engine, make)

    def ctx(user: str = "chair", *, partnerships=None, **extra):
        made = make(user, clock=lambda: NOW, **extra)
        return replace(made, partnerships=custom if partnerships is None else partnerships)

    return ctx


def rows(engine) -> list[Reminder]:
    with Session(engine) as session:
        return list(session.exec(select(Reminder).order_by(Reminder.due_at)))


def composed(engine, ctx, row: Reminder, *, late: bool = False) -> str:
    with Session(engine) as session:
        out = compose(
            session,
            ctx,
            meeting_id=row.meeting_id,
            kind=row.kind,
            late=late,
            platform="shell",
            partnership_id=row.partnership_id,
        )
    assert out is not None
    return out.reply.plain()


def test_file_leads_get_their_own_words(engine, people):
    """A Thursday meeting: its 3-day reminder falls on a Monday, in working hours."""
    assert run(people(), 'meeting add 2027-03-04 13:00 place="Tingbjerg Bibliotek"').ok
    run(people("anna"), "agenda add Natteravne: status")
    three, thirty = rows(engine)
    assert (three.kind, thirty.kind) == ("lead:P3D", "lead:PT30M")
    assert three.idempotency_key == "meeting:1:20270304T1200Z:lead:P3D"
    assert thirty.due_at == THURSDAY - dt.timedelta(minutes=30)

    danish = composed(engine, people(lang=None), three)  # the partnership's locale: Danish
    assert "Om 3 dage. Dagsorden:\n1. Natteravne: status" in danish
    english = composed(engine, people(), three)
    assert "In 3 days. Agenda:\n1. Natteravne: status" in english
    assert "hour" not in english and "time" not in danish

    assert "Om 30 minutter, sted: Tingbjerg Bibliotek." in composed(
        engine, people(lang=None), thirty
    )
    assert "In 30 minutes, place: Tingbjerg Bibliotek." in composed(engine, people(), thirty)


def test_overview_labels_the_real_leads_in_both_languages(engine, people):
    run(people(), "meeting add 2027-03-04 13:00")
    english = run(people(), "meeting reminders").plain()
    assert "3 days before" in english and "30 minutes before" in english
    danish = run(people(lang="da"), "møde påmindelser").plain()
    assert "3 dage før" in danish and "30 minutter før" in danish
    assert "days" not in danish and "minutes" not in danish


def test_default_leads_open_with_their_lead(engine, people, specs):
    """A Thursday meeting: its 14- and 2-day reminders fall on working days at 13:00."""
    shipped = {"partnerships": specs}
    run(people(**shipped), 'meeting add 2027-03-04 13:00 place="Tingbjerg Bibliotek"')
    fourteen, two, hour = rows(engine)
    assert fourteen.idempotency_key == "meeting:1:20270304T1200Z:lead:P14D"
    assert "Om 14 dage. Send punkter til dagsordenen" in composed(
        engine, people(lang=None, **shipped), fourteen
    )
    assert "Om 2 dage. Ingen punkter på dagsordenen endnu." in composed(
        engine, people(lang=None, **shipped), two
    )
    assert "Om en time, sted: Tingbjerg Bibliotek." in composed(
        engine, people(lang=None, **shipped), hour
    )
    assert "In one hour, place: Tingbjerg Bibliotek." in composed(engine, people(**shipped), hour)
    labels = run(people(lang="da", **shipped), "møde påmindelser").plain()
    assert "14 dage før" in labels and "2 dage før" in labels and "1 time før" in labels


def test_a_reminder_moved_off_the_weekend_says_how_far_ahead_it_is(engine, people, specs):
    """Tuesday 2.3.2027 13:00: the 2-day reminder would fall on Sunday 13:00 and goes out on
    Friday 13:00, opening with the days there really are; the 14-day one (Tuesday 16.2, in the
    winter break but a working day) and the 1-hour one keep their time and words."""
    shipped = {"partnerships": specs}
    run(people(**shipped), "meeting add 2027-03-02 13:00")
    fourteen, two, hour = rows(engine)
    assert fourteen.due_at == START - dt.timedelta(days=14)
    assert two.due_at == dt.datetime(2027, 2, 26, 12, 0, tzinfo=dt.UTC)  # Friday 13:00 CET
    assert hour.due_at == START - dt.timedelta(hours=1)
    assert "Om 4 dage. Ingen punkter på dagsordenen endnu." in composed(
        engine, people(lang=None, **shipped), two
    )
    assert "In 4 days. No agenda items yet." in composed(engine, people(**shipped), two)
    assert "Om 14 dage." in composed(engine, people(lang=None, **shipped), fourteen)
    assert "Om 14 dage." in composed(engine, people(lang=None, **shipped), fourteen, late=True)
    labels = run(people(lang="da", **shipped), "møde påmindelser").plain()
    assert "2 dage før" in labels  # the file's lead still names the row


def test_times_read_in_the_partnerships_zone_without_its_file(engine, people):
    """A partnership whose file is not loaded still shows Copenhagen time, not UTC."""
    run(people(), "meeting add 2027-03-02 13:00")
    first = rows(engine)[0]
    text = composed(engine, people(lang=None, partnerships={}), first)
    assert "02.03.2027 kl. 13.00" in text
    with Session(engine) as session:  # the column, not a fixed zone, decides
        row = session.exec(select(Partnership).where(Partnership.slug == SLUG)).one()
        row.timezone = "Atlantic/Reykjavik"
        session.add(row)
        session.commit()
    assert "02.03.2027 kl. 12.00" in composed(engine, people(lang=None, partnerships={}), first)
    assert "2027-03-02 12:00" in run(people(partnerships={}), "meeting list 2027").plain()


@pytest.mark.parametrize(
    ("lead", "content"),
    [
        (dt.timedelta(days=14), "call-for-items"),
        (dt.timedelta(days=7), "call-for-items"),
        (dt.timedelta(days=6, hours=23), "agenda"),
        (dt.timedelta(days=1), "agenda"),
        (dt.timedelta(hours=23, minutes=59), "place"),
        (dt.timedelta(minutes=30), "place"),
    ],
)
def test_the_leads_length_decides_what_it_carries(lead, content):
    assert lead_content(lead) == content


def test_duration_words():
    span = dt.timedelta(days=1, hours=12)
    assert duration_words("da", span, spelled=True) == "en dag og 12 timer"
    assert duration_words("en", span) == "1 day and 12 hours"
    assert duration_words("da", dt.timedelta(minutes=1), spelled=True) == "et minut"
    assert label("en", "lead:PT1H") == "1 hour before"
    assert label("da", "lead:PT1H") == "1 time før"
    assert label("da", "data:2027") == "datakalender 2027"
    assert label("en", "data:2027") == "data calendar 2027"
    assert label("en", "odd:thing") == "odd:thing"  # an unknown kind is shown as it is stored


def test_key_and_kind_strings_are_those_stored_today():
    assert LEAD.kind("P14D") == "lead:P14D"
    assert LEAD.key("P14D", meeting_id=12, starts_at=START) == "meeting:12:20270302T1200Z:lead:P14D"
    assert DATA.kind(2027) == "data:2027"
    assert DATA.key(2027, slug="tingbjerg-husum") == "data:tingbjerg-husum:2027"
