"""The Web API client: base URL from SLACK_API_URL, retries for rate limits, server errors and
connection faults (slack_sdk retries only connection errors by default). The per-channel pace
(about one message a second) is `bot.pacing`."""

from __future__ import annotations

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
# views.open runs before the ack, and its trigger_id lives 3 s and works once: a slow answer is
# not worth waiting for past 2 s, and a retry can only fail.
VIEWS_TIMEOUT_S = 2


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


def views_client(client: WebClient, *, timeout: int = VIEWS_TIMEOUT_S) -> WebClient:
    """The same workspace, for views.open before the ack: a short timeout and no retries."""
    return WebClient(
        token=client.token, base_url=client.base_url, timeout=timeout, retry_handlers=[]
    )
