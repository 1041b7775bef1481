"""Reminders posted exactly once into Slack channels, whatever Slack does meanwhile.

Each message of a reminder carries its idempotency key in Slack's message metadata
(`event_type` partnerbot_reminder). When an earlier attempt may have reached Slack — the answer
came after the client's timeout, or the process died between Slack's answer and the database
row — the channel's recent history is read first (with `include_all_metadata`) and only the
parts not found are posted. The client used here never retries by itself: a retry is the
dispatcher's, and it looks first.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.adapter import Landed
from bot.pacing import Pacer
from bot.slack.render import messages
from commands.engine.reply import Reply

log = logging.getLogger(__name__)

EVENT = "partnerbot_reminder"
HISTORY = 100  # messages looked through: a reminder's retry comes within minutes of its post


def keyed_client(client: WebClient) -> WebClient:
    """The same workspace without the retries that could post twice: a timeout or a 5xx is
    handed back (the dispatcher retries after looking); 429 is safe to retry (nothing posted)."""
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)],
    )


def found_parts(client: WebClient, channel: str, key: str) -> dict[int, str]:
    """The parts of the reminder `key` already in the channel: {part number: ts}."""
    try:
        answer = client.conversations_history(
            channel=channel, include_all_metadata=True, limit=HISTORY
        )
    except SlackApiError as exc:
        # e.g. missing_scope (channels:history): posting is then the only way forward
        log.warning("cannot look for reminder %s in %s: %s", key, channel, exc.response["error"])
        return {}
    found: dict[int, str] = {}
    for message in answer.get("messages") or []:
        meta: dict[str, Any] = message.get("metadata") or {}
        payload = meta.get("event_payload") or {}
        if meta.get("event_type") == EVENT and payload.get("key") == key:
            found.setdefault(int(payload.get("part", 0)), str(message.get("ts", "")))
    return found


def post_once(
    client: WebClient, pacer: Pacer, channel: str, reply: Reply, *, key: str, look: bool
) -> Landed:
    payloads = messages(reply)
    have = found_parts(client, channel, key) if look else {}
    first = ""
    for part, message in enumerate(payloads):
        if part in have:
            first = first or have[part]
            continue
        pacer.wait(channel)
        metadata = {"event_type": EVENT, "event_payload": {"key": key, "part": part}}
        answer = client.chat_postMessage(channel=channel, metadata=metadata, **message)
        first = first or str(answer.get("ts") or "")
    if have:
        log.info("reminder %s: %d part(s) already in %s, not posted again", key, len(have), channel)
    return Landed(first, found=bool(have) and len(have) >= len(payloads))
