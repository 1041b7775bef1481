"""Render a platform-neutral Reply as Teams messages with Adaptive Cards (pure, no network).

What Teams forces, and how it is met here:
- A message over about 28 KB is refused, and the user then sees nothing: a long reply becomes
  several cards, split between logical units (a header stays with what follows it), each well
  under the limit; the buttons go under the last one.
- Tables read on a phone: a two-column table becomes a FactSet (label: value); a wider one a
  block per row, its first cell in bold over a FactSet of the other columns by header.
- Buttons are `Action.Submit` whose data is the command line they stand for (`{"pb": …}`);
  Teams sends it back as a message with that value, and it runs through the same path as typed
  text. A destructive button first shows its confirmation inside the card (a hidden container
  with yes/no), as Adaptive Cards have no confirm dialog.
- Markup: the neutral `**bold**` is Adaptive Cards' own; a `code` span (which cards do not
  draw) becomes bold. Mentions are `<at>Name</at>` with an entity naming the person's Entra
  object id, added after the text, so only the bot's deliberate mentions notify anyone.
"""

from __future__ import annotations

import json
import re
from typing import Any

from commands.engine.reply import Button, Header, Note, Person, Reply, Table, Text

CARD = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
MAX_CARD_BYTES = 20_000  # Teams refuses messages over ~28 KB; the envelope needs some room
MAX_ACTIONS = 5  # per ActionSet: Teams shows at most six actions in a set
MAX_FACTS = 40  # per FactSet, so one long table can be split between cards
_CODE = re.compile(r"`([^`\n]+)`")
_MENTION_TAG = re.compile(r"</?at>", re.IGNORECASE)

Element = dict[str, Any]
Activity = dict[str, Any]


def markdown(text: str) -> str:
    """The neutral markup as Adaptive Cards' markdown. `<at>` in user text is defused so it
    can never become a mention."""
    text = _MENTION_TAG.sub(lambda m: m.group(0).replace("<", "‹").replace(">", "›"), text)
    return _CODE.sub(lambda m: f"**{m.group(1)}**", text)


def text_block(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text or "…", "wrap": True, **style}


def mention_entity(person: Person) -> dict[str, Any]:
    return {
        "type": "mention",
        "text": f"<at>{_tag_name(person)}</at>",
        "mentioned": {"id": person.id, "name": person.label},
    }


def _tag_name(person: Person) -> str:
    return _MENTION_TAG.sub("", person.label).replace("<", "").replace(">", "") or person.id


def _text(block: Text) -> tuple[list[Element], list[dict[str, Any]]]:
    people = [m for m in block.mentions if m.platform == "teams" and m.id]
    body = markdown(block.text)
    if people:
        body += " " + " ".join(f"<at>{_tag_name(p)}</at>" for p in people)
    return [text_block(body)], [mention_entity(p) for p in people]


def _facts(pairs: list[tuple[str, str]]) -> list[Element]:
    return [
        {"type": "FactSet", "facts": [{"title": t or " ", "value": v or "–"} for t, v in chunk]}
        for chunk in (pairs[i : i + MAX_FACTS] for i in range(0, len(pairs), MAX_FACTS))
    ]


def _table(table: Table) -> list[Element]:
    width = max([len(table.headers), *(len(r) for r in table.rows)])
    headers = tuple(table.headers) + ("",) * (width - len(table.headers))
    rows = [tuple(r) + ("",) * (width - len(r)) for r in table.rows]
    if not rows:
        return [text_block(" · ".join(h for h in headers if h), isSubtle=True)] if width else []
    if width <= 2:
        return _facts([(markdown(r[0]), markdown(r[1] if width > 1 else "")) for r in rows])
    out: list[Element] = []
    for n, row in enumerate(rows):
        facts = [(markdown(h), markdown(c)) for h, c in zip(headers[1:], row[1:], strict=True)]
        items = [text_block(f"**{markdown(row[0])}**" if row[0] else "–"), *_facts(facts)]
        out.append({"type": "Container", "items": items, "separator": n > 0, "spacing": "Medium"})
    return out


def _units(reply: Reply) -> list[tuple[list[Element], list[dict[str, Any]]]]:
    """(elements, mention entities) per logical unit; a header is glued to what follows."""
    units: list[tuple[list[Element], list[dict[str, Any]]]] = []
    pending: list[Element] = []
    for block in reply.blocks:
        entities: list[dict[str, Any]] = []
        if isinstance(block, Header):
            if pending:
                units.append((pending, []))
            heading = {"size": "Large", "weight": "Bolder", "style": "heading"}
            pending = [text_block(markdown(block.text), **heading)] if block.text.strip() else []
            continue
        if isinstance(block, Note):
            elements = [text_block(markdown(block.text), isSubtle=True, size="Small")]
            elements = elements if block.text.strip() else []
        elif isinstance(block, Table):
            elements = _table(block)
        else:
            elements, entities = _text(block) if block.text.strip() or block.mentions else ([], [])
        if elements or pending:
            units.append((pending + elements, entities))
            pending = []
    if pending:
        units.append((pending, []))
    return units


def submit_data(command: str) -> dict[str, Any]:
    return {"pb": command or "help"}


def _action(index: int, button: Button) -> tuple[Element, Element | None]:
    """The visible action and, for a confirmed one, its hidden confirmation container."""
    style = {"primary": "positive", "danger": "destructive"}.get(button.style)
    run: Element = {"type": "Action.Submit", "title": button.label[:80] or "…"}
    run["data"] = submit_data(button.command)
    if style:
        run["style"] = style
    if button.confirm is None:
        return run, None
    target = f"pb-confirm-{index}"
    confirm = button.confirm
    yes = dict(run, title=confirm.yes[:80] or "OK", style="destructive")
    no = {"type": "Action.ToggleVisibility", "title": confirm.no[:80], "targetElements": [target]}
    hidden = {
        "type": "Container",
        "id": target,
        "isVisible": False,
        "style": "attention",
        "items": [
            text_block(f"**{markdown(confirm.title)}**"),
            text_block(markdown(confirm.text)),
            {"type": "ActionSet", "actions": [yes, no]},
        ],
    }
    show = {"type": "Action.ToggleVisibility", "title": run["title"], "targetElements": [target]}
    return show, hidden


def actions(buttons: list[Button]) -> list[Element]:
    """ActionSets of at most MAX_ACTIONS buttons, then the hidden confirmations."""
    pairs = [_action(i, b) for i, b in enumerate(buttons)]
    shown = [a for a, _ in pairs]
    sets: list[Element] = [
        {"type": "ActionSet", "actions": shown[i : i + MAX_ACTIONS]}
        for i in range(0, len(shown), MAX_ACTIONS)
    ]
    return sets + [h for _, h in pairs if h is not None]


def card(body: list[Element], entities: list[dict[str, Any]] | None = None) -> Element:
    content: Element = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body or [text_block("…")],
        "msteams": {"width": "full"},
    }
    if entities:
        content["msteams"]["entities"] = entities
    return content


def card_activity(content: Element, summary: str = "") -> Activity:
    activity: Activity = {
        "type": "message",
        "attachments": [{"contentType": CARD, "content": content}],
    }
    if summary:
        activity["summary"] = summary[:200]
    return activity


def _size(elements: list[Element]) -> int:
    return len(json.dumps(elements, ensure_ascii=False).encode())


def _split(elements: list[Element]) -> list[list[Element]]:
    """Elements of one unit too big for a card, in card-sized runs."""
    runs: list[list[Element]] = [[]]
    for element in elements:
        if runs[-1] and _size([*runs[-1], element]) > MAX_CARD_BYTES:
            runs.append([])
        runs[-1].append(element)
    return runs


def summary(reply: Reply) -> str:
    """The notification line: the first non-empty line of the plain reply."""
    for line in reply.plain().splitlines():
        if line.strip():
            return line.strip().strip("=").strip()
    return ""


def messages(reply: Reply) -> list[Activity]:
    """Message activities Teams accepts, in posting order (files are `bot.teams.files`)."""
    cards: list[tuple[list[Element], list[dict[str, Any]]]] = [([], [])]
    units = _units(reply)
    if reply.buttons:
        units.append((actions(reply.buttons), []))
    for elements, entities in units:
        body, found = cards[-1]
        if _size(body + elements) <= MAX_CARD_BYTES:
            body.extend(elements)
            found.extend(entities)
            continue
        for run in _split(elements):
            if cards[-1][0] and _size(cards[-1][0] + run) > MAX_CARD_BYTES:
                cards.append(([], []))
            cards[-1][0].extend(run)
        cards[-1][1].extend(entities)
    first = summary(reply)
    total = len(cards)
    return [
        card_activity(card(body, entities), first if total == 1 else f"{first} ({n + 1}/{total})")
        for n, (body, entities) in enumerate(cards)
        if body or n == 0
    ]
