"""Subcommands by name and Danish alias, with the right each needs and its usage text."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from commands.engine.context import say

if TYPE_CHECKING:
    from commands.engine.reply import Reply


class Right(Enum):
    """Who may run a subcommand (DESIGN section 3). Admins may run everything."""

    EVERYONE = "everyone"
    REGISTERED = "registered"
    UPDATER = (
        "updater"  # a member (own organisation only, checked by the command), chair, secretariat
    )
    MANAGER = "manager"  # chair, secretariat
    BINDER = "binder"  # chair (of the partnership named)


Handler = "Callable[[Call, Args], Reply]"


@dataclass(frozen=True)
class Sub:
    name: str
    da: str
    right: Right
    handler: Callable[..., Reply]
    usage_en: str
    usage_da: str
    example: str
    example_da: str
    options: frozenset[str] = frozenset()  # accepted option keys (English and Danish spellings)
    needs_partnership: bool = True
    # Slow work (charts, reports, files): chat adapters acknowledge first and post the
    # result when it is ready, because chat platforms wait only seconds.
    slow: bool = False


@dataclass
class Family:
    name: str
    da: str
    summary_en: str
    summary_da: str
    subs: dict[str, Sub] = field(default_factory=dict)
    default: str | None = None  # sub run when none is named (single-level commands use "")

    def add(self, sub: Sub) -> None:
        self.subs[sub.name] = sub

    def subcommand(
        self,
        name: str,
        da: str,
        right: Right,
        handler: Callable[..., Reply],
        args_en: str = "",
        args_da: str = "",
        example_en: str = "",
        example_da: str = "",
        options: frozenset[str] = frozenset(),
        *,
        needs_partnership: bool = True,
        slow: bool = False,
    ) -> None:
        """Add a subcommand. Its usage and example are written as what follows the command
        words ("[YEAR]", "[ÅR]", "2027", "2027"); the words themselves ("meeting list",
        "møde liste") come from the names, so they are written once."""
        en, da_words = f"{self.name} {name}".strip(), f"{self.da} {da}".strip()

        def written(words: str, rest: str) -> str:
            return f"{words} {rest}" if rest else words

        self.add(
            Sub(
                name,
                da,
                right,
                handler,
                written(en, args_en),
                written(da_words, args_da),
                written(en, example_en),
                written(da_words, example_da),
                options,
                needs_partnership,
                slow,
            )
        )

    def find(self, word: str) -> Sub | None:
        word = word.lower()
        return next((s for s in self.subs.values() if word in {s.name, s.da}), None)

    def names(self, lang: str) -> list[str]:
        return [say(lang, s.da, s.name) for s in self.subs.values() if s.name]


FAMILIES: dict[str, Family] = {}


def family(name: str, da: str, summary_en: str, summary_da: str) -> Family:
    """A new family; it is served once it is listed in `commands.families.FAMILIES`."""
    return Family(name, da, summary_en, summary_da)


def install(families: list[Family]) -> None:
    """Serve exactly these families, in this order (the order `help` lists them in)."""
    FAMILIES.clear()
    FAMILIES.update((f.name, f) for f in families)


def find_family(word: str) -> Family | None:
    word = word.lower()
    return next((f for f in FAMILIES.values() if word in {f.name, f.da}), None)


def closest(word: str, candidates: list[str]) -> str | None:
    """The candidate a mistyped word most likely means; the texts use `messages.hint`."""
    # Compared without case (activity codes are upper case, people type `pf1`), answered as
    # the candidate is written.
    written = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(word.lower(), list(written), n=1, cutoff=0.6)
    return written[match[0]] if match else None


def all_names() -> list[str]:
    return [n for f in FAMILIES.values() for n in (f.name, f.da)]


def usage(sub: Sub, lang: str, command: str) -> str:
    """The subcommand as it is written, in the language: "`/wg møde liste [ÅR]`"."""
    return f"`{command} {say(lang, sub.usage_da, sub.usage_en)}`"


def written(line: str, lang: str, command: str) -> str:
    """A subcommand named in English as the caller writes it: "meeting list" -> "`/wg møde
    liste`" (a name the registry does not know is shown as given)."""
    words = line.split()
    fam = find_family(words[0])
    sub = fam.find(" ".join(words[1:])) if fam else None
    if fam is None or sub is None:
        return f"`{command} {line}`"
    return f"`{command} {say(lang, f'{fam.da} {sub.da}', f'{fam.name} {sub.name}').strip()}`"
