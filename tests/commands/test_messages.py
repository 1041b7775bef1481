"""Every message the bot can say exists in Danish and in English, and neither holds words of the
other language (issue 14: "Planen kan ikke laves: 2025 is over", "Mente du 'crime'?").

The messages are read from the source, where both languages are written together at each call
site (`call.t`, `call.fail`, `call.reply`, `call.announce`, `call.usage`, `say`, `Problem`),
and from the charts' word tables. Text in backticks or quotes (commands, keys, the user's own
words) and `{placeholders}` are left out: they are not the message's language. The word lists
hold short function words that only one of the two languages uses, so a hit is a real mix.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from charts import common, report_words, style
from commands import vocab

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("commands", "bot", "charts", "storage")
CALLS = {"t", "fail", "reply", "announce", "usage"}  # (da, en, **values)
SHIFTED = {"say", "Problem", "_problem"}  # (lang or column, da, en)
DANISH = {
    *("ikke", "og", "er", "skal", "kan", "med", "til", "af", "på", "som", "der", "det", "den"),
    *("eller", "mangler", "gemt", "intet", "ingen", "har", "være", "blev", "efter", "før"),
    *("endnu", "hvis"),
}
ENGLISH = {
    *("the", "is", "not", "and", "of", "with", "must", "nothing", "saved", "was", "are"),
    *("has", "have", "been", "yet", "if", "before", "after", "none"),
}


def _words(text: str) -> set[str]:
    for pattern in (r"`[^`]*`", r"'[^']*'", r'"[^"]*"', r"\{[^}]*\}"):
        text = re.sub(pattern, " ", text)
    return set(re.findall(r"[a-zæøå]+", text.lower()))


def _pairs(tree: ast.AST) -> Iterator[tuple[int, str, str]]:
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name == "_Kind":  # budget's receipts: (column, action, saved da/en, cleared da/en)
            pairs = [node.args[2:4], node.args[4:6]]
        elif name in SHIFTED:
            pairs = [node.args[1:3]]
        else:
            pairs = [node.args[:2]] if name in CALLS else []
        for args in pairs:
            texts = [
                a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            ]
            if len(texts) == 2:
                yield node.lineno, texts[0], texts[1]


def _messages() -> list[tuple[str, str, str]]:
    out = []
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*.py")):
            for line, da, en in _pairs(ast.parse(path.read_text(encoding="utf-8"))):
                out.append((f"{path.relative_to(ROOT)}:{line}", da, en))
    for table in (common.WORDS, report_words.WORDS, style.TEXTS):
        for key, da in table["da"].items():
            out.append((f"words:{key}", da, table["en"][key]))
    kinds = [k for k in vars(vocab).values() if isinstance(k, type) and issubclass(k, vocab.Word)]
    for kind in kinds:
        for word in kind:
            out.append((f"vocab.{kind.__name__}.{word.name}", word.da, word.en))
    return out


MESSAGES = _messages()


def test_the_scan_finds_the_messages() -> None:
    assert len(MESSAGES) > 500  # every call site, not a handful


def test_the_scan_catches_a_mixed_message() -> None:
    """The check itself can fail: the two messages issue 14 found are caught."""
    source = (
        'call.fail("Planen kan ikke laves: 2025 is over.", "The plan cannot be made.")\n'
        "call.t(\"Mente du 'crime'?\", \"Did you mean 'crime'? Intet er gemt.\")\n"
    )
    (_, da1, _), (_, _, en2) = list(_pairs(ast.parse(source)))
    assert _words(da1) & ENGLISH == {"is"}
    assert _words(en2) & DANISH == {"intet", "er", "gemt"}


def test_tables_have_the_same_keys_in_both_languages() -> None:
    for table in (common.WORDS, report_words.WORDS, style.TEXTS):
        assert set(table["da"]) == set(table["en"])


@pytest.mark.parametrize(("where", "da", "en"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_every_message_is_in_both_languages_unmixed(where: str, da: str, en: str) -> None:
    assert bool(da.strip()) == bool(en.strip()), f"{where}: one language is empty"
    assert not _words(da) & ENGLISH, f"{where}: English in the Danish text {da!r}"
    assert not _words(en) & DANISH, f"{where}: Danish in the English text {en!r}"
