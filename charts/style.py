"""The one house style of Partnerbot's charts and report.

Why one module: a steering group reads these charts side by side, so colours, sizes, number
formats and the fixed words must mean the same thing everywhere. `charts.layout` draws with them:
text measured and wrapped, the title, the source line, the DEMO band and legends.

Sizes: figures are drawn at `DPI` = 150, so 8 x 5 in gives the 1200 x 750 px that Slack shows
sharply in its preview; fonts are never below 9 pt at that size. Colours are the Okabe-Ito
palette, which stays distinguishable with the common colour-vision deficiencies, and every
colour that carries meaning has a second cue (marker shape, hatching, symbol or a word).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from matplotlib.ticker import FuncFormatter

DPI = 150
WIDTH_PX = 1200  # every single chart: 1200 x 750 px (8 x 5 in at 150 dpi)
HEIGHT_PX = 750
FONT = "DejaVu Sans"  # ships with matplotlib and has æ, ø, å, ✓, ✕, →

# Okabe-Ito colours, named by what they mean in these charts.
GREEN = "#009E73"  # met, on track
VERMILLION = "#D55E00"  # not met, delayed
ORANGE = "#E69F00"  # at risk, partly, approaching
GREY = "#999999"  # monitored, neutral, no data
BLUE = "#0072B2"  # the partnership's area
SKY = "#56B4E9"  # light accents
BLACK = "#000000"  # the comparison series (dashed)
DARK = "#4D4D4D"  # done
INK = "#222222"  # text
MUTED = "#5A5A5A"  # secondary text (>= 4.5:1 contrast on white)
RULE = "#D9D9D9"  # grid lines, table rules
PANEL_GREY = "#F3F3F3"  # background of monitored-only panels
DEMO_RED = "#B00020"  # the DEMO band: not a data colour, so it cannot be misread as one

# Font sizes in points (>= 9 at the Slack preview size).
TITLE_PT = 15
SUBTITLE_PT = 10.5
PANEL_PT = 11
LABEL_PT = 10
TICK_PT = 9.5
SMALL_PT = 9

DEMO_BAND_IN = 0.28  # height of the red DEMO band at the top of a chart or page

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "source": "Kilde: {source} · Data\u00a0pr.\u00a0{date}",
        "demo": "DEMODATA — syntetiske tal",
        "met": "opfyldt",
        "not-met": "ikke opfyldt",
        "monitored": "moniteres",
        "at-level": "på niveau",
        "approaching": "nærmer sig",
        "not-approaching": "nærmer sig ikke",
        "no-data": "ingen data",
        "partly": "delvist",
        "on-track": "planmæssig",
        "at-risk": "udfordret",
        "delayed": "forsinket",
        "done": "afsluttet",
        "none": "ingen opdatering",
        "points": "{value} procentpoint",
    },
    "en": {
        "source": "Source: {source} · Data\u00a0as\u00a0of\u00a0{date}",
        "demo": "DEMO DATA — synthetic figures",
        "met": "met",
        "not-met": "not met",
        "monitored": "monitored",
        "at-level": "at level",
        "approaching": "approaching",
        "not-approaching": "not approaching",
        "no-data": "no data",
        "partly": "partly",
        "on-track": "on-track",
        "at-risk": "at-risk",
        "delayed": "delayed",
        "done": "done",
        "none": "no update",
        "points": "{value} percentage points",
    },
}

# The traffic-light cells of the report's tables (charts.report_data.tone): light fills, so the
# cell's word in INK keeps a contrast far above WCAG's 4.5:1 (13:1 and more); the word is always
# there too, so no reader depends on the colour.
TONE_FILLS: dict[str, str] = {
    "green": "#D3EFE3",
    "yellow": "#FCEBC0",
    "red": "#F7D5CE",
    "grey": "#E4E4E4",
}


@dataclass(frozen=True)
class ChartMeta:
    """What every chart must say about itself: language, whose data, from where, how fresh, real.

    `lang` is "da" or "en"; `as_of` is the date the newest figure was entered or published.
    """

    lang: str
    partnership: str
    source: str
    as_of: dt.date
    demo: bool

    def __post_init__(self) -> None:
        if self.lang not in TEXTS:
            raise ValueError(f"lang must be 'da' or 'en', not {self.lang!r}")


def text(lang: str, key: str, **values: Any) -> str:
    """A fixed phrase in the language (unknown keys come back as themselves, never crash)."""
    phrase = TEXTS.get(lang, TEXTS["en"]).get(key, key)
    return phrase.format(**values) if values else phrase


# --- numbers and dates -------------------------------------------------------------------------


_LOCALES = {"da": "da_DK", "en": "en_US"}  # numbers through Babel (CLDR), as in replies


def fmt_number(value: float, lang: str, decimals: int = 0) -> str:
    """1234.5 -> "1.234,5" in Danish, "1,234.5" in English; NaN/None -> "–".

    Never use this for years: 2015 would become "2.015".
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    digits = format_decimal(abs(value), format=pattern, locale=_LOCALES.get(lang, "en_US"))
    negative = value < 0 and digits.strip("0.,") != ""  # no "-0,0"
    return ("-" if negative else "") + digits


def fmt_percent(value: float, lang: str, decimals: int = 1) -> str:
    """18.5 (a percentage, not a share) -> "18,5 %" in Danish, "18.5%" in English."""
    number = fmt_number(value, lang, decimals)
    if number == "–":
        return number
    return f"{number} %" if lang == "da" else f"{number}%"


def fmt_points(value: float, lang: str, decimals: int = 1) -> str:
    """A difference of percentages: "7,0 procentpoint" / "7.0 percentage points"."""
    return text(lang, "points", value=fmt_number(value, lang, decimals))


def fmt_date(day: dt.date, lang: str) -> str:
    """Danish d.m.yyyy ("5.6.2020"), English ISO ("2020-06-05")."""
    return format_date(day, "d.M.y", locale="da_DK") if lang == "da" else day.isoformat()


def number_formatter(lang: str, decimals: int = 0) -> FuncFormatter:
    """Axis tick labels in the language's number format."""
    return FuncFormatter(lambda x, _pos: fmt_number(x, lang, decimals))


def percent_formatter(lang: str, decimals: int = 0) -> FuncFormatter:
    """Axis tick labels for values that are percentages (0-100)."""
    return FuncFormatter(lambda x, _pos: fmt_percent(x, lang, decimals))


def year_from_note(note: str) -> int | None:
    """The first four-digit year in a series note ("Fra 2018 ..." -> 2018), if any."""
    found = re.search(r"\b(19|20)\d{2}\b", note or "")
    return int(found.group(0)) if found else None
