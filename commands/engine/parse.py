"""Tokenizer and value parsers for command text. Pure functions, no I/O.

- words split on white space; "double", 'single' and typographic quotes (“…”, „…“, «…»)
  group words, because chat apps and phones turn straight quotes into curly ones;
- `key=value` (also `key="a value"`) becomes an option; keys are case-insensitive;
- dates: ISO `2027-03-02`, Danish `2.3.2027`, `2/3-2027`, `2/3 2027`, `3. marts 2027`,
  `3 mar 2027`; without a year (`2/3`, `2.3`) the next such date; `i morgen`, `tomorrow`, a
  weekday (`tirsdag`: the next Tuesday). `2/3` in English is asked back unless only one reading
  is a date; times `13:00`, `13.00`, `13`, `1300`, `kl. 13`, `kl 9.15`;
- numbers: `12.5`, `12,5` (decimal comma), `1.234,5` (Danish thousands), `13 %`; `1.234` is
  1234 for a count and asked back where decimals are possible;
- a number option's value goes on over a unit after it (`kr`, `kr.`, `DKK`, `%`), an amount's
  (`budget=`) over its thousands groups too: `budget=175 000`, `budget=250.000 kr.`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

MAX_TEXT = 4000  # chat platforms deliver at most ~4000 characters of command text
QUOTES = {'"': '"', "'": "'", "“": "”", "„": "“", "”": "”", "«": "»", "‘": "’"}
NUMBER_START = re.compile(r"(?i)(dkk|kr\.?)?[+-]?[0-9][0-9.,]*")
UNIT = re.compile(r"(?i)kr\.?|dkk|%")  # continues any number option: `fremdrift=40 %`
GROUP = re.compile(r"[0-9]{3}(,[0-9]+|,-)?")  # continues an amount only: `budget=175 000`
AMOUNT_KEYS = {"budget", "amount", "beløb"}  # elsewhere "12 100 unge" is a number and a note
KEY = re.compile(r"^([A-Za-zÆØÅæøå][A-Za-zÆØÅæøå_-]*)=(.*)$", re.DOTALL)


class ParseError(ValueError):
    """Bad text; `code` selects the reply, `detail` names the offending part."""

    def __init__(self, code: str, detail: str = "", **choices: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.choices = choices  # the readings an ambiguous text has, for the question back


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
    last: str | None = None  # the option a following word may continue
    for word, quoted in split_words(clean(text)):
        amount = last in AMOUNT_KEYS and GROUP.fullmatch(word)
        if last is not None and not quoted and (UNIT.fullmatch(word) or amount):
            args.options[last] += " " + word
            continue
        last = None
        match = None if quoted else KEY.match(word)
        if match:
            key = match.group(1).lower()
            if key in args.options:
                raise ParseError("duplicate_option", match.group(1))
            args.options[key] = match.group(2)
            args.option_spelling[key] = match.group(1)
            last = key if NUMBER_START.fullmatch(match.group(2)) else None
        else:
            args.words.append(word)
    return args


MONTHS = {
    **dict.fromkeys(("jan", "januar", "january"), 1),
    **dict.fromkeys(("feb", "februar", "february"), 2),
    **dict.fromkeys(("mar", "marts", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("maj", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oktober", "oct", "october"), 10),
    **dict.fromkeys(("nov", "november"), 11),
    **dict.fromkeys(("dec", "december"), 12),
}
WEEKDAYS = {
    **dict.fromkeys(("mandag", "man", "monday", "mon"), 0),
    **dict.fromkeys(("tirsdag", "tir", "tirs", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("onsdag", "ons", "wednesday", "wed"), 2),
    **dict.fromkeys(("torsdag", "tor", "tors", "thursday", "thu", "thurs"), 3),
    **dict.fromkeys(("fredag", "fre", "friday", "fri"), 4),
    **dict.fromkeys(("lørdag", "lør", "saturday", "sat"), 5),
    **dict.fromkeys(("søndag", "søn", "sunday", "sun"), 6),
}
RELATIVE = {"i dag": 0, "idag": 0, "today": 0, "i morgen": 1, "imorgen": 1, "tomorrow": 1}
RELATIVE |= {"i overmorgen": 2, "iovermorgen": 2}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:,?\s*([0-9]{4}))?"
NUMERIC = re.compile(
    r"([0-9]{1,2})\s*([./-])\s*([0-9]{1,2})\.?(?:(?:[./-]|\s+)([0-9]{4}|[0-9]{2}))?"
)
DAY_MONTH = re.compile(r"([0-9]{1,2})(?:\.|st|nd|rd|th)?\s*" + _MONTH + _YEAR)
MONTH_DAY = re.compile(_MONTH + r"\s+([0-9]{1,2})(?:st|nd|rd|th)?" + _YEAR)


def _day(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ParseError("no_such_date", text) from exc


def _next(month: int, day: int, today: dt.date | None, text: str) -> dt.date:
    """A date without a year: the next such date from today (today included)."""
    if today is None:
        raise ParseError("bad_date", text)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ParseError("no_such_date", text)
    for year in range(today.year, today.year + 9):  # 29 February: up to eight years ahead
        with contextlib.suppress(ValueError):
            if (found := dt.date(year, month, day)) >= today:
                return found
    raise ParseError("no_such_date", text)


def parse_date(text: str, today: dt.date | None = None, lang: str = "da") -> dt.date:
    """A date as people write it (see the module text). Relative and year-less forms need
    `today` (the partnership's local date). `2/3` is day/month in Danish; in English it is
    asked back (ParseError `ambiguous_date`) unless one of the numbers is over 12."""
    raw = text.strip()
    low = " ".join(raw.lower().split()).rstrip(",")
    if iso := re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", low):
        year, month, day = (int(g) for g in iso.groups())
        return _day(year, month, day, raw)
    if today is not None and low in RELATIVE:
        return today + dt.timedelta(days=RELATIVE[low])
    if today is not None and low in WEEKDAYS:  # the next such day, never today
        return today + dt.timedelta(days=(WEEKDAYS[low] - today.weekday() - 1) % 7 + 1)
    if numeric := NUMERIC.fullmatch(low):
        first, sep, second, year_text = numeric.groups()
        day_first = _Reading(int(second), int(first), year_text, today, raw)
        if lang == "da" or sep == ".":
            return day_first()
        readings = {d for d in (day_first, _Reading(int(first), int(second), year_text, today, raw))
                    if d.ok}  # fmt: skip
        if len(readings) > 1:
            a, b = sorted(readings, key=lambda d: d is not day_first)
            raise ParseError("ambiguous_date", raw, a=a().isoformat(), b=b().isoformat())
        return (readings.pop() if readings else day_first)()
    if named := DAY_MONTH.fullmatch(low):
        return _Reading(MONTHS[named.group(2)], int(named.group(1)), named.group(3), today, raw)()
    if named := MONTH_DAY.fullmatch(low):
        return _Reading(MONTHS[named.group(1)], int(named.group(2)), named.group(3), today, raw)()
    raise ParseError("bad_date", raw)


@dataclass(frozen=True)
class _Reading:
    """One reading of a day and month (and maybe a year): called, the date or its ParseError."""

    month: int
    day: int
    year_text: str | None
    today: dt.date | None
    raw: str

    @property
    def ok(self) -> bool:
        try:
            self()
        except ParseError:
            return False
        return True

    def __call__(self) -> dt.date:
        if not self.year_text:
            return _next(self.month, self.day, self.today, self.raw)
        year = int(self.year_text) + (2000 if len(self.year_text) == 2 else 0)
        return _day(year, self.month, self.day, self.raw)


def parse_time(text: str) -> dt.time:
    """`13:00`, `13.00`, `13`, `1300`, `kl. 13`, `kl 9.15`, `klokken 13`, `1 pm`."""
    low = " ".join(text.strip().lower().split())
    low = re.sub(r"^(klokken|kl\.?|at)\s*", "", low)
    match = re.fullmatch(r"([0-9]{1,2})(?:[:.]([0-9]{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", low)
    match = match or re.fullmatch(r"([0-9]{1,2})([0-9]{2})()", low)  # 1300, 915
    if not match:
        raise ParseError("bad_time", text.strip())
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "")[:1]
    if half and not 1 <= hour <= 12:
        raise ParseError("no_such_time", text.strip())
    hour = hour % 12 + (12 if half == "p" else 0) if half else hour
    if hour > 23 or minute > 59:
        raise ParseError("no_such_time", text.strip())
    return dt.time(hour, minute)


def parse_when(words: list[str], today: dt.date, lang: str = "da") -> tuple[dt.date, dt.time]:
    """A date and a time over several words ("3. marts 2027 kl. 13", "tirsdag 13.30",
    "2027-03-02 13:00"): every split into a date and a time is tried; exactly one must read.
    A year-less date before a bare four-digit number ("2/3 2027") is asked back: a year, or
    the time 20.27?"""
    readings: dict[tuple[dt.date, dt.time], int] = {}
    first: ParseError | None = None  # the error of the longest text that looks like a date
    for k in range(len(words) - 1, 0, -1):
        date_text, time_text = " ".join(words[:k]), " ".join(words[k:])
        try:
            day = parse_date(date_text, today, lang)
        except ParseError as err:
            if first is None and err.code != "bad_date":
                first = err
            continue
        try:
            at = parse_time(time_text)
        except ParseError as err:
            first = first or err
            continue
        if re.fullmatch(r"(19|20)[0-9]{2}", time_text) and not _has_year(date_text):
            raise ParseError("year_or_time", time_text, a=date_text, b=f"{at:%H.%M}")
        readings[(day, at)] = k
    if len(readings) == 1:
        return next(iter(readings))
    if readings:  # two readings of one text: never guessed
        a, b = sorted(readings)[:2]
        raise ParseError("ambiguous_date", " ".join(words), a=f"{a[0]} {a[1]:%H:%M}",
                         b=f"{b[0]} {b[1]:%H:%M}")  # fmt: skip
    if first is not None:
        raise first
    if len(words) < 2:
        raise ParseError("bad_time", "")
    parse_date(words[0], today, lang)
    raise ParseError("bad_date", " ".join(words))


def _has_year(text: str) -> bool:
    return bool(re.search(r"[0-9]{4}|[./-][0-9]{1,2}[./-][0-9]{2}$", text))


def parse_number(text: str, *, whole: bool = False) -> float:
    """A decimal number written the Danish or the English way ("13 %" with a space too).

    `1.234` is a thousands point to a Dane and a decimal point in English: for a count
    (`whole`) it is 1234, since a count has no decimals; otherwise it is asked back
    (`ambiguous_number`). `1.234.567` and `1,234,567` are thousands; `1,234` a decimal."""
    raw = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not re.fullmatch(r"[+-]?[0-9.,]*[0-9][0-9.,]*", raw):
        raise ParseError("bad_number", text)
    grouped = re.fullmatch(r"[+-]?[1-9][0-9]{0,2}(?:([.,])[0-9]{3})(?:\1[0-9]{3})*", raw)
    point = grouped.group(1) if grouped else ""
    if grouped and (raw.count(point) > 1 or (whole and point == ".")):
        return float(raw.replace(point, ""))
    if point == ".":
        raise ParseError(
            "ambiguous_number", text.strip(), a=raw.replace(".", ""), b=raw.replace(".", ",")
        )
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
    """Whole kroner: `250000`, `250.000`, `250 000`, `250000 kr`, `250.000,-`, `DKK 250,000`."""
    raw = re.sub(r"(?i)^(dkk|kr\.?)\s*", "", text.strip())
    raw = re.sub(r"(?i)\s*(kr\.?|dkk)$", "", raw)
    millions = re.fullmatch(
        r"(?i)([0-9]+(?:[.,][0-9]+)?)\s*(mio\.?|mill?\.?|millioner|millions?)", raw
    )
    if millions:  # "1,8 mio." as the agreement writes its frame
        amount = Decimal(millions[1].replace(",", ".")) * 1_000_000
        if amount != amount.to_integral_value():
            raise ParseError("bad_amount", text)
        return int(amount)
    raw = re.sub(r",(-|00)$", "", raw)  # "250.000,-" and "250.000,00": whole kroner
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
