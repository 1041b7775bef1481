"""The partnership's targets and figures as evaluation inputs and chart frames.

Shared by `status`, `report` and the personal overview. The queries are few and indexed: the
data work behind a status reply stays small however many partnerships share the database.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func
from sqlmodel import Session, select

from commands.engine import fmt
from commands.engine.context import Call, say
from commands.engine.reply import Table
from commands.rules.evaluate import (
    Series,
    Target,
    Verdict,
    evaluate,
    latest_revisions,
    with_computed,
)
from config.partnership import SeriesBreak
from storage.models import (
    IndicatorDef,
    IndicatorValue,
)
from storage.queries import latest_assessments, latest_updates, plan_query

if TYPE_CHECKING:  # pandas and matplotlib are imported where used: they are slow to import
    import pandas as pd

    from charts.style import ChartMeta


@dataclass(frozen=True)
class Indicator:
    target: Target
    label_da: str
    label_en: str
    group: str
    note_da: str = ""
    note_en: str = ""

    def label(self, lang: str) -> str:
        return say(lang, self.label_da, self.label_en)

    def note(self, lang: str) -> str:
        return say(lang, self.note_da, self.note_en)


@dataclass
class Figures:
    indicators: list[Indicator]
    series: dict[str, Series]  # with computed indicators
    sources: list[str]
    as_of: dt.datetime | None  # when the newest figure was entered
    # (key, year) -> the source of the figure shown (its newest revision)
    source_of: dict[tuple[str, int], str] = field(default_factory=dict)
    breaks: tuple[SeriesBreak, ...] = ()
    # (key, year) -> (respondents, significant, note) of the figure shown, where any is given
    details_of: dict[tuple[str, int], tuple[int | None, bool | None, str | None]] = field(
        default_factory=dict
    )

    def details_for(self, key: str, years: Iterable[int], lang: str) -> list[str]:
        """The survey details of a series' shown years, worded: "2016: 1.024 svar, ændringen
        fra året før er ikke signifikant"."""
        out = []
        for year in sorted(set(years)):
            got = self.details_of.get((key, year))
            if got is None:
                continue
            n, significant, note = got
            parts = []
            if n is not None:
                parts.append(say(lang, "{n} svar", "{n} respondents", n=fmt.number(n, lang, 0)))
            if significant is not None:
                parts.append(
                    say(
                        lang,
                        "ændringen fra året før er signifikant",
                        "the change from the year before is significant",
                    )
                    if significant
                    else say(
                        lang,
                        "ændringen fra året før er ikke signifikant",
                        "the change from the year before is not significant",
                    )
                )
            if note:
                parts.append(note)
            out.append(f"{year}: {', '.join(parts)}")
        return out

    def by_key(self, key: str) -> Indicator | None:
        return next((i for i in self.indicators if i.target.key == key), None)

    def _entered(self, keys: Iterable[str]) -> set[str]:
        """The keys with the components of computed ones: the series figures come from."""
        out = set(keys)
        for key in list(out):
            ind = self.by_key(key)
            if ind is not None:
                out |= set(ind.target.components)
        return out

    def sources_for(self, keys: Iterable[str], years: Iterable[int]) -> tuple[str, ...]:
        """The sources of exactly the figures shown for these keys and years, most used first."""
        wanted, shown = self._entered(keys), set(years)
        counts = Counter(
            source
            for (key, year), source in self.source_of.items()
            if key in wanted and year in shown and source
        )
        return tuple(s for s, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def notes_for(self, keys: Iterable[str], years: Iterable[int], lang: str) -> tuple[str, ...]:
        """The series breaks these keys span in these years, worded."""
        wanted, shown = self._entered(keys), list(years)
        return tuple(
            dict.fromkeys(
                b.note(lang) for b in self.breaks if wanted & set(b.indicators) and b.spanned(shown)
            )
        )

    def shown_years(self, keys: Iterable[str], years: Iterable[int]) -> list[int]:
        """The years among these that have a figure for any of the keys."""
        within = set(years)
        return sorted({y for k in keys for y in self.series.get(k, {}) if y in within})

    def years(self) -> list[int]:
        return sorted({y for s in self.series.values() for y in s})


def figures_of(call: Call) -> Figures:
    """The caller's partnership's figures with its file's notes and series breaks."""
    spec = call.spec
    notes = {i.key: (i.note_da or "", i.note_en or "") for i in spec.indicators} if spec else {}
    return load_figures(call.session, call.pid, notes, spec.series_breaks if spec else ())


def load_figures(
    session: Session,
    pid: int,
    notes: dict[str, tuple[str, str]],
    breaks: tuple[SeriesBreak, ...] = (),
) -> Figures:
    """Indicators and the newest revision of every figure of one partnership."""
    defs = session.exec(
        select(IndicatorDef)
        .where(IndicatorDef.partnership_id == pid, IndicatorDef.active == True)
        .order_by(IndicatorDef.id)
    ).all()
    indicators = [
        Indicator(
            Target(
                d.key,
                d.rule,
                d.unit,
                d.baseline,
                d.baseline_year,
                d.target,
                d.comparison,
                tuple(c for c in d.components.split(",") if c),
            ),
            d.label_da,
            d.label_en,
            d.group,
            *notes.get(d.key, ("", "")),
        )
        for d in defs
    ]
    key_of = {d.id: d.key for d in defs}
    rows = session.exec(
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.year,
            IndicatorValue.revision,
            IndicatorValue.value,
            IndicatorValue.source,
            IndicatorValue.n,
            IndicatorValue.significant,
            IndicatorValue.note,
        ).where(IndicatorValue.partnership_id == pid)
    ).all()
    series = latest_revisions((key_of[i], y, r, v) for i, y, r, v, *_ in rows if i in key_of)
    newest: dict[tuple[str, int], tuple[int, str, tuple[int | None, bool | None, str | None]]] = {}
    for i, y, r, _, source, n, significant, note in rows:
        if i in key_of and r >= newest.get((key_of[i], y), (0,))[0]:
            newest[(key_of[i], y)] = (r, source, (n, significant, note))
    series = with_computed([i.target for i in indicators], series)
    sources = [
        s
        for (s,) in session.execute(
            select(IndicatorValue.source)
            .where(IndicatorValue.partnership_id == pid, IndicatorValue.source != "")
            .group_by(IndicatorValue.source)
            .order_by(func.count().desc())
            .limit(6)
        )
    ]
    as_of = session.exec(
        select(func.max(IndicatorValue.created_at)).where(IndicatorValue.partnership_id == pid)
    ).first()
    return Figures(
        indicators,
        series,
        sources,
        as_of,
        {k: s for k, (_, s, _) in newest.items()},
        breaks,
        {k: d for k, (_, _, d) in newest.items() if d != (None, None, None)},
    )


def verdict_line(ind: Indicator, v: Verdict, lang: str) -> tuple[str, str, str, str, str]:
    """(label, latest year, value, reference, verdict word) for tables and text."""
    t = ind.target
    if t.rule == "approach":
        ref = (
            fmt.NONE
            if v.reference is None
            else say(
                lang,
                "{r} (forskel {g})",
                "{r} (gap {g})",
                r=fmt.figure(v.reference, t.unit, lang),
                g=fmt.points(v.gap, lang),
            )
        )
    elif v.reference is not None and t.baseline is not None and t.rule != "at-least-target":
        change = ""
        if v.change is not None:
            change = ", " + fmt.figure(v.change, t.unit, lang, sign=True)
            if v.change_pct is not None:
                change += " / " + fmt.percent(v.change_pct, lang, 0, sign=True)
        ref = f"{fmt.figure(v.reference, t.unit, lang)} ({t.baseline_year or ''}{change})"
    else:
        ref = fmt.figure(v.reference, t.unit, lang)
    return (
        ind.label(lang),
        fmt.year(v.year) if v.year else fmt.NONE,
        fmt.figure(v.value, t.unit, lang),
        ref,
        v.word(lang),
    )


def verdict_table(lines: tuple[tuple[str, ...], ...], lang: str) -> Table:
    """Verdict lines under their headers (status, reminders, the personal overview)."""
    headers = say(
        lang,
        "Mål|År|Værdi|Baseline/sammenligning|Vurdering",
        "Target|Year|Value|Baseline/comparison|Verdict",
    )
    return Table(tuple(headers.split("|")), lines)


def at_a_glance(session: Session, pid: int, lang: str) -> Table | None:
    """The partnership's targets in one line each, every figure so far counted: where it
    stands at a glance; None while no target has a figure."""
    fig = load_figures(session, pid, {})
    lines = tuple(
        verdict_line(ind, evaluate(ind.target, fig.series), lang)
        for ind in fig.indicators
        if ind.target.rule != "comparison"
    )
    return verdict_table(lines, lang) if any(line[1] != fmt.NONE for line in lines) else None


def chart_keys(fig: Figures) -> dict[str, list[str]]:
    """The series each status chart draws, as crime_frames and safety_frame choose them."""
    crime = [
        i.target.key
        for i in fig.indicators
        if i.group == "crime" and i.target.rule in {"at-most-baseline", "monitored"}
    ]
    computed = [k for k in crime if (ind := fig.by_key(k)) and ind.target.components]
    approach = [i for i in fig.indicators if i.target.rule == "approach"][:2]
    safety = [k for i in approach for k in (i.target.key, i.target.comparison) if k]
    return {
        "crime": [k for k in crime if k not in computed],
        "total": computed,
        "safety": safety,
    }


def crime_frames(fig: Figures, lang: str, years: range) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(categories, total) in the charts' long format."""
    import pandas as pd

    rows = []
    for ind in fig.indicators:
        t = ind.target
        if ind.group != "crime" or t.rule not in {"at-most-baseline", "monitored"}:
            continue
        # the indicator's own note, then the series breaks its shown years span
        note = " ".join(
            n
            for n in (
                ind.note(lang),
                *fig.notes_for([t.key], fig.shown_years([t.key], years), lang),
            )
            if n
        )
        for year, value in fig.series.get(t.key, {}).items():
            if year not in years:
                continue
            rows.append(
                {
                    "key": t.key,
                    "label": ind.label(lang),
                    "year": year,
                    "value": value,
                    "baseline": t.baseline if t.baseline is not None else float("nan"),
                    "rule": t.rule,
                    "verdict": evaluate(t, fig.series, year).verdict,
                    "note": note,
                }
            )
    frame = pd.DataFrame(
        rows, columns=["key", "label", "year", "value", "baseline", "rule", "verdict", "note"]
    )
    computed = {i.target.key for i in fig.indicators if i.target.components}
    return frame[~frame["key"].isin(computed)], frame[frame["key"].isin(computed)]


def safety_frame(fig: Figures, lang: str, years: range) -> pd.DataFrame:
    import pandas as pd

    rows = []
    approach = [i for i in fig.indicators if i.target.rule == "approach"]
    for n, ind in enumerate(approach[:2]):
        t = ind.target
        city_ind = fig.by_key(t.comparison or "")
        area, city = fig.series.get(t.key, {}), fig.series.get(t.comparison or "", {})
        for year in sorted((set(area) | set(city)) & set(years)):
            a, c = area.get(year), city.get(year)
            rows.append(
                {
                    "pair": "day" if n == 0 else "night",
                    "area_label": ind.label(lang),
                    "city_label": city_ind.label(lang) if city_ind else t.comparison or "",
                    "year": year,
                    "area": float("nan") if a is None else a,
                    "city": float("nan") if c is None else c,
                    "gap": float("nan") if a is None or c is None else a - c,
                    "verdict": evaluate(t, fig.series, year).verdict,
                }
            )
    return pd.DataFrame(
        rows, columns=["pair", "area_label", "city_label", "year", "area", "city", "gap", "verdict"]
    )


def activity_frames(
    session: Session, pid: int, lang: str, years: range
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(latest status per activity, fulfilment counts per year)."""
    import pandas as pd

    acts = session.exec(plan_query(pid)).all()
    latest = latest_updates(session, pid, [a.id for a, _, _ in acts if a.id])
    status = pd.DataFrame(
        [
            {
                "code": a.code,
                "name": a.name,
                "area": say(lang, area.name_da, area.name_en),
                "org": org.slug,
                "status": latest[a.id].status if a.id in latest else "none",
            }
            for a, area, org in acts
        ],
        columns=["code", "name", "area", "org", "status"],
    )
    fulfilment = latest_assessments(session, pid)
    counts: dict[tuple[int, str], int] = {}
    for (_, year), value in fulfilment.items():
        if year in years:
            counts[(year, value)] = counts.get((year, value), 0) + 1
    return status, pd.DataFrame(
        [{"year": y, "fulfilment": f, "count": n} for (y, f), n in sorted(counts.items())],
        columns=["year", "fulfilment", "count"],
    )


def chart_meta(call: Call, fig: Figures | None) -> ChartMeta:
    from charts.style import ChartMeta

    assert call.partnership is not None
    tz = call.spec.tz if call.spec else dt.UTC
    as_of = (fig.as_of if fig and fig.as_of else call.now).astimezone(tz).date()
    source = (
        "; ".join(fig.sources[:3])
        if fig and fig.sources
        else call.t("Partnerskabets egne registreringer", "The partnership's own records")
    )
    return ChartMeta(
        lang=call.lang,
        partnership=call.partnership.name,
        source=source,
        as_of=as_of,
        demo=call.partnership.demo,
    )
