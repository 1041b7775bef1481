"""The Slack adapter in-process, still over real HTTP to the fake Web API: file uploads, the
per-channel pace, Socket Mode requests, and tokens kept out of logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.logs import RedactTokens
from bot.pacing import Pacer
from bot.runtime import Runtime, start
from bot.slack.app import SlackAdapter, build_app, read_person
from bot.slack.client import make_client
from bot.slack.settings import SlackSettings, load_slack_settings
from commands.engine.context import Context
from commands.engine.reply import FileOut, Reply, Text
from commands.engine.run import run_command
from config.settings import load_settings

TOKEN = "xoxb-test-token"


def slack_settings(fake: FakeSlack) -> SlackSettings:
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": "s3cret-s3cret"}
    return load_slack_settings(env | {"SLACK_API_URL": fake.url})


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN) as server:
        yield server


@pytest.fixture
def runtime(tmp_path: Path, fake: FakeSlack) -> Runtime:
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": "s3cret-s3cret",
            "SLACK_API_URL": fake.url,
            "PARTNERBOT_ADMINS": "U0ADMIN",
        }
    )
    rt = start(settings, database_url=f"sqlite:///{tmp_path / 'bot.db'}")
    admin = Context(
        engine=rt.engine,
        partnerships=rt.partnerships,
        platform="slack",
        channel="C0WG",
        user="U0ADMIN",
        is_admin=True,
        person=read_person,
    )
    assert run_command("bind tingbjerg-husum", admin).ok
    assert run_command("member add <@U0ANNA|anna> org=sof role=member", admin).ok
    return rt


def test_files_are_uploaded_in_three_calls(runtime: Runtime, fake: FakeSlack) -> None:
    adapter = SlackAdapter(runtime, make_client(slack_settings(fake)))
    png = b"\x89PNG\r\n\x1a\n" + b"x" * 2048
    reply = Reply(
        blocks=[Text("Status")],
        files=[FileOut("status.png", png, "image/png", "Status 2019")],
        ephemeral=False,
    )
    adapter.deliver(reply, channel="C0WG", user="U0ANNA")
    methods = [c.method for c in fake.calls() if c.method != "auth.test"]
    # The text and the chart as one message: the text is the upload's initial comment.
    assert methods == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]
    get_url = fake.calls("files.getUploadURLExternal")[0]
    assert get_url.arg("filename") == "status.png" and int(get_url.arg("length")) == len(png)
    assert list(fake.uploads.values()) == [png]
    complete = fake.calls("files.completeUploadExternal")[0]
    assert complete.arg("channel_id") == "C0WG" and "Status 2019" in complete.arg("files")
    assert complete.arg("initial_comment") == "Status"
    adapter.close()


def test_posts_keep_one_message_a_second_per_channel(runtime: Runtime, fake: FakeSlack) -> None:
    adapter = SlackAdapter(runtime, make_client(slack_settings(fake)))
    for n in range(3):
        adapter.deliver(
            Reply(blocks=[Text(f"message {n}")], ephemeral=False), channel="C0WG", user="U0ANNA"
        )
    adapter.deliver(
        Reply(blocks=[Text("elsewhere")], ephemeral=False), channel="C0OTHER", user="U0ANNA"
    )
    times = {c.arg("text"): c.at for c in fake.calls("chat.postMessage")}
    assert times["message 2"] - times["message 0"] >= 1.9
    assert times["elsewhere"] - times["message 2"] < 0.5  # another channel does not wait
    adapter.close()


def test_pacer_spaces_callers() -> None:
    pacer = Pacer(interval=0.2)
    began = time.monotonic()
    for _ in range(3):
        pacer.wait("C1")
    assert time.monotonic() - began >= 0.39


class RecordingSocketClient:
    """Stands in for the WebSocket: records what Bolt sends back for an envelope."""

    logger = logging.getLogger("test.socket")

    def __init__(self) -> None:
        self.responses: list[SocketModeResponse] = []

    def send_socket_mode_response(self, response: SocketModeResponse) -> None:
        self.responses.append(response)


def test_socket_mode_handler_runs_the_command(runtime: Runtime, fake: FakeSlack) -> None:
    app, adapter = build_app(
        runtime, make_client(slack_settings(fake)), slack=slack_settings(fake), socket_mode=True
    )
    handler = SocketModeHandler(app, "xapp-1-test", web_client=make_client(slack_settings(fake)))
    client = RecordingSocketClient()
    payload = {
        "token": "x",
        "team_id": "T1",
        "channel_id": "C0WG",
        "user_id": "U0ANNA",
        "user_name": "anna",
        "command": "/wg",
        "text": "whoami",
        "response_url": fake.response_url(),
        "trigger_id": "1.2.3",
    }
    handler.handle(
        client,
        SocketModeRequest(
            type="slash_commands",
            envelope_id="E1",  # type: ignore[arg-type]
            payload=payload,
        ),
    )
    assert client.responses[0].envelope_id == "E1"
    body = client.responses[0].payload or {}
    assert "Socialforvaltningen" in str(body)
    adapter.close()


def test_tokens_never_reach_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redact")
    handler = logging.StreamHandler()
    records: list[str] = []
    handler.emit = lambda record: records.append(handler.format(record))  # type: ignore[method-assign]
    handler.addFilter(RedactTokens(["the-signing-secret"]))
    logger.addHandler(handler)
    try:
        logger.warning("calling with xoxb-123-456-abc and %s", "xapp-1-A1-999 the-signing-secret")
        try:
            raise RuntimeError("auth failed for xoxb-999-secret")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    joined = "\n".join(records)
    assert "xoxb-123" not in joined and "xapp-1-A1" not in joined and "xoxb-999" not in joined
    assert "the-signing-secret" not in joined and "xoxb-***" in joined
