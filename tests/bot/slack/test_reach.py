"""Never fail silently (issue 9): wherever a command was typed, the person gets the answer or
a clear reason — also in a channel the bot was not invited to, in a DM between two people,
and when a modal cannot be opened. Against the fake, which refuses what Slack refuses."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import FakeSlack, Fault
from slack_app import SlackBot, as_admin, slack_runtime
from slack_requests import block_action_payload, view_submission_payload

from bot.runtime import Runtime

PAIR = "D0PAIR"  # a DM between Anna and Erik: the bot cannot see it


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(locales={"U0ERIK": "en-GB", "U0ANNA": "da-DK"}) as server:
        server.world.channels[PAIR] = {"U0ANNA", "U0ERIK"}
        yield server


@pytest.fixture
def runtime(tmp_path: Path, fake: FakeSlack) -> Runtime:
    rt = slack_runtime(fake, f"sqlite:///{tmp_path / 'bot.db'}")
    as_admin(
        rt,
        "C0WG",
        "bind tingbjerg-husum",
        "member add <@U0ANNA|anna> org=sof role=member",
        "member add <@U0ERIK|erik> org=bif role=member",
        'activity add PF1 "Natteravne" area=tryggere-byliv org=sof',
        'activity add UB2 "Jobcafé" area=uddannelse-beskaeftigelse org=bif',
        "indicator set crime.indbrud 2024 140",
        "indicator set crime.indbrud 2025 130",
    )
    # Bound to the partnership, but the bot was never invited (or was removed since).
    for channel in ("C0NONE", PAIR):
        as_admin(rt, channel, "bind tingbjerg-husum")
    return rt


@pytest.fixture
def bot(fake: FakeSlack, runtime: Runtime) -> Iterator[SlackBot]:
    b = SlackBot.build(fake, runtime)
    b.knows_locale("U0ERIK")
    fake.reset()
    yield b
    b.close()


def _answers(fake: FakeSlack, url: str) -> list[dict]:
    path = url.split("/", 3)[3]
    return [c.json or {} for c in fake.calls("response_url") if c.path == "/" + path]


def _seen(fake: FakeSlack, user: str, channel: str) -> str:
    return json.dumps([[p.text, p.blocks] for p in fake.seen_by(user, channel)], ensure_ascii=False)


@pytest.mark.parametrize("channel", ["C0NONE", PAIR])
def test_status_where_the_bot_is_not_answers_through_response_url(
    bot: SlackBot, fake: FakeSlack, channel: str
) -> None:
    answer = bot.command("status crime", user="U0ERIK", channel=channel)
    assert answer.status == 200 and answer.body["text"] == "Working on it …"
    fake.wait_for("response_url", count=2, timeout=20)
    sent = _answers(fake, answer.response_url)
    # The result replaces the placeholder and is shown to the channel, as it would be posted.
    assert sent[0]["replace_original"] is True and sent[0]["response_type"] == "in_channel"
    assert "Burglary" in json.dumps(sent[0])
    # Charts cannot travel through response_url: the person is told how to get them.
    assert sent[-1]["response_type"] == "ephemeral"
    if channel == PAIR:
        assert "direct message" in sent[-1]["text"]
    else:
        assert "/invite @partnerbot" in sent[-1]["text"]
    assert "Burglary" in _seen(fake, "U0ANNA", channel)  # everyone in the channel sees it
    assert "/invite" not in _seen(fake, "U0ANNA", channel)  # the hint is Erik's alone


def test_the_hint_is_in_the_users_language(bot: SlackBot, fake: FakeSlack) -> None:
    answer = bot.command("status crime", user="U0ANNA", channel="C0NONE")
    assert answer.body["text"] == "Et øjeblik …"
    fake.wait_for("response_url", count=2, timeout=20)
    hint = _answers(fake, answer.response_url)[-1]["text"]
    assert "Invitér @partnerbot" in hint and "`/invite @partnerbot`" in hint


def test_a_refusal_of_slow_work_reaches_the_person_too(bot: SlackBot, fake: FakeSlack) -> None:
    answer = bot.command("status crime from=1990 to=1991", user="U0ERIK", channel="C0NONE")
    fake.wait_for("response_url", timeout=20)
    (sent,) = _answers(fake, answer.response_url)
    assert sent["response_type"] == "ephemeral" and "no figures for 1990" in sent["text"]


def test_when_response_url_fails_too_the_answer_comes_in_a_dm(
    bot: SlackBot, fake: FakeSlack
) -> None:
    fake.inject("response_url", Fault(status=500))
    bot.command("status crime", user="U0ERIK", channel="C0NONE")
    fake.wait_for("files.completeUploadExternal", count=2, timeout=20)  # refused, then the DM
    dm = fake.world.dms["U0ERIK"]
    seen = _seen(fake, "U0ERIK", dm)
    assert "could not answer where you typed" in seen and "Burglary" in seen
    completed = fake.calls("files.completeUploadExternal")
    assert [(c.arg("channel_id"), c.status) for c in completed][1:] == [(dm, 200)]


def test_a_failure_after_the_ack_is_told_through_response_url(
    bot: SlackBot, fake: FakeSlack
) -> None:
    fake.inject("response_url", Fault(status=500))  # the answer is lost, and then
    fake.inject("chat.postMessage", Fault(), Fault(body={"ok": False, "error": "fatal_error"}))
    answer = bot.command("status crime", user="U0ERIK", channel="C0NONE")
    fake.wait_for("response_url", count=2, timeout=20)
    sent = _answers(fake, answer.response_url)
    assert "could not be finished" in json.dumps(sent[-1])


def test_the_bot_invited_posts_into_the_channel_as_before(bot: SlackBot, fake: FakeSlack) -> None:
    bot.command("status crime", user="U0ERIK", channel="C0WG")
    (done,) = fake.wait_for("files.completeUploadExternal", timeout=20)
    assert done.arg("channel_id") == "C0WG" and "Burglary" in done.arg("initial_comment")
    assert "Burglary" in _seen(fake, "U0ANNA", "C0WG")
    assert not fake.calls("response_url") and not fake.calls("chat.postMessage")


def _view(call: object) -> dict:
    view = call.arg("view")  # type: ignore[attr-defined]
    return json.loads(view) if isinstance(view, str) else view


def test_a_form_opened_where_the_bot_is_not_confirms_through_response_url(
    bot: SlackBot, fake: FakeSlack
) -> None:
    answer = bot.command("update", user="U0ANNA", channel="C0NONE")
    assert answer.status == 200 and not answer.body  # the modal opened
    view = _view(fake.wait_for("views.open")[0])
    assert json.loads(view["private_metadata"])["response_url"] == answer.response_url
    submitted = bot.interact(
        view_submission_payload(
            "pb_update",
            {
                "activity": {
                    "value": {"type": "static_select", "selected_option": {"value": "PF1"}}
                },
                "status": {
                    "value": {"type": "static_select", "selected_option": {"value": "done"}}
                },
                "progress": {"value": ""},
                "note": {"value": "fra formularen"},
            },
            user_id="U0ANNA",
            private_metadata=view["private_metadata"],
        )
    )
    assert submitted.status == 200
    fake.wait_for("response_url", timeout=20)
    (sent,) = _answers(fake, answer.response_url)
    assert sent["response_type"] == "in_channel" and "PF1" in sent["text"]
    assert "PF1" in _seen(fake, "U0ERIK", "C0NONE")


@pytest.mark.parametrize("channel", ["C0WG", "C0NONE"])
def test_a_calendar_asked_for_goes_to_the_person_alone(
    bot: SlackBot, fake: FakeSlack, runtime: Runtime, channel: str
) -> None:
    as_admin(runtime, "C0WG", "meeting add 2027-03-02 13:00")
    bot.command("meeting ics", user="U0ERIK", channel=channel)
    (done,) = fake.wait_for("files.completeUploadExternal", timeout=20)
    dm = fake.world.dms["U0ERIK"]
    assert fake.calls("conversations.open")[0].arg("users") == "U0ERIK"
    assert done.arg("channel_id") == dm
    assert fake.posted(dm)[0].files  # the calendar landed in Erik's DM with the bot
    said = _seen(fake, "U0ERIK", channel)
    assert "Calendar with 1 meeting (import" in said and "direct message" in said
    assert fake.seen_by("U0ANNA", channel) == []  # nobody else sees the request or the file
    assert "/invite" not in said


# --- forms that cannot open ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (Fault(body={"ok": False, "error": "expired_trigger_id"}), "did not open in time"),
        (Fault(body={"ok": False, "error": "invalid_arguments"}), "could not be opened"),
        (Fault(status=500), "could not be opened"),
        (Fault(delay=4.0), "did not open in time"),  # Slack too slow: the trigger is dead
    ],
)
def test_a_form_that_cannot_open_is_explained_and_not_retried(
    bot: SlackBot, fake: FakeSlack, fault: Fault, said: str
) -> None:
    fake.inject("views.open", fault)
    answer = bot.command("update", user="U0ERIK", channel="C0WG")
    assert answer.status == 200 and answer.body["response_type"] == "ephemeral"
    assert said in answer.body["text"] and "/wg update" in answer.body["text"]
    assert len(fake.calls("views.open")) == 1  # a trigger_id works once: a retry is futile


def test_a_used_trigger_id_is_explained_in_danish(bot: SlackBot, fake: FakeSlack) -> None:
    fake.world.used_triggers.add("4.4.used")
    answer = bot.command("update", user="U0ANNA", channel="C0WG", trigger_id="4.4.used")
    assert "nåede ikke at åbne" in answer.body["text"]


def test_no_activities_gets_a_reason_not_an_empty_form(bot: SlackBot, fake: FakeSlack) -> None:
    as_admin(bot.adapter.runtime, "C0WG", "member add <@U0BO|bo> org=politi role=member")
    answer = bot.command("update", user="U0BO", channel="C0WG")
    assert "no activities" in answer.text or "ingen aktiviteter" in answer.text
    assert "activity add" in answer.text or "aktivitet tilføj" in answer.text
    assert not fake.calls("views.open")


def _suggestion(view: dict, typed: str, user: str = "U0ANNA") -> dict:
    """A block_suggestion: Slack asks for an external_select's options as the user types."""
    return {
        "type": "block_suggestion",
        "user": {"id": user, "username": "anna", "name": "anna", "team_id": "T1"},
        "container": {"type": "view", "view_id": "V1"},
        "api_app_id": "A1",
        "token": "legacy-verification-token",
        "action_id": "value",
        "block_id": "activity",
        "value": typed,
        "team": {"id": "T1", "domain": "test"},
        "view": {**view, "id": "V1", "team_id": "T1", "state": {"values": {}}},
    }


def test_more_than_a_hundred_activities_are_searched_as_the_user_types(
    bot: SlackBot, fake: FakeSlack, runtime: Runtime
) -> None:
    as_admin(
        runtime,
        "C0WG",
        *(f'activity add S{n:03d} "Indsats {n}" area=tryggere-byliv org=sof' for n in range(120)),
    )
    answer = bot.command("update", user="U0ANNA", channel="C0WG")
    assert answer.status == 200 and not answer.body
    view = _view(fake.wait_for("views.open")[0])  # the fake refuses a select of 101 options
    element = view["blocks"][0]["element"]
    assert element["type"] == "external_select" and element["min_query_length"] == 0
    everything = bot.interact(_suggestion(view, ""))
    assert len(everything.body["options"]) == 100
    found = bot.interact(_suggestion(view, "indsats 11"))
    values = [o["value"] for o in found.body["options"]]
    assert values == ["S011", *(f"S{n}" for n in range(110, 120))]


# --- buttons answer Slack before they talk to it ------------------------------------------


@pytest.mark.parametrize(
    ("command", "method"), [("update PF1", "views.open"), ("activity list", "chat.postEphemeral")]
)
def test_a_button_is_acknowledged_before_any_web_api_call(
    bot: SlackBot, fake: FakeSlack, command: str, method: str
) -> None:
    fake.inject(method, Fault(delay=1.5))
    url = bot.response_url("C0WG", "U0ANNA")
    clicked = bot.interact(
        block_action_payload("pb:0", command, user_id="U0ANNA", response_url=url)
    )
    answered = time.monotonic()
    assert clicked.status == 200
    (call,) = fake.wait_for(method, timeout=10)
    # Had the call come first, the answer would have waited the fake's 1.5 s for it.
    assert answered < call.at + 1.5


# --- slow work is shared fairly -----------------------------------------------------------


def test_one_member_cannot_queue_more_than_two_slow_requests(
    bot: SlackBot, fake: FakeSlack
) -> None:
    # Erik's first two requests are held at their post (Slack slow), so they stay in flight.
    fake.inject("files.completeUploadExternal", Fault(delay=2.0), Fault(delay=2.0))
    first = [bot.command("status crime", user="U0ERIK") for _ in range(2)]
    assert [a.body["text"] for a in first] == ["Working on it …"] * 2
    fake.wait_for("files.completeUploadExternal", count=2, timeout=20)
    refused = bot.command("status crime", user="U0ERIK")
    assert refused.body["text"] == (
        "You already have 2 requests in progress. Wait for them to finish, then try again."
    )
    anna = bot.command("status crime", user="U0ANNA")
    assert anna.body["text"] == "Et øjeblik …"  # others are not held up by Erik's queue
    fake.wait_for("files.completeUploadExternal", count=3, timeout=20)
    bot.close()  # finish everything in hand
    assert len(fake.calls("files.completeUploadExternal")) == 3  # the refused one: nothing


def test_status_all_is_one_message_with_every_chart_described(
    bot: SlackBot, fake: FakeSlack, runtime: Runtime
) -> None:
    as_admin(runtime, "C0WG", "update PF1 on-track first walk", "assess PF1 2025 met all good")
    bot.command("status all", user="U0ERIK", channel="C0WG")
    (done,) = fake.wait_for("files.completeUploadExternal", timeout=30)
    asked = fake.calls("files.getUploadURLExternal")
    assert len(json.loads(done.arg("files"))) == len(asked) >= 2  # all charts, one message
    assert not fake.calls("chat.postMessage")
    alts = {c.arg("filename").rsplit("-", 1)[-1]: c.arg("alt_txt") for c in asked}
    assert alts["crime.png"] == "Crime: Burglary 140 (2024) → 130 (2025)."
    assert alts["activities.png"].startswith("Activities: 2 activities: 1 on-track, 1 no update")
    assert "assessed 2025: 1 met" in alts["activities.png"]
