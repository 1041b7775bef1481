"""The Bolt app in-process against the fake Web API: requests built and signed as Slack sends
them go through `App.dispatch` (what Bolt's HTTP and Socket Mode adapters call), and every Web
API call goes over real HTTP to the fake. Faster than a `partnerbot serve` subprocess, and the
adapter is at hand for assertions."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from fake_slack import FakeSlack
from slack_bolt import App
from slack_bolt.request import BoltRequest
from slack_requests import SIGNING_SECRET, command_body, interaction_body, sign

from bot.runtime import Runtime, start
from bot.slack.app import SlackAdapter, build_app, read_person
from bot.slack.client import make_client
from bot.slack.settings import load_slack_settings
from commands.engine.context import Context
from commands.engine.run import run_command
from config.settings import load_settings

TOKEN = "xoxb-test-token"
ADMIN = "U0ADMIN"
FORM = "application/x-www-form-urlencoded"


def slack_runtime(fake: FakeSlack, database_url: str) -> Runtime:
    env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
    settings = load_settings(env | {"SLACK_API_URL": fake.url, "PARTNERBOT_ADMINS": ADMIN})
    return start(settings, database_url=database_url)


def as_admin(runtime: Runtime, channel: str, *lines: str, partnership: str | None = None) -> None:
    """Set-up through the command core, as the admin in `channel` (of `partnership` where the
    channel is bound to none)."""
    admin = Context(
        engine=runtime.engine,
        partnerships=runtime.partnerships,
        platform="slack",
        channel=channel,
        user=ADMIN,
        is_admin=True,
        person=read_person,
        partnership=partnership,
    )
    for line in lines:
        reply = run_command(line, admin)
        assert reply.ok, (line, reply.plain())


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    response_url: str = ""

    @property
    def text(self) -> str:
        return json.dumps(self.body, ensure_ascii=False)


@dataclass
class SlackBot:
    fake: FakeSlack
    app: App
    adapter: SlackAdapter
    _keys: itertools.count = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def build(cls, fake: FakeSlack, runtime: Runtime, *, timeout: float = 10) -> SlackBot:
        """`timeout`: the Web API client's, short where a test makes Slack answer late."""
        env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}
        slack = load_slack_settings(env | {"SLACK_API_URL": fake.url}, dotenv_path=None)
        client = make_client(slack, timeout=timeout)  # type: ignore[arg-type]
        app, adapter = build_app(runtime, client, slack=slack)
        return cls(fake, app, adapter)

    def response_url(self, channel: str, user: str) -> str:
        return self.fake.response_url(f"r{next(self._keys)}", channel=channel, user=user)

    def _dispatch(self, body: bytes) -> tuple[int, dict[str, Any]]:
        headers = sign(body, secret=SIGNING_SECRET) | {"Content-Type": FORM}
        response = self.app.dispatch(BoltRequest(body=body.decode(), headers=headers))
        text = response.body or ""
        return response.status, (json.loads(text) if text.strip().startswith("{") else {})

    def command(
        self, text: str, *, user: str = "U0ANNA", channel: str = "C0WG", trigger_id: str = ""
    ) -> Answer:
        n = next(self._keys)
        url = self.fake.response_url(f"r{n}", channel=channel, user=user)
        trigger = trigger_id or f"{n}.trigger"  # Slack sends one with every command
        body = command_body(
            text, user_id=user, channel_id=channel, response_url=url, trigger_id=trigger
        )
        return Answer(*self._dispatch(body), response_url=url)

    def interact(self, payload: dict[str, Any]) -> Answer:
        return Answer(*self._dispatch(interaction_body(payload)))

    def knows_locale(self, user: str) -> None:
        """Let the adapter learn `user`'s Slack locale (the fake's `locales`), as it does after
        a first command, so its own messages are in that language from the start."""
        self.adapter.learn_locale(user)
        deadline = time.monotonic() + 10
        while self.adapter._known_locale(user) is None:
            assert time.monotonic() < deadline, f"{user}'s locale was not learned"
            time.sleep(0.01)

    def close(self) -> None:
        self.adapter.close()
