"""`status 2019` is that year; `hjælp opdater`, `opdater hjælp` and `update help` give the same
help; `møde tilføj hjælp` the help of that one subcommand (issue 14)."""

from __future__ import annotations

import pytest
from helpers import run, setup_people


@pytest.fixture
def make(sqlite_engine, make_ctx):
    factory = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, factory)
    return factory


def test_help_before_or_after_the_command(make):
    da = make("anna", lang="da")
    shown = run(da, "hjælp opdater").plain()
    assert "/wg opdater KODE" in shown and "skriv en opdatering" in shown, shown
    for line in ("opdater hjælp", "update help", "opdater ?"):
        assert run(da, line).plain() == shown, line
    assert (
        run(make("anna", lang="en"), "update help").plain()
        == run(make("anna", lang="en"), "help update").plain()
    )


def test_help_for_one_subcommand(make):
    text = run(make("anna", lang="da"), "møde tilføj hjælp").plain()
    assert "/wg møde tilføj DATO KL" in text and "/wg møde flyt" not in text, text
    assert run(make("anna", lang="da"), "hjælp møde tilføj").plain() == text


def test_status_of_a_year(make):
    run(make("root", admin=True), "indicator set crime.indbrud 2019 130")
    run(make("root", admin=True), "indicator set crime.indbrud 2020 120")
    reply = run(make("anna", lang="da"), "status kriminalitet 2019")
    assert reply.ok, reply.plain()
    text = reply.plain()
    assert "Status for" in text and ", 2019" in text and "2019" in text and "120" not in text
    assert run(make("anna", lang="da"), "status 2019 kriminalitet").plain() == text
    both = run(make("anna", lang="en"), "status 2019 to=2020")
    assert not both.ok and "either a year or to=YEAR" in both.plain()
