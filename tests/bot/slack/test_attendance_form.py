"""Attendance in Slack (issue 11): `/wg fremmøde ID` opens a form with everyone who answered the
RSVP ticked (yes → present, no → apologies), Slack validates the view, and submitting it records
the attendance per organisation — told to the channel."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from fake_slack import FakeSlack
from slack_app import SlackBot, as_admin, slack_runtime
from slack_requests import view_submission_payload
from sqlmodel import Session

from storage import records

MEETING_AT = dt.datetime(2027, 3, 9, 12, 0, tzinfo=dt.UTC)  # 13:00 in Copenhagen


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[SlackBot]:
    with (
        FakeSlack(locales={"U0METTE": "da-DK"}) as fake,
        time_machine.travel(MEETING_AT - dt.timedelta(days=1), tick=False) as clock,
    ):
        runtime = slack_runtime(fake, f"sqlite:///{tmp_path / 'bot.db'}")
        as_admin(
            runtime,
            "C0WG",
            "bind tingbjerg-husum",
            "member add <@U0METTE|mette> org=okf role=chair",
            "member add <@U0ANNA|anna> org=sof role=member",
            "member add <@U0BO|bo> org=politi role=member",
            "meeting add 2027-03-09 13:00",
        )
        b = SlackBot.build(fake, runtime)
        b.command("møde svar 1 ja", user="U0ANNA")
        b.command("møde svar 1 nej", user="U0BO")
        clock.move_to(MEETING_AT + dt.timedelta(hours=3))  # the meeting was held
        fake.reset()
        yield b
        b.close()


def _view(fake: FakeSlack) -> dict:
    raw = fake.wait_for("views.open")[0].arg("view")
    return json.loads(raw) if isinstance(raw, str) else raw


def test_the_form_is_filled_from_the_rsvps_and_records_attendance(bot: SlackBot) -> None:
    answer = bot.command("fremmøde 1", user="U0METTE")
    assert answer.status == 200
    view = _view(bot.fake)
    blocks = {b["block_id"]: b for b in view["blocks"] if b.get("type") == "input"}
    assert blocks["present"]["element"]["initial_users"] == ["U0ANNA"]
    assert blocks["apologies"]["element"]["initial_users"] == ["U0BO"]
    assert blocks["meeting"]["element"]["initial_option"]["value"] == "1"
    bot.fake.reset()
    submitted = bot.interact(
        view_submission_payload(
            view["callback_id"],
            {
                "meeting": {"value": {"type": "static_select", "selected_option": {"value": "1"}}},
                "present": {
                    "value": {"type": "multi_users_select", "selected_users": ["U0ANNA", "U0METTE"]}
                },
                "apologies": {"value": {"type": "multi_users_select", "selected_users": ["U0BO"]}},
            },
            private_metadata=view.get("private_metadata", ""),
            user_id="U0METTE",
            user_name="mette",
        )
    )
    assert submitted.status == 200 and submitted.body.get("response_action") != "errors"
    posted = bot.fake.wait_for("chat.postMessage")
    text = " ".join(str(c.arg("text")) for c in posted)
    assert "2 til stede, 1 med afbud, 0 fraværende" in text
    with Session(bot.adapter.runtime.engine) as session:
        rows = {m.display_name: a.state for a, m in records.attendance(session, 1)}
    assert rows == {"anna": "present", "mette": "present", "bo": "apologies"}


def test_a_member_gets_the_refusal_not_a_form(bot: SlackBot) -> None:
    bot.knows_locale("U0ANNA")  # her Slack is in English (the fake's default)
    answer = bot.command("fremmøde 1", user="U0ANNA")
    assert "needs one of the roles chair or secretariat" in answer.text
    assert not bot.fake.calls("views.open")


def _select(value: str) -> dict:
    return {"value": {"type": "static_select", "selected_option": {"value": value}}}


def test_decision_and_follow_up_forms_save_what_the_chair_wrote(bot: SlackBot) -> None:
    bot.command("beslutning tilføj", user="U0METTE")
    view = _view(bot.fake)
    meeting = next(b for b in view["blocks"] if b.get("block_id") == "meeting")
    assert meeting["element"]["initial_option"]["value"] == "1"  # the last meeting held
    bot.fake.reset()
    done = bot.interact(
        view_submission_payload(
            view["callback_id"],
            {"meeting": _select("1"), "text": {"value": "Natteravnene fortsætter"},
             "internal": _select("no")},
            private_metadata=view.get("private_metadata", ""),
            user_id="U0METTE", user_name="mette",
        )
    )  # fmt: skip
    assert done.status == 200 and done.body.get("response_action") != "errors"
    posted = " ".join(str(c.arg("text")) for c in bot.fake.wait_for("chat.postMessage"))
    assert "Beslutning 1 gemt for møde 1" in posted and "Natteravnene fortsætter" in posted
    bot.fake.reset()
    bot.command("opfølgning tilføj", user="U0METTE")
    view = _view(bot.fake)
    bad = bot.interact(
        view_submission_payload(
            view["callback_id"],
            {"meeting": _select("1"), "text": {"value": "Send opgørelsen"}, "org": _select("sof"),
             "person": {"value": {"type": "users_select", "selected_user": None}},
             "due": {"value": "31.2.2027"}, "internal": _select("no")},
            private_metadata=view.get("private_metadata", ""),
            user_id="U0METTE", user_name="mette",
        )
    )  # fmt: skip
    assert bad.body.get("response_action") == "errors"  # no such date: shown in the form
    good = bot.interact(
        view_submission_payload(
            view["callback_id"],
            {"meeting": _select("1"), "text": {"value": "Send opgørelsen"}, "org": _select("sof"),
             "person": {"value": {"type": "users_select", "selected_user": None}},
             "due": {"value": "1.4.2027"}, "internal": _select("no")},
            private_metadata=view.get("private_metadata", ""),
            user_id="U0METTE", user_name="mette",
        )
    )  # fmt: skip
    assert good.body.get("response_action") != "errors"
    posted = " ".join(str(c.arg("text")) for c in bot.fake.wait_for("chat.postMessage"))
    saved = "Opfølgningspunkt 1 gemt: Send opgørelsen — ansvarlig: sof, frist torsdag 1. april 2027"
    assert saved in posted
