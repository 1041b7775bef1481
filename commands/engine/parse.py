"""Tokenizer and value parsers for command text. Pure functions, no I/O.

- words split on white space; "double", 'single' and typographic quotes (“…”, „…“, «…»)
  group words, because chat apps and phones turn straight quotes into curly ones;
- `key=value` (also `key="a value"`) becomes an option; keys are case-insensitive;
- dates: ISO `2027-03-02` or Danish `2.3.2027` / `02.03.2027`; times `13:00` or `13.00`;
- numbers: `12.5`, `12,5` (decimal comma) and `1.234,5` (Danish thousands).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

MAX_TEXT = 4000  # chat platforms deliver at most ~4000 characters of command text
QUOTES = {'"': '"', "'": "'", "“": "”", "„": "“", "”": "”", "«": "»", "‘": "’"}
KEY = re.compile(r"^([A-Za-zÆØÅæøå][A-Za-zÆØÅæøå_-]*)=(.*)$", re.DOTALL)


class ParseError(ValueError):
    """Bad text; `code` selects the reply, `detail` names the offending part."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail


@dataclass
class Args:
    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    # keys in the order given, with the original spelling (for error messages)
    option_spelling: dict[str, str] = field(default_factory=dict)


def clean(text: str) -> str:
    """Control characters become spaces; the text is NFC-normalised (æ typed two ways)."""
    text = unicodedata.normalize("NFC", text)
    return "".join(
        " " if (unicodedata.category(ch) in {"Cc", "Cf"} and ch not in "\t\n") else ch
        for ch in text
    )


def split_words(text: str) -> list[tuple[str, bool]]:
    """Split into (word, quoted_from_start); ParseError('unbalanced_quote') if a quote is open."""
    words: list[tuple[str, bool]] = []
    current: list[str] = []
    quoted = False
    closing: str | None = None
    has_word = False
    for ch in text:
        if closing is not None:
            if ch == closing or (closing in "”“" and ch in "”“"):
                closing = None
            else:
                current.append(ch)
            continue
        if ch in QUOTES and (not current or current[-1] == "="):
            closing = QUOTES[ch]
            quoted = quoted or not current  # quoted from the start: never an option
            has_word = True
            continue
        if ch.isspace():
            if has_word:
                words.append(("".join(current), quoted))
            current, quoted, has_word = [], False, False
            continue
        current.append(ch)
        has_word = True
    if closing is not None:
        start = "".join(current)[:20]
        raise ParseError("unbalanced_quote", start)
    if has_word:
        words.append(("".join(current), quoted))
    return words


def tokenize(text: str) -> Args:
    if len(text) > MAX_TEXT:
        raise ParseError("too_long", str(len(text)))
    args = Args()
    for word, quoted in split_words(clean(text)):
        match = None if quoted else KEY.match(word)
        if match:
            key = match.group(1).lower()
            if key in args.options:
                raise ParseError("duplicate_option", match.group(1))
            args.options[key] = match.group(2)
            args.option_spelling[key] = match.group(1)
        else:
            args.words.append(word)
    return args


def parse_date(text: str) -> dt.date:
    text = text.strip()
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
    danish = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif danish:
        day, month, year = (int(g) for g in danish.groups())
    else:
        raise ParseError("bad_date", text)
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ParseError("no_such_date", text) from exc


def parse_time(text: str) -> dt.time:
    match = re.fullmatch(r"([0-9]{1,2})[:.]([0-9]{2})", text.strip())
    if not match:
        raise ParseError("bad_time", text)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ParseError("no_such_time", text)
    return dt.time(hour, minute)


def parse_number(text: str) -> float:
    """A decimal number written the Danish or the English way."""
    raw = text.strip().replace("\u00a0", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", raw):
        raise ParseError("bad_number", text)
    if "." in raw and "," in raw:
        thousands, decimal = (".", ",") if raw.rfind(",") > raw.rfind(".") else (",", ".")
        raw = raw.replace(thousands, "").replace(decimal, ".")
    elif "," in raw:
        if raw.count(",") > 1:
            raise ParseError("bad_number", text)
        raw = raw.replace(",", ".")
    elif raw.count(".") > 1:
        raise ParseError("bad_number", text)
    try:
        return float(raw)
    except ValueError as exc:
        raise ParseError("bad_number", text) from exc


def parse_amount(text: str) -> int:
    """Whole kroner: `250000`, `250.000`, `250 000`, `250000 kr`."""
    raw = re.sub(r"(?i)\s*(kr\.?|dkk)$", "", text.strip())
    raw = raw.replace("\u00a0", "").replace(" ", "").replace("_", "")
    if re.fullmatch(r"[0-9]{1,3}([.,][0-9]{3})+", raw):
        raw = raw.replace(".", "").replace(",", "")
    if not re.fullmatch(r"[0-9]{1,12}", raw):  # isdigit() would let ² through to int()
        raise ParseError("bad_amount", text)
    return int(raw)


def parse_year(text: str) -> int:
    if not re.fullmatch(r"[0-9]{4}", text.strip()):
        raise ParseError("bad_year", text)
    return int(text)


def command_line(*words: str, options: dict[str, str] | None = None) -> str:
    """Words and options written back as command text that `tokenize` reads the same way (a
    button's command line)."""

    def quoted(word: str) -> str:
        if word and not any(c.isspace() or c in QUOTES for c in word) and "=" not in word:
            return word
        return '"' + word.replace('"', "'") + '"'

    parts = [quoted(w) for w in words]
    parts += [f"{k}={quoted(v)}" for k, v in (options or {}).items()]
    return " ".join(parts)
