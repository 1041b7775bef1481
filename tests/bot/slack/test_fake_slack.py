"""The fake Slack answers the real slack_sdk client like Slack does (the signed requests are
checked in test_slack_requests.py).

If these fail, every bot test built on the fake would test the wrong thing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from fake_slack import FakeSlack, Fault
from slack_requests import post
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.webhook import WebhookClient

TOKEN = "xoxb-test-token"


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(locales={"U0ANNA": "da-DK"}) as server:
        yield server


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=TOKEN, base_url=fake.url, timeout=5)


def test_post_message_is_recorded_with_its_arguments(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Hej*"}}]
    first = client.chat_postMessage(channel="C0WG", text="Hej", blocks=blocks)
    second = client.chat_postMessage(channel="C0WG", text="Igen")

    assert first["ts"] == "1700000000.000100"
    assert float(second["ts"]) > float(first["ts"])
    assert first["message"]["blocks"] == blocks
    (call, _) = fake.calls("chat.postMessage")
    assert call.path == "/api/chat.postMessage"
    assert call.headers["Authorization"] == f"Bearer {TOKEN}"
    assert call.headers["content-type"] == "application/json;charset=utf-8"  # chat.* send JSON
    assert (call.arg("channel"), call.arg("text"), call.status) == ("C0WG", "Hej", 200)
    assert call.json is not None and call.json["blocks"] == blocks


def test_form_bodies_keep_json_arguments_as_strings(fake: FakeSlack, client: WebClient) -> None:
    blocks = [{"type": "divider"}]
    client.api_call("chat.postMessage", params={"channel": "C0WG", "blocks": json.dumps(blocks)})
    client.users_info(user="U0ANNA")  # a "GET" method: still a form POST
    post_call, info_call = fake.calls()
    assert post_call.headers["content-type"] == "application/x-www-form-urlencoded"
    assert post_call.json is None and json.loads(post_call.arg("blocks")) == blocks
    assert info_call.form == {"user": "U0ANNA"}


def test_users_info_reports_locale_from_the_map_when_asked(client: WebClient) -> None:
    anna = client.users_info(user="U0ANNA", include_locale=True)["user"]
    bo = client.users_info(user="U0BO", include_locale=True)["user"]
    plain = client.users_info(user="U0ANNA")["user"]

    assert (anna["locale"], anna["tz"]) == ("da-DK", "Europe/Copenhagen")
    assert bo["locale"] == "en-US"
    assert "locale" not in plain  # as on Slack: include_locale=true is needed


def test_other_answers_have_slack_shapes(fake: FakeSlack, client: WebClient) -> None:
    assert client.auth_test()["user_id"] == "UBOT"
    assert client.conversations_info(channel="C0WG")["channel"]["id"] == "C0WG"
    assert client.chat_postEphemeral(channel="C0WG", user="U0ANNA", text="x")["message_ts"]
    view = {"type": "modal", "callback_id": "cb", "title": {"type": "plain_text", "text": "T"}}
    opened = client.views_open(trigger_id="1337.42.abcd", view=view)["view"]
    assert opened["id"].startswith("V") and opened["callback_id"] == "cb"
    updated = client.views_update(view_id=opened["id"], view=view)["view"]
    assert updated["id"] == opened["id"]
    with pytest.raises(SlackApiError) as err:
        client.api_call("reactions.add", params={"name": "tada"})
    assert err.value.response["error"] == "unknown_method"


def test_files_upload_v2_makes_three_requests_and_stores_bytes(
    fake: FakeSlack, client: WebClient
) -> None:
    data = b"PNG bytes\x89\x00\xff"
    response = client.files_upload_v2(channel="C0WG", content=data, filename="x.png", title="X")

    calls = fake.calls()
    assert [c.method for c in calls] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    get_url, upload, complete = calls
    assert (get_url.arg("filename"), get_url.arg("length")) == ("x.png", str(len(data)))
    file_id = response["file"]["id"]
    assert fake.uploads == {file_id: data}
    assert upload.body == data and "authorization" not in upload.headers
    assert upload.path == f"/upload/{file_id}"
    assert json.loads(complete.arg("files")) == [{"id": file_id, "title": "X"}]
    assert complete.arg("channel_id") == "C0WG"
    assert response["file"]["name"] == "x.png"


def test_upload_url_also_accepts_multipart(fake: FakeSlack, client: WebClient) -> None:
    url = client.files_getUploadURLExternal(filename="a.txt", length=3)["upload_url"]
    boundary = "b0undary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        f"Content-Type: text/plain\r\n\r\nabc\r\n--{boundary}--\r\n"
    ).encode()
    status, _, answer = post(
        url, body, {}, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert (status, answer) == (200, b"OK - 3")
    assert list(fake.uploads.values()) == [b"abc"]


def test_upload_arguments_are_checked(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as err:
        client.api_call("files.getUploadURLExternal", params={"filename": "x.png"})
    assert err.value.response["error"] == "invalid_arguments"
    with pytest.raises(SlackApiError) as err:
        client.files_completeUploadExternal(files=[{"id": "F404", "title": "nope"}])
    assert err.value.response["error"] == "file_not_found"


def test_rate_limit_is_retried_after_retry_after(fake: FakeSlack) -> None:
    client = WebClient(
        token=TOKEN,
        base_url=fake.url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=2)],
    )
    fake.inject("chat.postMessage", Fault(status=429, retry_after=1))
    started = time.monotonic()
    assert client.chat_postMessage(channel="C0WG", text="Hej")["ok"]

    assert time.monotonic() - started >= 1.0
    calls = fake.calls("chat.postMessage")
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 1.0


def test_rate_limit_without_retry_handler_raises(fake: FakeSlack, client: WebClient) -> None:
    fake.inject("chat.postMessage", Fault(status=429, retry_after=7))
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C0WG", text="Hej")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"


def test_server_errors_are_retried(fake: FakeSlack) -> None:
    quick = FixedValueRetryIntervalCalculator(0.01)  # the default backoff sleeps up to 3.5 s
    handler = ServerErrorRetryHandler(max_retry_count=2, interval_calculator=quick)
    client = WebClient(token=TOKEN, base_url=fake.url, retry_handlers=[handler])
    fake.inject("chat.postMessage", Fault(status=500), Fault(status=500))

    assert client.chat_postMessage(channel="C0WG", text="Hej")["ok"]
    assert [c.status for c in fake.calls("chat.postMessage")] == [500, 500, 200]


def test_error_bodies_and_bad_tokens(fake: FakeSlack, client: WebClient) -> None:
    fake.inject("chat.postMessage", Fault(body={"ok": False, "error": "channel_not_found"}))
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C0NONE", text="x")
    assert err.value.response["error"] == "channel_not_found"

    with pytest.raises(SlackApiError) as err:
        WebClient(token="xoxb-wrong", base_url=fake.url).auth_test()
    assert err.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as err:
        WebClient(base_url=fake.url).auth_test()
    assert err.value.response["error"] == "not_authed"
    assert [c.status for c in fake.calls()] == [200, 200, 200]


def test_slow_answer_makes_the_client_time_out(fake: FakeSlack) -> None:
    client = WebClient(token=TOKEN, base_url=fake.url, timeout=0.3)  # type: ignore[arg-type]
    fake.inject("chat.postMessage", Fault(delay=2.0))
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        client.chat_postMessage(channel="C0WG", text="Hej")
    assert time.monotonic() - started < 1.5
    assert len(fake.calls("chat.postMessage")) == 1


def test_response_url_records_posts(fake: FakeSlack) -> None:
    url = fake.response_url("cmd1")
    assert WebhookClient(url).send(text="Gemt", response_type="ephemeral").status_code == 200
    (call,) = fake.wait_for("response_url")
    assert call.path == "/response/cmd1"
    assert call.json == {"text": "Gemt", "response_type": "ephemeral"}


def test_wait_for_reset_and_unknown_paths(fake: FakeSlack, client: WebClient) -> None:
    client.auth_test()
    assert len(fake.wait_for("auth.test", timeout=0.1)) == 1
    with pytest.raises(AssertionError, match=r"chat.postMessage.*auth.test \(200\)"):
        fake.wait_for("chat.postMessage", timeout=0.05)
    fake.inject("auth.test", Fault(status=500))
    fake.reset()
    assert fake.calls() == []
    assert client.auth_test()["ok"]  # the pending fault was forgotten too

    status, _, _ = post(fake.url.replace("/api/", "/nowhere"), b"", {})
    assert status == 404


def test_required_arguments_are_checked(client: WebClient) -> None:
    view = {"type": "home", "blocks": []}
    assert client.views_publish(user_id="U0ANNA", view=view)["view"]["type"] == "home"
    for call in (
        lambda: client.api_call("views.open", json={"view": view}),
        lambda: client.api_call("chat.postMessage", json={"text": "no channel"}),
        lambda: client.api_call("chat.update", json={"channel": "C0WG", "text": "no ts"}),
    ):
        with pytest.raises(SlackApiError):
            call()
