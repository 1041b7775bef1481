"""`indicator set|list|import` (`indikator sæt|liste|importer`): survey and police figures.

A figure is never overwritten: a correction is a new revision of (indicator, year) and the
newest revision counts; the earlier ones stay, and the audit names both values.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from commands.engine import fmt, lookup
from commands.engine.context import Call
from commands.engine.options import keys, opt
from commands.engine.parse import Args
from commands.engine.registry import Right, family
from commands.engine.reply import Note, Reply, Table, Text
from commands.families import importer
from commands.rules.figures import (
    Details,
    Problem,
    check_respondents,
    check_significant,
    check_value,
    check_year,
    computed_problem,
)
from commands.vocab import Unit
from storage.models import IndicatorDef, IndicatorValue

FAM = family(
    "indicator",
    "indikator",
    "survey and police figures: set, list, import",
    "tal fra tryghedsundersøgelsen og politiet: sæt, vis, importér",
)
MAX_SOURCE = 300


def latest_value(call: Call, indicator_id: int, year: int) -> IndicatorValue | None:
    return call.session.exec(
        select(IndicatorValue)
        .where(IndicatorValue.indicator_id == indicator_id, IndicatorValue.year == year)
        .order_by(IndicatorValue.revision.desc())
    ).first()


def save_value(
    call: Call,
    ind: IndicatorDef,
    year: int,
    value: float,
    source: str,
    details: Details | None = None,
) -> IndicatorValue | None:
    """Store a new revision; None when the newest one already says the same. Details not
    given are carried over from the newest revision, as the source is."""
    current = latest_value(call, ind.id or 0, year)
    details = details or Details()
    if current is not None:
        details = Details(
            current.n if details.n is None else details.n,
            current.significant if details.significant is None else details.significant,
            current.note if details.note is None else details.note,
        )
    same_details = current is not None and details == Details(
        current.n, current.significant, current.note
    )
    if (
        current is not None
        and current.value == value
        and (not source or source == current.source)
        and same_details
    ):
        return None
    row = IndicatorValue(
        partnership_id=call.pid,
        indicator_id=ind.id or 0,
        year=year,
        value=value,
        revision=(current.revision + 1) if current else 1,
        source=source or (current.source if current else ""),
        n=details.n,
        significant=details.significant,
        note=details.note,
        actor=call.actor,
        created_at=call.now,
    )
    call.session.add(row)
    call.session.flush()
    call.audit(
        "indicator.set",
        "indicator_value",
        f"{ind.key}:{year}",
        _audited(current) if current else None,
        _audited(row),
    )
    return row


def _audited(row: IndicatorValue) -> dict[str, object]:
    out: dict[str, object] = {"value": row.value, "source": row.source, "revision": row.revision}
    out |= {
        k: v
        for k, v in (("n", row.n), ("significant", row.significant), ("note", row.note))
        if v is not None
    }
    return out


def _details(call: Call, args: Args) -> Details:
    n_text = opt(args, "n")
    sig_text = opt(args, "significant", "signifikant")
    note = opt(args, "note")
    try:
        n = check_respondents(n_text) if n_text is not None else None
        significant = check_significant(sig_text) if sig_text is not None else None
    except Problem as problem:
        raise call.fail(
            "{p}. Intet er gemt.", "{p}. Nothing was saved.", p=_capital(problem.text(call.lang))
        ) from None
    if note is not None and len(note) > MAX_SOURCE:
        raise call.fail(
            "Noten er for lang (højst {n} tegn).",
            "The note is too long (at most {n} characters).",
            n=MAX_SOURCE,
        )
    return Details(n, significant, note.strip() if note is not None else None)


def set_(call: Call, args: Args) -> Reply:
    if len(args.words) < 3:
        raise call.usage()
    ind = lookup.indicator(call, args.words[0])
    value_text = " ".join(args.words[2:])  # "13 %", "1 234": a value may have spaces
    source = (opt(args, "source", "kilde") or "").strip()
    try:
        if ind.components:
            raise computed_problem(ind.key, ind.components)
        year = check_year(args.words[1], call.now.year)
        value = check_value(ind.unit, value_text)
    except Problem as problem:
        raise call.fail(
            "{p}. Intet er gemt.", "{p}. Nothing was saved.", p=_capital(problem.text(call.lang))
        ) from None
    if len(source) > MAX_SOURCE:
        raise call.fail(
            "Kilden er for lang (højst {n} tegn).",
            "The source is too long (at most {n} characters).",
            n=MAX_SOURCE,
        )
    row = save_value(call, ind, year, value, source, _details(call, args))
    label = call.t(ind.label_da, ind.label_en)
    if row is None:
        raise call.fail(
            "{l} {y} er allerede {v}. Intet er ændret.",
            "{l} {y} is already {v}. Nothing was changed.",
            l=label,
            y=year,
            v=fmt.figure(value, ind.unit, call.lang),
        )
    revised = (
        call.t(" (rettelse {r})", " (revision {r})", r=row.revision) if row.revision > 1 else ""
    )
    return Reply.text(
        call.t(
            "Gemt: {l} {y} = {v}{r}.",
            "Saved: {l} {y} = {v}{r}.",
            l=label,
            y=year,
            v=fmt.figure(value, ind.unit, call.lang),
            r=revised,
        ),
        ephemeral=False,
    )


def list_(call: Call, args: Args) -> Reply:
    if args.words:
        raise call.usage("Listen tager ingen argumenter.", "The list takes no arguments.")
    inds = call.session.exec(
        select(IndicatorDef)
        .where(IndicatorDef.partnership_id == call.pid, IndicatorDef.active == True)
        .order_by(IndicatorDef.id)
    ).all()
    newest = (
        select(IndicatorValue.indicator_id, func.max(IndicatorValue.year).label("year"))
        .where(IndicatorValue.partnership_id == call.pid)
        .group_by(IndicatorValue.indicator_id)
        .subquery()
    )
    latest: dict[int, IndicatorValue] = {}
    for row in call.session.exec(
        select(IndicatorValue)
        .join(
            newest,
            (IndicatorValue.indicator_id == newest.c.indicator_id)
            & (IndicatorValue.year == newest.c.year),
        )
        .order_by(IndicatorValue.revision)
    ):
        latest[row.indicator_id] = row  # ordered by revision: the newest wins
    body = []
    for ind in inds:
        unit = Unit.label_of(ind.unit, call.lang)
        base = fmt.figure(ind.baseline, ind.unit, call.lang) if ind.baseline is not None else "-"
        if ind.baseline is not None and ind.baseline_year:
            base += f" ({ind.baseline_year})"
        value = latest.get(ind.id or 0)
        shown = (
            f"{value.year}: {fmt.figure(value.value, ind.unit, call.lang)}"
            if value
            else call.t("beregnes", "computed")
            if ind.components
            else "-"
        )
        body.append((ind.key, call.t(ind.label_da, ind.label_en), unit, base, shown))
    headers = call.t("Nøgle|Navn|Enhed|Baseline|Seneste", "Key|Label|Unit|Baseline|Latest")
    blocks: list[Text | Table | Note] = [
        Text(call.t("Indikatorer ({n}):", "Indicators ({n}):", n=len(inds))),
        Table(tuple(headers.split("|")), tuple(body)),
    ]
    if call.partnership is not None and call.partnership.demo:
        blocks.append(
            Note(
                call.t("DEMODATA: tallene er syntetiske.", "DEMO DATA: the figures are synthetic.")
            )
        )
    return Reply(blocks=list(blocks))


def import_(call: Call, args: Args) -> Reply:
    files = list(call.ctx.attachments)
    if not files and call.ctx.local_files and len(args.words) == 1:
        path = Path(args.words[0]).expanduser()
        if not path.is_file():
            raise call.fail(
                "Filen '{p}' findes ikke.", "The file '{p}' does not exist.", p=str(path)[:200]
            )
        files = [(path.name, path.read_bytes())]
    if len(files) != 1 or (args.words and not call.ctx.local_files):
        raise call.fail(
            "Vedhæft én CSV- eller XLSX-fil med kolonnerne indikator,år,værdi[,kilde].",
            "Attach one CSV or XLSX file with the columns indicator,year,value[,source].",
        )
    name, data = files[0]
    return importer.import_file(call, name, data, save_value)


FAM.subcommand(
    "set",
    "sæt",
    Right.MANAGER,
    set_,
    "KEY YEAR VALUE [source=TEXT] [n=RESPONDENTS] [significant=yes|no] [note=TEXT]",
    "NØGLE ÅR VÆRDI [kilde=TEKST] [n=SVAR] [signifikant=ja|nej] [note=TEKST]",
    'safety.unsafe 2019 18.5 source="Tryghedsundersøgelsen 2019" n=1024 significant=no',
    'safety.unsafe 2019 18,5 kilde="Tryghedsundersøgelsen 2019" n=1024 signifikant=nej',
    keys("source", "kilde", "n", "significant", "signifikant", "note"),
)
FAM.subcommand("list", "liste", Right.REGISTERED, list_)
FAM.subcommand(
    "import",
    "importer",
    Right.MANAGER,
    import_,
    "(attach a CSV/XLSX file)",
    "(vedhæft en CSV/XLSX-fil)",
    "figures.csv",
    "tal.csv",
)
FAM.default = "list"


def _capital(reason: str) -> str:
    """A reason (written to stand in an import's table) opening a sentence: "Året 2035 …"."""
    return reason[:1].upper() + reason[1:]
