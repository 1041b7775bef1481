"""What the annual status report shows, already evaluated and worded by the `report` command.

Plain dataclasses with no drawing library behind them, so the command can build a report's
content without loading matplotlib, and every renderer (the PDF, the Word document) reads the
same content. Cells are strings in the reader's language; where a cell carries a meaning the
renderer shows by more than its word (the traffic-light verdict cells), the stable key travels
beside the word, so no renderer ever has to look up a translated word.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from charts.style import ChartMeta

# verdict and fulfilment keys -> the traffic light of their cell (DESIGN section 2; issue 12):
# green met, yellow partly or approaching, red not met or not approaching, grey monitored or no
# data. The cell always carries its word as well, never colour alone.
TONES: dict[str, str] = {
    "met": "green",
    "at-level": "green",
    "partly": "yellow",
    "approaching": "yellow",
    "not-met": "red",
    "not-approaching": "red",
    "monitored": "grey",
    "no-data": "grey",
}


def tone(key: str) -> str:
    """The traffic light for a verdict or fulfilment key; "" for none (a plain cell)."""
    return TONES.get(key, "")


@dataclass(frozen=True)
class TargetRow:
    """One line of an overall-targets table, every cell already formatted in the language."""

    label: str
    latest_year: int | None
    value: str
    reference: str
    verdict: str
    verdict_key: str = "no-data"  # commands.vocab.Verdict's key: the cell's traffic light


@dataclass(frozen=True)
class ActivityRow:
    """One activity in the city's form; `fulfilment` is a word in the language, or "–".

    `prevention` is the level worded ("Primær forebyggelse"), "" when not set; the report
    groups by it within the focus area. `note` is the assessment's note, shown with the word.
    """

    area: str
    name: str
    organisation: str
    fulfilment: str
    code: str = ""
    prevention: str = ""
    fulfilment_key: str = ""  # commands.vocab.Fulfilment's key, "" when not assessed
    note: str = ""
    funded: bool = True  # False: runs without money from the partnership


@dataclass(frozen=True)
class MeetingRow:
    """A meeting held in the year; `attendance` e.g. "9 ja · 2 nej · 1 måske"."""

    date: str
    kind: str
    title: str
    attendance: str


@dataclass(frozen=True)
class YearTable:
    """A group of targets year by year: one row per year (missing figures shown as missing),
    then the change against the baseline and the verdict. `verdict_keys` are the last row's
    keys per column ("" for the first column and for comparison series); `notes` the series
    breaks and survey remarks the table spans; `sources` only those of the figures it shows."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    verdict_keys: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class EconomyTable:
    """Granted and spent per focus area and activity against the year's frame.

    `rows` are (area or activity, organisation, granted, spent) formatted; `area_rows` the
    indices of the focus-area subtotal rows (set in bold), `total_row` the index of the total
    (or None); `frame` one sentence naming the frame; `notes` e.g. what a mark means."""

    title: str
    frame: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    area_rows: tuple[int, ...] = ()
    total_row: int | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows, already evaluated and worded by the command.

    The frames are those of `charts.status` (they may be empty: the page then says which
    figure has no data). `baseline_year` only words the crime chart titles ("2015-niveau").
    `chart_sources` and `chart_notes` are per chart ("crime", "total", "safety"): the sources
    of the figures that chart shows and the series breaks it spans.
    """

    meta: ChartMeta
    year: int
    title: str
    generated: dt.date
    crime_targets: list[TargetRow]
    safety_targets: list[TargetRow]
    crime_frame: pd.DataFrame
    total_frame: pd.DataFrame
    safety_frame: pd.DataFrame
    activities: list[ActivityRow]
    meetings: list[MeetingRow]
    sources: list[str]
    # (organisation, meetings represented, meetings with attendance recorded), by name
    attendance: list[tuple[str, int, int]] = field(default_factory=list)
    follow_up: str = ""  # one sentence: created, done, open and overdue per organisation
    case: tuple[tuple[str, str], ...] = ()  # the city's case fields: ("Sagsnr.", "…"), …
    summary: list[str] = field(default_factory=list)  # one line per section, on page one
    years: list[YearTable] = field(default_factory=list)
    baseline_year: int | None = None
    economy: EconomyTable | None = None
    chart_sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    chart_notes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what is not there yet, named (the working year: "Politiets tal for 2026 kommer i 2027")
    pending: tuple[str, ...] = ()
