"""Synthetic demo data for `partnerbot shell --demo`; it must say so wherever it is shown.

`ensure_demo` fills a fresh database with one plausible partnership year, so a new user can try
every command at once:

- the Partnership row marked `demo`, which every chart, list and report uses to say so;
- about a dozen fictional members (Danish-looking names built on "eksempel", "prøve", "demo",
  "fiktiv" ...): a chair and a secretariat from the chair's organisation, working-group members
  of the partners, steering-group members, two who prefer English;
- a Tryghedsplan of 20 activities over the focus areas (PF1-PF7, TB1-TB7, UB1-UB6) with Danish
  names, success criteria and budgets that add up to the file's activity budget;
- about 18 months of activity updates up to `today`, with some organisations lagging for months
  so the reminders have someone to nudge;
- assessments of the success criteria for the agreement's past years (2017-2019);
- each activity's prevention level, and its grant and spending per year from the period's
  start to `today` (the police's patrols run on the police's own money: without funding);
- police and survey figures from the baseline year to the end of the period (2015-2020): the
  baseline year equals the file's baselines, later years drift; every value's source starts
  with "DEMODATA (syntetisk)". Computed indicators (`components`, e.g. crime.total) are never
  entered.

None of it describes real people, activities or figures. Organisations, focus areas and
indicators come from the database (synced from the partnership file); for another partnership
whose slugs differ the templates fall back round-robin to whatever exists. A fixed random seed
makes the demo the same on every run; only dates move with `today`.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from config.partnership import Partnership as Spec
from storage.db import transaction
from storage.demo_meetings import seed_meetings
from storage.models import (
    Activity,
    ActivityBudget,
    ActivityUpdate,
    Assessment,
    AuditEvent,
    FocusArea,
    IndicatorDef,
    IndicatorValue,
    Meeting,
    Member,
    MemberIdentity,
    MemberRole,
    Organisation,
    Partnership,
)
from storage.sync import sync_partnership
from storage.types import utcnow

SEED = 2017
ACTOR = "demo"
POLICE_SOURCE = "DEMODATA (syntetisk) — Københavns Politi"
SURVEY_SOURCE = "DEMODATA (syntetisk) — Tryghedsundersøgelsen"
OTHER_SOURCE = "DEMODATA (syntetisk) — partnerskabets egne tal"
HISTORY_DAYS = 548  # about 18 months of activity updates
FIRST_YEAR = 2000  # the earliest year figures may be entered for (commands.rules.figures)
WHOLE_UNITS = frozenset({"reports", "count", "people", "dkk"})
UPPER = {"percent": 100.0, "per-1000": 1000.0}

T = TypeVar("T")


class DemoRefused(RuntimeError):
    """The database holds real data for the partnership; demo data must never be mixed in."""


@dataclass(frozen=True)
class _Person:
    first: str  # ASCII: it becomes the handle `first.org`
    name: str
    org: str
    roles: tuple[str, ...]
    lang: str | None = None


@dataclass(frozen=True)
class _Plan:
    area: int  # index into AREAS
    org: str
    name: str
    criteria: str
    budget: int
    goal: int
    progress: str  # with {n} (reached so far) and {goal}
    per_year: bool = True  # progress counts up over the year; else it is a level
    finishes: bool = False  # ends with status "done" a few months before today


AREAS = ("positive-faellesskaber", "tryggere-byliv", "uddannelse-beskaeftigelse")
# the plans' prevention levels, in PLANS order (PF1-PF7, TB1-TB7, UB1-UB6)
LEVELS = (
    "primary", "primary", "secondary", "primary", "secondary", "primary", "primary",
    "secondary", "primary", "primary", "secondary", "tertiary", "primary", "secondary",
    "secondary", "primary", "primary", "secondary", "primary", "secondary",
)  # fmt: skip
UNFUNDED = {"Nærpoliti i Tingbjerg og Husum"}  # the police pay for their own patrols

# The chair's and secretariat's organisation comes from the file's [roles], not from "okf".
PEOPLE = (
    _Person("mette", "Mette Eksempelsen", "okf", ("chair",)),
    _Person("jonas", "Jonas Prøvesen", "okf", ("secretariat",)),
    _Person("hanne", "Hanne Demosen", "sof", ("member",)),
    _Person("omar", "Omar Fiktivsen", "buf", ("member",), "en"),
    _Person("lise", "Lise Testrup", "bif", ("member",)),
    _Person("kasper", "Kasper Opdigtsen", "kff", ("member",)),
    _Person("rasmus", "Rasmus Prøvholm", "politi", ("member",)),
    _Person("sara", "Sara Demoholt", "ssp", ("member",)),
    _Person("peter", "Peter Eksempelgård", "fsb", ("member", "steering")),
    _Person("nadia", "Nadia Fiktivgård", "sab-kab", ("member",), "en"),
    _Person("ole", "Ole Testesen", "aab", ("member",)),
    _Person("birgitte", "Birgitte Pseudonymsen", "okf", ("steering",)),
)

# Budgets add up to 1.8 mio. kr.; another file's activity budget scales them.
PLANS = (
    _Plan(
        0,
        "kff",
        "Lektiecafé på biblioteket",
        "40 elever om ugen i lektiecaféen",
        100_000,
        40,
        "{n} af {goal} elever om ugen",
        per_year=False,
    ),
    _Plan(
        0,
        "buf",
        "Fritidsklub med åbent om aftenen",
        "60 unge bruger klubben mindst én gang om ugen",
        120_000,
        60,
        "{n} af {goal} unge kommer ugentligt",
        per_year=False,
    ),
    _Plan(
        0,
        "sof",
        "Forældrenetværk i Tingbjerg",
        "25 forældre i netværket om året",
        80_000,
        25,
        "{n} af {goal} forældre med i netværket",
    ),
    _Plan(
        0,
        "kff",
        "Idrætsforeninger for piger",
        "50 piger aktive i en forening om året",
        90_000,
        50,
        "{n} af {goal} piger i en forening",
    ),
    _Plan(
        0,
        "fsb",
        "Boligsociale mentorer for familier",
        "20 familier med mentor om året",
        90_000,
        20,
        "{n} af {goal} familier har fået en mentor",
    ),
    _Plan(
        0,
        "aab",
        "Sommeraktiviteter for børn og unge",
        "300 deltagere i sommerferien",
        100_000,
        300,
        "{n} af {goal} deltagere tilmeldt",
    ),
    _Plan(
        0,
        "sab-kab",
        "Kulturhuset som mødested",
        "12 fællesarrangementer om året",
        60_000,
        12,
        "{n} af {goal} arrangementer holdt",
        finishes=True,
    ),
    _Plan(
        1,
        "sof",
        "Natteravne i Tingbjerg",
        "Natteravne på gaden hver fredag og lørdag",
        70_000,
        100,
        "{n} af {goal} aftener med natteravne",
    ),
    _Plan(
        1,
        "okf",
        "Tryghedsvandring med beboere",
        "2 tryghedsvandringer om året med mindst 30 beboere",
        30_000,
        2,
        "{n} af {goal} tryghedsvandringer gennemført",
    ),
    _Plan(
        1,
        "tmf",
        "Belysning på stierne ved Utterslev Mose",
        "Ny belysning på 2 km sti ved Utterslev Mose",
        180_000,
        60,
        "{n} af {goal} lysmaster sat op",
        finishes=True,
    ),
    _Plan(
        1,
        "sof",
        "Gadeplansarbejde aften og weekend",
        "Kontakt med 80 unge om året",
        170_000,
        80,
        "{n} af {goal} unge i kontakt med gadeplansmedarbejderne",
    ),
    _Plan(
        1,
        "politi",
        "Nærpoliti i Tingbjerg og Husum",
        "Nærbetjente til stede 3 dage om ugen",
        20_000,
        3,
        "{n} af {goal} dage om ugen med nærbetjente",
        per_year=False,
    ),
    _Plan(
        1,
        "fsb",
        "Hurtig fjernelse af graffiti og hærværk",
        "Hærværk fjernet inden for 48 timer i 90 % af sagerne",
        80_000,
        90,
        "{n} % af sagerne løst inden for 48 timer (mål {goal} %)",
        per_year=False,
    ),
    _Plan(
        1,
        "ssp",
        "SSP-indsats ved Tingbjerg Skole",
        "Bekymringssamtaler med 25 unge om året",
        60_000,
        25,
        "{n} af {goal} bekymringssamtaler holdt",
    ),
    _Plan(
        2,
        "bif",
        "Jobcafé for unge",
        "100 besøg i jobcaféen om året",
        120_000,
        100,
        "{n} af {goal} besøg",
    ),
    _Plan(
        2,
        "bif",
        "Fritidsjob til unge 13-17 år",
        "30 unge i fritidsjob om året",
        150_000,
        30,
        "{n} af {goal} unge i fritidsjob",
    ),
    _Plan(
        2,
        "buf",
        "Uddannelsesvejledning i klubben",
        "40 unge får vejledning om året",
        70_000,
        40,
        "{n} af {goal} unge vejledt",
    ),
    _Plan(
        2,
        "bif",
        "Brobygning til erhvervsuddannelse",
        "15 unge starter på en erhvervsuddannelse om året",
        70_000,
        15,
        "{n} af {goal} unge startet på en uddannelse",
    ),
    _Plan(
        2,
        "suf",
        "Sundhed og motion for ledige",
        "35 ledige gennemfører et forløb om året",
        60_000,
        35,
        "{n} af {goal} har gennemført forløbet",
    ),
    _Plan(
        2,
        "sab-kab",
        "Praktikpladser i boligorganisationerne",
        "10 praktikpladser om året",
        80_000,
        10,
        "{n} af {goal} praktikpladser besat",
    ),
)

# Their activities get no update for months, so the 14-day nudge has someone to remind.
LAGGING_ORGS = ("kff", "aab")

NOTES = {
    "on-track": (
        "Forløber som planlagt.",
        "God deltagelse, også fra nye beboere.",
        "Samarbejdet med de boligsociale medarbejdere fungerer godt.",
        "Flere nye deltagere efter omtale i lokalavisen.",
        "Stabil drift; ingen særlige udfordringer.",
        "Erfaringerne deles på næste arbejdsgruppemøde.",
    ),
    "at-risk": (
        "Færre deltagere end forventet efter sommerferien.",
        "Mangler hænder; flere frivillige og medarbejdere rekrutteres.",
        "Nøglepersonen er på orlov; en vikar er ved at blive ansat.",
        "Lokalet er kun ledigt to dage om ugen.",
        "Svært at nå målgruppen; en opsøgende indsats planlægges.",
    ),
    "delayed": (
        "Leverandøren er forsinket; opstart ventes om to måneder.",
        "Afventer tilladelse fra kommunen.",
        "Stillingen som tovholder har været ubesat i en periode.",
        "Udbuddet skal gå om; ny tidsplan på vej.",
    ),
    "done": (
        "Aktiviteten er gennemført og evalueret.",
        "Afsluttet; erfaringerne indgår i næste års tryghedsplan.",
    ),
}
NEXT_STATUS = {  # a Markov chain: most activities stay on track, some wobble
    "on-track": (("on-track", 0.8), ("at-risk", 0.15), ("delayed", 0.05)),
    "at-risk": (("on-track", 0.45), ("at-risk", 0.4), ("delayed", 0.15)),
    "delayed": (("on-track", 0.3), ("at-risk", 0.35), ("delayed", 0.35)),
}
PACE = {"on-track": 1.0, "at-risk": 0.75, "delayed": 0.5, "done": 1.0}

ASSESSMENT_NOTES = {
    "met": (
        "Succeskriteriet er indfriet.",
        "Målet er nået og godt forankret hos partnerne.",
        "Indfriet; flere deltagere end forventet.",
    ),
    "partly": (
        "Delvist indfriet; målet blev først nået sidst på året.",
        "Delvist: aktiviteten kom sent i gang.",
        "Delvist indfriet; færre deltagere end planlagt.",
    ),
    "not-met": (
        "Ikke indfriet: mangel på personale det meste af året.",
        "Ikke indfriet; aktiviteten genovervejes i næste års plan.",
    ),
}

# Police figures as factors of the baseline, from the baseline year on. From 2018 a new
# burglary paragraph moved some theft reports to burglary (DESIGN section 2): Indbrud jumps,
# Tyveri/Røveri drops in the fourth year.
CRIME_FACTORS = {
    "crime.indbrud": (1.0, 0.93, 0.88, 1.12, 1.03, 0.91),
    "crime.tyveri-roeveri": (1.0, 1.04, 0.95, 0.82, 0.86, 0.8),
    "crime.vold-trusler-vaaben": (1.0, 1.08, 0.97, 0.92, 1.02, 0.88),
    "crime.haervaerk": (1.0, 0.9, 1.07, 0.83, 0.79, 0.86),
    "crime.narkotika": (1.0, 1.22, 1.35, 1.08, 1.3, 1.16),
    "crime.chikane": (1.0, 0.92, 1.11, 1.05, 0.87, 0.95),
}
# Survey percentages from the baseline year on: the area approaches the city level.
SURVEY_LEVELS = {
    "safety.unsafe": (37.0, 35.0, 34.0, 31.0, 30.0, 28.0),
    "safety.unsafe-city": (23.0, 22.0, 22.0, 21.0, 22.0, 21.0),
    "safety.unsafe-night": (50.0, 49.0, 47.0, 45.0, 44.0, 42.0),
    "safety.unsafe-night-city": (33.0, 33.0, 32.0, 31.0, 32.0, 31.0),
}
DEFAULT_LEVEL = {
    "percent": 30.0,
    "per-1000": 40.0,
    "reports": 100.0,
    "count": 50.0,
    "people": 50.0,
    "dkk": 500_000.0,
}


class _Picker(Generic[T]):
    """The named row if it exists; otherwise the next one round-robin (another partnership)."""

    def __init__(self, rows: dict[str, T]) -> None:
        self.rows = rows
        self.order = [rows[k] for k in sorted(rows)]
        self.turn = 0

    def get(self, slug: str) -> T:
        if slug in self.rows:
            return self.rows[slug]
        row = self.order[self.turn % len(self.order)]
        self.turn += 1
        return row


@dataclass
class _Clock:
    """Local calendar days to UTC timestamps, never later than the moment of seeding."""

    tz: dt.tzinfo
    stamp: dt.datetime

    def at(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
        return min(local.astimezone(dt.UTC), self.stamp)


def ensure_demo(engine: Engine, spec: Spec, today: dt.date | None = None) -> bool:
    """Seed the partnership with synthetic demo data; True if seeded, False if already a demo.

    Raises DemoRefused (nothing written) when the partnership already holds real data.
    """
    with transaction(engine) as session:
        row = session.exec(
            select(Partnership).where(Partnership.slug == spec.slug).with_for_update()
        ).first()  # concurrent seeders wait, then see data
        if row is None:
            row = sync_partnership(session, spec)
        pid = row.id
        assert pid is not None
        if _has_data(session, pid):
            if row.demo:
                return False  # keep the earlier demo session's changes
            raise DemoRefused(
                f"refusing to put demo data into a database that holds real data "
                f"for {spec.slug}; use another DATABASE_URL"
            )
        now = utcnow()
        local_today = now.astimezone(spec.tz).date()
        day = today or local_today
        stamp = (
            now
            if day == local_today
            else dt.datetime(day.year, day.month, day.day, 17, tzinfo=spec.tz).astimezone(dt.UTC)
        )
        counts = _seed(session, spec, pid, day, _Clock(spec.tz, stamp))
        row.demo = True
        session.add(row)
        session.add(
            AuditEvent(
                partnership_id=pid,
                actor=ACTOR,
                at=stamp,
                action="demo.seed",
                entity="partnership",
                entity_id=str(pid),
                after=json.dumps(counts, sort_keys=True),
            )
        )
    return True


def _has_data(session: Session, pid: int) -> bool:
    """Members, activities, figures or meetings: anything a person may have entered."""
    owned = (
        (Member.id, Member.partnership_id),
        (Activity.id, Activity.partnership_id),
        (IndicatorValue.id, IndicatorValue.partnership_id),
        (Meeting.id, Meeting.partnership_id),
    )
    return any(
        session.exec(select(key).where(owner == pid).limit(1)).first() is not None
        for key, owner in owned
    )


def _seed(session: Session, spec: Spec, pid: int, today: dt.date, clock: _Clock) -> dict[str, int]:
    rng = random.Random(SEED)
    orgs = _Picker(
        {
            o.slug: o
            for o in session.exec(
                select(Organisation).where(
                    Organisation.partnership_id == pid, Organisation.active == True
                )
            )
        }
    )
    areas = list(
        session.exec(
            select(FocusArea)
            .where(FocusArea.partnership_id == pid, FocusArea.active == True)
            .order_by(FocusArea.id)
        )
    )
    indicators = list(
        session.exec(
            select(IndicatorDef)
            .where(IndicatorDef.partnership_id == pid, IndicatorDef.active == True)
            .order_by(IndicatorDef.id)
        )
    )

    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    # The Tryghedsplan is approved in December before the period starts.
    plan_day = min(dt.date(spec.period.start.year - 1, 12, 10), window_start)
    members, roles = _members(session, spec, pid, orgs, clock.at(plan_day - dt.timedelta(14), 10))
    activities = _activities(session, spec, pid, orgs, areas, clock.at(plan_day, 14))

    org_member: dict[int, Member] = {}
    for member in members:
        if member.organisation_id is not None:
            org_member.setdefault(member.organisation_id, member)
    manager = members[0]  # the chair posts for organisations without a member
    secretariat = members[1]
    lagging = {orgs.get(slug).id for slug in LAGGING_ORGS}

    updates = [
        u
        for act, plan in activities
        for u in _updates(
            rng,
            clock,
            pid,
            act,
            plan,
            org_member.get(act.organisation_id, manager),
            act.organisation_id in lagging,
            window_start,
            today,
        )
    ]
    assessments = _assessments(rng, clock, spec, pid, activities, manager.handle, today)
    values = _values(rng, clock, spec, pid, indicators, secretariat.handle, today)
    money = _money(spec, pid, activities, secretariat.handle, today, clock)
    session.add_all([*updates, *assessments, *values, *money])
    session.flush()
    report_year = min(spec.period.end.year - 1, today.year - 1)

    def blocked(day: dt.date) -> bool:
        return any(b.covers(day) for b in spec.meetings.blackouts)

    seed_meetings(
        session, pid, members, roles, clock.at, dt.date(report_year, 12, 20), rng, set(),
        members[0].handle, blocked=blocked, settled=True,
    )  # fmt: skip
    meetings = seed_meetings(
        session, pid, members, roles, clock.at, today, rng, lagging, members[0].handle,
        blocked=blocked,
    )  # fmt: skip
    return meetings | {
        "members": len(members),
        "roles": len(roles),
        "activities": len(activities),
        "activity_updates": len(updates),
        "assessments": len(assessments),
        "indicator_values": len(values),
        "activity_budgets": len(money),
        "budget_dkk": sum(a.budget_dkk or 0 for a, _ in activities),
    }


def _members(
    session: Session, spec: Spec, pid: int, orgs: _Picker[Organisation], created: dt.datetime
) -> tuple[list[Member], list[MemberRole]]:
    members = []
    for person in PEOPLE:
        slug = (
            spec.roles.chair_organisation
            if "chair" in person.roles
            else spec.roles.secretariat_organisation
            if "secretariat" in person.roles
            else person.org
        )
        org = orgs.get(slug)
        members.append(
            Member(
                partnership_id=pid,
                handle=f"{person.first}.{org.slug}",
                display_name=person.name,
                organisation_id=org.id,
                lang=person.lang,
                created_at=created,
            )
        )
    session.add_all(members)
    session.flush()  # the roles need the members' ids
    roles = [
        MemberRole(partnership_id=pid, member_id=m.id or 0, role=role)
        for m, person in zip(members, PEOPLE, strict=True)
        for role in person.roles
    ]
    session.add_all(roles)
    # `partnerbot shell --demo --user mette.okf` acts as a demo person: a shell identity each
    session.add_all(
        MemberIdentity(
            partnership_id=pid,
            member_id=m.id or 0,
            platform="shell",
            external_id=m.handle.lower(),
            created_at=created,
        )
        for m in members
    )
    return members, roles


def _code_prefixes(areas: Sequence[FocusArea]) -> dict[int, str]:
    """PF, TB, UB: the initials of the area's slug, made unique."""
    out: dict[int, str] = {}
    for n, area in enumerate(areas, start=1):
        prefix = "".join(part[0] for part in area.slug.split("-") if part)[:4].upper() or "A"
        if prefix in out.values():
            prefix = f"{prefix}{n}-"
        out[area.id or 0] = prefix
    return out


def _budgets(total: int) -> list[int | None]:
    if total <= 0:
        return [None] * len(PLANS)
    planned = sum(p.budget for p in PLANS)
    out = [round(p.budget * total / planned / 5000) * 5000 for p in PLANS]
    largest = max(range(len(out)), key=out.__getitem__)
    out[largest] += total - sum(out)  # the sum is exactly the file's activity budget
    return list(out)


def _activities(
    session: Session,
    spec: Spec,
    pid: int,
    orgs: _Picker[Organisation],
    areas: list[FocusArea],
    created: dt.datetime,
) -> list[tuple[Activity, _Plan]]:
    by_slug = {a.slug: a for a in areas}
    use_templates = all(slug in by_slug for slug in AREAS)
    prefixes = _code_prefixes(areas)
    numbers: dict[int, int] = {}
    out = []
    for n, (plan, budget) in enumerate(
        zip(PLANS, _budgets(spec.budget.activities_dkk), strict=True)
    ):
        area = by_slug[AREAS[plan.area]] if use_templates else areas[n % len(areas)]
        aid = area.id or 0
        numbers[aid] = numbers.get(aid, 0) + 1
        out.append(
            (
                Activity(
                    partnership_id=pid,
                    code=f"{prefixes[aid]}{numbers[aid]}",
                    name=plan.name,
                    focus_area_id=aid,
                    organisation_id=orgs.get(plan.org).id or 0,
                    criteria=plan.criteria,
                    budget_dkk=budget,
                    prevention=LEVELS[n % len(LEVELS)],
                    funded=plan.name not in UNFUNDED,
                    created_at=created,
                ),
                plan,
            )
        )
    session.add_all([a for a, _ in out])
    session.flush()  # the updates and assessments need the activities' ids
    return out


def _money(
    spec: Spec,
    pid: int,
    activities: list[tuple[Activity, _Plan]],
    actor: str,
    today: dt.date,
    clock: _Clock,
) -> list[ActivityBudget]:
    """Each funded activity's grant per year (its planned budget, give or take) and what it
    spent: a past year 80-105 % of the grant, this year as much of it as the year has run.
    Its own random stream, so the rest of the demo stays as it was."""
    rng = random.Random(SEED + 1)
    elapsed = (today.timetuple().tm_yday - 1) / 365
    out = []
    for year in range(spec.period.start.year, today.year + 1):
        for act, _ in activities:
            if not act.funded or not act.budget_dkk:
                continue
            granted = round(act.budget_dkk * rng.uniform(0.9, 1.0) / 5000) * 5000
            share = rng.uniform(0.8, 1.05) * (elapsed if year == today.year else 1)
            out.append(
                ActivityBudget(
                    partnership_id=pid,
                    activity_id=act.id or 0,
                    year=year,
                    granted_dkk=granted,
                    spent_dkk=round(granted * share / 1000) * 1000,
                    updated_by=actor,
                    updated_at=clock.at(dt.date(year, 1, 15) if year < today.year else today, 10),
                )
            )
    return out


def _workday(day: dt.date) -> dt.date:
    """People post on working days: a weekend day moves back to Friday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _updates(
    rng: random.Random,
    clock: _Clock,
    pid: int,
    act: Activity,
    plan: _Plan,
    author: Member,
    lagging: bool,
    start: dt.date,
    today: dt.date,
) -> list[ActivityUpdate]:
    last = today - dt.timedelta(days=1)
    stop = last - dt.timedelta(days=rng.randint(110, 210)) if lagging else last
    done_from = today - dt.timedelta(days=rng.randint(45, 120)) if plan.finishes else None
    pace = rng.uniform(0.8, 1.1)
    status = "on-track"
    day = start + dt.timedelta(days=rng.randint(0, 40))
    out: list[ActivityUpdate] = []
    while day <= stop:
        if done_from is not None and day >= done_from:
            status = "done"
        if plan.per_year:
            share = (day.timetuple().tm_yday / 365) * pace * PACE[status]
        else:
            share = pace * PACE[status] * rng.uniform(0.9, 1.05)
        reached = (
            plan.goal if status == "done" else max(0, min(plan.goal, round(plan.goal * share)))
        )
        posted = _workday(day)
        out.append(
            ActivityUpdate(
                partnership_id=pid,
                activity_id=act.id or 0,
                member_id=author.id,
                actor=author.handle,
                status=status,
                progress=plan.progress.format(n=reached, goal=plan.goal),
                note=rng.choice(NOTES[status]),
                created_at=clock.at(posted, rng.randint(8, 15), rng.randrange(0, 60, 5)),
            )
        )
        if status == "done":
            break  # nothing is reported on a finished activity
        choices, weights = zip(*NEXT_STATUS[status], strict=True)
        status = str(rng.choices(choices, weights)[0])
        day += dt.timedelta(days=rng.randint(35, 70))  # about once per working-group meeting
    return out


def _assessments(
    rng: random.Random,
    clock: _Clock,
    spec: Spec,
    pid: int,
    activities: list[tuple[Activity, _Plan]],
    actor: str,
    today: dt.date,
) -> list[Assessment]:
    """The past years of the agreement (2017-2019), before each year's status deadline."""
    years = [y for y in range(spec.period.start.year, spec.period.end.year) if y < today.year]
    month, day = (int(p) for p in spec.meetings.annual_status_deadline.split("-"))
    out = []
    for act, _ in activities:
        if rng.random() < 0.15:
            continue  # "most activities": a few were never assessed
        for year in years:
            fulfilment = rng.choices(("met", "partly", "not-met"), (0.55, 0.33, 0.12))[0]
            when = dt.date(year, month, day) - dt.timedelta(days=rng.randint(14, 35))
            out.append(
                Assessment(
                    partnership_id=pid,
                    activity_id=act.id or 0,
                    year=year,
                    fulfilment=fulfilment,
                    note=rng.choice(ASSESSMENT_NOTES[fulfilment]),
                    actor=actor,
                    created_at=clock.at(when, 11),
                )
            )
    return out


def _values(
    rng: random.Random,
    clock: _Clock,
    spec: Spec,
    pid: int,
    indicators: list[IndicatorDef],
    actor: str,
    today: dt.date,
) -> list[IndicatorValue]:
    """Figures from the baseline year to the end of the period, published each June."""
    first = max(FIRST_YEAR, spec.period.baseline_year)
    # A year's figures are published the following June; never invent figures for the future.
    years = list(range(first, min(spec.period.end.year, today.year - 1) + 1))
    entered = [i for i in indicators if not i.components]  # computed ones are never entered
    series: dict[str, list[float]] = {}
    # Comparison series first: the approach series are drawn relative to them.
    for ind in sorted(entered, key=lambda i: i.rule == "approach"):
        series[ind.key] = _series(rng, ind, years, series)
    out = []
    for ind in entered:
        source = (
            SURVEY_SOURCE
            if ind.unit == "percent"
            else POLICE_SOURCE
            if ind.group == "crime"
            else OTHER_SOURCE
        )
        for year, value in zip(years, series[ind.key], strict=True):
            when = dt.date(year + 1, 6, rng.randint(1, 20))
            out.append(
                IndicatorValue(
                    partnership_id=pid,
                    indicator_id=ind.id or 0,
                    year=year,
                    value=value,
                    revision=1,
                    source=source,
                    actor=actor,
                    created_at=clock.at(when, 10),
                )
            )
    return out


def _series(
    rng: random.Random, ind: IndicatorDef, years: list[int], known: dict[str, list[float]]
) -> list[float]:
    first = years[0] if years else 0
    if ind.key in CRIME_FACTORS and ind.baseline is not None:
        factors = CRIME_FACTORS[ind.key]
        raw = [ind.baseline * _pick(factors, y - first, rng) for y in years]
    elif ind.key in SURVEY_LEVELS:
        raw = [_pick(SURVEY_LEVELS[ind.key], y - first, rng) for y in years]
    else:
        raw = _generic(rng, ind, len(years), known)
    values = [_fit(ind.unit, v) for v in raw]
    if ind.baseline is not None:  # the baseline year is the file's baseline, exactly
        base_year = ind.baseline_year or first
        if base_year in years:
            values[years.index(base_year)] = _fit(ind.unit, ind.baseline)
    return values


def _pick(levels: tuple[float, ...], index: int, rng: random.Random) -> float:
    """The template's value; past its end (a longer period) the series drifts gently."""
    if index < len(levels):
        return levels[index]
    return levels[-1] * rng.uniform(0.94, 1.05)


def _generic(
    rng: random.Random, ind: IndicatorDef, count: int, known: dict[str, list[float]]
) -> list[float]:
    """Any other partnership's indicator: a plausible walk that respects the rule's direction."""
    if count == 0:
        return []
    level = DEFAULT_LEVEL.get(ind.unit, 50.0)
    if ind.rule in {"at-least-target", "at-most-target"} and ind.target is not None:
        low = ind.rule == "at-least-target"
        start = ind.baseline if ind.baseline is not None else ind.target * (0.6 if low else 1.4)
        end = ind.target * rng.uniform(0.92, 1.08)
        steps = max(1, count - 1)
        return [
            start + (end - start) * n / steps * rng.uniform(0.85, 1.1) if n else start
            for n in range(count)
        ]
    comparison = known.get(ind.comparison or "")
    if ind.rule == "approach" and comparison:
        gap = rng.uniform(8, 14)
        return [c + gap * (1 - 0.5 * n / max(1, count - 1)) for n, c in enumerate(comparison)]
    value = ind.baseline if ind.baseline is not None else level
    out = []
    for _ in range(count):
        out.append(value)
        value *= rng.uniform(0.92, 1.06)
    return out


def _fit(unit: str, value: float) -> float:
    """A value the unit allows (whole counts, 1-99 %), as `indicator set` would accept it."""
    if unit == "percent":
        return float(round(min(99.0, max(1.0, value)), 1))
    value = min(UPPER.get(unit, value), max(0.0, value))
    return float(round(value)) if unit in WHOLE_UNITS else float(round(value, 1))
