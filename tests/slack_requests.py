"""Inbound requests built exactly as Slack sends them, signed with a test secret.

Why: Bolt verifies `X-Slack-Signature` (v0 HMAC-SHA256 of `v0:{timestamp}:{body}`, 5-minute
window) and answers 401 otherwise, and it reads ids from precise places in each payload
(`user.id`, `channel.id`, `view.state.values`, ...). Tests that post these bodies to the running
app exercise the same code paths as production traffic.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
import urllib.error
import urllib.request
from typing import Any, TypedDict, Unpack
from urllib.parse import urlencode

SIGNING_SECRET = "test-signing-secret"
TEAM_DOMAIN = "test"
APP_ID = "A1"
VERIFICATION_TOKEN = "legacy-verification-token"  # still sent by Slack, ignored by Bolt


class Who(TypedDict, total=False):
    """Who acts, and where: every request builder takes these as keywords."""

    user_id: str
    user_name: str
    channel_id: str
    team_id: str
    trigger_id: str


ANNA: Who = {
    "user_id": "U0ANNA",
    "user_name": "anna",
    "channel_id": "C0WG",
    "team_id": "T1",
    "trigger_id": "1337.42.abcd",
}


def sign(
    body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The two signature headers Slack adds; the caller sets Content-Type."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": "v0=" + digest.hexdigest()}


_SEQUENCE = itertools.count(1)


def command_body(
    text: str,
    *,
    command: str = "/wg",
    response_url: str | None = None,
    **who: Unpack[Who],
) -> bytes:
    """A slash command, form-encoded with every field Slack sends. As on Slack, each command
    has its own trigger id and response_url unless the test gives them (so two identical
    commands sent in one second are two requests, not a replay)."""
    n = next(_SEQUENCE)
    w = ANNA | {"trigger_id": f"{n}.42.{n:04x}"} | who
    response_url = response_url or f"https://hooks.slack.com/commands/T1/{n}/x"
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": w["team_id"],
        "team_domain": TEAM_DOMAIN,
        "channel_id": w["channel_id"],
        "channel_name": "wg",
        "user_id": w["user_id"],
        "user_name": w["user_name"],
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": w["trigger_id"],
    }
    return urlencode(fields).encode()


def interaction_body(payload: dict) -> bytes:
    """block_actions / view_submission travel as one form field `payload` holding JSON."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def _user(w: Who) -> dict[str, str]:
    return {
        "id": w["user_id"],
        "username": w["user_name"],
        "name": w["user_name"],
        "team_id": w["team_id"],
    }


def block_action_payload(
    action_id: str,
    value: str,
    *,
    response_url: str = "https://hooks.slack.com/actions/T1/1/x",
    block_id: str = "b1",
    action_type: str = "button",
    message_ts: str = "1700000000.000100",
    **who: Unpack[Who],
) -> dict[str, Any]:
    """A click on a message's button (or, with action_type="static_select", a menu choice)."""
    w = ANNA | who
    action: dict[str, Any] = {
        "action_id": action_id,
        "block_id": block_id,
        "type": action_type,
        "action_ts": f"{int(time.time())}.000200",
    }
    if action_type == "static_select":
        option = {"text": {"type": "plain_text", "text": value, "emoji": True}, "value": value}
        action["selected_option"] = option
    else:
        action["value"] = value
        action["text"] = {"type": "plain_text", "text": value, "emoji": True}
    return {
        "type": "block_actions",
        "user": _user(w),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": w["channel_id"],
            "is_ephemeral": False,
        },
        "trigger_id": w["trigger_id"],
        "team": {"id": w["team_id"], "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": w["channel_id"], "name": "wg"},
        "message": {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": "",
            "ts": message_ts,
        },
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [action],
    }


def view_submission_payload(
    callback_id: str,
    values: dict[str, dict[str, Any]],
    *,
    private_metadata: str = "",
    view_id: str = "V1",
    **who: Unpack[Who],
) -> dict[str, Any]:
    """A modal's Submit. `values` is Slack's view.state.values shape,
    {block_id: {action_id: {"type": "plain_text_input", "value": "..."}}}; a bare string leaf is
    shorthand for a plain_text_input with that value.
    """
    w = ANNA | who
    state = {
        block: {
            action: {"type": "plain_text_input", "value": v} if isinstance(v, str) else v
            for action, v in actions.items()
        }
        for block, actions in values.items()
    }
    return {
        "type": "view_submission",
        "team": {"id": w["team_id"], "domain": TEAM_DOMAIN},
        "user": _user(w),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": w["trigger_id"],
        "view": {
            "id": view_id,
            "team_id": w["team_id"],
            "type": "modal",
            "blocks": [],
            "private_metadata": private_metadata,
            "callback_id": callback_id,
            "state": {"values": state},
            "hash": "1700000000.abcdef",
            "title": {"type": "plain_text", "text": "Partnerbot"},
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "external_id": "",
            "app_installed_team_id": w["team_id"],
            "bot_id": "BBOT",
        },
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event_body(
    event: dict, *, event_id: str = "Ev01", team_id: str = "T1", api_app_id: str = APP_ID
) -> bytes:
    """The JSON event_callback envelope of the Events API."""
    now = int(time.time())
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": {"event_ts": f"{now}.000100", **event},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": now,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }
    return json.dumps(envelope).encode()


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    content_type: str | None = None,
    timeout: float = 10,
) -> tuple[int, dict[str, str], bytes]:
    """POST and return (status, headers, body), also for 4xx/5xx (which urllib raises)."""
    all_headers = dict(headers)
    if content_type is not None:
        all_headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, headers=all_headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers.items()), err.read()


def post_signed(
    url: str,
    body: bytes,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    secret: str = SIGNING_SECRET,
    timestamp: int | None = None,
    extra_headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """POST `body` signed as Slack would (extra_headers e.g. X-Slack-Retry-Num for retries)."""
    headers = sign(body, secret=secret, timestamp=timestamp) | (extra_headers or {})
    return post(url, body, headers, content_type=content_type)
