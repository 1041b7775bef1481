"""Numbers, money and dates as people read them, in Danish and English."""

from __future__ import annotations


def fmt(value: float | None, unit: str, lang: str, decimals: int | None = None) -> str:
    if value is None:
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"
    if lang == "da":
        text = text.replace(",", "§").replace(".", ",").replace("§", ".")
    return f"{text} %" if unit == "percent" else text
