"""Wording fixed by issue 14, read against the partnership's own Danish (shared/seeds): roles
as nouns ("styregruppemedlem", "a member"), "en af rollerne …", and a "did you mean" in the
reply's own language."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run, setup_people

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # years up to 2027 are accepted


@pytest.fixture
def make(sqlite_engine, make_ctx):
    factory = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, factory)
    return factory


@pytest.mark.parametrize(
    ("lang", "line", "said"),
    [
        ("da", "medlem tilføj @bo2 org=politi rolle=styregruppe",
         "Gemt: bo2 er styregruppemedlem for Københavns Politi."),
        ("da", "medlem tilføj @anna2 org=fsb rolle=medlem", "Gemt: anna2 er medlem for fsb"),
        ("en", "member add @anna2 org=fsb role=member", "Saved: anna2 is a member for fsb"),
        ("en", "member add @bo2 org=politi role=steering",
         "Saved: bo2 is a steering-group member for Københavns Politi."),
    ],
)  # fmt: skip
def test_roles_read_as_nouns(make, lang, line, said):
    reply = run(make("root", admin=True, lang=lang), line)
    assert reply.ok and reply.plain().startswith(said), reply.plain()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("da", "`opdater` kræver en af rollerne formand, medlem eller sekretariat; du har: "
               "styregruppe. Intet er ændret."),
        ("en", "`update` needs one of the roles chair, member or secretariat; you have: "
               "steering. Nothing was changed."),
    ],
)  # fmt: skip
def test_several_roles_are_one_of_the_roles(make, lang, said):
    reply = run(make("styr", lang=lang), "update PF1 on-track Godt i gang")
    assert not reply.ok and reply.plain() == said, reply.plain()


def test_did_you_mean_in_the_reply_language(make):
    danish = run(make("anna", lang="da"), "status crme").plain()
    assert "Mente du 'kriminalitet'?" in danish and "'crime'" not in danish, danish
    english = run(make("anna", lang="en"), "status kriminalitt").plain()
    assert "Did you mean 'crime'?" in english and "kriminalitet'" not in english, english


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("da", "Året 2035 ligger uden for 2000-2027. Intet er gemt."),
        ("en", "The year 2035 is outside 2000-2027. Nothing was saved."),
    ],
)
def test_a_refusal_starts_with_a_capital(make, lang, said):
    ctx = make("root", admin=True, lang=lang, clock=lambda: NOW)
    reply = run(ctx, "indicator set crime.indbrud 2035 120")
    assert reply.plain() == said, reply.plain()


@pytest.mark.parametrize(
    ("lang", "line", "said", "not_said"),
    [
        ("da", "activity show PF1", "På dansk: `/wg aktivitet vis`.", "In English"),
        ("en", "aktivitet vis PF1", "In English: `/wg activity show`.", "På dansk"),
        ("da", "aktivitet vis PF1", None, "På dansk"),  # in one's own language: nothing added
        ("en", "budget 2019", None, "In English"),  # "budget" is the same word in both
        ("da", "help update", None, "På dansk"),  # help is asked for in either language
    ],
)
def test_a_command_in_the_other_language_works_and_is_named_in_ones_own(
    make, lang, line, said, not_said
):
    reply = run(make("anna", lang=lang), line)
    assert reply.ok, reply.plain()
    if said:
        assert said in reply.plain()
    assert not_said not in reply.plain()
