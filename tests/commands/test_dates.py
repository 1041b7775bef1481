"""Dates and times as people type them (issue 14): each form read as a Dane means it, the
ambiguous ones asked back in English, and the full date said back by `meeting add`/`move`."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run, setup_people
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.engine.messages import parse_error_text
from commands.engine.parse import ParseError, parse_date, parse_time, parse_when

TODAY = dt.date(2026, 11, 30)  # a Monday
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
D = dt.date

DATES = [  # text, Danish reading, English reading (None: asked back)
    ("2/3", D(2027, 3, 2), None),
    ("2.3", D(2027, 3, 2), D(2027, 3, 2)),  # dots are day.month in both languages
    ("2.3.", D(2027, 3, 2), D(2027, 3, 2)),
    ("15/12", D(2026, 12, 15), D(2026, 12, 15)),  # still ahead this year
    ("30/11", D(2026, 11, 30), D(2026, 11, 30)),  # today is "the next such date"
    ("2/3-2027", D(2027, 3, 2), None),
    ("2/3 2027", D(2027, 3, 2), None),
    ("13/3 2027", D(2027, 3, 13), D(2027, 3, 13)),  # only one reading is a date
    ("3/13/2027", None, D(2027, 3, 13)),
    ("2.3.2027", D(2027, 3, 2), D(2027, 3, 2)),
    ("2027-03-02", D(2027, 3, 2), D(2027, 3, 2)),
    ("3. marts 2027", D(2027, 3, 3), D(2027, 3, 3)),
    ("3 mar 2027", D(2027, 3, 3), D(2027, 3, 3)),
    ("3. Mar. 2027", D(2027, 3, 3), D(2027, 3, 3)),
    ("3 March 2027", D(2027, 3, 3), D(2027, 3, 3)),
    ("March 3, 2027", D(2027, 3, 3), D(2027, 3, 3)),
    ("3. marts", D(2027, 3, 3), D(2027, 3, 3)),
    ("i morgen", D(2026, 12, 1), D(2026, 12, 1)),
    ("tomorrow", D(2026, 12, 1), D(2026, 12, 1)),
    ("tirsdag", D(2026, 12, 1), D(2026, 12, 1)),
    ("Tuesday", D(2026, 12, 1), D(2026, 12, 1)),
    ("mandag", D(2026, 12, 7), D(2026, 12, 7)),  # today is Monday: the next one
    ("fredag", D(2026, 12, 4), D(2026, 12, 4)),
]


@pytest.mark.parametrize(("text", "da", "en"), DATES)
def test_dates_as_typed(text, da, en):
    for lang, want in (("da", da), ("en", en)):
        if want is None:
            with pytest.raises(ParseError) as err:
                parse_date(text, TODAY, lang)
            assert err.value.code in {"ambiguous_date", "no_such_date"}, (lang, text)
        else:
            assert parse_date(text, TODAY, lang) == want, (lang, text)


def test_english_slash_is_asked_back_with_both_readings():
    with pytest.raises(ParseError) as err:
        parse_date("2/3", TODAY, "en")
    assert parse_error_text(err.value, "en") == (
        "'2/3' could be 2 March 2027 or 3 February 2027. Write the date as 2027-03-02 or "
        "3 March 2027."
    )


@pytest.mark.parametrize(
    ("text", "want"),
    [("kl. 13", (13, 0)), ("13", (13, 0)), ("1300", (13, 0)), ("13.30", (13, 30)),
     ("kl 9.15", (9, 15)), ("kl.9.15", (9, 15)), ("09:15", (9, 15)), ("915", (9, 15)),
     ("klokken 13", (13, 0)), ("1 pm", (13, 0)), ("12 am", (0, 0))],
)  # fmt: skip
def test_times_as_typed(text, want):
    assert parse_time(text) == dt.time(*want)


@pytest.mark.parametrize(
    ("words", "want"),
    [
        ("3. marts 2027 kl. 13", (D(2027, 3, 3), dt.time(13))),
        ("2/3 kl. 13", (D(2027, 3, 2), dt.time(13))),
        ("2/3 2027 1300", (D(2027, 3, 2), dt.time(13))),
        ("i morgen kl 9.15", (D(2026, 12, 1), dt.time(9, 15))),
        ("tirsdag 13.30", (D(2026, 12, 1), dt.time(13, 30))),
        ("2027-03-02 13:00", (D(2027, 3, 2), dt.time(13))),
    ],
)
def test_date_and_time_over_several_words(words, want):
    assert parse_when(words.split(), TODAY, "da") == want


def test_a_year_or_a_time_is_asked_back():
    with pytest.raises(ParseError) as err:
        parse_when(["2/3", "2027"], TODAY, "da")
    assert err.value.code == "year_or_time"
    assert "Er 2027 et årstal eller klokken 20.27?" in parse_error_text(err.value, "da")


DAYS = st.dates(min_value=dt.date(2026, 12, 1), max_value=dt.date(2027, 11, 29))
MONTHS_DA = "januar februar marts april maj juni juli august september oktober november december"


@settings(max_examples=200, deadline=None)
@given(DAYS, st.integers(0, 23), st.integers(0, 59))
def test_every_form_of_one_moment_reads_the_same(day, hour, minute):
    """No accepted date or time is read differently when written in another accepted form."""
    month = MONTHS_DA.split()[day.month - 1]
    dates = [day.isoformat(), f"{day.day}.{day.month}.{day.year}", f"{day.day}/{day.month}",
             f"{day.day}.{day.month}", f"{day.day}/{day.month}-{day.year}",
             f"{day.day}/{day.month} {day.year}", f"{day.day}. {month} {day.year}",
             f"{day.day} {month[:3]} {day.year}", f"{day.day}. {month}"]  # fmt: skip
    times = [f"{hour}:{minute:02d}", f"{hour:02d}.{minute:02d}", f"kl. {hour}.{minute:02d}",
             f"{hour}{minute:02d}"]  # fmt: skip
    times += [f"kl. {hour}", str(hour)] if minute == 0 else []
    want = (day, dt.time(hour, minute))
    for d in dates:
        assert parse_date(d, TODAY, "da") == day, d
        for t in times:
            if f"{hour}{minute:02d}" == t and t[:2] in {"19", "20"} and str(day.year) not in d:
                continue  # "2/3 2027": a year or 20.27? asked back (above)
            assert parse_when(f"{d} {t}".split(), TODAY, "da") == want, (d, t)


@pytest.fixture
def people(sqlite_engine, make_ctx):
    make = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, make)
    return lambda lang="da": make("chair", clock=lambda: NOW, lang=lang)


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("møde tilføj 2/3 kl. 13", "tirsdag 2. marts 2027 kl. 13.00"),
        ("møde tilføj 3. marts 2027 13.30", "onsdag 3. marts 2027 kl. 13.30"),
        ("møde tilføj tirsdag 1300", "tirsdag 1. december 2026 kl. 13.00"),
        ("møde tilføj i morgen kl 9.15", "tirsdag 1. december 2026 kl. 09.15"),
    ],
)
def test_meeting_add_says_the_full_date_back(people, line, said):
    reply = run(people(), line + " bekræft")
    assert reply.ok and f"Gemt: møde 1, Arbejdsgruppemøde, {said}." in reply.plain(), reply.plain()


def test_meeting_in_english_asks_back_and_move_reads_the_same_forms(people):
    asked = run(people("en"), "meeting add 2/3 13:00")
    assert not asked.ok and "could be 2 March 2027 or 3 February 2027" in asked.plain()
    saved = run(people("en"), "meeting add 2027-03-02 1 pm confirm")
    assert "Tuesday 2 March 2027 at 13:00" in saved.plain(), saved.plain()
    moved = run(people(), "møde flyt 1 3. marts 2027 kl. 14 bekræft")
    assert "til onsdag 3. marts 2027 kl. 14.00" in moved.plain(), moved.plain()
