"""The command behaviours a user notices, run for all three adapters (issue 10): the local
shell, Slack and Teams, each through its real adapter (tests/adapters.py). The same words and
figures must reach the person on every platform; where a platform differs by design (forms,
personal answers, the shell's single partnership) each test says what that platform does.

The cast (adapters.set_up): the admin bound the channel and registered chair Mette (okf),
Anna (sof, Danish) and Erik (bif, English); activities PF1 (sof) and UB2 (bif). Lise is not
registered.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from adapters import CAST, PLATFORMS, Chat, Seen, SlackChat, open_chat, set_up, slack_id
from sqlalchemy import text

# What a refused or malformed command must leave as it was (the platforms' own bookkeeping
# — signatures, locales, conversation references — is not the partnership's data).
DATA_TABLES = (
    "members",
    "member_identities",
    "member_roles",
    "activities",
    "activity_updates",
    "meetings",
    "reminders",
    "audit_events",
)


@pytest.fixture(params=PLATFORMS)
def chat(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Chat]:
    opened = open_chat(request.param, tmp_path)
    try:
        set_up(opened)
        yield opened
    finally:
        opened.close()


def data(chat: Chat) -> dict[str, list[tuple[object, ...]]]:
    with chat.runtime.engine.connect() as conn:
        return {
            t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t}"))] for t in DATA_TABLES
        }


def personal(chat: Chat, seen: Seen) -> None:
    """Shown to the asker alone: ephemeral in Slack, in the personal chat in Teams (asked for
    in a channel); the shell has no one else to show it to."""
    if chat.platform == "shell":
        assert seen.public is None
    else:
        assert seen.public == "", seen.public
    if chat.platform == "teams":
        assert seen.where == ("personal",), seen.where


def announced(chat: Chat, seen: Seen, words: str) -> None:
    """Shown to the whole channel (a saved change): everyone there reads it."""
    assert words in seen, seen.text
    if chat.platform != "shell":
        assert seen.public is not None and words.lower() in seen.public.lower(), seen.public


# --- help ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,line,words",
    [
        (
            "anna",
            "hjælp",
            ["Partnerbot — kommandoer", "hjælp", "hvemerjeg", "(whoami)", "opdater", "(update)",
             "møde liste [ÅR]", "medlem tilføj", "tilknyt SLUG"],
        ),
        (
            "erik",
            "help",
            ["Partnerbot — commands", "help", "whoami", "(hvemerjeg)", "update", "(opdater)",
             "meeting list [YEAR]", "member add", "bind SLUG"],
        ),
    ],
)  # fmt: skip
def test_help_lists_every_command_in_the_persons_language(
    chat: Chat, who: str, line: str, words: list[str]
) -> None:
    seen = chat.say(who, line)
    for word in words:
        assert word in seen, (word, seen.text)
    assert chat.written(line) in seen  # written as the platform writes commands
    personal(chat, seen)


@pytest.mark.parametrize(
    "who,line,words",
    [
        ("anna", "hjælp opdater",
         ["skriv en opdatering om en aktivitet",
          "opdater KODE planmæssig|udfordret|forsinket|afsluttet [fremdrift=TEKST] NOTE…",
          "fx", "medlemmer (egen organisation), formand, sekretariat"]),
        ("erik", "help update",
         ["post an update on an activity",
          "update CODE on-track|at-risk|delayed|done [progress=TEXT] NOTE…",
          "e.g.", "members (own organisation), chair, secretariat"]),
    ],
)  # fmt: skip
def test_help_for_one_command_shows_usage_example_and_who(
    chat: Chat, who: str, line: str, words: list[str]
) -> None:
    seen = chat.say(who, line)
    for word in words:
        assert word in seen, (word, seen.text)
    assert chat.written(words[1]) in seen
    personal(chat, seen)


# --- who and where ------------------------------------------------------------------------


def test_whoami_names_partnership_organisation_roles_and_language(chat: Chat) -> None:
    anna = chat.say("anna", "hvemerjeg")
    for words in (
        "Du er anna.",
        "Partnerskab: Tingbjerg-Husum Partnerskab",
        "Organisation: Socialforvaltningen",
        "Roller: medlem",
        "Sprog: da",
    ):
        assert words in anna, anna.text
    personal(chat, anna)
    erik = chat.say("erik", "whoami")
    for words in (
        "You are erik.",
        "Partnership: Tingbjerg-Husum Partnerskab",
        "Organisation: Beskæftigelses- og Integrationsforvaltningen",
        "Roles: member",
        "Language: en",
    ):
        assert words in erik, erik.text


def test_someone_not_registered_is_told_who_can_register_them(chat: Chat) -> None:
    seen = chat.say("lise", "hvemerjeg")
    assert "Du er ikke registreret i Tingbjerg-Husum Partnerskab" in seen
    assert "(mette)" in seen  # the chair, by name
    assert chat.written("medlem tilføj DIT-NAVN org=ORG rolle=medlem") in seen
    personal(chat, seen)
    before = data(chat)
    refused = chat.say("lise", "opdater PF1 planmæssig x")
    assert "ikke registreret" in refused and data(chat) == before


@pytest.mark.parametrize("line", ["hvemerjeg", "aktivitet liste"])
def test_an_unbound_channel_says_how_to_bind_it(chat: Chat, line: str) -> None:
    seen = chat.say("anna", line, where="other")
    if chat.platform == "shell":
        # The shell has no channels: with one partnership configured it serves that one
        # (DESIGN 3; with several, `--partnership` is required at start).
        assert "Tingbjerg-Husum" in seen or "PF1" in seen, seen.text
        return
    assert "Denne kanal er ikke knyttet til et partnerskab" in seen, seen.text
    assert chat.written("tilknyt SLUG") in seen and "tingbjerg-husum" in seen
    assert "Socialforvaltningen" not in seen and "PF1" not in seen  # no partnership's data
    personal(chat, seen)


def test_an_unbound_channel_changes_nothing(chat: Chat) -> None:
    before = data(chat)
    seen = chat.say("anna", "opdater PF1 planmæssig fra den forkerte kanal", where="other")
    if chat.platform == "shell":  # no channels: the one partnership's activity is updated
        assert "Gemt: PF1 er planmæssig." in seen and data(chat) != before
    else:
        assert "ikke knyttet" in seen and data(chat) == before


def test_a_personal_chat_with_the_bot_serves_the_persons_partnership(chat: Chat) -> None:
    seen = chat.say("anna", "hvemerjeg", where="personal")
    assert "Socialforvaltningen" in seen, seen.text
    assert seen.public in ("", None)


# --- updates ------------------------------------------------------------------------------


def test_an_update_is_saved_told_to_the_channel_and_shown_on_the_activity(chat: Chat) -> None:
    saved = chat.say("anna", "opdater PF1 planmæssig første gåtur holdt")
    announced(chat, saved, "Gemt: PF1 er planmæssig.")
    assert "første gåtur holdt" in saved
    shown = chat.say("erik", "activity show PF1")
    for words in (
        "PF1 — Natteravne",
        "Focus area: Safer urban life",
        "Organisation: Socialforvaltningen",
        "on-track",
        "første gåtur holdt",
    ):
        assert words in shown, (words, shown.text)
    assert "anna" in shown  # who wrote it, by name — not a platform id
    assert "U0ANNA" not in shown.text and "aaaaaaaa-" not in shown.text
    # the activity offers to post an update: a button in Slack and Teams, `[label]` in the shell
    assert "Post an update" in shown


@pytest.mark.parametrize(
    "line,words",
    [
        ("opdater PF1 planmæsig første gåtur",
         ["Ukendt status 'planmæsig'.", "Mente du 'planmæssig'?",
          "Vælg planmæssig, udfordret, forsinket, afsluttet."]),
        ("opdater pf11 planmæssig første gåtur",
         ["Ukendt aktivitet 'pf11'.", "Mente du 'PF1'?", "aktivitet liste"]),
        ("opdater UB2 planmæssig ikke min",  # another organisation's activity
         ["Du kan kun opdatere din egen organisations aktiviteter",
          "UB2 hører til Beskæftigelses- og Integrationsforvaltningen", "Intet er gemt."]),
    ],
)  # fmt: skip
def test_bad_input_is_answered_clearly_and_changes_nothing(
    chat: Chat, line: str, words: list[str]
) -> None:
    before = data(chat)
    seen = chat.say("anna", line)
    for word in words:
        assert word in seen, (word, seen.text)
    assert "Gemt:" not in seen.text
    personal(chat, seen)
    assert data(chat) == before


def test_update_without_arguments_opens_the_platforms_form(chat: Chat) -> None:
    seen = chat.say("anna", "opdater")
    if chat.platform == "shell":  # no forms: the usage line
        assert "Skriv: /wg opdater KODE planmæssig|udfordret|forsinket|afsluttet" in seen
    elif chat.platform == "slack":  # a modal opens (views.open), nothing is posted
        assert seen.form == "Skriv en opdatering"
    else:  # Teams opens dialogs from cards only: a card with the button that opens it
        assert "Udfyld formularen." in seen.form and "Åbn formular" in seen.form


# --- rights -------------------------------------------------------------------------------


def test_a_chair_only_command_is_refused_for_a_member_and_allowed_for_the_chair(
    chat: Chat,
) -> None:
    before = data(chat)
    refused = chat.say("anna", "møde tilføj 2030-03-05 13:00 sted=Biblioteket")
    assert (
        "møde tilføj kræver en af rollerne formand eller sekretariat; du har: medlem. "
        "Intet er ændret." in refused
    ), refused.text
    personal(chat, refused)
    assert data(chat) == before

    allowed = chat.say("mette", "møde tilføj 2030-03-05 13:00 sted=Biblioteket")
    saved = "Gemt: møde 1, Arbejdsgruppemøde, tirsdag 5. marts 2030 kl. 13.00, Biblioteket."
    announced(chat, allowed, saved)
    assert "3 påmindelser planlagt" in allowed
    assert "2030: kun 1 arbejdsgruppemøde (reglen er 6–8)" in allowed  # the year's rule

    listed = chat.say("erik", "meeting list 2030")
    for words in (
        "Meetings in 2030",
        "1",
        "2030-03-05 13:00",
        "Working group meeting",
        "Biblioteket",
        "planned",
        "no steering-group meeting",
    ):
        assert words in listed, (words, listed.text)
    personal(chat, listed)


# --- members ------------------------------------------------------------------------------


def test_member_add_then_member_list(chat: Chat) -> None:
    added = chat.say("mette", "medlem tilføj {lise} org=suf rolle=medlem sprog=en")
    announced(chat, added, "Gemt: lise er medlem for Sundheds- og Omsorgsforvaltningen.")
    listed = chat.say("erik", "member list")
    assert "Members of Tingbjerg-Husum Partnerskab (4):" in listed, listed.text
    for name, org, role in (
        ("mette", "Økonomiforvaltningen", "chair"),
        ("anna", "Socialforvaltningen", "member"),
        ("erik", "Beskæftigelses- og Integrationsforvaltningen", "member"),
        ("lise", "Sundheds- og Omsorgsforvaltningen", "member"),
    ):
        assert name in listed and org in listed and role in listed, (name, listed.text)
    assert f"{chat.platform}:" in listed  # each person's account on this platform
    assert "No Slack account" not in listed and "No Teams account" not in listed
    personal(chat, listed)
    # Lise is now who she is, in the language she was registered with — except in the shell,
    # where `--lang` (here da) beats the member's own choice (README, Language).
    me = chat.say("lise", "hvemerjeg")
    assert ("Du er lise." if chat.platform == "shell" else "You are lise.") in me, me.text


def test_member_add_by_a_member_is_refused(chat: Chat) -> None:
    before = data(chat)
    seen = chat.say("anna", "medlem tilføj {lise} org=suf rolle=medlem")
    assert "kræver en af rollerne formand eller sekretariat" in seen and "Intet er ændret" in seen
    personal(chat, seen)
    assert data(chat) == before


# --- status -------------------------------------------------------------------------------


def test_status_text_gives_each_target_its_figure_and_verdict(chat: Chat) -> None:
    for line in ("indikator sæt crime.indbrud 2019 150", "indikator sæt crime.indbrud 2020 130"):
        assert "Gemt" in chat.say("admin", line)
    seen = chat.say("erik", "status crime")
    for words in (
        "Status for Tingbjerg-Husum Partnerskab",
        "Crime",
        "Burglary",
        "2020",
        "130",
        "145 (2015, -15 / -10%)",
        "met",
        "Vandalism",
        "42 (2015)",
        "no data",
    ):
        assert words in seen, (words, seen.text)
    if chat.platform == "shell":
        assert "file:" in seen and ".png" in seen  # the chart is written to --out
    else:
        # answered at once, then the status (text and chart) is shown to the channel
        assert seen.text.startswith("Working on it")
        assert seen.public is not None and "Burglary" in seen.public


# --- a meeting's record (issue 11) --------------------------------------------------------


def test_a_meeting_held_its_attendance_decision_and_follow_up_on_every_platform(
    chat: Chat,
) -> None:
    held = chat.say("mette", "møde tilføj 2026-11-10 13:00 sted=Biblioteket")
    announced(chat, held, "Gemt som holdt møde: møde 1, Arbejdsgruppemøde, tirsdag 10. november")
    came = chat.say("mette", "fremmøde 1 {mette} {anna} afbud {erik}")
    announced(chat, came, "2 til stede, 1 med afbud, 0 fraværende")
    decided = chat.say("mette", "beslutning tilføj Natteravnene fortsætter")
    announced(chat, decided, "Beslutning 1 gemt for møde 1 (10.11.2026 13:00): Natteravnene")
    item = chat.say("mette", "opfølgning tilføj 1 Send opgørelsen ansvarlig=sof frist=1.6.2027")
    announced(chat, item, "Opfølgningspunkt 1 gemt: Send opgørelsen — ansvarlig: sof")
    done = chat.say("anna", "opfølgning udført 1 sendt")  # sof's own member may close it
    announced(chat, done, "Opfølgningspunkt 1 er udført")
    refused = chat.say("anna", "fremmøde 1 {anna}")
    assert "fremmøde kræver en af rollerne formand eller sekretariat" in refused, refused.text
    shown = chat.say("mette", "fremmøde 1")
    if chat.platform == "shell":  # no forms: the attendance recorded
        assert "Fremmøde for møde 1" in shown and "afbud" in shown
    elif chat.platform == "slack":  # the form, ticked from what was recorded
        assert shown.form == "Fremmøde"
    else:
        assert "Åbn formular" in shown.form


# --- export -------------------------------------------------------------------------------


def test_the_export_goes_to_the_chair_alone(chat: Chat) -> None:
    """`eksport` in the channel: the workbook holds names, so it reaches the chair only."""
    seen = chat.say("mette", "eksport")
    assert "som regneark" in seen and "kun sendt til dig" in seen, seen.text
    personal(chat, seen)
    if chat.platform == "shell":
        assert "file:" in seen and ".xlsx" in seen
    if isinstance(chat, SlackChat):  # the file is shared in her DM with the bot, nowhere else
        shared = [p for p in chat.fake.world.posted if p.via == "files"]
        assert [p.channel for p in shared] == [chat.fake.world.dms[slack_id(CAST["mette"])]]
    refused = chat.say("anna", "eksport")
    assert "kræver en af rollerne formand eller sekretariat" in refused, refused.text
