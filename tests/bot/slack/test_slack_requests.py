"""The requests of slack_requests.py are what Slack sends: the signature verifies with Slack's own
SDK, and the bodies have Slack's shapes.

If these fail, every bot test that posts them would test the wrong thing.
"""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qs

from slack_requests import (
    SIGNING_SECRET,
    block_action_payload,
    command_body,
    event_body,
    interaction_body,
    sign,
    view_submission_payload,
)
from slack_sdk.signature import SignatureVerifier


def test_signature_verifies_with_slack_sdk() -> None:
    body = command_body("status")
    headers = sign(body)
    verifier = SignatureVerifier(SIGNING_SECRET)
    ts, signature = headers["X-Slack-Request-Timestamp"], headers["X-Slack-Signature"]

    assert signature.startswith("v0=")
    assert verifier.is_valid(body, ts, signature)
    assert not verifier.is_valid(body + b"x", ts, signature)
    assert not SignatureVerifier("other").is_valid(body, ts, signature)
    stale = sign(body, timestamp=int(time.time()) - 600)
    assert not verifier.is_valid(
        body, stale["X-Slack-Request-Timestamp"], stale["X-Slack-Signature"]
    )


def test_inbound_bodies_have_slack_shapes() -> None:
    command = {
        k: v[0] for k, v in parse_qs(command_body("møde ny", user_id="U0BO").decode()).items()
    }
    assert command["text"] == "møde ny" and command["user_id"] == "U0BO"
    assert {"token", "team_domain", "channel_name", "api_app_id", "trigger_id"} <= set(command)

    action = block_action_payload("approve", "42")
    decoded = json.loads(parse_qs(interaction_body(action).decode())["payload"][0])
    assert decoded == action
    assert decoded["actions"][0]["value"] == "42" and decoded["channel"]["id"] == "C0WG"
    select = block_action_payload("pick", "x", action_type="static_select")
    assert select["actions"][0]["selected_option"]["value"] == "x"

    values = {"title": {"title_input": "Møde"}, "when": {"d": {"type": "datepicker"}}}
    view = view_submission_payload("meeting_new", values, private_metadata="wg")["view"]
    assert view["state"]["values"]["title"]["title_input"] == {
        "type": "plain_text_input",
        "value": "Møde",
    }
    assert view["state"]["values"]["when"]["d"] == {"type": "datepicker"}

    envelope = json.loads(event_body({"type": "app_home_opened", "user": "U0ANNA"}))
    assert (envelope["type"], envelope["event"]["type"]) == ("event_callback", "app_home_opened")
