"""Files in a personal chat: a file-consent card (name, size, Allow/Decline); Allow puts the
file into the person's OneDrive through the upload session Teams hands over, then shows it as
a file card; Decline sends nothing. Over real HTTP with the fake's upload sessions."""

from __future__ import annotations

from typing import Any

import icalendar
from conftest import Bot
from fake_teams import Fault, Recorded
from teams_activities import ADMIN, ANNA, file_consent, personal_conversation, user
from test_commands import BO, setup

CONSENT = "application/vnd.microsoft.teams.card.file.consent"
ERIK = user(4, "Erik Sekretær", locale="en-GB")


def ask_calendar(bot: Bot, who: Any = ANNA) -> tuple[Recorded, dict[str, Any]]:
    """`møde ics` in the person's chat with the bot: the posted consent card and its file."""
    before = len(bot.fake.posted())
    bot.dm(who, "møde ics")
    posted = bot.fake.wait_until(
        lambda p: any(a["contentType"] == CONSENT for c in p[before:] for a in attachments(c)),
        timeout=20,
    )
    card = next(
        c for c in posted[before:] if any(a["contentType"] == CONSENT for a in attachments(c))
    )
    return card, next(a for a in attachments(card) if a["contentType"] == CONSENT)


def attachments(posted: Recorded) -> list[dict[str, Any]]:
    return list(posted.body.get("attachments") or [])


def answer(bot: Bot, who: Any, consent: dict[str, Any], action: str) -> list[Recorded]:
    before = len(bot.fake.posted())
    status, _ = bot.activity(
        file_consent(bot.fake, who, consent, action, conversation=personal_conversation(who))
    )
    assert status == 200
    return bot.fake.posted()[before:]


def plan_a_meeting(bot: Bot) -> None:
    setup(bot)
    bot.say(ADMIN, 'møde tilføj 2027-03-02 13:00 sted="Tingbjerg Bibliotek"')
    bot.fake.wait_posted(1)


def test_the_calendar_is_offered_and_saved_in_onedrive_when_allowed(bot: Bot) -> None:
    plan_a_meeting(bot)
    card, consent = ask_calendar(bot)
    assert card.conversation == personal_conversation(ANNA)
    assert consent["name"] == "tingbjerg-husum-meetings.ics"
    content = consent["content"]
    assert "Tillad, så gemmes filen i din OneDrive" in content["description"]
    assert content["sizeInBytes"] > 0
    assert not any("Action.OpenUrl" in str(a) for a in attachments(card))  # no link as well
    shown = answer(bot, ANNA, consent, "accept")
    (ics,) = bot.fake.uploads.values()
    assert len(ics) == content["sizeInBytes"]
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["LOCATION"]) == "Tingbjerg Bibliotek"
    (info,) = shown
    assert "Filen er gemt i din OneDrive" in info.text
    (file_card,) = attachments(info)
    assert file_card["contentType"] == "application/vnd.microsoft.teams.card.file.info"
    assert file_card["name"] == consent["name"] and file_card["contentUrl"].endswith(".ics")
    uploads = bot.fake.calls("upload")
    assert uploads and all("authorization" not in c.headers for c in uploads)


def test_declined_nothing_is_sent(bot: Bot) -> None:
    plan_a_meeting(bot)
    _, consent = ask_calendar(bot)
    (said,) = answer(bot, ANNA, consent, "decline")
    assert said.text == "Filen blev ikke sendt."
    assert bot.fake.uploads == {} and bot.fake.calls("upload") == []
    # the kept copy is gone: allowing afterwards finds nothing to send
    (gone,) = answer(bot, ANNA, consent, "accept")
    assert "Filen findes ikke længere" in gone.text and bot.fake.uploads == {}


def test_in_english(bot: Bot) -> None:
    plan_a_meeting(bot)
    bot.fake.add_member(ERIK.id, ERIK.aad, ERIK.name)
    bot.say(ADMIN, "member add @0 org=okf role=secretariat", mentions=(ERIK,))
    bot.fake.wait_posted(2)
    _, consent = ask_calendar(bot, ERIK)
    assert "Allow it and the file is saved in your OneDrive" in consent["content"]["description"]
    (info,) = answer(bot, ERIK, consent, "accept")
    assert "The file is saved in your OneDrive" in info.text


def test_a_failed_upload_is_told_and_can_be_tried_again(bot: Bot) -> None:
    plan_a_meeting(bot)
    _, consent = ask_calendar(bot)
    bot.fake.inject("upload", Fault(status=503), Fault(status=503), Fault(status=503))
    (failed,) = answer(bot, ANNA, consent, "accept")
    assert "Filen kunne ikke gemmes i din OneDrive" in failed.text
    (info,) = answer(bot, ANNA, consent, "accept")  # Teams gives a new session each time
    assert "Filen er gemt" in info.text and len(bot.fake.uploads) == 1


def test_someone_elses_card_does_nothing(bot: Bot) -> None:
    plan_a_meeting(bot)
    _, consent = ask_calendar(bot)
    assert answer(bot, BO, consent, "accept") == []
    assert bot.fake.uploads == {}
