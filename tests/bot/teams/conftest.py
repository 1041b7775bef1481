"""Fixtures for the Teams adapter: the fake Bot Framework, a runtime on a SQLite file, and the
adapter served on a free port (real HTTP both ways)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fake_teams import FakeTeams
from teams_activities import ADMIN, User, channel_message, personal_message, send

from bot.runtime import Runtime, start
from bot.teams.app import TeamsAdapter
from bot.teams.server import TeamsServer
from bot.teams.settings import load_teams_settings
from config.settings import load_settings


@pytest.fixture
def fake() -> Iterator[FakeTeams]:
    with FakeTeams() as server:
        yield server


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    settings = load_settings(
        {"PARTNERBOT_ADMINS": ADMIN.aad, "PARTNERBOT_PUBLIC_URL": "https://bot.example.dk"}
    )
    return start(settings, database_url=f"sqlite:///{tmp_path / 'bot.db'}")


@dataclass
class Bot:
    fake: FakeTeams
    server: TeamsServer
    adapter: TeamsAdapter

    @property
    def url(self) -> str:
        return f"{self.server.url}/api/messages"

    def say(self, who: User, text: str, **kw: Any) -> tuple[int, Any]:
        """@mention the bot in the channel with `text`."""
        return send(self.url, self.fake, channel_message(self.fake, who, text, **kw))

    def dm(self, who: User, text: str) -> tuple[int, Any]:
        return send(self.url, self.fake, personal_message(self.fake, who, text))

    def activity(self, activity: dict[str, Any]) -> tuple[int, Any]:
        return send(self.url, self.fake, activity)


@pytest.fixture
def bot(fake: FakeTeams, runtime: Runtime) -> Iterator[Bot]:
    adapter = TeamsAdapter(runtime, load_teams_settings(fake.settings_env()))
    server = TeamsServer(adapter, host="127.0.0.1", port=0).start()
    try:
        yield Bot(fake, server, adapter)
    finally:
        server.stop()
