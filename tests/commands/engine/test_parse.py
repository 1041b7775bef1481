"""The tokenizer and value parsers, by example (properties are in test_properties.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from commands.engine.parse import (
    ParseError,
    parse_amount,
    parse_date,
    parse_number,
    parse_time,
    tokenize,
)


def test_quotes_options_and_curly_quotes():
    args = tokenize(
        'activity add PF1 "Natteravne i Tingbjerg" area=tryggere-byliv '
        'criteria="20 ravne hver weekend" Budget=250.000'
    )
    assert args.words == ["activity", "add", "PF1", "Natteravne i Tingbjerg"]
    assert args.options == {
        "area": "tryggere-byliv",
        "criteria": "20 ravne hver weekend",
        "budget": "250.000",
    }
    # Slack and phones turn straight quotes into typographic ones.
    assert tokenize("update PF1 done “sidste vagt” „holdt“").words[3:] == ["sidste vagt", "holdt"]
    # a quoted word and a formula in a note are text, not options
    assert tokenize('note "a=b" 2+2=4').words == ["note", "a=b", "2+2=4"]
    assert tokenize("område=tryggere-byliv").options == {"område": "tryggere-byliv"}


@pytest.mark.parametrize(
    "text,code",
    [
        ('update PF1 "open', "unbalanced_quote"),
        ("x a=1 a=2", "duplicate_option"),
        ("x" * 4001, "too_long"),
    ],
)
def test_bad_text(text, code):
    with pytest.raises(ParseError) as err:
        tokenize(text)
    assert err.value.code == code


def test_control_characters_become_spaces():
    assert tokenize("help\x00\x1b[31mwhoami").words == ["help", "[31mwhoami"]


def test_dates_and_times():
    assert parse_date("2027-03-02") == parse_date("2.3.2027") == dt.date(2027, 3, 2)
    assert parse_date("02.03.2027") == dt.date(2027, 3, 2)
    assert parse_time("13:00") == parse_time("13.00") == dt.time(13, 0)
    for bad, code in [
        ("31.2.2027", "no_such_date"),
        ("2027-13-01", "no_such_date"),
        ("tomorrow", "bad_date"),  # a relative date needs today (tests/commands/test_dates.py)
        ("3/2/2027", "ambiguous_date"),  # in English: 3 February or March 2?
    ]:
        with pytest.raises(ParseError) as err:
            parse_date(bad, lang="en")
        assert err.value.code == code
    for bad in ("25:00", "13:60", "2400", "24", "kl. 25", "13 pm", "1.5"):
        with pytest.raises(ParseError):
            parse_time(bad)


def test_numbers_danish_and_english():
    assert parse_number("12,5") == parse_number("12.5") == 12.5
    assert parse_number("1.234,5") == parse_number("1,234.5") == 1234.5
    assert parse_number("18,5%") == 18.5
    assert parse_amount("250.000") == parse_amount("250 000") == parse_amount("250000 kr") == 250000
    for bad in ("12,5,1", "abc", "1.2.3", ""):
        with pytest.raises(ParseError):
            parse_number(bad)
    for bad in ("12,5", "-5", "1e9"):
        with pytest.raises(ParseError):
            parse_amount(bad)


def test_a_number_option_goes_on_over_its_unit_and_an_amount_over_its_groups():
    assert tokenize("activity add PF9 budget=175 000 kr. org=sof").options == {
        "budget": "175 000 kr.",
        "org": "sof",
    }
    progress = tokenize("opdater PF1 planmæssig fremdrift=12 100 unge deltog")
    assert progress.options == {"fremdrift": "12"}  # "100 unge deltog" is the note
    assert progress.words[-3:] == ["100", "unge", "deltog"]
    assert tokenize("x fremdrift=40 % af målet").options == {"fremdrift": "40 %"}
