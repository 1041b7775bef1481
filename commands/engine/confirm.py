"""Destructive commands ask first (issue 9): `meeting cancel 12`, `member remove @anna`, a
rebinding `bind SLUG` answer with what would happen and a button for the same line with
`confirm` (Danish `bekræft`) — a button that asks once more in chat — and change nothing; only
the line with `confirm` acts. Its answer replaces the question where the platform can, so no
live button is left behind.
"""

from __future__ import annotations

from dataclasses import replace

from commands.engine.context import Call
from commands.engine.reply import Button, Confirm, Reply, Text

WORDS = frozenset({"confirm", "bekræft"})


def confirmed(words: list[str]) -> tuple[list[str], bool]:
    """The words without a trailing `confirm`/`bekræft`, and whether it was there."""
    if words and words[-1].lower() in WORDS:
        return words[:-1], True
    return words, False


def ask(call: Call, question: str, *, label: str, line: str, line_da: str) -> Reply:
    """The question, how to answer it by text, and a danger button that asks once more."""
    typed = call.t(
        "Bekræft med knappen eller med `{c} {l}`. Intet er ændret endnu.",
        "Confirm with the button or with `{c} {l}`. Nothing has changed yet.",
        c=call.ctx.command,
        l=f"{line_da} bekræft" if call.lang == "da" else f"{line} confirm",
    )
    check = Confirm(label + "?", question, label, call.t("Fortryd", "Go back"))
    return Reply(
        blocks=[Text(f"{question} {typed}")],
        buttons=[Button(label, f"{line} confirm", check, "danger")],
    )


def answer(reply: Reply) -> Reply:
    """The reply to a confirmation: it takes the place of the question's message."""
    return replace(reply, replace_original=True)
