"""Cells as a spreadsheet should see them: text that cannot run as a formula, local times.

Shared by every CSV and XLSX file the bot writes (the export, and any file a command builds):
one place decides how a value becomes a cell, so no writer can forget the formula guard.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# OWASP "CSV injection": Excel, LibreOffice and Google Sheets start a formula at any of these.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_TIMEZONE = "Europe/Copenhagen"

Cell = str | int | float | bool | None


def safe_text(text: str) -> str:
    """`text` with a leading `'` when a spreadsheet would otherwise read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def local_time(value: dt.datetime, zone: ZoneInfo) -> str:
    """`2027-03-02 13:00:00+01:00`: the partnership's wall clock, with its offset."""
    if value.tzinfo is None:  # every datetime column stores UTC (storage.types.UTCDateTime)
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zone).isoformat(sep=" ", timespec="seconds")


def number_text(value: float, *, decimal_comma: bool = False) -> str:
    """145.0 → `145`, 18.5 → `18.5` (or `18,5` for Danish Excel)."""
    text = str(int(value)) if value.is_integer() else repr(value)
    return text.replace(".", ",") if decimal_comma else text


def cell(value: object, zone: ZoneInfo) -> Cell:
    """A typed cell (for XLSX): numbers stay numbers, text is guarded, times are local."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dt.datetime):
        return local_time(value, zone)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return safe_text(str(value))


def csv_cell(value: object, zone: ZoneInfo, *, decimal_comma: bool = False) -> str:
    """The same cell as CSV text."""
    typed = cell(value, zone)
    if typed is None:
        return ""
    if isinstance(typed, bool):  # before int: True is an int too
        return "true" if typed else "false"
    if isinstance(typed, float):
        return number_text(typed, decimal_comma=decimal_comma)
    return str(typed)
