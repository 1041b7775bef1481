"""The annual report's year-by-year tables (issue 12): per group of targets, every year from the
first year with figures (at the latest the baseline) to the report year — missing years shown
as missing — then the change against the baseline and the verdict in words. Cells are formatted
here, in the reader's language; charts/report.py only lays them out."""

from __future__ import annotations

from charts.report_data import YearTable
from commands.engine import fmt
from commands.engine.context import say
from commands.rules.evaluate import Verdict
from commands.views.targets import Figures, Indicator


def year_tables(
    fig: Figures,
    verdicts: dict[str, list[tuple[Indicator, Verdict]]],
    year: int,
    lang: str,
    baseline_year: int | None,
) -> list[YearTable]:
    out = []
    titles = {
        "crime": say(lang, "Anmeldelser år for år", "Police reports year by year"),
        "safety": say(lang, "Tryghed år for år", "Safety year by year"),
    }
    for group, title in titles.items():
        targets = verdicts.get(group, [])
        if not targets:
            continue
        keys = [ind.target.key for ind, _ in targets]
        comparisons = [ind.target.comparison for ind, _ in targets if ind.target.comparison]
        columns = keys + [c for c in comparisons if c not in keys]
        labels = {ind.target.key: ind for ind, _ in targets}
        labels |= {i.target.key: i for i in fig.indicators if i.target.key in comparisons}
        seen = [y for k in columns for y in fig.series.get(k, {}) if y <= year]
        if not seen:
            continue
        first = min([*seen, *([baseline_year] if baseline_year else [])])
        units = {k: labels[k].target.unit for k in columns}
        rows: list[tuple[str, ...]] = []
        for y in range(first, year + 1):
            values = [fig.series.get(k, {}).get(y) for k in columns]
            rows.append(
                (
                    str(y),
                    *(fmt.figure(v, units[k], lang) for k, v in zip(columns, values, strict=True)),
                )
            )
        by_key = {ind.target.key: v for ind, v in targets}
        since = baseline_year or first
        change = [say(lang, "Ændring siden {b}", "Change since {b}", b=since)]
        verdict = [say(lang, "Vurdering", "Verdict")]
        keys_out = [""]
        for k in columns:
            v = by_key.get(k)
            if v is None:  # a comparison series (the Copenhagen level): no verdict of its own
                change.append("")
                verdict.append(say(lang, "sammenligning", "comparison"))
                keys_out.append("")
                continue
            if v.change is not None:
                change.append(fmt.figure(v.change, units[k], lang, sign=True))
            elif v.gap is not None:
                change.append(say(lang, "forskel {g}", "gap {g}", g=fmt.points(v.gap, lang)))
            else:
                change.append(fmt.NONE)
            verdict.append(v.word(lang))
            keys_out.append(str(v.verdict))
        headers = (say(lang, "År", "Year"), *(labels[k].label(lang) for k in columns))
        shown = fig.shown_years(columns, range(first, year + 1))
        out.append(
            YearTable(
                title,
                headers,
                (*rows, tuple(change), tuple(verdict)),
                tuple(keys_out),
                notes=(
                    *fig.notes_for(columns, shown, lang),
                    *(
                        f"{labels[k].label(lang)} {line}"
                        for k in columns
                        for line in fig.details_for(k, shown, lang)
                    ),
                ),
                sources=fig.sources_for(columns, shown),
            )
        )
    return out
