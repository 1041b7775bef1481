"""The Web API client: base URL from SLACK_API_URL, retries for rate limits, server errors and
connection faults (slack_sdk retries only connection errors by default), and a per-channel
pace of about one message a second (Slack's chat.postMessage limit)."""

from __future__ import annotations

import threading
import time
from http.client import RemoteDisconnected
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.settings import SlackSettings

TIMEOUT_S = 10
PACE_S = 1.0


def make_client(slack: SlackSettings, *, timeout: int = TIMEOUT_S) -> WebClient:
    return WebClient(
        token=slack.bot_token,
        base_url=slack.api_url,
        timeout=timeout,
        retry_handlers=[
            # Timeouts too (slack_sdk leaves them out): a slow answer is retried; the rare
            # cost is a message Slack did take being posted twice.
            ConnectionErrorRetryHandler(
                max_retry_count=2,
                error_types=[URLError, ConnectionResetError, RemoteDisconnected, TimeoutError],
            ),
            RateLimitErrorRetryHandler(max_retry_count=3),  # honours Retry-After
            ServerErrorRetryHandler(max_retry_count=3),  # 500 and 503, with backoff
        ],
    )


class Pacer:
    """At most one post a `interval` seconds per channel; callers wait their turn."""

    def __init__(self, interval: float = PACE_S) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> float:
        """Block until `channel` may be posted to; returns the seconds waited."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(channel, 0.0))
            self._next[channel] = slot + self.interval
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return max(delay, 0.0)
