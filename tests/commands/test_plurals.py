"""A count next to a noun takes the noun's form by CLDR's plural rule (Babel), in Danish and
English, for 0, 1 and 2: "1 påmindelse", "2 påmindelser", "0 reminders"."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run, setup_people

from commands.engine import fmt
from commands.families import agenda, report
from commands.families.meeting import shared
from commands.views import meeting_record
from commands.vocab import Presence

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)  # Monday 11:00 in Copenhagen

# every (da, en) noun pair the replies count with, and what 0, 1, 2 read as
NOUNS = [
    (shared.REMINDERS, ("0 påmindelser", "1 påmindelse", "2 påmindelser"),
     ("0 reminders", "1 reminder", "2 reminders")),
    (shared.WG, ("0 arbejdsgruppemøder", "1 arbejdsgruppemøde", "2 arbejdsgruppemøder"),
     ("0 working-group meetings", "1 working-group meeting", "2 working-group meetings")),
    (shared.SG, ("0 styregruppemøder", "1 styregruppemøde", "2 styregruppemøder"),
     ("0 steering-group meetings", "1 steering-group meeting", "2 steering-group meetings")),
    ((meeting_record.MEETINGS_DA, meeting_record.MEETINGS_EN),
     ("0 møder", "1 møde", "2 møder"), ("0 meetings", "1 meeting", "2 meetings")),
    (agenda.ITEMS, ("0 punkter", "1 punkt", "2 punkter"),
     ("0 agenda items", "1 agenda item", "2 agenda items")),
    (report.PRESENCE_COUNTED[Presence.APOLOGIES], ("0 afbud", "1 afbud", "2 afbud"),
     ("0 apologies", "1 apology", "2 apologies")),
]  # fmt: skip


@pytest.mark.parametrize(("nouns", "da", "en"), NOUNS)
def test_each_noun_for_0_1_2(nouns, da, en):
    for n in (0, 1, 2):
        assert fmt.count("da", n, *nouns) == da[n]
        assert fmt.count("en", n, *nouns) == en[n]


def test_plural_follows_cldr_and_thousands():
    assert fmt.plural(1, "dag", "dage", "da") == "dag"
    assert fmt.plural(21, "day", "days", "en") == "days"  # not Slavic-style "one" for 21
    assert fmt.count("da", 1234, ("møde", "møder"), ("meeting", "meetings")) == "1.234 møder"
    assert fmt.count("en", 1234, ("møde", "møder"), ("meeting", "meetings")) == "1,234 meetings"


@pytest.fixture
def people(sqlite_engine, make_ctx):
    make = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, make)
    return lambda lang: make("chair", clock=lambda: NOW, lang=lang)


# a meeting this far ahead has this many of the leads (14 days, 2 days, 1 hour) still ahead
AHEAD = {0: "2026-11-30 11:30", 1: "2026-11-30 12:30", 2: "2026-12-04 13:00"}
SAID = {
    "da": {0: "0 påmindelser planlagt", 1: "1 påmindelse planlagt", 2: "2 påmindelser planlagt"},
    "en": {0: "0 reminders scheduled", 1: "1 reminder scheduled", 2: "2 reminders scheduled"},
}
MOVED = {
    "da": {0: "0 påmindelser flyttet med", 1: "1 påmindelse flyttet med"},
    "en": {0: "0 reminders moved with it", 1: "1 reminder moved with it"},
}
CANCELLED = {"da": "(2 påmindelser annulleret)", "en": "(2 reminders cancelled)"}
FLAG = {"da": "kun 1 arbejdsgruppemøde (reglen", "en": "only 1 working-group meeting (the rule"}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_meeting_replies_count_reminders(people, lang):
    ctx = people(lang)
    for n, at in AHEAD.items():
        reply = run(ctx, f"meeting add {at} confirm")
        assert reply.ok, reply.plain()
        assert SAID[lang][n] in reply.plain(), reply.plain()
    for n, meeting_id in ((1, 1), (0, 2)):  # meeting 1 to 12:30, meeting 2 to 11:30
        reply = run(ctx, f"meeting move {meeting_id} {AHEAD[n]} confirm")
        assert MOVED[lang][n] in reply.plain(), reply.plain()
    reply = run(ctx, "meeting cancel 3 confirm")
    assert CANCELLED[lang] in reply.plain(), reply.plain()


@pytest.mark.parametrize("lang", ["da", "en"])
def test_year_flag_counts_one_meeting(people, lang):
    reply = run(people(lang), "meeting add 2027-03-02 13:00")
    assert FLAG[lang] in reply.plain(), reply.plain()
