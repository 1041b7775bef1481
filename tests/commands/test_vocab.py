"""The one vocabulary: fixed words in both languages, numbers as a Dane writes them, one "did
you mean", and usage refusals rendered from the subcommand's own usage text."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run, setup_people, table_snapshot

from commands import vocab
from commands.engine import fmt
from commands.engine.messages import hint

KINDS = [
    vocab.Status,
    vocab.Fulfilment,
    vocab.Role,
    vocab.MeetingKind,
    vocab.Verdict,
    vocab.Rsvp,
    vocab.Section,
    vocab.Unit,
    vocab.Column,
    vocab.Prevention,
    vocab.YesNo,
]
WORDS = [w for kind in KINDS for w in kind]


@pytest.mark.parametrize("word", WORDS, ids=lambda w: f"{type(w).__name__}.{w.name}")
def test_every_word_has_both_languages_and_parses_back(word: vocab.Word) -> None:
    assert word.label("da").strip() and word.label("en").strip()
    kind = type(word)
    for spelled in (word.value, word.label("da"), word.label("en"), word.label("da").upper()):
        assert kind.parse(spelled) is word, spelled


def test_words_are_the_stored_keys() -> None:
    # No migration: the enums equal what the database, exports and scripts already hold.
    assert [s.value for s in vocab.Status] == ["on-track", "at-risk", "delayed", "done"]
    assert [f.value for f in vocab.Fulfilment] == ["met", "partly", "not-met"]
    assert vocab.MeetingKind.WG == "wg" and vocab.Rsvp.YES == "yes"
    assert {vocab.Verdict.NOT_MET: 1}["not-met"] == 1  # hashes and compares as its key


def test_parsing_is_forgiving_but_not_guessing() -> None:
    assert vocab.Fulfilment.parse("ikke opfyldt") is vocab.Fulfilment.NOT_MET
    assert vocab.Status.parse("  Planmæssig ") is vocab.Status.ON_TRACK
    assert vocab.Role.parse("projektleder") is vocab.Role.CHAIR
    assert vocab.Status.parse("fine") is None
    assert vocab.Status.label_of("paused", "da") == "paused"  # an unknown stored key as is


def test_choices_for_usage() -> None:
    assert vocab.Status.choices("da") == "planmæssig|udfordret|forsinket|afsluttet"
    assert vocab.Rsvp.choices("en", ", ") == "yes, no, maybe"


def test_numbers_as_a_dane_writes_them() -> None:
    assert fmt.number(1234.5, "da") == "1.234,5"
    assert fmt.number(1234.5, "en") == "1,234.5"
    assert fmt.money(250000, "da") == "250.000 kr."
    assert fmt.money(250000, "en") == "DKK 250,000"
    assert fmt.percent(13.5, "da") == "13,5 %"
    assert fmt.percent(13, "da") == "13 %"
    assert fmt.percent(13.5, "en") == "13.5%"
    assert fmt.figure(18.25, "reports", "da") == "18,2"
    assert fmt.number(-0.04, "da", 1) == "0,0"  # never "-0,0"
    assert fmt.number(12, "en", sign=True) == "+12"
    assert fmt.year(2015) == "2015"  # never "2.015"
    assert fmt.number(None, "da") == "–"


def test_dates_in_the_forms_commands_accept() -> None:
    day = dt.datetime(2027, 3, 2, 13, 0)
    assert fmt.date(day, "da") == "2.3.2027"
    assert fmt.date(day, "en") == "2027-03-02"
    assert fmt.date(day, "da", long=True) == "2. marts 2027"
    assert fmt.when(day, "da") == "2.3.2027 kl. 13.00"
    assert fmt.when(day, "en") == "2027-03-02 13:00"


def test_one_did_you_mean() -> None:
    assert hint("da", "safty", ["safety", "crime"]) == " Mente du 'safety'?"
    assert hint("en", "safty", ["safety", "crime"]) == " Did you mean 'safety'?"
    assert hint("en", "xyz", ["safety", "crime"]) == ""
    assert hint("en", "sourc", ["source"], "=") == " Did you mean 'source='?"


def test_usage_refusal_is_rendered_from_the_subcommand(engine, make_ctx) -> None:
    make = make_ctx(engine)
    setup_people(engine, make)
    before = table_snapshot(engine)
    danish = run(make("root", admin=True, lang="da"), "rapport").plain()
    assert "Skriv: `/wg rapport ÅR [format=pdf|docx]" in danish
    english = run(make("root", admin=True), "indicator set crime.indbrud 2019").plain()
    assert "Use: `/wg indicator set KEY YEAR VALUE [source=TEXT] [n=RESPONDENTS]" in english
    reason = run(make("root", admin=True), "activity add PF9 Homework café").plain()
    assert reason.startswith("The name goes in quotes. Use: `/wg activity add CODE")
    assert table_snapshot(engine) == before


def test_unknown_status_word_gets_a_hint_and_the_choices(engine, make_ctx) -> None:
    make = make_ctx(engine)
    setup_people(engine, make)
    reply = run(make("anna"), "update PF1 on-trak note")
    assert not reply.ok
    assert "Did you mean 'on-track'?" in reply.plain()
    assert "on-track, at-risk, delayed, done" in reply.plain()
