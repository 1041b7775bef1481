"""Reaching the person when the channel cannot be posted to (issue 9: never fail silently).

`chat.postMessage`/`postEphemeral` fail with `not_in_channel` in a channel the bot was not
invited to and `channel_not_found` in a DM between two people, yet the command's
`response_url` answers anywhere (DESIGN section 6): up to 5 times in 30 minutes, optionally
replacing the message it belongs to ("Et øjeblik …"). Files cannot travel that way; the person
is told how to get them instead.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from commands.engine.context import say

log = logging.getLogger("partnerbot.slack")

# Slack's answers meaning "the bot may not post here" (as opposed to a fault worth retrying).
UNREACHABLE = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "user_not_in_channel"}
)
USES = 5  # answers per response_url
LIFETIME_S = 30 * 60
TIMEOUT_S = 5
BOT = "@partnerbot"  # the bot user's display name (manifest.yml)


def unreachable(exc: Exception) -> bool:
    return isinstance(exc, SlackApiError) and exc.response.get("error") in UNREACHABLE


class ResponseUrlFailed(Exception):
    """Slack refused (or the URL is used up): the caller tries the next way."""


class ResponseUrls:
    """Answers through response_url, counting each URL's uses (several deliveries may share
    one: the result, then a failure notice)."""

    def __init__(self, timeout: int = TIMEOUT_S) -> None:
        self.timeout = timeout
        self._used: dict[str, tuple[int, float]] = {}  # url -> (uses, first seen)
        self._lock = threading.Lock()

    def left(self, url: str) -> int:
        with self._lock:
            uses, since = self._used.get(url, (0, time.monotonic()))
        return 0 if not url or time.monotonic() - since > LIFETIME_S else USES - uses

    def _take(self, url: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._used) > 1000:  # forget URLs that are dead anyway
                self._used = {u: v for u, v in self._used.items() if now - v[1] < LIFETIME_S}
            uses, since = self._used.get(url, (0, now))
            if not url or uses >= USES or now - since > LIFETIME_S:
                return False
            self._used[url] = (uses + 1, since)
            return True

    def send(self, url: str, payload: dict[str, Any]) -> None:
        if not self._take(url):
            raise ResponseUrlFailed("response_url used up or expired")
        # No retries: each attempt costs one of the five uses, and a refused answer is better
        # told another way than repeated.
        hook = WebhookClient(url, timeout=self.timeout, retry_handlers=[])
        response = hook.send_dict(payload)
        if response.status_code != 200:
            log.warning("response_url answered %s: %s", response.status_code, response.body)
            raise ResponseUrlFailed(f"response_url answered {response.status_code}")


def files_hint(lang: str, channel: str) -> str:
    """What to do to get the files the bot could not post here."""
    if channel.startswith("D"):  # a DM between people: a bot cannot be invited into it
        return say(
            lang,
            "Filerne kan ikke vises her, fordi {b} ikke er med i samtalen. Skriv kommandoen "
            "til {b} i en direkte besked, så får du dem dér.",
            "The files cannot be shown here because {b} is not part of this conversation. "
            "Send the command to {b} in a direct message to get them there.",
            b=BOT,
        )
    return say(
        lang,
        "Filerne kan ikke vises her, fordi {b} ikke er med i kanalen. Invitér {b} til kanalen "
        "med `/invite {b}`, og skriv kommandoen igen.",
        "The files cannot be shown here because {b} is not in this channel. Invite {b} to the "
        "channel with `/invite {b}` and run the command again.",
        b=BOT,
    )


def not_here_hint(lang: str) -> str:
    """Said in a DM with the person when even response_url could not answer."""
    return say(
        lang,
        "Jeg kunne ikke svare dér, hvor du skrev kommandoen, fordi {b} ikke er med. Her er svaret:",
        "I could not answer where you typed the command because {b} is not there. Here is "
        "the answer:",
        b=BOT,
    )


def sent_to_dm(lang: str) -> str:
    return say(
        lang,
        "Filen er sendt til dig i en direkte besked fra {b}.",
        "The file has been sent to you in a direct message from {b}.",
        b=BOT,
    )
