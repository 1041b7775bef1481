"""The HTTP client the SDK sends with: timeouts, retries and the per-conversation pace.

The SDK neither retries nor times out by default (its httpx client has no timeout). Teams
answers 429 with Retry-After when a bot posts too fast and 412/502/504 (and 503) on passing
faults; those are retried here with backoff, as are timeouts and dropped connections. A post
retried after a timeout may, rarely, arrive twice; reminders carry their own idempotency
(storage/reminders.py), and a reply the user sees twice is better than none.
"""

from __future__ import annotations

import asyncio
import logging
import random
import re

import httpx

from bot.pacing import Pacer
from bot.teams.sdk import Client, ClientOptions, MiddlewareContext, MiddlewareNext

log = logging.getLogger("partnerbot.teams.http")
RETRY_STATUS = frozenset({412, 429, 502, 503, 504})
TIMEOUT_S = 10.0
MAX_WAIT_S = 30.0
# About seven messages a second per conversation (DESIGN section 6b).
PACE_S = 1 / 7
_POST_TO = re.compile(r"/v3/conversations/([^/?]+)/activities")


def retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


class Retrying:
    """SDK middleware: pace posts per conversation, retry what Teams says to retry."""

    def __init__(self, attempts: int = 4, base: float = 0.5, pacer: Pacer | None = None) -> None:
        self.attempts = attempts
        self.base = base
        self.pacer = pacer or Pacer(PACE_S)
        self.retries = 0  # for tests and logs

    def _backoff(self, attempt: int) -> float:
        return min(self.base * 2**attempt, MAX_WAIT_S) * (0.75 + random.random() / 2)

    async def send(self, context: MiddlewareContext, next: MiddlewareNext) -> httpx.Response:
        posting = _POST_TO.search(context.url) if context.method == "POST" else None
        for attempt in range(self.attempts):
            if posting is not None:
                # off the event loop: on PostgreSQL the pace is one statement shared by replicas
                delay = await asyncio.to_thread(self.pacer.reserve, posting.group(1))
                if delay > 0:
                    await asyncio.sleep(delay)
            try:
                return await next()
            except httpx.HTTPStatusError as err:
                status = err.response.status_code
                if status not in RETRY_STATUS or attempt == self.attempts - 1:
                    raise
                wait = retry_after(err.response) if status == 429 else None
                wait = min(wait if wait is not None else self._backoff(attempt), MAX_WAIT_S)
                reason = f"HTTP {status}"
            except (httpx.TimeoutException, httpx.NetworkError) as err:
                if attempt == self.attempts - 1:
                    raise
                wait, reason = self._backoff(attempt), err.__class__.__name__
            self.retries += 1
            log.info(
                "%s %s: %s, retrying in %.2fs", context.method, _path(context.url), reason, wait
            )
            await asyncio.sleep(wait)
        raise AssertionError("unreachable")  # the loop returns or raises


def _path(url: str) -> str:
    return url.split("?", 1)[0][-120:]


def make_client(timeout: float = TIMEOUT_S, retrying: Retrying | None = None) -> Client:
    client = Client(ClientOptions(timeout=timeout))
    client.use(retrying or Retrying())
    return client
