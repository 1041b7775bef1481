"""Reply texts shared by several commands, in Danish and English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from commands.engine import fmt
from commands.engine.context import Call, say
from commands.engine.parse import MAX_TEXT, ParseError
from commands.engine.registry import closest
from commands.vocab import Word

W = TypeVar("W", bound=Word)


class HasLang(Protocol):
    lang: str


PARSE_ERRORS: dict[str, tuple[str, str]] = {
    "too_long": (
        f"Teksten er for lang ({{d}} tegn; højst {MAX_TEXT}).",
        f"The text is too long ({{d}} characters; at most {MAX_TEXT}).",
    ),
    "unbalanced_quote": (
        "Et citationstegn er ikke lukket (ved '{d}'). Sæt \" omkring tekst med mellemrum.",
        "A quote is not closed (at '{d}'). Put \" around text with spaces.",
    ),
    "duplicate_option": ("'{d}=' står to gange.", "'{d}=' is given twice."),
    "bad_date": (
        "'{d}' er ikke en dato. Skriv fx 2.3.2027, 2/3, 3. marts 2027, i morgen eller tirsdag.",
        "'{d}' is not a date. Write e.g. 2027-03-02, 2.3.2027, 3 March 2027, tomorrow or Tuesday.",
    ),
    "ambiguous_date": (
        "'{d}' kan læses som {a} eller {b}. Skriv datoen som 2.3.2027 eller 2027-03-02.",
        "'{d}' could be {a} or {b}. Write the date as 2027-03-02 or 3 March 2027.",
    ),
    "year_or_time": (
        "Er {d} et årstal eller klokken {b}? Skriv fx `{a}-{d} kl. 13` eller `{a} kl. {b}`.",
        "Is {d} a year or the time {b}? Write e.g. `{a}-{d} 13:00` or `{a} {b}`.",
    ),
    "no_such_date": ("Datoen '{d}' findes ikke.", "The date '{d}' does not exist."),
    "bad_time": (
        "'{d}' er ikke et klokkeslæt. Skriv fx 13.00, kl. 13 eller 1330.",
        "'{d}' is not a time. Write e.g. 13:00, 13.00 or 1 pm.",
    ),
    "no_such_time": ("Klokkeslættet '{d}' findes ikke.", "The time '{d}' does not exist."),
    "bad_number": (
        "'{d}' er ikke et tal. Skriv fx 12,5 eller 145.",
        "'{d}' is not a number. Write e.g. 12.5 or 145.",
    ),
    "ambiguous_number": (
        "'{d}' kan være {a} eller decimaltallet {b}. Skriv {a} eller {b}, så der ikke er tvivl.",
        "'{d}' could be {a} or a decimal number. Write {a}, or {b} (decimal comma) for the "
        "decimal.",
    ),
    "bad_amount": (
        "'{d}' er ikke et beløb i hele kroner. Skriv fx 250000 eller 250.000.",
        "'{d}' is not an amount in whole kroner. Write e.g. 250000 or 250,000.",
    ),
    "bad_year": (
        "'{d}' er ikke et årstal. Skriv fx 2019.",
        "'{d}' is not a year. Write e.g. 2019.",
    ),
}


def parse_error_text(err: ParseError, lang: str, command: str = "/wg") -> str:
    da, en = PARSE_ERRORS.get(
        err.code, ("Kommandoen kunne ikke læses.", "The command could not be read.")
    )
    detail = err.detail if len(err.detail) <= 40 else err.detail[:39] + "…"
    choices = {k: _long_date(v, lang) for k, v in err.choices.items()}
    return say(lang, da, en, d=detail, c=command, **{"a": "", "b": "", **choices})


def _long_date(text: str, lang: str) -> str:
    """A reading named in a question back: "2027-03-02" -> "2. marts 2027" / "2 March 2027"."""
    try:
        return fmt.date(dt.date.fromisoformat(text), lang, long=True)
    except ValueError:
        return text


def hint(who: str | HasLang, word: str, candidates: Iterable[str], suffix: str = "") -> str:
    """The one "did you mean" of every reply: " Mente du 'x'?" / " Did you mean 'x'?" for the
    candidate a mistyped word most likely means, or "". `who` is a language or a call;
    `suffix` follows the word ("=" for an option)."""
    lang = who if isinstance(who, str) else who.lang
    best = closest(word, list(candidates))
    if best is None:
        return ""
    return say(lang, " Mente du '{b}'?", " Did you mean '{b}'?", b=best + suffix)


def parse_word(call: Call, kind: type[W], word: str, what_da: str, what_en: str) -> W:
    """The fixed word of `kind` a user typed (Danish, English, the key or an alias), else a
    refusal naming what it was, the likeliest word meant and the choices: "Ukendt status
    'on-trak'. Mente du 'on-track'? Vælg planmæssig, udfordret, forsinket, afsluttet."."""
    found = kind.parse(word)
    if found is None:
        # matched against every spelling, said in the caller's language ("crme" -> Danish
        # 'kriminalitet', never 'crime' inside a Danish reply)
        best = closest(word, list(kind.spellings()))
        meant = kind.parse(best) if best else None
        h = ""
        if meant is not None:
            h = say(call.lang, " Mente du '{b}'?", " Did you mean '{b}'?", b=meant.label(call.lang))
        raise call.fail(
            "Ukendt {k} '{w}'.{h} Vælg {s}.",
            "Unknown {k} '{w}'.{h} Choose {s}.",
            k=call.t(what_da, what_en),
            w=word[:30],
            h=h,
            s=kind.choices(call.lang, ", "),
        )
    return found
