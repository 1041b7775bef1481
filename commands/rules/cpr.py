"""Danish CPR numbers in free text (DESIGN section 3: "free text never stores a CPR number").

A CPR number is ten digits, `DDMMYY-SSSS`: the birth date, then a serial whose first digit
with the year gives the century. Written as people write it: `010190-1234`, `0101901234`,
`010190 1234` (also with an en dash, a non-breaking hyphen or a non-breaking space, as phones
and word processors turn them). Ten digits whose first six are no date — `1234567890`, an
amount — are not a CPR number, nor is a date that has not come yet (`010150-5123` would be
born in 2050).

No modulus-11 check: CPR numbers issued since 2007 need not satisfy it (the CPR office ran out
of numbers that do for some birth dates), so a check would let real numbers through.

Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re

DASHES = "-\u2010\u2011\u2012\u2013\u2212"  # hyphen, non-breaking hyphen, figure/en dash, minus
SPACES = " \u00a0\u202f"
# Not inside a longer run of letters or digits (an id, a GUID, a longer number)
CPR = re.compile(
    rf"(?<![0-9A-Za-z])([0-9]{{2}})([0-9]{{2}})([0-9]{{2}})[{DASHES}{SPACES}]?([0-9]{{4}})"
    r"(?![0-9A-Za-z])"
)


def century(yy: int, serial_first: int) -> int:
    """The birth century of a CPR number from its year and the serial's first digit (the CPR
    office's table): 0–3 → 1900s; 4 and 9 → 2000s for 00–36, else 1900s; 5–8 → 2000s for
    00–57, else 1800s."""
    if serial_first <= 3:
        return 1900
    if serial_first in (4, 9):
        return 2000 if yy <= 36 else 1900
    return 2000 if yy <= 57 else 1800


def birth_date(text: str) -> dt.date | None:
    """The birth date of a CPR number written alone (any of the forms above), else None."""
    match = CPR.fullmatch(text.strip())
    return _date(match) if match else None


def _date(match: re.Match[str]) -> dt.date | None:
    day, month, yy, serial = match.groups()
    base = century(int(yy), int(serial[0]))
    try:
        return dt.date(base + int(yy), int(month), int(day))
    except ValueError:
        return None


def find_cpr(text: str, today: dt.date | None = None) -> str | None:
    """The first CPR number in `text` (as written), or None. `today`: dates after it are no
    birth dates (by default the system's date)."""
    today = today or dt.date.today()
    for match in CPR.finditer(text):
        born = _date(match)
        if born is not None and born <= today:
            return match.group(0)
    return None


def has_cpr(text: str, today: dt.date | None = None) -> bool:
    return find_cpr(text, today) is not None
