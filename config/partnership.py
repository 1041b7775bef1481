"""The partnership file (`config/partnerships/*.toml`): schema, validation and loading.

Errors name the file, the line (best effort: TOML parsers do not keep positions, so the line is
found by walking the table headers and keys) and the field, e.g.
`tingbjerg-husum.toml:88: indicators[4].rule: must be one of ...`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SLUG = r"^[a-z0-9][a-z0-9-]*$"
TENANT = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
INDICATOR_KEY = r"^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$"
DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")
NTH_WEEKDAY = re.compile(
    rf"^(first|last) ({'|'.join(WEEKDAYS)}) of ({'|'.join(MONTHS)})$", re.IGNORECASE
)

Rule = Literal[
    "at-most-baseline", "approach", "monitored", "comparison", "at-least-target", "at-most-target"
]
# Units fix the range a value may take; they come from the file, never from code paths.
Unit = Literal["reports", "percent", "per-1000", "count", "people", "dkk"]
ROLES = ("member", "chair", "secretariat", "steering")


class PartnershipConfigError(ValueError):
    """A partnership file is invalid; str() names file, line and field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Organisation(_Strict):
    slug: Annotated[str, Field(pattern=SLUG, max_length=40)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    kind: Literal["municipal", "police", "ssp", "housing", "other"] = "other"
    # Microsoft 365 tenant ids that are this organisation's own: a person whose account lives
    # there is of this organisation unless told otherwise (partners join from their tenants).
    tenants: tuple[Annotated[str, Field(pattern=TENANT)], ...] = ()

    @field_validator("tenants")
    @classmethod
    def _lower(cls, tenants: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(t.lower() for t in tenants)


class FocusArea(_Strict):
    slug: Annotated[str, Field(pattern=SLUG, max_length=60)]
    name_da: Annotated[str, Field(min_length=1)]
    name_en: Annotated[str, Field(min_length=1)]


class Indicator(_Strict):
    key: Annotated[str, Field(pattern=INDICATOR_KEY, max_length=80)]
    label_da: Annotated[str, Field(min_length=1)]
    label_en: Annotated[str, Field(min_length=1)]
    unit: Unit
    rule: Rule
    group: Annotated[str, Field(pattern=SLUG)]
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    comparison: str | None = None  # key of the comparison series (rule "approach")
    components: tuple[str, ...] = ()  # computed as the sum of these keys; never entered
    focus_area: str | None = None
    note_da: str | None = None
    note_en: str | None = None

    @property
    def computed(self) -> bool:
        return bool(self.components)

    @model_validator(mode="after")
    def _rule_needs(self) -> Indicator:
        if self.rule == "at-most-baseline" and self.baseline is None:
            raise ValueError("rule 'at-most-baseline' needs a baseline")
        if self.rule == "approach" and not self.comparison:
            raise ValueError("rule 'approach' needs a comparison key")
        if self.rule in {"at-least-target", "at-most-target"} and self.target is None:
            raise ValueError(f"rule {self.rule!r} needs a target")
        return self


class Period(_Strict):
    start: dt.date
    end: dt.date
    baseline_year: int

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Blackout(_Strict):
    """A period each year without meetings (the school holidays people take off), as a rule
    that holds for any year, never a list of dates. Either `week = 42` (the ISO week, Monday
    to Sunday), or `from` — a day ("12-22") or "last saturday of june" — and how long: `to`
    (a day, inclusive; before `from` means the next year's), `weeks` or `days`."""

    name_da: Annotated[str, Field(min_length=1, max_length=80)]
    name_en: Annotated[str, Field(min_length=1, max_length=80)]
    week: Annotated[int, Field(ge=1, le=52)] | None = None
    start: str | None = Field(default=None, alias="from")
    to: str | None = None
    weeks: Annotated[int, Field(ge=1, le=26)] | None = None
    days: Annotated[int, Field(ge=1, le=366)] | None = None

    @field_validator("start")
    @classmethod
    def _start(cls, value: str | None) -> str | None:
        if value is not None and not (_month_day(value) or NTH_WEEKDAY.match(value)):
            raise ValueError(
                f'{value!r} is not a day like "12-22" nor like "last saturday of june"'
            )
        return value

    @field_validator("to")
    @classmethod
    def _to(cls, value: str | None) -> str | None:
        if value is not None and not _month_day(value):
            raise ValueError(f'{value!r} is not a day like "01-01" (MM-DD)')
        return value

    @model_validator(mode="after")
    def _one_rule(self) -> Blackout:
        lengths = [n for n in (self.to, self.weeks, self.days) if n is not None]
        if self.week is not None and (self.start is not None or lengths):
            raise ValueError("give either week = N or from = … with its length, not both")
        if self.week is None and (self.start is None or len(lengths) != 1):
            raise ValueError("give week = N, or from = … with one of to, weeks or days")
        return self

    def span(self, year: int) -> tuple[dt.date, dt.date]:
        """The first and last day of the period that begins in `year`."""
        if self.week is not None:
            monday = dt.date.fromisocalendar(year, self.week, 1)
            return monday, monday + dt.timedelta(days=6)
        assert self.start is not None
        first = _day_in(self.start, year)
        if self.to is not None:
            last = _day_in(self.to, year)
            return first, last if last >= first else _day_in(self.to, year + 1)
        length = 7 * (self.weeks or 0) + (self.days or 0)
        return first, first + dt.timedelta(days=length - 1)

    def covers(self, day: dt.date) -> bool:
        """True when `day` is in the period (one that began the year before counts too)."""
        for year in (day.year - 1, day.year):
            first, last = self.span(year)
            if first <= day <= last:
                return True
        return False


def _month_day(text: str) -> tuple[int, int] | None:
    """ "12-22" -> (12, 22); None unless it is a day every year has (so never 02-29)."""
    match = MONTH_DAY.match(text)
    if not match:
        return None
    month, day = int(match.group(1)), int(match.group(2))
    try:
        dt.date(2001, month, day)
    except ValueError:
        return None
    return month, day


def _day_in(text: str, year: int) -> dt.date:
    """A validated `from`/`to` in a given year."""
    fixed = _month_day(text)
    if fixed:
        return dt.date(year, *fixed)
    match = NTH_WEEKDAY.match(text)
    assert match is not None
    which, weekday, month = match.group(1).lower(), match.group(2).lower(), match.group(3)
    wanted, number = WEEKDAYS.index(weekday), MONTHS.index(month.lower()) + 1
    if which == "first":
        day = dt.date(year, number, 1)
        return day + dt.timedelta(days=(wanted - day.weekday()) % 7)
    following = dt.date(year + number // 12, number % 12 + 1, 1)
    day = following - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - wanted) % 7)


class Meetings(_Strict):
    working_group_min: Annotated[int, Field(ge=0, le=52)]
    working_group_max: Annotated[int, Field(ge=1, le=52)]
    steering_group_min: Annotated[int, Field(ge=0, le=12)]
    # The steering group's review comes before this day each year ("MM-DD").
    annual_status_deadline: Annotated[str, Field(pattern=r"^\d\d-\d\d$")]
    reminder_leads: tuple[str, ...] = ("P14D", "P2D", "PT1H")
    default_time: Annotated[str, Field(pattern=r"^\d\d:\d\d$")] = "13:00"
    default_duration_minutes: Annotated[int, Field(ge=15, le=600)] = 120
    # School holidays and the like: the planner proposes no meeting in them, and a meeting
    # added or moved into one by hand is asked back (DESIGN sections 1 and 5).
    blackouts: tuple[Blackout, ...] = ()

    @field_validator("reminder_leads")
    @classmethod
    def _durations(cls, leads: tuple[str, ...]) -> tuple[str, ...]:
        for lead in leads:
            if not parse_duration(lead):
                raise ValueError(f"{lead!r} is not an ISO 8601 duration like P14D or PT1H")
        return leads

    @model_validator(mode="after")
    def _range(self) -> Meetings:
        if self.working_group_max < self.working_group_min:
            raise ValueError("working_group_max is below working_group_min")
        month, day = (int(p) for p in self.annual_status_deadline.split("-"))
        dt.date(2001, month, day)  # raises for 02-30 and the like
        return self


class SeriesBreak(_Strict):
    """A break in one or more series (a new paragraph, COVID-19, a boundary change): every
    chart, table and verdict whose years span it says so (DESIGN section 2).

    A break in a year (`year`) is spanned when the years shown run from before it to it or
    later: the figures either side are not fully comparable. A period (`year` to
    `last_year`, e.g. COVID-19 in 2020-21) is spanned when any year shown falls in it: those
    figures themselves are out of the ordinary."""

    indicators: Annotated[tuple[str, ...], Field(min_length=1)]
    year: Annotated[int, Field(ge=1990, le=2100)]
    last_year: Annotated[int, Field(ge=1990, le=2100)] | None = None
    note_da: Annotated[str, Field(min_length=1, max_length=400)]
    note_en: Annotated[str, Field(min_length=1, max_length=400)]

    @model_validator(mode="after")
    def _order(self) -> SeriesBreak:
        if self.last_year is not None and self.last_year < self.year:
            raise ValueError("last_year is before year")
        return self

    def spanned(self, years: Iterable[int]) -> bool:
        shown = set(years)
        if not shown:
            return False
        if self.last_year is not None:
            return any(self.year <= y <= self.last_year for y in shown)
        return min(shown) < self.year <= max(shown)

    def note(self, lang: str) -> str:
        return self.note_da if lang == "da" else self.note_en


class Budget(_Strict):
    activities_dkk: Annotated[int, Field(ge=0)]
    secretariat_dkk: Annotated[int, Field(ge=0)]


class Retention(_Strict):
    """How long the bot keeps personal data (issue 13); a daily job applies it.

    `audit_years` (default 5): audit events — who changed what, when, with the values before
    and after — are deleted when older. The trail is the partnership's case documentation
    (notatpligt, offentlighedsloven § 13): five years covers a four-year agreement period and
    the status report on its last year, and is the usual period municipalities keep case
    documents before they are discarded under the archives act's rules (arkivloven,
    Rigsarkivets bevarings- og kassationsbestemmelser); what must be kept for good (the status
    reports, the minutes) is filed in the municipality's own case system, not kept here.

    `former_members_months` (default 12): a removed member's name, handle and accounts are
    pseudonymised (as `member forget` does) this long after they left. A year covers the
    minutes still to be approved and the annual status report on the year they took part in;
    afterwards attendance and reporting count per organisation, which needs no name.
    """

    audit_years: Annotated[int, Field(ge=1, le=30)] = 5
    former_members_months: Annotated[int, Field(ge=1, le=120)] = 12


class Roles(_Strict):
    """Which organisation provides the chair and the secretariat (the agreement says ØKF)."""

    chair_organisation: str
    secretariat_organisation: str


class Partnership(_Strict):
    slug: Annotated[str, Field(pattern=SLUG, max_length=60)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    timezone: str
    locale: Literal["da", "en"]
    period: Period
    budget: Budget
    meetings: Meetings
    roles: Roles
    organisations: Annotated[tuple[Organisation, ...], Field(min_length=1)]
    focus_areas: Annotated[tuple[FocusArea, ...], Field(min_length=1)]
    indicators: tuple[Indicator, ...] = ()
    series_breaks: tuple[SeriesBreak, ...] = ()
    retention: Retention = Retention()

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @model_validator(mode="after")
    def _references(self) -> Partnership:
        _unique("organisations", [o.slug for o in self.organisations])
        _unique("focus_areas", [f.slug for f in self.focus_areas])
        _unique("indicators", [i.key for i in self.indicators])
        orgs = {o.slug for o in self.organisations}
        owners: dict[str, str] = {}
        for org in self.organisations:
            for tenant in org.tenants:
                if tenant in owners:
                    raise ValueError(
                        f"organisations: tenant {tenant} is listed for both "
                        f"{owners[tenant]!r} and {org.slug!r}; a tenant is one organisation's"
                    )
                owners[tenant] = org.slug
        for field_name in ("chair_organisation", "secretariat_organisation"):
            if getattr(self.roles, field_name) not in orgs:
                raise ValueError(f"roles.{field_name}: not one of the organisations")
        keys = {i.key for i in self.indicators}
        areas = {f.slug for f in self.focus_areas}
        for n, ind in enumerate(self.indicators):
            where = f"indicators[{n}] ({ind.key})"
            if ind.comparison and ind.comparison not in keys:
                raise ValueError(f"{where}: comparison {ind.comparison!r} is not an indicator")
            for comp in ind.components:
                if comp not in keys or comp == ind.key:
                    raise ValueError(f"{where}: component {comp!r} is not another indicator")
            if ind.focus_area and ind.focus_area not in areas:
                raise ValueError(f"{where}: focus_area {ind.focus_area!r} is not a focus area")
        for n, brk in enumerate(self.series_breaks):
            unknown = [k for k in brk.indicators if k not in keys]
            if unknown:
                raise ValueError(f"series_breaks[{n}]: {unknown[0]!r} is not an indicator")
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def organisation_of_tenant(self, tenant: str | None) -> Organisation | None:
        """The organisation whose own tenant an account's home tenant is, if the file says."""
        wanted = (tenant or "").lower()
        return next((o for o in self.organisations if wanted and wanted in o.tenants), None)

    def indicator(self, key: str) -> Indicator | None:
        return next((i for i in self.indicators if i.key == key), None)


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"{what}: {value!r} appears twice")
        seen.add(value)


def parse_duration(text: str) -> dt.timedelta | None:
    """ISO 8601 duration restricted to days, hours and minutes (P14D, P2D, PT1H, PT30M)."""
    match = DURATION.match(text)
    if not match or text in {"P", "PT"} or text.endswith("T"):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    delta = dt.timedelta(days=days, hours=hours, minutes=minutes)
    return delta if delta > dt.timedelta(0) else None


def _line_of(text: str, loc: tuple[str | int, ...]) -> int | None:
    """Best-effort line number of a pydantic error location in the TOML source."""
    lines = text.splitlines()
    table: str | None = None
    index = -1
    # ("organisations", 7, "tenants", 0) is key `tenants` in the 8th [[organisations]];
    # ("meetings", "blackouts", 2, "from") is key `from` in the 3rd [[meetings.blackouts]]
    first_int = next((n for n, p in enumerate(loc) if isinstance(p, int)), None)
    want_table: str | None
    if first_int and all(isinstance(p, str) for p in loc[:first_int]):
        want_table = ".".join(str(p) for p in loc[:first_int])
        want_index: int | None = int(loc[first_int])
        rest = loc[first_int + 1 :]
    else:
        want_table = next((p for p in loc if isinstance(p, str)), None)
        want_index = None
        rest = loc
    want_key = next((p for p in reversed(rest) if isinstance(p, str)), None)
    first_of_table: int | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        header = re.match(r"^\[\[?\s*([A-Za-z0-9_.-]+)\s*\]\]?", line)
        if header:
            table = header.group(1)
            index = index + 1 if table == want_table and line.startswith("[[") else index
            if table == want_table and (want_index is None or index == want_index):
                first_of_table = first_of_table or number
            continue
        in_target = (want_table == table and (want_index is None or index == want_index)) or (
            len(loc) == 1 and table is None
        )
        if in_target and want_key and re.match(rf"^{re.escape(want_key)}\s*=", line):
            return number
    return first_of_table


def _field_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def load_partnership(path: Path) -> Partnership:
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PartnershipConfigError(f"{path.name}: not valid TOML: {exc}") from exc
    try:
        return Partnership.model_validate(data)
    except ValidationError as exc:
        # A misspelt key shows as "unknown field" and as "missing": name the misspelling.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        loc = tuple(p for p in err["loc"] if p not in {"function-after", "tagged-union"})
        line = _line_of(text, loc)
        where = f"{path.name}:{line}" if line else path.name
        message = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            message = "unknown field (misspelt?)"
        more = f" (and {len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
        raise PartnershipConfigError(f"{where}: {_field_path(loc)}: {message}{more}") from exc


def load_all(config_dir: Path) -> dict[str, Partnership]:
    """Every `*.toml` in the directory, keyed by slug; the file's stem must be its slug."""
    found: dict[str, Partnership] = {}
    for path in sorted(config_dir.glob("*.toml")):
        spec = load_partnership(path)
        if spec.slug != path.stem:
            raise PartnershipConfigError(
                f"{path.name}: slug: {spec.slug!r} differs from the file name {path.stem!r}"
            )
        found[spec.slug] = spec
    if not found:
        raise PartnershipConfigError(f"{config_dir}: no partnership files (*.toml)")
    return found
