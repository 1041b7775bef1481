"""A Slack user's language as Slack knows it (`users.info` locale), for people who have not
chosen one: looked up after the acknowledgement, never before it (a slow Web API must not cost
the 3 seconds), and kept in this process's memory and in the database for every replica."""

from __future__ import annotations

import datetime as dt
import threading
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import Engine

from bot.work import SlowWork
from storage import locales
from storage.types import utcnow

LOCALE_CACHE_S = 3600  # in this process's memory
LOCALE_STALE = dt.timedelta(days=7)  # in the database: people rarely change their language


class Locales:
    def __init__(self, engine: Engine, client: WebClient, work: SlowWork) -> None:
        self.engine, self.client, self.work = engine, client, work
        self._locales: dict[str, tuple[str, float]] = {}  # user -> (locale, looked up at)
        self._lock = threading.Lock()

    def known(self, user: str) -> str | None:
        """The user's Slack locale without asking Slack: this process's memory, else the
        database (another replica, or this one before a restart, looked it up)."""
        with self._lock:
            cached = self._locales.get(user)
        if cached is not None and time.monotonic() - cached[1] < LOCALE_CACHE_S:
            return cached[0]
        if not user:
            return None
        stored = locales.known(self.engine, "slack", user)
        if stored is None or utcnow() - stored[1] > LOCALE_STALE:
            return None
        with self._lock:
            self._locales[user] = (stored[0], time.monotonic())
        return stored[0]

    def learn(self, user: str) -> None:
        """Look the user's Slack locale up after the acknowledgement (never before it: a slow
        Web API must not cost the 3 seconds), for this user's next commands on any replica."""
        if not user or self.known(user) is not None:
            return

        def look_up() -> None:
            try:
                info = self.client.users_info(user=user, include_locale=True)
                locale = str((info.get("user") or {}).get("locale") or "")
            except SlackApiError:
                # e.g. no users:read scope: not asked again for an hour, nothing stored
                with self._lock:
                    self._locales[user] = ("", time.monotonic())
                return
            with self._lock:
                self._locales[user] = (locale, time.monotonic())
            locales.remember(self.engine, "slack", user, locale)

        self.work.submit(look_up, on_failure=lambda: None)
