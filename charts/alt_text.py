"""Alt text for the status charts, made from the figures the chart shows, in its language.

One function per chart frame (the frames of `charts.status`), so the report's PDF, its Word
document and later Slack/Teams can describe a chart the same way: what it shows, the years it
spans, and per series the first and the latest figure with the latest verdict. A screen reader
user gets the finding without the picture; the full year-by-year figures are in the report's
tables beside it.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from charts.common import _level, _w
from charts.style import ChartMeta, fmt_number, fmt_percent, text

_WORDS = {
    "da": {
        "crime": "Linjediagrammer, ét pr. kategori, over politianmeldelser {span} mod {level}",
        "total": "Søjlediagram over politianmeldelser i alt {span} mod {level} ({value})",
        "safety": "Linjediagrammer over andelen af utrygge borgere {span}, området mod byen",
        "attendance": "Søjlediagram over fremmøde per organisation",
        "monitored": "moniteres, intet mål",
        "missing": "ingen data for {years}",
        "area": "området",
        "city": "byen",
    },
    "en": {
        "crime": "Line charts, one per category, of police reports {span} against the {level}",
        "total": "Bar chart of total police reports {span} against the {level} ({value})",
        "safety": "Line charts of the share of residents who feel unsafe {span}, area and city",
        "attendance": "Bar chart of attendance per organisation",
        "monitored": "monitored, no target",
        "missing": "no data for {years}",
        "area": "area",
        "city": "city",
    },
}


def _say(meta: ChartMeta, key: str, **values: object) -> str:
    phrase = _WORDS[meta.lang][key]
    return phrase.format(**values) if values else phrase


def _span(years: Sequence[int]) -> str:
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


def _verdict(value: object, meta: ChartMeta) -> str:
    key = str(value or "").strip().lower().replace(" ", "-")
    return text(meta.lang, key) if key and key != "nan" else ""


def _missing(years: Sequence[int], shown: Sequence[int], meta: ChartMeta) -> str:
    """ "ingen data for 2018" for the years inside the span without a figure."""
    gaps = [y for y in range(min(years), max(years) + 1) if y not in shown]
    return _say(meta, "missing", years=", ".join(map(str, gaps))) if gaps else ""


def crime_alt(frame: pd.DataFrame, meta: ChartMeta, baseline_year: int | None = None) -> str:
    """ "Linjediagrammer, ét pr. kategori, over politianmeldelser 2015–2019 mod 2015-niveau:
    Indbrud 2015 145, 2019 139 (2015-niveau 145; opfyldt); …" — one part per category."""
    rows = frame.dropna(subset=["value"])
    if rows.empty:
        return ""
    years = [int(y) for y in rows["year"]]
    level = _level(meta, baseline_year)
    parts = []
    for _, group in rows.groupby("key", sort=False):
        group = group.sort_values("year")
        shown = [int(y) for y in group["year"]]
        first, last = group.iloc[0], group.iloc[-1]
        figures = f"{shown[0]} {fmt_number(first['value'], meta.lang)}"
        if len(shown) > 1:
            figures += f", {shown[-1]} {fmt_number(last['value'], meta.lang)}"
        extra = [f"{level} {fmt_number(last['baseline'], meta.lang)}"]
        monitored = str(last.get("rule", "")) == "monitored"
        extra.append(_say(meta, "monitored") if monitored else _verdict(last["verdict"], meta))
        extra.append(_missing(years, shown, meta))
        details = "; ".join(e for e in extra if e)
        parts.append(f"{last['label']} {figures} ({details})")
    head = _say(meta, "crime", span=_span(years), level=level)
    return f"{head}: " + "; ".join(parts) + "."


def total_alt(frame: pd.DataFrame, meta: ChartMeta, baseline_year: int | None = None) -> str:
    """ "Søjlediagram over politianmeldelser i alt 2015–2019 mod 2015-niveau (596): 2015 596,
    2016 581 …; 2019 530; opfyldt." — every year, as the bars show them."""
    rows = frame.dropna(subset=["value"]).sort_values("year")
    if rows.empty:
        return ""
    years = [int(y) for y in rows["year"]]
    last = rows.iloc[-1]
    head = _say(
        meta,
        "total",
        span=_span(years),
        level=_level(meta, baseline_year),
        value=fmt_number(last["baseline"], meta.lang),
    )
    figures = ", ".join(
        f"{int(r['year'])} {fmt_number(r['value'], meta.lang)}" for _, r in rows.iterrows()
    )
    tail = [_verdict(last["verdict"], meta), _missing(years, years, meta)]
    return f"{head}: {figures}" + "".join(f"; {t}" for t in tail if t) + "."


def safety_alt(frame: pd.DataFrame, meta: ChartMeta) -> str:
    """ "Linjediagrammer over andelen af utrygge borgere 2015–2019, området mod byen: Hele
    døgnet 2015 området 37,0 %, byen 23,0 %; 2019 området 30,5 %, byen 21,5 % (nærmer sig);
    Aften og nat …" """
    rows = frame.dropna(subset=["area", "city"], how="all")
    if rows.empty:
        return ""
    years = [int(y) for y in rows["year"]]
    parts = []
    for pair, group in rows.groupby("pair", sort=False):
        group = group.sort_values("year")
        title = _w(meta, str(pair)) if pair in ("day", "night") else str(pair)
        ends = [group.iloc[0]] if len(group) == 1 else [group.iloc[0], group.iloc[-1]]
        figures = "; ".join(
            f"{int(r['year'])} {_say(meta, 'area')} {fmt_percent(r['area'], meta.lang)}, "
            f"{_say(meta, 'city')} {fmt_percent(r['city'], meta.lang)}"
            for r in ends
        )
        extra = [_verdict(group.iloc[-1]["verdict"], meta)]
        extra.append(_missing(years, [int(y) for y in group["year"]], meta))
        details = "; ".join(e for e in extra if e)
        parts.append(f"{title} {figures}" + (f" ({details})" if details else ""))
    return f"{_say(meta, 'safety', span=_span(years))}: " + "; ".join(parts) + "."


def attendance_alt(rows: Sequence[tuple[str, str]], meta: ChartMeta) -> str:
    """ "Søjlediagram over fremmøde per organisation: Socialforvaltningen 5 af 8 møder; …" from
    the worded rows
    (organisation, "5 af 8 møder") the report's table shows."""
    if not rows:
        return ""
    return f"{_say(meta, 'attendance')}: " + "; ".join(f"{n} {r}" for n, r in rows) + "."
