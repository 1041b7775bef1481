"""The request guard before Bolt: signature, shape and replay, on both databases. The serving
tests (tests/e2e/test_slack_serve.py) send the same through real HTTP."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from slack_requests import SIGNING_SECRET, command_body, interaction_body, sign
from sqlalchemy.engine import Engine

from bot.slack.guard import RequestGuard

FORM = "application/x-www-form-urlencoded"


def _headers(body: bytes, **kw: object) -> dict[str, str]:
    return {k.lower(): v for k, v in sign(body, **kw).items()}  # type: ignore[arg-type]


def test_a_signature_runs_once_whichever_replica_and_after_a_restart(engine: Engine) -> None:
    body = command_body("update PF1 done", user_id="U0ANNA")
    headers = _headers(body)
    first, second = RequestGuard(SIGNING_SECRET, engine), RequestGuard(SIGNING_SECRET, engine)
    assert first.check(headers, FORM, body) is None
    replayed = second.check(headers, FORM, body)  # another replica, or this one restarted
    assert replayed is not None and (replayed.status, replayed.reason) == (401, "replayed request")
    again = first.check(headers, FORM, body)
    assert again is not None and again.status == 401
    # A new request (new timestamp, so a new signature) of the same text runs.
    fresh = _headers(body, timestamp=int(time.time()) + 1)
    assert first.check(fresh, FORM, body) is None


def test_forged_requests_are_refused_and_never_stored(engine: Engine) -> None:
    guard = RequestGuard(SIGNING_SECRET, engine)
    body = command_body("update PF1 done", user_id="U0ANNA")
    forged = _headers(body, secret="wrong")
    for _ in range(3):
        refusal = guard.check(forged, FORM, body)
        assert refusal is not None and refusal.status == 401
    # Had the forged signature been stored, the genuine one would still pass: prove none was.
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("select count(*) from inbound_events").scalar()
    assert rows == 0


def test_signed_but_malformed_is_400_and_well_formed_passes(engine: Engine) -> None:
    guard = RequestGuard(SIGNING_SECRET, engine)
    good_action = {
        "type": "block_actions",
        "user": {"id": "U0ANNA"},
        "channel": {"id": "C0WG"},
        "actions": [{"action_id": "pb:run", "value": "status"}],
        "trigger_id": "1.2.3",
    }
    cases: list[tuple[bytes, str, int | None]] = [
        (interaction_body(good_action), FORM, None),
        (b"payload=notjson", FORM, 400),
        (urlencode({"payload": "[1, 2]"}).encode(), FORM, 400),
        (interaction_body({**good_action, "user": "U0ANNA"}), FORM, 400),
        (interaction_body({**good_action, "actions": [{"value": 5}]}), FORM, 400),
        (interaction_body({"type": "view_submission", "user": {"id": "U"}, "view": []}), FORM, 400),
        (
            interaction_body(
                {"type": "view_submission", "user": {"id": "U"}, "view": {"private_metadata": "{"}}
            ),
            FORM,
            400,
        ),
        (b"{not json", "application/json", 400),
        (json.dumps({"type": "event_callback", "event": "x"}).encode(), "application/json", 400),
        (b"command=%2Fwg", FORM, 400),
        (bytes(range(256)), "application/octet-stream", 400),
    ]
    for body, content_type, expected in cases:
        refusal = guard.check(_headers(body), content_type, body)
        assert (refusal.status if refusal else None) == expected, (body[:60], refusal)


def test_malformed_signature_headers_are_401() -> None:
    guard = RequestGuard(SIGNING_SECRET, engine=None)  # type: ignore[arg-type]  # never reached
    body = b"payload=x"
    for headers in (
        {},
        {"x-slack-request-timestamp": "abc", "x-slack-signature": "v0=" + "0" * 64},
        {"x-slack-request-timestamp": str(int(time.time())), "x-slack-signature": "v1=zz"},
    ):
        refusal = guard.check(headers, FORM, body)
        assert refusal is not None and refusal.status == 401
