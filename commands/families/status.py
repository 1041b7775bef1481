"""`status [crime|safety|activities|all] [from=YEAR] [to=YEAR]` (`status [kriminalitet|tryghed|
aktiviteter|alle] [fra=ÅR] [til=ÅR]`): one line per target and the chart(s).

With no figures yet, the reply names what is missing and who can enter it — never an empty
chart.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from commands.engine import fmt
from commands.engine.context import Call
from commands.engine.messages import parse_word
from commands.engine.options import keys, opt
from commands.engine.parse import Args, parse_year
from commands.engine.registry import Right, family
from commands.engine.reply import FileOut, Header, Note, Reply, Table, Text
from commands.rules.evaluate import evaluate
from commands.views import meeting_record, targets
from commands.vocab import Fulfilment, Section, Status

if TYPE_CHECKING:  # pandas is imported where charts are drawn (start-up stays fast)
    import pandas as pd

FAM = family(
    "status",
    "status",
    "where the partnership stands against its targets, with charts",
    "hvor partnerskabet står i forhold til målene, med grafer",
)


def _baseline_year(call: Call) -> int | None:
    return call.spec.period.baseline_year if call.spec else None


def _year_range(call: Call, args: Args, year: str | None = None) -> range:
    """from=/to=; a bare YEAR ("status 2019") is the status as it stood that year: to=YEAR,
    with the years before it (a verdict like "approaching" needs them)."""
    low, high = opt(args, "from", "fra"), opt(args, "to", "til")
    if year and high:
        raise call.fail(
            "Skriv enten et år eller til=ÅR, ikke begge.",
            "Give either a year or to=YEAR, not both.",
        )
    high = high or year
    first = parse_year(low) if low else 2000
    last = parse_year(high) if high else call.now.year + 1
    if first > last:
        raise call.fail(
            "Året i fra={a} ligger efter til={b}.",
            "The year in from={a} is after to={b}.",
            a=first,
            b=last,
        )
    return range(first, last + 1)


def status(call: Call, args: Args) -> Reply:
    year_words = [w for w in args.words if w.isascii() and w.isdigit()]
    words = [w for w in args.words if w not in year_words]
    if len(words) > 1 or len(year_words) > 1:
        raise call.usage()
    word = words[0].lower() if words else Section.ALL
    section = parse_word(call, Section, word, "afsnit", "section")
    years = _year_range(call, args, year_words[0] if year_words else None)
    fig = targets.figures_of(call)
    data_years = fig.years()
    own_data = (Section.ACTIVITIES, Section.MEETINGS)  # not the indicators' years
    if data_years and not any(y in years for y in data_years) and section not in own_data:
        raise call.fail(
            "Der er ingen tal for {a}–{b}; tallene dækker {c}–{d}.",
            "There are no figures for {a}–{b}; the figures cover {c}–{d}.",
            a=years.start,
            b=years.stop - 1,
            c=data_years[0],
            d=data_years[-1],
        )
    blocks: list[Header | Text | Note | Table] = [
        Header(
            call.t(
                "Status for {p}{y}",
                "Status for {p}{y}",
                p=call.partnership.name if call.partnership else "",
                y=f", {year_words[0]}" if year_words else "",  # "status 2019"
            )
        )
    ]
    files: list[FileOut] = []
    missing: list[str] = []
    wanted = [s for s in Section if s != Section.ALL] if section == Section.ALL else [section]
    for part in wanted:
        if part == Section.ACTIVITIES:
            _activities(call, years, blocks, files, missing)
        elif part == Section.MEETINGS:
            year = min(years.stop - 1, call.now.year)
            blocks += meeting_record.status_blocks(
                call.session, call.pid, year, call.lang, call.now
            )
        else:
            _indicators(call, fig, part, years, blocks, files, missing)
    if missing and not files:
        return Reply.error(
            call.t(
                "Der er endnu ingen tal at vise: {m} mangler. Formanden eller sekretariatet "
                "indtaster dem med `{c} indikator sæt NØGLE ÅR VÆRDI` eller `{c} indikator "
                "importer`.",
                "There are no figures to show yet: {m} are missing. The chair or the secretariat "
                "enters them with `{c} indicator set KEY YEAR VALUE` or `{c} indicator import`.",
                m=", ".join(missing),
                c=call.ctx.command,
            )
        )
    if missing:
        blocks.append(Note(call.t("Mangler: {m}.", "Missing: {m}.", m=", ".join(missing))))
    if call.partnership and call.partnership.demo:
        blocks.append(
            Note(
                call.t("DEMODATA: tallene er syntetiske.", "DEMO DATA: the figures are synthetic.")
            )
        )
    return Reply(blocks=list(blocks), files=files, ephemeral=False)


def _indicators(
    call: Call,
    fig: targets.Figures,
    part: Section,
    years: range,
    blocks: list,
    files: list[FileOut],
    missing: list[str],
) -> None:
    from charts import status as charts

    inds = [i for i in fig.indicators if i.group == part and i.target.rule != "comparison"]
    lines = []
    for ind in inds:
        in_range = {y: v for y, v in fig.series.get(ind.target.key, {}).items() if y in years}
        verdict = evaluate(ind.target, {**fig.series, ind.target.key: in_range})
        lines.append(targets.verdict_line(ind, verdict, call.lang))
        if verdict.verdict == "no-data":
            missing.append(ind.target.key)
    if not inds:
        return
    blocks.append(Text(f"**{part.label(call.lang).capitalize()}**"))
    blocks.append(targets.verdict_table(tuple(lines), call.lang))
    keys = [i.target.key for i in inds]
    # the series breaks the verdicts' years span (the 2018 burglary paragraph, COVID-19)
    blocks += [Note(n) for n in fig.notes_for(keys, fig.shown_years(keys, years), call.lang)]
    meta = targets.chart_meta(call, fig)
    baseline = _baseline_year(call)
    if part == Section.CRIME:
        categories, total = targets.crime_frames(fig, call.lang, years)
        if not categories.empty:
            chart = _drawn(charts.crime_chart, categories, meta=meta, baseline_year=baseline)
            title = Section.CRIME.label(call.lang).capitalize()
            files.append(_png(call, "crime", chart, title, _alt(title, _trends(call, categories))))
        if not total.empty:
            chart = _drawn(charts.total_chart, total, meta=meta, baseline_year=baseline)
            title = call.t("Samlet antal anmeldelser", "Total reports")
            files.append(_png(call, "total", chart, title, _alt(title, _trends(call, total))))
    else:
        frame = targets.safety_frame(fig, call.lang, years)
        if not frame.dropna(subset=["area"]).empty:
            chart = _drawn(charts.safety_chart, frame, meta=meta)
            title = Section.SAFETY.label(call.lang).capitalize()
            files.append(_png(call, "safety", chart, title, _alt(title, _safety(call, frame))))


_DRAWN: OrderedDict[str, bytes] = OrderedDict()  # chart inputs' digest -> PNG
_DRAWN_MAX = 64  # a few partnerships' charts in both languages; about 100 KB each
_DRAWN_LOCK = threading.Lock()


def _drawn(draw: Callable[..., bytes], *frames: pd.DataFrame, **options: object) -> bytes:
    """`draw(*frames, **options)`, drawn again only when what it is drawn from changed
    (DESIGN section 7: charts for unchanged data are not drawn again; drawing is most of a
    status reply's time). The key is everything the chart sees: its data, language, source,
    date and options."""
    key = hashlib.sha256(
        "\x00".join(
            [draw.__name__, repr(sorted(options.items()))] + [f.to_csv() for f in frames]
        ).encode()
    ).hexdigest()
    with _DRAWN_LOCK:
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
    png = draw(*frames, **options)
    with _DRAWN_LOCK:
        _DRAWN[key] = png
        while len(_DRAWN) > _DRAWN_MAX:
            _DRAWN.popitem(last=False)
    return png


def _png(call: Call, name: str, chart: bytes, title: str, alt: str) -> FileOut:
    """A chart as a file named for the partnership: `tingbjerg-husum-status-crime.png`."""
    slug = call.partnership.slug if call.partnership else "status"
    return FileOut(f"{slug}-status-{name}.png", chart, "image/png", title, alt)


ALT_LIMIT = 1000  # what chat platforms keep of an image's alt text (Slack: 1000)


def _alt(title: str, parts: list[str]) -> str:
    """Alt text made from the data the chart draws: a screen reader hears the figures."""
    text = f"{title}: " + "; ".join(parts) + "." if parts else f"{title}."
    return text if len(text) <= ALT_LIMIT else text[: ALT_LIMIT - 1] + "…"


def _trends(call: Call, frame: pd.DataFrame) -> list[str]:
    """Per series, its first and last figure: "Indbrud 140 (2019) → 130 (2025)"."""
    parts = []
    shown = frame.dropna(subset=["value"]).sort_values("year")
    for label, rows in shown.groupby("label", sort=False):
        ends = [rows.iloc[0], rows.iloc[-1]] if len(rows) > 1 else [rows.iloc[0]]
        figures = [f"{fmt.number(float(r['value']), call.lang)} ({int(r['year'])})" for r in ends]
        parts.append(f"{label} " + " → ".join(figures))
    return parts


def _fulfilment(key: str, lang: str) -> str:
    word = Fulfilment.parse(key)
    return word.label(lang) if word else key


def _safety(call: Call, frame: pd.DataFrame) -> list[str]:
    """Per measure, the latest year with the area's figure, beside the city's."""
    parts = []
    for label, rows in frame.dropna(subset=["area"]).sort_values("year").groupby("area_label"):
        last = rows.iloc[-1]
        city = call.t(", byen {v}", ", the city {v}", v=fmt.number(float(last["city"]), call.lang))
        city = "" if math.isnan(float(last["city"])) else city
        parts.append(
            f"{label} {int(last['year'])}: {fmt.number(float(last['area']), call.lang)}{city}"
        )
    return parts


def _activities(
    call: Call, years: range, blocks: list, files: list[FileOut], missing: list[str]
) -> None:
    from charts import status as charts

    status_frame, fulfilment = targets.activity_frames(call.session, call.pid, call.lang, years)
    if status_frame.empty:
        missing.append(call.t("aktiviteter i tryghedsplanen", "activities in the safety plan"))
        return
    counts = status_frame["status"].value_counts().to_dict()
    words = {s.value: s.label(call.lang) for s in Status}
    words["none"] = call.t("ingen opdatering", "no update")
    summary = ", ".join(f"{counts[k]} {w}" for k, w in words.items() if counts.get(k))
    blocks.append(
        Text(
            call.t(
                "**Aktiviteter** ({n}): {s}",
                "**Activities** ({n}): {s}",
                n=len(status_frame),
                s=summary,
            )
        )
    )
    chart = _drawn(
        charts.activities_chart, status_frame, fulfilment, meta=targets.chart_meta(call, None)
    )
    title = call.t("Aktiviteter", "Activities")
    parts = [
        call.t(
            "{n}: {s}",
            "{n}: {s}",
            n=fmt.count(
                call.lang,
                len(status_frame),
                ("aktivitet", "aktiviteter"),
                ("activity", "activities"),
            ),
            s=summary,
        )
    ]
    for year, rows in fulfilment.groupby("year"):
        counts = ", ".join(
            f"{int(r['count'])} {_fulfilment(r['fulfilment'], call.lang)}"
            for _, r in rows.iterrows()
        )
        parts.append(call.t("vurderet {y}: {c}", "assessed {y}: {c}", y=int(year), c=counts))
    files.append(_png(call, "activities", chart, title, _alt(title, parts)))


FAM.subcommand(
    "",
    "",
    Right.REGISTERED,
    status,
    f"[{Section.choices('en')}] [YEAR] [from=YEAR] [to=YEAR]",
    f"[{Section.choices('da')}] [ÅR] [fra=ÅR] [til=ÅR]",
    "crime from=2015",
    "kriminalitet fra=2015",
    keys("from", "fra", "to", "til"),
    slow=True,
)
