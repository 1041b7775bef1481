"""Neutral forms (`commands.engine.reply.Form`) drawn as Slack modals, and a submission read
back as `{field: value}` for `commands.engine.run.submit`.

Slack refuses a whole view when one limit is crossed, and then the user sees nothing: a static
select holds at most 100 options, so a longer choice becomes an `external_select` whose
options Slack asks for as the user types (`suggest`); labels, titles and texts are clipped to
Slack's lengths here, never in `commands/`.
"""

from __future__ import annotations

import json
from typing import Any

from commands.engine.reply import Choice, Field, Form

MAX_OPTIONS = 100  # static_select and external_select results
CALLBACK_PREFIX = "pb_"


def callback_id(form: Form) -> str:
    return CALLBACK_PREFIX + form.id.replace(" ", "_")


def form_id(callback: str) -> str:
    return callback.removeprefix(CALLBACK_PREFIX).replace("_", " ")


def _plain(text: str, limit: int) -> dict[str, Any]:
    text = " ".join(text.split()) or "…"
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _option(choice: Choice) -> dict[str, Any]:
    return {"text": _plain(choice.label, 75), "value": choice.value[:150]}


def _element(field: Field) -> dict[str, Any]:
    if field.kind == "person":
        return {"type": "users_select", "action_id": "value"}
    if field.kind == "people":
        element: dict[str, Any] = {"type": "multi_users_select", "action_id": "value"}
        if isinstance(field.default, tuple) and field.default:
            element["initial_users"] = list(field.default)
        return element
    if field.kind == "choice":
        chosen = next((c for c in field.choices if c.value == field.default), None)
        if len(field.choices) > MAX_OPTIONS:
            element = {"type": "external_select", "action_id": "value", "min_query_length": 0}
        else:
            element = {
                "type": "static_select",
                "action_id": "value",
                "options": [_option(c) for c in field.choices],
            }
        if chosen is not None:
            element["initial_option"] = _option(chosen)
        return element
    element = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": field.kind == "multiline",
        "max_length": min(field.max_length, 3000),
    }
    if isinstance(field.default, str) and field.default:
        element["initial_value"] = field.default[:3000]
    return element


def view(form: Form, *, channel: str, response_url: str = "") -> dict[str, Any]:
    """The modal, with the channel, partnership and the command's response_url (to answer
    where the bot may not post) in private_metadata."""
    blocks = []
    for field in form.fields[:100]:
        block: dict[str, Any] = {
            "type": "input",
            "block_id": field.name,
            "label": _plain(field.label, 2000),
            "element": _element(field),
            "optional": field.optional,
        }
        if field.hint:
            block["hint"] = _plain(field.hint, 2000)
        blocks.append(block)
    return {
        "type": "modal",
        "callback_id": callback_id(form),
        "title": _plain(form.title, 24),
        "submit": _plain(form.submit, 24),
        "close": _plain(form.cancel, 24),
        "private_metadata": json.dumps(
            {"channel": channel, "partnership": form.partnership, "response_url": response_url}
        ),
        "blocks": blocks,
    }


def suggest(field: Field, typed: str) -> list[dict[str, Any]]:
    """Options for an external_select as the user types: matches first by value, then label."""
    typed = typed.strip().lower()
    hits = [c for c in field.choices if typed in c.value.lower() or typed in c.label.lower()]
    hits.sort(key=lambda c: (not c.value.lower().startswith(typed), c.value))
    return [_option(c) for c in hits[:MAX_OPTIONS]]


def values(view_state: dict[str, Any]) -> dict[str, str]:
    """block_id -> the submitted value (option value, text, or users written as mentions, so
    the core reads them as it reads a typed mention)."""
    out: dict[str, str] = {}
    for block_id, actions in view_state.get("state", {}).get("values", {}).items():
        action = actions.get("value", {})
        picked = (action.get("selected_option") or {}).get("value")
        if action.get("selected_user"):
            value = f"<@{action['selected_user']}>"
        elif action.get("selected_users") is not None:
            value = " ".join(f"<@{u}>" for u in action["selected_users"])
        else:
            value = picked or action.get("value") or ""
        out[block_id] = str(value).strip()
    return out


def metadata(view_state: dict[str, Any]) -> dict[str, str]:
    try:
        data = json.loads(view_state.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return {k: str(v) for k, v in data.items() if v is not None} if isinstance(data, dict) else {}
