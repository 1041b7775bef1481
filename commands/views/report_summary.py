"""The annual report's summary: one line per section, first thing the steering group reads
("4 af 5 mål for anmeldelser er opfyldt", "Andelen af utrygge nærmer sig københavnerniveauet:
forskellen er faldet fra 14,9 til 6,6 procentpoint"). Made from the verdicts and records
themselves — never from the translated words in the tables."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from commands.engine import fmt
from commands.engine.context import say
from commands.engine.fmt import plural
from commands.rules.evaluate import Verdict
from commands.views.targets import Indicator
from storage import records

COUNTED = ("met", "at-level", "not-met")  # targets that can be met (not monitored, with data)


def summary(
    session: Session,
    pid: int,
    year: int,
    lang: str,
    now: dt.datetime,
    verdicts: dict[str, list[tuple[Indicator, Verdict]]],
    fulfilment: list[str],
) -> list[str]:
    """`verdicts`: per group ("crime", "safety") the targets and how they stand in `year`;
    `fulfilment`: the year's assessment keys of the activities assessed, with "" for the rest."""
    lines = []
    crime = [v for _, v in verdicts.get("crime", []) if v.verdict in COUNTED]
    if crime:
        met = sum(v.verdict in ("met", "at-level") for v in crime)
        lines.append(
            say(lang, "{m} af {n} mål for anmeldelser er opfyldt i {y}.",
                "{m} of {n} {t} for police reports {v} met in {y}.",
                t=plural(len(crime), "target", "targets"), v=plural(met, "is", "are"),
                m=met, n=len(crime), y=year)
        )  # fmt: skip
    for ind, v in verdicts.get("safety", []):
        if ind.target.rule != "approach":
            continue
        label = ind.label(lang)
        if v.gap is None or v.first_gap is None:
            lines.append(say(lang, "{l}: ingen måling endnu.", "{l}: no survey yet.", l=label))
            continue
        fell = v.gap < v.first_gap
        lines.append(
            say(
                lang,
                "{l} {v} københavnerniveauet: forskellen er {d} fra {a} til {b} procentpoint.",
                "{l} {v} the Copenhagen level: the gap {d} from {a} to {b} percentage points.",
                l=label,
                v=say(lang, "nærmer sig" if fell else "nærmer sig ikke",
                      "is approaching" if fell else "is not approaching"),
                d=say(lang, "faldet" if fell else "steget", "fell" if fell else "grew"),
                a=fmt.number(v.first_gap, lang, 1),
                b=fmt.number(v.gap, lang, 1),
            )
            + (say(lang, " (Seneste måling: {y}.)", " (Latest survey: {y}.)", y=v.year)
               if v.year is not None and v.year != year else "")
        )  # fmt: skip
    if fulfilment:
        assessed = [f for f in fulfilment if f]
        lines.append(
            say(lang, "{a} af {n} {w} vurderet for {y}: {m} opfyldt, {p} delvist, "
                "{x} ikke opfyldt.",
                "{a} of {n} {w} assessed for {y}: {m} met, {p} partly, {x} not met.",
                w=say(lang, plural(len(fulfilment), "aktivitet er", "aktiviteter er"),
                      plural(len(fulfilment), "activity is", "activities are")),
                a=len(assessed), n=len(fulfilment), y=year, m=assessed.count("met"),
                p=assessed.count("partly"), x=assessed.count("not-met"))
        )  # fmt: skip
    held = records.held(session, pid, now, year)
    if held:
        rows = records.by_organisation(session, pid, year, now)
        recorded = rows[0].recorded if rows else 0
        n = len(held)
        what = say(lang, plural(n, "møde", "møder"), plural(n, "meeting", "meetings"))
        text = say(lang, "{n} {m} holdt i {y}.", "{n} {m} held in {y}.", n=n, m=what, y=year)
        if recorded:
            always = sum(r.represented == recorded for r in rows)
            text += " " + say(
                lang,
                "{a} af {o} organisationer var med ved alle {r} møder med fremmøde skrevet.",
                "{a} of {o} organisations were at all {r} meetings with attendance recorded.",
                a=always, o=len(rows), r=recorded,
            )  # fmt: skip
        lines.append(text)
    return lines
