"""Neutral forms (`commands.engine.reply.Form`) drawn as Teams dialogs, and a submission read
back as `{field: value}` for `commands.engine.run.submit` (pure, no network).

A dialog opens only from a card action (`task/fetch`): a typed command that asks for a form
gets a card with a button that opens it. The dialog is an Adaptive Card; its submit button's
data names the form (`pb_submit`) and the partnership, and Teams sends the inputs back in a
`task/submit` invoke. A refusal comes back as the same dialog, the values kept and the reason
shown at the top and on the field it is about. People are picked with Teams' own people
picker (`Data.Query` over the directory), which yields Entra object ids.
"""

from __future__ import annotations

from typing import Any

from bot.teams.cards import CARD, card, markdown, submit_data, text_block
from bot.teams.inbound import person_token
from commands.engine.reply import Field, Form

MAX_STATIC_CHOICES = 100  # longer lists get the typeahead ("filtered") style


def launcher(form: Form, command: str, prompt: str, label: str) -> dict[str, Any]:
    """A card with one button that opens `form` as a dialog (task/fetch)."""
    data = {"msteams": {"type": "task/fetch"}, "pb_form": command or form.id}
    body = [
        text_block(markdown(prompt)),
        {"type": "ActionSet", "actions": [{"type": "Action.Submit", "title": label, "data": data}]},
    ]
    return card(body)


def _input(field: Field, value: str | tuple[str, ...]) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": field.name,
        "label": field.label,
        "isRequired": not field.optional,
    }
    if not field.optional:
        base["errorMessage"] = field.label
    if field.kind in {"person", "people"}:
        picked = ",".join(value) if isinstance(value, tuple) else value
        element = base | {
            "type": "Input.ChoiceSet",
            "choices": [],
            "choices.data": {"type": "Data.Query", "dataset": "graph.microsoft.com/users"},
            "isMultiSelect": field.kind == "people",
            "style": "filtered",
        }
        if picked:
            element["value"] = picked
        return element
    if field.kind == "choice":
        element = base | {
            "type": "Input.ChoiceSet",
            "choices": [{"title": c.label[:100], "value": c.value} for c in field.choices],
            "style": "filtered" if len(field.choices) > MAX_STATIC_CHOICES else "compact",
        }
        if isinstance(value, str) and value:
            element["value"] = value
        return element
    element = base | {
        "type": "Input.Text",
        "isMultiline": field.kind == "multiline",
        "maxLength": field.max_length,
    }
    if field.hint:
        element["placeholder"] = field.hint[:200]
    if isinstance(value, str) and value:
        element["value"] = value[: field.max_length]
    return element


def dialog(
    form: Form, *, values: dict[str, str] | None = None, error: str = "", field: str = ""
) -> dict[str, Any]:
    """The task module answer that shows `form` (again, with `error`, after a refusal)."""
    body: list[dict[str, Any]] = []
    if error:
        body.append(text_block(markdown(error), color="Attention", weight="Bolder"))
    for item in form.fields:
        value: str | tuple[str, ...] = item.default
        if values is not None and item.name in values:
            value = values[item.name]
        element = _input(item, value)
        if error and item.name == field:
            element["errorMessage"] = error[:300]
        body.append(element)
        if error and item.name == field:
            body.append(text_block(markdown(error), color="Attention", size="Small"))
    data = submit_data("") | {"pb_submit": form.id, "pb_partnership": form.partnership}
    del data["pb"]
    content = card(body)
    content["actions"] = [{"type": "Action.Submit", "title": form.submit, "data": data}]
    return {
        "task": {
            "type": "continue",
            "value": {
                "title": form.title,
                "width": "medium",
                "height": "medium",
                "card": {"contentType": CARD, "content": content},
            },
        }
    }


def closed(message: str = "") -> dict[str, Any]:
    """Close the dialog (with a short message, when there is something to say)."""
    if message:
        return {"task": {"type": "message", "value": message[:500]}}
    return {}


def values(form: Form, data: dict[str, Any]) -> dict[str, str]:
    """field -> value as the command core reads it; picked people as person tokens."""
    out: dict[str, str] = {}
    for item in form.fields:
        raw = data.get(item.name)
        text = "" if raw is None else str(raw).strip()
        if item.kind in {"person", "people"}:
            text = " ".join(person_token(p.strip()) for p in text.split(",") if p.strip())
        out[item.name] = text
    return out
