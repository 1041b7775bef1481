"""Numbers, money, percentages, years and dates as people read them, in Danish and English.

One function per kind, all through Babel (CLDR), so "1.234,5", "250.000 kr." and "13,5 %" are
written the same way in every reply. Babel's no-break spaces become plain spaces: replies are
plain text that people copy back into commands.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

NONE = "–"  # a missing value


def _locale(lang: str) -> str:
    return "da_DK" if lang == "da" else "en_US"


def _plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(
    value: float | None,
    lang: str,
    decimals: int | None = None,
    *,
    most: int = 3,
    sign: bool = False,
) -> str:
    """1234.5 -> "1.234,5" / "1,234.5". `decimals` fixes the decimals; without it a value
    shows the decimals it has, at most `most` ("0,13", "18,5", "145"). `sign` writes "+" on
    positive values (changes). Never for years: use `year`."""
    if _missing(value):
        return NONE
    assert value is not None
    places = "0" * decimals if decimals is not None else "#" * most
    pattern = "#,##0" + (f".{places}" if places else "")
    text = format_decimal(abs(value), format=pattern, locale=_locale(lang))
    zero = text.strip("0.,") == ""
    prefix = "-" if value < 0 and not zero else "+" if sign and value > 0 and not zero else ""
    return prefix + _plain(text)


def percent(
    value: float | None, lang: str, decimals: int | None = None, *, sign: bool = False
) -> str:
    """A percentage (18.5, not 0.185): "18,5 %" in Danish, "18.5%" in English (CLDR)."""
    shown = number(value, lang, decimals, most=1, sign=sign)
    if shown == NONE:
        return shown
    return f"{shown} %" if lang == "da" else f"{shown}%"


def points(value: float | None, lang: str, decimals: int = 1, *, sign: bool = False) -> str:
    """A difference of percentages: "7,0 pp" in both languages (procentpoint / points)."""
    shown = number(value, lang, decimals, sign=sign)
    return shown if shown == NONE else f"{shown} pp"


def money(amount: float | None, lang: str) -> str:
    """Whole kroner as Danes write them: "250.000 kr."; in English "DKK 250,000"."""
    shown = number(amount, lang, 0)
    if shown == NONE:
        return "-"
    return f"{shown} kr." if lang == "da" else f"DKK {shown}"


def figure(
    value: float | None, unit: str, lang: str, decimals: int | None = None, *, sign: bool = False
) -> str:
    """An indicator's value in its unit: percentages with "%", kroner as money, counts and
    rates as numbers with at most one decimal. `sign`: a change, "+12" / "-3"."""
    if unit == "percent":
        return percent(value, lang, decimals, sign=sign)
    if unit == "dkk" and not sign and not _missing(value):
        return money(value, lang)
    return number(value, lang, decimals, most=1, sign=sign)


def year(value: int | None) -> str:
    """2015 -> "2015" (never "2.015")."""
    return NONE if value is None else str(value)


def date(day: dt.date | dt.datetime, lang: str, *, long: bool = False) -> str:
    """2.3.2027 in Danish, 2027-03-02 in English (the forms commands accept); `long`: the
    month by name, "2. marts 2027" / "2 March 2027"."""
    if isinstance(day, dt.datetime):
        day = day.date()
    if long:
        return format_date(day, "d. MMMM y" if lang == "da" else "d MMMM y", locale=_locale(lang))
    return format_date(day, "d.M.y", locale="da_DK") if lang == "da" else day.isoformat()


def weekday(day: dt.date | dt.datetime, lang: str) -> str:
    """The day's name as it stands in a sentence: "lørdag" / "Saturday" (CLDR)."""
    return format_date(day, "EEEE", locale=_locale(lang))


def time(moment: dt.datetime | dt.time, lang: str) -> str:
    """13.00 in Danish, 13:00 in English."""
    return moment.strftime("%H.%M" if lang == "da" else "%H:%M")


def when(moment: dt.datetime, lang: str) -> str:
    """A local date and time: "2.3.2027 kl. 13.00" / "2027-03-02 13:00"."""
    joint = " kl. " if lang == "da" else " "
    return date(moment, lang) + joint + time(moment, lang)


@cache
def _plural_rule(lang: str) -> Locale:
    return Locale.parse(_locale(lang))


def plural(n: float, one: str, other: str, lang: str = "da") -> str:
    """The form for n by CLDR's plural rule of `lang`: plural(3, "række", "rækker") ->
    "rækker". Danish and English have the categories one and other only."""
    return one if _plural_rule(lang).plural_form(abs(n)) == "one" else other


def join(items: list[str], lang: str) -> str:
    """A list as the language writes it: "år og værdi", "year and value", "a, b og c"."""
    from babel.lists import format_list

    return format_list(items, locale=_locale(lang)) if items else ""


def count(lang: str, n: float, da: tuple[str, str], en: tuple[str, str]) -> str:
    """A count and its noun in the form the count takes: count("da", 1, ("møde", "møder"),
    ("meeting", "meetings")) -> "1 møde"; 1234 -> "1.234 møder"."""
    one, other = da if lang == "da" else en
    return f"{number(n, lang)} {plural(n, one, other, lang)}"
