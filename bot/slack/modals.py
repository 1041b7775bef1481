"""Slack modals for the subcommands that are easier as forms: `update`, `member add`,
`activity add`. A submission becomes the same Plan the text command would, so rights, checks
and the audit are exactly those of the command."""

from __future__ import annotations

import json
from typing import Any

from commands.engine.parse import Args
from commands.engine.registry import find_family
from commands.engine.run import Plan
from commands.views.forms import FormData

FORMS = {  # (family, sub) -> callback_id
    ("update", ""): "pb_update",
    ("member", "add"): "pb_member_add",
    ("activity", "add"): "pb_activity_add",
}
CALLBACKS = {v: k for k, v in FORMS.items()}


def _t(data: FormData, da: str, en: str) -> str:
    return da if data.lang == "da" else en


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…"}


def _option(value: str, text: str) -> dict[str, Any]:
    return {"text": _plain(text, 75), "value": value}


def _select(
    block_id: str,
    label: str,
    options: list[tuple[str, str]],
    initial: str | None = None,
    optional: bool = False,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": "value",
        "options": [_option(v, t) for v, t in options],
    }
    chosen = [o for o in element["options"] if o["value"] == initial]
    if chosen:
        element["initial_option"] = chosen[0]
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": element,
        "optional": optional,
    }


def _text(
    block_id: str,
    label: str,
    *,
    multiline: bool = False,
    optional: bool = False,
    max_length: int = 3000,
    initial: str = "",
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": max_length,
    }
    if initial:
        element["initial_value"] = initial
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": element,
        "optional": optional,
    }


def build_view(
    family: str, sub: str, data: FormData, *, channel: str, initial: str | None = None
) -> dict[str, Any]:
    """The modal for (family, sub), with the channel and partnership in private_metadata."""
    if family == "update":
        title = _t(data, "Skriv en opdatering", "Post an update")
        blocks = [
            _select(
                "activity",
                _t(data, "Aktivitet", "Activity"),
                [(c, f"{c} — {n}") for c, n in data.activities],
                initial=initial,
            ),
            _select("status", "Status", data.statuses),
            _text(
                "progress",
                _t(data, "Fremdrift (fx 12 af 30 i job)", "Progress (e.g. 12 of 30 in jobs)"),
                optional=True,
                max_length=300,
            ),
            _text("note", _t(data, "Note", "Note"), multiline=True, optional=True),
        ]
    elif family == "member":
        title = _t(data, "Tilføj medlem", "Add a member")
        blocks = [
            {
                "type": "input",
                "block_id": "user",
                "label": _plain(_t(data, "Person", "Person"), 2000),
                "element": {"type": "users_select", "action_id": "value"},
            },
            _select("org", "Organisation", data.organisations),
            _select("role", _t(data, "Rolle", "Role"), data.roles, initial="member"),
            _select(
                "lang",
                _t(data, "Sprog", "Language"),
                [("da", "Dansk"), ("en", "English")],
                optional=True,
            ),
        ]
    else:
        title = _t(data, "Ny aktivitet", "New activity")
        blocks = [
            _text("code", _t(data, "Kode (fx PF9)", "Code (e.g. PF9)"), max_length=20),
            _text("name", _t(data, "Navn", "Name"), max_length=200),
            _select("area", _t(data, "Indsatsområde", "Focus area"), data.focus_areas),
            _select(
                "org", _t(data, "Forvaltning/organisation", "Organisation"), data.organisations
            ),
            _text(
                "criteria",
                _t(data, "Succeskriterier", "Success criteria"),
                multiline=True,
                optional=True,
                max_length=2000,
            ),
            _text("budget", _t(data, "Budget (kr.)", "Budget (DKK)"), optional=True, max_length=20),
        ]
    return {
        "type": "modal",
        "callback_id": FORMS[(family, sub)],
        "title": _plain(title, 24),
        "submit": _plain(_t(data, "Gem", "Save"), 24),
        "close": _plain(_t(data, "Annullér", "Cancel"), 24),
        "private_metadata": json.dumps({"channel": channel, "partnership": data.partnership}),
        "blocks": blocks,
    }


def values(view: dict[str, Any]) -> dict[str, str]:
    """block_id -> the submitted value (selected option value, user id or text)."""
    out: dict[str, str] = {}
    for block_id, actions in view.get("state", {}).get("values", {}).items():
        action = actions.get("value", {})
        picked = (action.get("selected_option") or {}).get("value")
        value = picked or action.get("selected_user") or action.get("value") or ""
        out[block_id] = str(value).strip()
    return out


def plan_from_submission(callback_id: str, view: dict[str, Any]) -> tuple[Plan, str]:
    """The Plan a submission stands for, and the block its refusals are shown on."""
    family, sub = CALLBACKS[callback_id]
    fam = find_family(family)
    assert fam is not None
    got = values(view)
    if family == "update":
        options = {"progress": got["progress"]} if got.get("progress") else {}
        words = [got.get("activity", ""), got.get("status", "")]
        words += [got["note"]] if got.get("note") else []
        return Plan(fam, fam.subs[sub], Args(words, options, {}), family), "activity"
    if family == "member":
        options = {"org": got.get("org", ""), "role": got.get("role", "member")}
        if got.get("lang"):
            options["lang"] = got["lang"]
        words = [f"<@{got.get('user', '')}>"]
        return Plan(fam, fam.subs[sub], Args(words, options, {}), family), "user"
    options = {"area": got.get("area", ""), "org": got.get("org", "")}
    options |= {k: got[k] for k in ("criteria", "budget") if got.get(k)}
    words = [got.get("code", ""), got.get("name", "")]
    return Plan(fam, fam.subs[sub], Args(words, options, {}), family), "code"


def metadata(view: dict[str, Any]) -> dict[str, str]:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return {k: str(v) for k, v in data.items() if v is not None} if isinstance(data, dict) else {}
