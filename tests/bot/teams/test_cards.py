"""Replies as Adaptive Cards (pure rendering): within Teams' message size, tables that read on
a phone, buttons that stand for their command, confirmations inside the card, and mentions only
where the bot means them."""

from __future__ import annotations

import json

from bot.teams import cards
from bot.teams.sdk import AdaptiveCard
from commands.engine.reply import Button, Confirm, Header, Note, Person, Reply, Table, Text


def _bodies(reply: Reply) -> list[list[dict]]:
    return [a["attachments"][0]["content"]["body"] for a in cards.messages(reply)]


def _walk(node: object) -> list[dict]:
    if isinstance(node, dict):
        return [node] + [x for v in node.values() for x in _walk(v)]
    if isinstance(node, list):
        return [x for v in node for x in _walk(v)]
    return []


def test_a_long_table_is_split_into_cards_under_the_limit_with_every_row() -> None:
    rows = tuple((f"PF{n}", f"Aktivitet nummer {n} " * 5, "planmæssig") for n in range(400))
    reply = Reply(
        blocks=[Header("Aktiviteter"), Table(("Kode", "Navn", "Status"), rows)],
        buttons=[Button("Skriv en opdatering", "update")],
    )
    activities = cards.messages(reply)
    assert len(activities) > 1
    for activity in activities:
        assert len(json.dumps(activity, ensure_ascii=False).encode()) < 28_000
    text = json.dumps(activities, ensure_ascii=False)
    assert all(f"**PF{n}**" in text for n in range(400))
    last = activities[-1]["attachments"][0]["content"]["body"]
    assert last[-1]["type"] == "ActionSet"
    assert activities[1]["summary"].endswith(f"(2/{len(activities)})")


def test_two_columns_are_facts_and_wider_tables_a_block_per_row() -> None:
    (body,) = _bodies(Reply(blocks=[Table(("Indikator", "2020"), (("Indbrud", "130"),))]))
    assert body == [{"type": "FactSet", "facts": [{"title": "Indbrud", "value": "130"}]}]
    (body,) = _bodies(Reply(blocks=[Table(("Kode", "Org", "Status"), (("PF1", "sof", ""),))]))
    row = body[0]
    assert row["type"] == "Container" and row["items"][0]["text"] == "**PF1**"
    assert row["items"][1]["facts"] == [
        {"title": "Org", "value": "sof"},
        {"title": "Status", "value": "–"},
    ]


def test_a_destructive_button_asks_inside_the_card_first() -> None:
    confirm = Confirm("Aflys mødet?", "Alle får besked.", "Aflys", "Fortryd")
    reply = Reply(
        blocks=[Text("Møde 3")], buttons=[Button("Aflys", "meeting cancel 3", confirm, "danger")]
    )
    (body,) = _bodies(reply)
    shown = body[1]["actions"][0]
    assert shown["type"] == "Action.ToggleVisibility"
    hidden = next(e for e in body if e.get("id") == shown["targetElements"][0])
    assert hidden["isVisible"] is False
    yes, no = hidden["items"][-1]["actions"]
    assert yes == {"type": "Action.Submit", "title": "Aflys", "style": "destructive",
                   "data": {"pb": "meeting cancel 3"}}  # fmt: skip
    assert no["type"] == "Action.ToggleVisibility"


def test_only_the_bots_own_mentions_notify() -> None:
    anna = Person("teams", "aaaaaaaa-0000-4000-8000-000000000002", "Anna")
    reply = Reply(blocks=[Text("Husk <at>Alle</at> at svare", mentions=(anna,))])
    activity = cards.messages(reply)[0]
    content = activity["attachments"][0]["content"]
    text = content["body"][0]["text"]
    assert "<at>Alle</at>" not in text and text.endswith("<at>Anna</at>")
    assert content["msteams"]["entities"] == [
        {"type": "mention", "text": "<at>Anna</at>", "mentioned": {"id": anna.id, "name": "Anna"}}
    ]


def test_markup_headers_and_notes() -> None:
    (body,) = _bodies(
        Reply(blocks=[Header("Status"), Text("Skriv `@Partnerbot hjælp`"), Note("Kilde: KK")])
    )
    assert body[0]["weight"] == "Bolder" and body[0]["size"] == "Large"
    assert body[1]["text"] == "Skriv **@Partnerbot hjælp**"
    assert body[2]["isSubtle"] is True


def test_every_card_is_one_the_sdk_reads_as_an_adaptive_card() -> None:
    confirm = Confirm("Sikker?", "Det kan ikke fortrydes.", "Ja", "Nej")
    reply = Reply(
        blocks=[Header("H"), Text("t"), Note("n"), Table(("a", "b", "c"), (("1", "2", "3"),))],
        buttons=[Button("Kør", "help", confirm), Button("Ok", "whoami", style="primary")],
    )
    for activity in cards.messages(reply):
        content = activity["attachments"][0]["content"]
        parsed = AdaptiveCard.model_validate(content)
        assert parsed.version == "1.5"
        kinds = {e["type"] for e in _walk(content) if "type" in e}
        assert {"TextBlock", "FactSet", "ActionSet", "Action.Submit"} <= kinds
