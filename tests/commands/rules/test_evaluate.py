"""Verdicts on hand-made series, for every rule and the edge cases people will meet."""

from __future__ import annotations

import pytest

from commands.rules.evaluate import (
    Target,
    evaluate,
    evaluate_years,
    latest_revisions,
    with_computed,
)
from commands.vocab import Verdict

INDBRUD = Target("crime.indbrud", "at-most-baseline", "reports", 145, 2015)
NARKO = Target("crime.narkotika", "monitored", "reports", 37, 2015)
UNSAFE = Target("safety.unsafe", "approach", "percent", comparison="safety.unsafe-city")
PARTS = ("a", "b", "c", "d")
TOTAL = Target("crime.total", "at-most-baseline", "reports", 596, 2015, components=PARTS)
JOBS = Target("result.jobs", "at-least-target", "people", target=30)
WAIT = Target("result.wait", "at-most-target", "count", target=10)


def test_at_most_baseline_equal_is_met_and_change_is_reported():
    series = {"crime.indbrud": {2015: 145, 2018: 145, 2019: 160}}
    equal = evaluate(INDBRUD, series, 2018)
    assert equal.verdict == "met" and equal.change == 0 and equal.change_pct == 0
    above = evaluate(INDBRUD, series)  # latest year
    assert (above.year, above.verdict, above.change) == (2019, "not-met", 15)
    assert above.change_pct == pytest.approx(100 * 15 / 145)
    assert above.word("da") == "ikke opfyldt" and above.word("en") == "not met"


def test_missing_years_stay_missing():
    series = {"crime.indbrud": {2015: 140, 2017: 120}}
    verdicts = evaluate_years(INDBRUD, series, range(2015, 2019))
    assert [v.verdict for v in verdicts] == ["met", "no-data", "met", "no-data"]
    assert verdicts[1].value is None and verdicts[1].reference == 145
    assert evaluate(INDBRUD, {}).verdict == "no-data"


def test_monitored_has_no_target_but_a_trend():
    v = evaluate(NARKO, {"crime.narkotika": {2019: 45}})
    assert v.verdict == "monitored" and v.change == 8 and v.word("da") == "moniteres"


def test_total_only_where_all_four_exist():
    series = {
        "a": {2019: 100, 2020: 90},
        "b": {2019: 300, 2020: 280},
        "c": {2019: 80},
        "d": {2019: 40, 2020: 41},
    }
    full = with_computed([TOTAL], series)
    assert full["crime.total"] == {2019: 520}  # 2020 lacks "c": no total, not a partial sum
    assert evaluate(TOTAL, full, 2020).verdict == "no-data"
    assert evaluate(TOTAL, full).verdict == "met"


def test_revised_values_latest_revision_wins():
    rows = [
        ("crime.indbrud", 2019, 1, 170.0),
        ("crime.indbrud", 2019, 3, 140.0),
        ("crime.indbrud", 2019, 2, 150.0),
        ("crime.indbrud", 2018, 1, 150.0),
    ]
    series = latest_revisions(rows)
    assert series == {"crime.indbrud": {2018: 150.0, 2019: 140.0}}
    assert evaluate(INDBRUD, series).verdict == "met"


def test_approach_rules():
    area = {2015: 37.0, 2016: 35.0, 2017: 38.0, 2018: 22.0, 2019: 30.0}
    city = {2015: 23.0, 2016: 22.0, 2017: 23.0, 2018: 22.5, 2020: 21.0}
    series = {"safety.unsafe": area, "safety.unsafe-city": city}
    first = evaluate(UNSAFE, series, 2015)
    assert first.verdict == "not-approaching"  # the first year has nothing to approach from
    assert (first.gap, first.first_gap, first.first_gap_year) == (14, 14, 2015)
    assert evaluate(UNSAFE, series, 2016).verdict == "approaching"  # gap 13 < 14
    assert evaluate(UNSAFE, series, 2017).verdict == "not-approaching"  # gap 15
    level = evaluate(UNSAFE, series, 2018)
    assert level.verdict == "at-level" and level.gap == pytest.approx(-0.5)
    assert evaluate(UNSAFE, series, 2019).verdict == "no-data"  # no city figure for 2019
    latest = evaluate(UNSAFE, series)  # the latest year with both figures
    assert latest.year == 2018 and latest.word("da") == "på niveau"


def test_approach_with_only_one_year_and_equal_gap():
    series = {"safety.unsafe": {2019: 30.0}, "safety.unsafe-city": {2019: 20.0}}
    assert evaluate(UNSAFE, series).verdict == "not-approaching"
    series = {
        "safety.unsafe": {2019: 30.0, 2020: 31.0},
        "safety.unsafe-city": {2019: 20.0, 2020: 21.0},
    }
    assert evaluate(UNSAFE, series).verdict == "not-approaching"  # same gap is not closer
    assert evaluate(UNSAFE, {"safety.unsafe": {2019: 30.0}}).verdict == "no-data"


def test_result_targets_both_directions():
    assert evaluate(JOBS, {"result.jobs": {2019: 30}}).verdict == "met"
    assert evaluate(JOBS, {"result.jobs": {2019: 29}}).verdict == "not-met"
    assert evaluate(WAIT, {"result.wait": {2019: 10}}).verdict == "met"
    assert evaluate(WAIT, {"result.wait": {2019: 11}}).verdict == "not-met"


def test_verdict_words_are_the_contract():
    assert [v.en for v in Verdict] == [
        "met",
        "not met",
        "at level",
        "approaching",
        "not approaching",
        "monitored",
        "no data",
    ]
    assert [v.da for v in Verdict] == [
        "opfyldt",
        "ikke opfyldt",
        "på niveau",
        "nærmer sig",
        "nærmer sig ikke",
        "moniteres",
        "ingen data",
    ]
