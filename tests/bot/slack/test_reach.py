"""Never fail silently (issue 9): wherever a command was typed, the person gets the answer or
a clear reason — also in a channel the bot was not invited to, in a DM between two people,
and when a modal cannot be opened. Against the fake, which refuses what Slack refuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import FakeSlack, Fault
from slack_app import SlackBot, as_admin, slack_runtime
from slack_requests import view_submission_payload

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
    assert not fake.calls("files.getUploadURLExternal")  # nothing uploaded into the void


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
    fake.wait_for("files.completeUploadExternal", timeout=20)
    dm = fake.world.dms["U0ERIK"]
    seen = _seen(fake, "U0ERIK", dm)
    assert "could not answer where you typed" in seen and "Burglary" in seen
    assert [c.arg("channel_id") for c in fake.calls("files.completeUploadExternal")] == [dm]


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
    fake.wait_for("files.completeUploadExternal", timeout=20)
    assert fake.calls("chat.postMessage")[0].arg("channel") == "C0WG"
    assert not fake.calls("response_url")


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
    assert "Calendar with 1 meetings" in said and "direct message" in said
    assert fake.seen_by("U0ANNA", channel) == []  # nobody else sees the request or the file
    assert "/invite" not in said
