"""`partnerbot serve` as a real process serving Teams (alone, and beside Slack in the same
process), against the fake Bot Framework, with activities signed as Teams signs them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_slack import FakeSlack
from fake_teams import FakeTeams
from helpers import REPO
from slack_requests import SIGNING_SECRET, command_body, post_signed
from teams_activities import ADMIN, channel_message, send

pytestmark = pytest.mark.e2e
SLACK_TOKEN = "xoxb-test-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _health(url: str, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                return json.loads(resp.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _serve(tmp: Path, env: dict[str, str]) -> tuple[subprocess.Popen[str], Path]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PARTNERBOT_", "TEAMS_", "DATABASE_URL", "PORT"))
    }
    base |= {
        "DATABASE_URL": f"sqlite:///{tmp / 'bot.db'}",
        "PARTNERBOT_ADMINS": ADMIN.aad,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        # what the SDK would read by itself: none of it may count
        "PORT": str(_free_port()),
        "CLIENT_SECRET": "not-partnerbots-secret",
    }
    (tmp / ".env").write_text("CLIENT_ID=from-a-dotenv-file\n")
    log = tmp / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"],
            env=base | env,
            cwd=tmp,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return proc, log


@pytest.fixture
def fake() -> Iterator[FakeTeams]:
    with FakeTeams() as server:
        yield server


def test_teams_alone_serves_answers_and_stops(tmp_path: Path, fake: FakeTeams) -> None:
    port = _free_port()
    proc, log = _serve(tmp_path, fake.settings_env() | {"TEAMS_PORT": str(port)})
    try:
        health = _health(f"http://127.0.0.1:{port}/healthz")
        assert health == {"database": "ok", "workers": "ok", "teams": "ok", "dispatcher": "ok"}
        url = f"http://127.0.0.1:{port}/api/messages"
        status, _ = send(url, fake, channel_message(fake, ADMIN, "tilknyt tingbjerg-husum"))
        assert status == 200
        assert "Tingbjerg" in fake.wait_posted(1)[0].text
        status, _ = send(url, fake, channel_message(fake, ADMIN, "x") | {"serviceUrl": None})
        assert status == 401
        # 150 connections that send nothing keep no one from an answer.
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
        try:
            status, _ = send(url, fake, channel_message(fake, ADMIN, "hjælp"))
            assert status == 200
            fake.wait_posted(2)
        finally:
            for sock in idle:
                sock.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=30)
    output = log.read_text()
    assert code == 0, output
    assert fake.password not in output and "CLIENT_SECRET" not in output


def test_a_refused_secret_stops_start_up_with_one_line(tmp_path: Path, fake: FakeTeams) -> None:
    env = fake.settings_env() | {"TEAMS_APP_PASSWORD": "wrong", "TEAMS_PORT": str(_free_port())}
    proc, log = _serve(tmp_path, env)
    assert proc.wait(timeout=60) == 2
    lines = [line for line in log.read_text().splitlines() if line.startswith("partnerbot:")]
    assert lines == [
        "partnerbot: TEAMS_APP_PASSWORD: Microsoft's login refused the app id and secret "
        "(invalid_client)"
    ]


def test_slack_and_teams_share_one_process(tmp_path: Path, fake: FakeTeams) -> None:
    slack_port, teams_port = _free_port(), _free_port()
    with FakeSlack(token=SLACK_TOKEN) as slack:
        env = fake.settings_env() | {
            "TEAMS_PORT": str(teams_port),
            "SLACK_BOT_TOKEN": SLACK_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": slack.url,
            "PORT": str(slack_port),
        }
        proc, log = _serve(tmp_path, env)
        try:
            health = _health(f"http://127.0.0.1:{slack_port}/healthz")
            assert health["teams"] == "ok" and health["dispatcher"] == "ok"
            assert _health(f"http://127.0.0.1:{teams_port}/healthz")["dispatcher"] == "ok"
            status, _, body = post_signed(
                f"http://127.0.0.1:{slack_port}/slack/events",
                command_body("hjælp", user_id="U0ANNA"),
            )
            assert status == 200 and b"blocks" in body
            url = f"http://127.0.0.1:{teams_port}/api/messages"
            assert send(url, fake, channel_message(fake, ADMIN, "hjælp"))[0] == 200
            fake.wait_posted(1)
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(timeout=30)
        assert code == 0, log.read_text()
