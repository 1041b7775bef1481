"""The fake refuses what the real Web API refuses: membership, views, triggers, outages.

Issue 9's cases are tested against these behaviours; if the fake accepted what Slack refuses,
those tests would pass against a Slack that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fake_slack import FakeSlack, Fault
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

TOKEN = "xoxb-test-token"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.url, timeout=5)


def _error(call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as err:
        call(*args, **kwargs)
    return str(err.value.response["error"])


def test_the_bot_posts_only_where_it_was_invited(fake: FakeSlack, client: WebClient) -> None:
    assert _error(client.chat_postMessage, channel="C0NONE", text="x") == "not_in_channel"
    assert _error(client.chat_postEphemeral, channel="C0NONE", user="U0ANNA", text="x") == (
        "not_in_channel"
    )
    assert _error(client.chat_postMessage, channel="C9NOPE", text="x") == "channel_not_found"
    fake.world.invite("C0NONE")
    assert client.chat_postMessage(channel="C0NONE", text="nu")["ok"]
    assert [p.text for p in fake.seen_by("U0ANNA", "C0NONE")] == ["nu"]


def test_a_dm_between_two_people_is_invisible_but_the_bots_own_dm_works(
    fake: FakeSlack, client: WebClient
) -> None:
    fake.world.channels["D0PAIR"] = {"U0ANNA", "U0ERIK"}
    assert _error(client.chat_postMessage, channel="D0PAIR", text="x") == "channel_not_found"
    assert _error(client.chat_postEphemeral, channel="D0PAIR", user="U0ANNA", text="x") == (
        "channel_not_found"
    )
    dm = client.conversations_open(users="U0ANNA")["channel"]["id"]
    assert client.chat_postMessage(channel="U0ANNA", text="til dig")["channel"] == dm
    assert [p.text for p in fake.seen_by("U0ANNA", dm)] == ["til dig"]
    assert fake.seen_by("U0ERIK", dm) == []


def test_ephemeral_messages_are_seen_by_their_reader_only(
    fake: FakeSlack, client: WebClient
) -> None:
    client.chat_postEphemeral(channel="C0WG", user="U0ANNA", text="kun Anna")
    assert [p.text for p in fake.seen_by("U0ANNA", "C0WG")] == ["kun Anna"]
    assert fake.seen_by("U0ERIK", "C0WG") == []
    assert _error(client.chat_postEphemeral, channel="C0WG", user="U0NOBODY", text="x") == (
        "user_not_in_channel"
    )


def test_history_returns_metadata_only_when_asked(fake: FakeSlack, client: WebClient) -> None:
    meta = {"event_type": "partnerbot_reminder", "event_payload": {"key": "meeting:1:lead:P2D"}}
    client.chat_postMessage(channel="C0WG", text="første", metadata=meta)
    client.chat_postMessage(channel="C0WG", text="anden")
    plain = client.conversations_history(channel="C0WG")["messages"]
    assert [m["text"] for m in plain] == ["anden", "første"] and "metadata" not in plain[1]
    full = client.conversations_history(channel="C0WG", include_all_metadata=True)["messages"]
    assert full[1]["metadata"] == meta
    assert _error(client.conversations_history, channel="C0NONE") == "not_in_channel"


def test_a_slow_answer_still_posts_the_message(fake: FakeSlack) -> None:
    """The field's double posts: Slack accepted the post, the client gave up waiting."""
    impatient = WebClient(token=TOKEN, base_url=fake.url, timeout=0.2)  # type: ignore[arg-type]
    fake.inject("chat.postMessage", Fault(delay=1.0))
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C0WG", text="påmindelse")
    assert [p.text for p in fake.posted("C0WG")] == ["påmindelse"]


def test_chat_update_replaces_the_message_people_see(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C0WG", text="forslag")["ts"]
    client.chat_update(channel="C0WG", ts=ts, text="bekræftet")
    assert [p.text for p in fake.posted("C0WG")] == ["bekræftet"]
    assert _error(client.chat_update, channel="C0WG", ts="1.2", text="x") == "message_not_found"


def _modal(*blocks: dict) -> dict:
    return {"type": "modal", "title": {"type": "plain_text", "text": "Opdatering"},
            "submit": {"type": "plain_text", "text": "Gem"}, "blocks": list(blocks)}  # fmt: skip


def _select(n: int) -> dict:
    options = [
        {"text": {"type": "plain_text", "text": f"A{i}"}, "value": f"a{i}"} for i in range(n)
    ]
    return {"type": "input", "block_id": "a", "label": {"type": "plain_text", "text": "Aktivitet"},
            "element": {"type": "static_select", "action_id": "v", "options": options}}  # fmt: skip


@pytest.mark.parametrize("options", [0, 101])
def test_views_with_empty_or_oversized_selects_are_refused(client: WebClient, options: int) -> None:
    with pytest.raises(SlackApiError) as err:
        client.views_open(trigger_id="t1", view=_modal(_select(options)))
    assert err.value.response["error"] == "invalid_arguments"
    assert "1 to 100 options" in json.dumps(err.value.response["response_metadata"])


def test_a_trigger_id_works_once_and_expires(fake: FakeSlack, client: WebClient) -> None:
    assert client.views_open(trigger_id="t1", view=_modal(_select(3)))["ok"]
    assert _error(client.views_open, trigger_id="t1", view=_modal(_select(3))) == (
        "exchanged_trigger_id"
    )
    fake.world.expired_triggers.add("t2")
    assert _error(client.views_open, trigger_id="t2", view=_modal(_select(3))) == (
        "expired_trigger_id"
    )


def test_messages_over_fifty_blocks_are_refused(client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}] * 51
    assert _error(client.chat_postMessage, channel="C0WG", text="x", blocks=blocks) == (
        "invalid_blocks"
    )


def test_response_url_lands_where_the_command_was_sent_five_times_at_most(
    fake: FakeSlack,
) -> None:
    hook = WebhookClient(fake.response_url("r9", channel="C0NONE", user="U0ANNA"))
    assert hook.send(text="Et øjeblik …").status_code == 200
    assert hook.send(text="Resultatet", replace_original=True).status_code == 200
    assert [p.text for p in fake.seen_by("U0ANNA", "C0NONE")] == ["Resultatet"]
    assert fake.seen_by("U0ERIK", "C0NONE") == []
    for _ in range(3):
        hook.send(text="igen")
    assert hook.send(text="sjette").status_code == 404


def test_an_outage_refuses_connections_until_slack_is_back(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.url, timeout=1)
    fake.down()
    with pytest.raises(OSError):
        client.chat_postMessage(channel="C0WG", text="x")
    fake.up()
    assert client.chat_postMessage(channel="C0WG", text="x")["ok"]


def test_people_have_names_for_lookups(fake: FakeSlack, client: WebClient) -> None:
    fake.world.add_person("U0LISE", "lise", "Lise Holm")
    names = {m["name"]: m["id"] for m in client.users_list()["members"]}
    assert names == {"lise": "U0LISE"}
    assert client.users_info(user="U0LISE")["user"]["real_name"] == "Lise Holm"
