"""Target evaluation (DESIGN section 2): pure functions, no I/O.

Rules, per indicator and year:
- `at-most-baseline`: met when value ≤ baseline (change against the baseline in reports and %);
- `at-least-target` / `at-most-target`: met when value ≥ / ≤ the target;
- `approach`: gap = area − comparison; "at level" when gap ≤ 0, "approaching" when the gap is
  smaller than in the first year with both figures, else "not approaching";
- `monitored`: no target, the trend is shown;
- `comparison`: a series other indicators are compared with; not a target of its own.
A computed indicator (e.g. `crime.total`) is the sum of its components, only for years where
all of them exist. Missing years stay missing, never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from commands.vocab import Verdict as Word

Series = dict[int, float]  # year -> value


@dataclass(frozen=True)
class Target:
    key: str
    rule: str
    unit: str
    baseline: float | None = None
    baseline_year: int | None = None
    target: float | None = None
    comparison: str | None = None
    components: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    key: str
    year: int | None
    value: float | None
    verdict: Word  # a key ("met", "no-data" …): a str equal to the word scripts rely on
    reference: float | None = None  # baseline, target, or the comparison's value that year
    change: float | None = None  # value − baseline
    change_pct: float | None = None
    gap: float | None = None  # approach: area − comparison
    first_gap: float | None = None
    first_gap_year: int | None = None

    def word(self, lang: str) -> str:
        return self.verdict.label(lang)


def latest_revisions(rows: Iterable[tuple[str, int, int, float]]) -> dict[str, Series]:
    """(key, year, revision, value) rows -> the newest revision's value per key and year."""
    best: dict[tuple[str, int], tuple[int, float]] = {}
    for key, year, revision, value in rows:
        seen = best.get((key, year))
        if seen is None or revision > seen[0]:
            best[(key, year)] = (revision, value)
    out: dict[str, Series] = {}
    for (key, year), (_, value) in best.items():
        out.setdefault(key, {})[year] = value
    return {k: dict(sorted(v.items())) for k, v in out.items()}


def with_computed(targets: Iterable[Target], series: Mapping[str, Series]) -> dict[str, Series]:
    """The series plus computed ones, summed only over years where every component exists."""
    out = {k: dict(v) for k, v in series.items()}
    for t in targets:
        if not t.components:
            continue
        parts = [series.get(c, {}) for c in t.components]
        years = set.intersection(*(set(p) for p in parts)) if parts else set()
        out[t.key] = {y: sum(p[y] for p in parts) for y in sorted(years)}
    return out


def evaluate(target: Target, series: Mapping[str, Series], year: int | None = None) -> Verdict:
    """The verdict for `year`, or for the latest year with a value when year is None."""
    own = series.get(target.key, {})
    if target.rule == "approach":  # its latest year is the latest with both figures
        return _approach(target, own, series.get(target.comparison or "", {}), year)
    if year is None:
        year = max(own) if own else None
    value = own.get(year) if year is not None else None
    if value is None:
        reference = target.target if target.rule.endswith("-target") else target.baseline
        return Verdict(target.key, year, None, Word.NO_DATA, reference)
    if target.rule in {"at-most-baseline", "monitored"} and target.baseline is not None:
        change = value - target.baseline
        pct = 100 * change / target.baseline if target.baseline else None
        verdict = (
            Word.MONITORED
            if target.rule == "monitored"
            else (Word.MET if value <= target.baseline else Word.NOT_MET)
        )
        return Verdict(target.key, year, value, verdict, target.baseline, change, pct)
    if target.rule in {"at-least-target", "at-most-target"} and target.target is not None:
        met = value >= target.target if target.rule == "at-least-target" else value <= target.target
        return Verdict(
            target.key,
            year,
            value,
            Word.MET if met else Word.NOT_MET,
            target.target,
            value - target.target,
        )
    return Verdict(target.key, year, value, Word.MONITORED)


def _approach(target: Target, area: Series, city: Series, year: int | None) -> Verdict:
    both = sorted(set(area) & set(city))
    if year is None:
        year = both[-1] if both else (max(area) if area else None)
    if year is None or year not in area or year not in city:
        value = area.get(year) if year is not None else None
        reference = city.get(year) if year is not None else None
        return Verdict(target.key, year, value, Word.NO_DATA, reference)
    first_year = both[0]
    first_gap = area[first_year] - city[first_year]
    gap = area[year] - city[year]
    if gap <= 0:
        verdict = Word.AT_LEVEL
    elif year > first_year and gap < first_gap:
        verdict = Word.APPROACHING
    else:
        verdict = Word.NOT_APPROACHING
    return Verdict(
        target.key,
        year,
        area[year],
        verdict,
        city[year],
        gap=gap,
        first_gap=first_gap,
        first_gap_year=first_year,
    )


def evaluate_years(
    target: Target, series: Mapping[str, Series], years: Iterable[int]
) -> list[Verdict]:
    return [evaluate(target, series, y) for y in years]
