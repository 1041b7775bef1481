"""Rules for indicator figures (pure, no I/O): which values a unit allows and for which years.

Shared by `indicator set` and the file import, so both refuse the same things.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from commands.engine import fmt
from commands.engine.context import say
from commands.engine.parse import ParseError, parse_number

FIRST_YEAR = 2000
WHOLE_UNITS = {"reports", "count", "people", "dkk"}
UPPER = {
    "reports": 1_000_000,
    "count": 1_000_000,
    "people": 1_000_000,
    "percent": 100,
    "per-1000": 1000,
    "dkk": 10_000_000_000,
}


@dataclass(frozen=True)
class Problem(Exception):
    column: str  # "indicator", "year" or "value"
    da: str
    en: str

    def text(self, lang: str) -> str:
        return say(lang, self.da, self.en)


def check_year(text: str | int | float, this_year: int) -> int:
    raw = str(text).strip()
    if raw.endswith(".0"):  # spreadsheets hand years over as floats
        raw = raw[:-2]
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit()):
        raise Problem("year", f"'{raw[:20]}' er ikke et årstal", f"'{raw[:20]}' is not a year")
    year = int(raw)
    if not FIRST_YEAR <= year <= this_year + 1:
        raise Problem(
            "year",
            f"året {year} ligger uden for {FIRST_YEAR}-{this_year + 1}",
            f"the year {year} is outside {FIRST_YEAR}-{this_year + 1}",
        )
    return year


def check_value(unit: str, value: str | int | float) -> float:
    """The value as a float, or Problem naming why the unit does not allow it."""
    explicit_percent = isinstance(value, str) and value.strip().endswith("%")
    if isinstance(value, str):
        try:
            number = parse_number(value, whole=unit in WHOLE_UNITS)
        except ParseError as exc:
            shown = value.strip()[:20]
            if exc.code == "ambiguous_number":  # 1.234 where decimals are possible: asked back
                a, b = exc.choices["a"], exc.choices["b"]
                raise Problem(
                    "value",
                    f"'{shown}' kan være {a} eller decimaltallet {b}; skriv {a} eller {b}, så "
                    "der ikke er tvivl",
                    f"'{shown}' could be {a} or a decimal number; write {a}, or {b} (decimal "
                    "comma) for the decimal",
                ) from exc
            raise Problem(
                "value", f"'{shown}' er ikke et tal", f"'{shown}' is not a number"
            ) from exc
    else:
        number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise Problem("value", "værdien er ikke et tal", "the value is not a number")
    if number < 0:
        raise Problem(
            "value",
            f"{_da(number)} er negativ; tal kan ikke være under 0",
            f"{_en(number)} is negative; figures cannot be below 0",
        )
    upper = UPPER.get(unit, math.inf)
    if number > upper:
        if unit == "percent":
            raise Problem(
                "value",
                f"{_da(number)} % er over 100 %",
                f"{_en(number)}% is above 100%",
            )
        raise Problem(
            "value",
            f"{_da(number)} er urimeligt stort for enheden {unit}",
            f"{_en(number)} is implausibly large for the unit {unit}",
        )
    if unit in WHOLE_UNITS and not number.is_integer():
        raise Problem(
            "value",
            f"{_da(number)} er ikke et helt tal (antal anmeldelser o.l. er hele tal)",
            f"{_en(number)} is not a whole number (counts are whole)",
        )
    if unit == "percent" and 0 < number < 1 and not explicit_percent:
        # 0.13 is almost always 13 % typed as a fraction; a real 0.5 % can be written "0,5%".
        raise Problem(
            "value",
            f"{_da(number)} ligner en brøk; skriv {_da(number * 100)} for "
            f"{fmt.percent(number * 100, 'da')} (eller {_da(number)}% hvis du mener det)",
            f"{_en(number)} looks like a fraction; write {_en(number * 100)} for "
            f"{fmt.percent(number * 100, 'en')} (or {_en(number)}% if you mean it)",
        )
    return number


def _da(number: float) -> str:
    return fmt.number(number, "da", most=6)


def _en(number: float) -> str:
    return fmt.number(number, "en", most=6)


def computed_problem(key: str, components: str) -> Problem:
    parts = components.replace(",", ", ")
    return Problem(
        "indicator",
        f"{key} beregnes som summen af {parts} og kan ikke indtastes",
        f"{key} is computed as the sum of {parts} and cannot be entered",
    )


def check_respondents(value: object) -> int:
    """A survey's number of respondents (`n`): a whole number above 0, "1.024" as Danes write."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = str(value).strip().replace(".", "").replace("\u00a0", "").replace(" ", "")
    if isinstance(value, bool) or not (raw.isascii() and raw.isdigit()):
        raise Problem(
            "n",
            f"antallet af svar (n) skal være et helt tal, ikke '{str(value)[:20]}'",
            f"the number of respondents (n) must be a whole number, not '{str(value)[:20]}'",
        )
    if not 0 < int(raw) <= 10_000_000:
        raise Problem(
            "n",
            "antallet af svar (n) skal være over 0",
            "the number of respondents (n) must be above 0",
        )
    return int(raw)


def check_significant(value: object) -> bool:
    """Whether the change from the year before is significant: yes/no, ja/nej, TRUE/FALSE."""
    from commands.vocab import YesNo

    if isinstance(value, bool):
        return value
    answer = YesNo.parse(str(value))
    if answer is None:
        raise Problem(
            "significant",
            f"signifikant skal være ja eller nej, ikke '{str(value)[:20]}'",
            f"significant must be yes or no, not '{str(value)[:20]}'",
        )
    return answer is YesNo.YES


@dataclass(frozen=True)
class Details:
    """What the city's survey says beside a figure: respondents, significance, a remark."""

    n: int | None = None
    significant: bool | None = None
    note: str | None = None

    def given(self) -> bool:
        return (self.n, self.significant, self.note) != (None, None, None)
