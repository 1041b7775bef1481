"""Block Kit rendering: what Slack would reject, and what a user would notice, never happens.

Slack refuses a whole message over one limit (50 blocks, 3000 chars a section, ~12,000 chars
of text in all), so these tests push replies far past the limits and check that every
message still fits and that no table row or line of text is lost on the way.
"""

from __future__ import annotations

import html
import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.slack.render import (
    MAX_BUTTON_TEXT,
    MAX_HEADER,
    MAX_MESSAGE_BLOCKS,
    MAX_MESSAGE_TEXT,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    button_action_id,
    escape,
    fallback_text,
    is_our_action,
    messages,
    reply_blocks,
    view_blocks,
)
from commands.engine.reply import Button, Confirm, Header, Note, Person, Reply, Table, Text

Block = dict[str, Any]


def mrkdwn_texts(blocks: list[Block]) -> list[str]:
    """Every mrkdwn string Slack will parse (sections and context elements)."""
    out: list[str] = []
    for b in blocks:
        if b["type"] == "section":
            assert b["text"]["type"] == "mrkdwn"
            out.append(b["text"]["text"])
        elif b["type"] == "context":
            out.extend(e["text"] for e in b["elements"] if e["type"] == "mrkdwn")
    return out


def text_len(block: Block) -> int:
    if block["type"] in ("section", "header"):
        return len(block["text"]["text"])
    return sum(
        len(e["text"]) if isinstance(e["text"], str) else len(e["text"]["text"])
        for e in block["elements"]
    )


def assert_slack_accepts(payloads: list[dict[str, Any]]) -> None:
    """The limits Slack enforces on chat.postMessage, checked on every payload."""
    assert payloads
    for msg in payloads:
        assert msg["text"].strip()
        assert len(msg["text"]) <= MAX_SECTION_TEXT
        blocks = msg["blocks"]
        assert 1 <= len(blocks) <= MAX_MESSAGE_BLOCKS
        assert sum(text_len(b) for b in blocks) <= MAX_MESSAGE_TEXT
        for b in blocks:
            assert "block_id" not in b
            if b["type"] == "header":
                assert 1 <= len(b["text"]["text"]) <= MAX_HEADER
                assert b["text"]["type"] == "plain_text"
            elif b["type"] == "actions":
                assert 1 <= len(b["elements"]) <= 25
                ids = [e["action_id"] for e in b["elements"]]
                assert len(set(ids)) == len(ids)
                for e in b["elements"]:
                    assert 1 <= len(e["text"]["text"]) <= MAX_BUTTON_TEXT
                    assert len(e.get("value", "")) <= 2000
                    assert len(e["action_id"]) <= 255
        for t in mrkdwn_texts(blocks):
            assert 1 <= len(t) <= MAX_SECTION_TEXT
            assert t.strip()
            assert "<" not in t and ">" not in t  # nothing Slack could read as a mention
            assert "&" not in re.sub(r"&(amp|lt|gt);", "", t)  # no entity cut in half


def unescape_all(payloads: list[dict[str, Any]]) -> str:
    """All visible mrkdwn text of the messages, in order, as the user reads it."""
    return "\n".join(html.unescape(t) for m in payloads for t in mrkdwn_texts(m["blocks"]))


def activity_table(n: int) -> Table:
    rows = tuple(
        (
            f"PF{i}",
            f"Tryghedsvandring nr. {i} i Vollsmose & omegn",
            "politi",
            "Tryghed i boligområder",
            "I gang (2025-03-14)",
        )
        for i in range(1, n + 1)
    )
    return Table(("Kode", "Aktivitet", "Org.", "Indsatsområde", "Seneste status"), rows)


def long_text(lines: int = 200, width: int = 99) -> str:
    return "\n".join(f"{i:05d} " + "x" * (width - 6) for i in range(lines))


# --- limits and completeness ---------------------------------------------------------------


def test_huge_reply_splits_into_messages_slack_accepts() -> None:
    reply = Reply(
        blocks=[Header("Status"), Text(long_text()), activity_table(500), Note("Kilde: db")],
        buttons=[Button("Opdater", "update PF1")],
    )
    payloads = messages(reply)
    assert len(payloads) > 1
    assert_slack_accepts(payloads)


def test_no_table_row_is_lost_and_rows_stay_in_order() -> None:
    """A wide table reads on a phone: one line per row, the code first and in bold."""
    table = activity_table(500)
    payloads = messages(Reply(blocks=[Text("Aktiviteter (500):"), table]))
    assert_slack_accepts(payloads)
    shown = unescape_all(payloads)
    positions = [shown.find(f"*PF{i}* · ") for i in range(1, 501)]
    assert all(p >= 0 for p in positions)
    assert positions == sorted(positions)
    for i in (1, 250, 500):  # each row exactly once
        assert shown.count(f"*PF{i}* · ") == 1
    assert "*PF7* · Tryghedsvandring nr. 7 i Vollsmose & omegn · Org.: politi · " in shown
    assert "```" not in shown  # no code block to wrap mid-column on a phone


def test_a_narrow_table_stays_aligned_with_its_header_on_each_part() -> None:
    table = Table(("År", "Anmeldelser"), tuple((str(1500 + i), str(i)) for i in range(500)))
    payloads = messages(Reply(blocks=[table]))
    assert_slack_accepts(payloads)
    table_texts = [t for m in payloads for t in mrkdwn_texts(m["blocks"]) if t.startswith("```")]
    assert len(table_texts) > 1
    assert all(t.split("\n")[1].startswith("År") for t in table_texts)
    assert all(t.endswith("\n```") for t in table_texts)
    shown = unescape_all(payloads)
    assert all(shown.count(f"\n{1500 + i}  ") == 1 for i in (0, 250, 499))


def test_long_text_is_split_at_line_boundaries_without_loss() -> None:
    text = long_text()  # 20,000 characters in 200 lines
    assert len(text) >= 19_999
    payloads = messages(Reply(blocks=[Text(text)]))
    assert_slack_accepts(payloads)
    sections = [t for m in payloads for t in mrkdwn_texts(m["blocks"])]
    assert len(sections) >= 7
    assert "\n".join(sections) == text  # split between lines, nothing lost or changed


def test_one_long_line_is_hard_split_without_loss() -> None:
    text = "a&b<c " * 4000  # 24,000 characters, no newline, entities near every cut
    payloads = messages(Reply(blocks=[Text(text)]))
    assert_slack_accepts(payloads)
    sections = [html.unescape(t) for m in payloads for t in mrkdwn_texts(m["blocks"])]
    assert "".join(sections) == text


def test_long_note_is_kept_within_limits() -> None:
    payloads = messages(Reply(blocks=[Note("n" * 7000)]))
    assert_slack_accepts(payloads)
    assert unescape_all(payloads).replace("\n", "") == "n" * 7000


# --- escaping and formatting ---------------------------------------------------------------


def test_user_text_never_pings_anybody() -> None:
    evil = "Mødet er flyttet <!channel> <!here> <@U123> <#C1|x> & <https://x.dk|klik>"
    short = "<!channel> <@U123> & co"  # table cells are clipped at 48 characters
    reply = Reply(blocks=[Text(evil), Note(evil), Table(("Note",), ((short,),))])
    payloads = messages(reply)
    assert_slack_accepts(payloads)
    for t in mrkdwn_texts(payloads[0]["blocks"]):
        assert "&lt;!channel&gt;" in t
        assert "&lt;@U123&gt;" in t
        assert " &amp; " in t
    assert "<" not in payloads[0]["text"] and "&lt;!channel&gt;" in payloads[0]["text"]
    assert escape("<@U1> & <!here>") == "&lt;@U1&gt; &amp; &lt;!here&gt;"


def test_markdown_bold_becomes_slack_bold_but_code_stays() -> None:
    reply = Reply(blocks=[Text("**Vigtigt:** skriv `/wg opdater PF1 <note>` eller `**x**`")])
    (section,) = reply_blocks(reply)
    assert section["text"]["text"] == (
        "*Vigtigt:* skriv `/wg opdater PF1 &lt;note&gt;` eller `**x**`"
    )


def test_header_is_plain_text_and_truncated() -> None:
    long = "Årsstatus for Tryghedspartnerskabet " * 10
    (header,) = reply_blocks(Reply(blocks=[Header(long)]))
    assert header["type"] == "header"
    assert header["text"] == {"type": "plain_text", "text": header["text"]["text"], "emoji": True}
    assert len(header["text"]["text"]) == MAX_HEADER
    assert header["text"]["text"].endswith("…")
    (short,) = reply_blocks(Reply(blocks=[Header("Møde 3 & 4")]))
    assert short["text"]["text"] == "Møde 3 & 4"  # plain_text is never parsed: no escaping


def test_empty_table_renders_its_header() -> None:
    (section,) = reply_blocks(Reply(blocks=[Table(("Kode", "Navn"), ())]))
    lines = section["text"]["text"].split("\n")
    assert lines[0] == "```" and lines[-1] == "```"
    assert lines[1].split() == ["Kode", "Navn"]
    assert set(lines[2].replace(" ", "")) == {"-"}


def test_header_is_not_left_alone_at_the_end_of_a_message() -> None:
    filler = [Text(f"Linje {i}") for i in range(MAX_MESSAGE_BLOCKS - 1)]
    reply = Reply(blocks=[*filler, Header("Aktiviteter"), activity_table(300)])
    payloads = messages(reply)
    assert_slack_accepts(payloads)
    for msg in payloads:
        assert msg["blocks"][-1]["type"] != "header"
    assert any(m["blocks"][0]["type"] == "header" for m in payloads[1:])


# --- buttons -------------------------------------------------------------------------------


def test_buttons_go_into_the_last_message_with_unique_parseable_ids() -> None:
    buttons = [Button(f"Opdatér PF{i}", f"update PF{i}") for i in range(30)]
    buttons.append(Button("x" * 200, "update " + "v" * 3000))
    reply = Reply(blocks=[Text(long_text()), activity_table(500)], buttons=buttons)
    payloads = messages(reply)
    assert len(payloads) > 1
    assert_slack_accepts(payloads)
    for msg in payloads[:-1]:
        assert all(b["type"] != "actions" for b in msg["blocks"])
    actions = [b for b in payloads[-1]["blocks"] if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 6]
    elements = [e for a in actions for e in a["elements"]]
    ids = [e["action_id"] for e in elements]
    assert len(set(ids)) == len(ids) == 31
    assert all(is_our_action(i) for i in ids)
    assert [e["value"] for e in elements[:30]] == [b.command for b in buttons[:30]]
    assert len(elements[-1]["value"]) == 2000  # Slack's limit for a button value
    assert len(elements[-1]["text"]["text"]) == MAX_BUTTON_TEXT


def test_action_ids_are_ours_and_foreign_ids_are_ignored() -> None:
    assert button_action_id(3) == "pb:3" and is_our_action(button_action_id(0))
    for foreign in ("update", "pb:update", "pb::1", "pb:update:x", "xx:1", "pb:", ""):
        assert not is_our_action(foreign)


def test_a_confirmation_and_style_reach_slack() -> None:
    ask = Confirm("Aflys mødet?", "Møde 12 aflyses for alle.", "Aflys", "Fortryd")
    (msg,) = messages(Reply(buttons=[Button("Aflys", "meeting cancel 12", ask, "danger")]))
    (element,) = msg["blocks"][0]["elements"]
    assert element["style"] == "danger" and element["value"] == "meeting cancel 12"
    assert element["confirm"]["title"]["text"] == "Aflys mødet?"
    assert element["confirm"]["confirm"]["text"] == "Aflys"


def test_buttons_only_reply_is_one_message() -> None:
    (msg,) = messages(Reply(buttons=[Button("Ja", "meeting plan 2027 confirm")]))
    assert [b["type"] for b in msg["blocks"]] == ["actions"]
    assert msg["text"].strip()


# --- views ---------------------------------------------------------------------------------


def test_view_is_truncated_with_a_count_of_what_was_left_out() -> None:
    reply = Reply(
        blocks=[Header("Alle aktiviteter"), activity_table(5000)],
        buttons=[Button("Opdater", "update PF1")],
    )
    assert len(reply_blocks(reply)) > MAX_VIEW_BLOCKS
    blocks = view_blocks(reply)
    assert len(blocks) == MAX_VIEW_BLOCKS
    assert blocks[-1]["type"] == "actions"  # the buttons survive truncation
    marker = blocks[-2]
    assert marker["type"] == "context"
    match = re.fullmatch(r"… \+(\d+)", marker["elements"][0]["text"])
    assert match
    shown = "\n".join(mrkdwn_texts(blocks[:-2]))
    rows_shown = len(re.findall(r"^\*PF\d+\* ", shown, flags=re.MULTILINE))
    assert rows_shown + int(match.group(1)) == 5000


def test_view_with_a_small_limit_and_a_small_reply() -> None:
    reply = Reply(blocks=[Text(f"Linje {i}") for i in range(30)])
    small = view_blocks(reply, limit=10)
    assert len(small) == 10
    assert small[-1]["elements"][0]["text"] == "… +21"
    assert view_blocks(reply) == reply_blocks(reply)  # fits: nothing changed


# --- fallback text and everyday replies ----------------------------------------------------


def test_fallback_text_for_a_table_only_reply() -> None:
    text = fallback_text(Reply(blocks=[activity_table(3)]))
    assert "Kode" in text and "PF1" in text
    assert "&amp; omegn" in text  # escaped: Slack parses this text for mentions too
    assert len(fallback_text(Reply(blocks=[activity_table(500)]))) <= MAX_SECTION_TEXT
    assert len(fallback_text(Reply(blocks=[Text("y" * 5000)]), limit=100)) == 100


def test_empty_reply_is_one_message_with_a_fallback() -> None:
    (msg,) = messages(Reply())
    assert msg["text"] == "…"
    assert_slack_accepts([msg])
    assert messages(Reply(blocks=[Text("  \n "), Header(" ")]))[0]["text"] == "…"


def test_activity_list_is_a_single_message() -> None:
    reply = Reply(
        blocks=[
            Text("Aktiviteter (20):"),
            activity_table(20),
            Note("DEMODATA: syntetiske aktiviteter og opdateringer."),
        ]
    )
    (msg,) = messages(reply)
    assert_slack_accepts([msg])
    assert [b["type"] for b in msg["blocks"]] == ["section", "section", "context"]
    assert msg["text"].startswith("Aktiviteter (20):")
    assert msg["blocks"] == reply_blocks(reply)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(alphabet="ab <>&*`\n!@æø", max_size=4000), max_size=4),
    rows=st.integers(min_value=0, max_value=400),
    cell=st.text(alphabet="x<&>` ", min_size=1, max_size=60),
    n_buttons=st.integers(min_value=0, max_value=60),
)
def test_any_reply_fits_slack(texts: list[str], rows: int, cell: str, n_buttons: int) -> None:
    table = Table(("A", "B"), tuple((f"r{i}", cell) for i in range(rows)))
    reply = Reply(
        blocks=[Header(t[:300]) if i % 2 else Text(t) for i, t in enumerate(texts)] + [table],
        buttons=[Button(f"b{i}", f"help {i}") for i in range(n_buttons)],
    )
    payloads = messages(reply)
    assert_slack_accepts(payloads)
    shown = unescape_all(payloads)
    assert len(re.findall(r"(?:^|\n)\*?r\d+", shown)) >= rows  # every row shown
    assert len(view_blocks(reply)) <= MAX_VIEW_BLOCKS


def test_only_the_bots_own_mentions_notify() -> None:
    people = (
        Person("slack", "U0ANNA", "anna"),
        Person("slack", "not-an-id"),
        Person("teams", "U0TEAMS"),  # another platform's person is no Slack mention
    )
    reply = Reply(blocks=[Text("No update from sof <@U999>", mentions=people)])
    text = messages(reply)[0]["blocks"][0]["text"]["text"]
    assert text.endswith("<@U0ANNA>")  # the deliberate mention, rendered for Slack
    assert "<@U999>" not in text and "&lt;@U999&gt;" in text  # typed text stays inert
    assert "not-an-id" not in text and "U0TEAMS" not in text
