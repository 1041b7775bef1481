"""What a request to `POST /slack/events` must be before Bolt sees it (DESIGN section 6).

Bolt checks signatures but lets anything else through to its parser and our listeners: a
non-JSON body, `payload=notjson` or a timestamp `abc` raised inside it, hundreds of 500s with
tracebacks a second. Here, in this order and as cheaply as possible:

1. The signature headers are well-formed and the signature is valid within 5 minutes
   (slack_sdk's own verifier); otherwise 401. Nothing unsigned is parsed, nothing is stored.
2. The body has the shape Slack sends for its content type and kind (command, interaction,
   event), in the fields our listeners read; otherwise 400.
3. The signature has not been seen before by any replica, also across restarts: it is stored in
   `inbound_events` (source `slack-signature`) before the request runs; a replay is 401.

Each refusal is one log line, without the body (it may hold personal data).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs

from pydantic import BaseModel, ConfigDict, ValidationError
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.engine import Engine

from storage.inbound import first_seen, forget_before
from storage.types import utcnow

log = logging.getLogger("partnerbot.guard")
WINDOW = dt.timedelta(minutes=5)
SOURCE = "slack-signature"
_SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")


class _Loose(BaseModel):
    """Only the fields our listeners read are checked; Slack adds fields all the time."""

    model_config = ConfigDict(extra="allow")


class _Id(_Loose):
    id: str


class _Action(_Loose):
    action_id: str
    value: str | None = None


class _View(_Loose):
    callback_id: str = ""
    private_metadata: str = ""
    state: dict[str, dict[str, dict[str, Any]]] = {}


class _Interaction(_Loose):
    type: str
    user: _Id
    channel: _Id | None = None
    actions: list[_Action] = []
    view: _View | None = None
    trigger_id: str = ""
    response_url: str = ""
    value: str = ""  # block_suggestion: what was typed
    block_id: str = ""


class _Command(_Loose):
    command: str
    user_id: str
    channel_id: str = ""
    text: str = ""


class _Event(_Loose):
    type: str
    user: str = ""
    tab: str = "home"


class _Envelope(_Loose):
    type: Literal["event_callback", "url_verification"]
    event: _Event | None = None
    event_id: str = ""
    challenge: str = ""


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def _json_object(text: str | bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def shape_problem(content_type: str, body: bytes) -> str | None:
    """Why `body` is not something Slack sends, or None when it is."""
    try:
        if content_type.startswith("application/json"):
            envelope = _json_object(body)
            if envelope is None:
                return "body is not a JSON object"
            _Envelope.model_validate(envelope)
            return None
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return f"unexpected content type {content_type[:60]!r}"
        form = {k: v[-1] for k, v in parse_qs(body.decode(), strict_parsing=False).items()}
        if "ssl_check" in form:  # Slack's certificate check; Bolt answers it
            return None
        if "payload" in form:
            payload = _json_object(form["payload"])
            if payload is None:
                return "payload is not a JSON object"
            interaction = _Interaction.model_validate(payload)
            meta = interaction.view.private_metadata if interaction.view else ""
            if meta and _json_object(meta) is None:
                return "view metadata is not a JSON object"
            return None
        _Command.model_validate(form)
        return None
    except UnicodeDecodeError:
        return "body is not UTF-8"
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}"


class RequestGuard:
    """Checks 1–3 above for one request; None means: let Bolt handle it."""

    def __init__(self, signing_secret: str, engine: Engine) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.engine = engine
        self._last_sweep = 0.0
        self._lock = threading.Lock()

    def check(self, headers: dict[str, str], content_type: str, body: bytes) -> Refusal | None:
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not timestamp.isdigit() or not _SIGNATURE.match(signature):
            return self._refuse(401, "missing or malformed signature headers")
        try:
            text = body.decode()  # what Slack signs is UTF-8 text; the verifier decodes too
        except UnicodeDecodeError:
            return self._refuse(400, "body is not UTF-8")
        if not self.verifier.is_valid(text, timestamp, signature):
            return self._refuse(401, "invalid or expired signature")
        problem = shape_problem(content_type, body)
        if problem is not None:
            return self._refuse(400, f"signed but malformed: {problem}")
        self._sweep()
        if not first_seen(self.engine, SOURCE, signature):
            return self._refuse(401, "replayed request")
        return None

    def _refuse(self, status: int, reason: str) -> Refusal:
        log.warning("refused %s: %s", status, reason)
        return Refusal(status, reason)

    def _sweep(self) -> None:
        """Signatures older than the window can no longer verify: forget them, once a minute."""
        now = time.monotonic()
        with self._lock:
            if now - self._last_sweep < 60:
                return
            self._last_sweep = now
        forget_before(self.engine, SOURCE, utcnow() - WINDOW - dt.timedelta(minutes=1))


def listener_error(error: Exception) -> BoltResponse:
    """Bolt's last resort for an exception in a listener (Bolt's own default logs the whole
    traceback at every such request): one line naming the exception and where it was raised."""
    frame = traceback.extract_tb(error.__traceback__)[-1:] if error.__traceback__ else []
    where = f"{frame[0].filename.rsplit('/', 2)[-1]}:{frame[0].lineno}" if frame else "?"
    log.error("listener failed: %s: %s (at %s)", type(error).__name__, str(error)[:200], where)
    return BoltResponse(status=500, body="")
