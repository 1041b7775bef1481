"""`budget [YEAR]`, `budget set CODE YEAR AMOUNT`, `budget spent CODE YEAR AMOUNT` (`budget …
sæt|forbrugt`): the money granted to and spent by each activity, against the yearly frame.

Amounts are whole kroner written as people write them (`250000`, `250.000 kr.`, `250 000`,
`1,8 mio.`); `-` clears an amount. Years are those figures may have (2000 to next year). A
grant above the frame, or spending above the grant, is saved and said in the reply: the
partnership may move money between activities during the year, so the tool informs rather than
refuses. An activity marked without funding from the partnership has no grant to set.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from commands.engine import fmt, lookup
from commands.engine.audit import snapshot
from commands.engine.context import Call
from commands.engine.parse import Args, ParseError, parse_amount
from commands.engine.registry import Right, family
from commands.engine.reply import Note, Reply, Table, Text
from commands.rules.figures import Problem, check_year
from commands.views import economy
from storage.models import ActivityBudget

FAM = family(
    "budget",
    "budget",
    "money granted and spent per activity against the yearly frame",
    "bevilget og forbrugt pr. aktivitet i forhold til årets ramme",
)


def _year(call: Call, word: str) -> int:
    try:
        return check_year(word, call.now.year)
    except Problem as exc:
        raise call.fail("{p}.", "{p}.", p=exc.text(call.lang).capitalize()) from None


def show(call: Call, args: Args) -> Reply:
    if len(args.words) > 1:
        raise call.usage()
    tz = call.spec.tz if call.spec else None
    year = _year(call, args.words[0]) if args.words else call.now.astimezone(tz).year
    groups = economy.areas(call.session, call.pid, year, call.lang)
    if not groups:
        return call.reply(
            "Der er ingen aktiviteter endnu. Tilføj med `{c} aktivitet tilføj`.",
            "There are no activities yet. Add one with `{c} activity add`.",
            c=call.ctx.command,
        )
    table = economy.table(groups, year, *economy.frame_of(call.spec), call.lang)
    blocks: list[Text | Table | Note] = [
        Text(f"**{table.title}**\n{table.frame}"),
        Table(table.headers, table.rows),
    ]
    blocks += [Note(n) for n in table.notes]
    if not any(x.granted is not None or x.spent is not None for a in groups for x in a.lines):
        blocks.append(
            Note(
                call.t(
                    "Der er ikke registreret bevillinger for {y}. Skriv `{c} budget sæt KODE {y} "
                    "BELØB`.",
                    "No grants are recorded for {y}. Use `{c} budget set CODE {y} AMOUNT`.",
                    y=year,
                    c=call.ctx.command,
                )
            )
        )
    return Reply(blocks=list(blocks))


def _amount(call: Call, words: list[str]) -> int | None:
    text = " ".join(words)
    if text.strip() == "-":
        return None
    try:
        return parse_amount(text)
    except ParseError:
        raise call.usage(
            "'{v}' er ikke et beløb i hele kroner.",
            "'{v}' is not an amount in whole kroner.",
            v=text[:30],
        ) from None


@dataclass(frozen=True)
class _Kind:
    """What `budget set` and `budget spent` each change, and how the receipt reads."""

    column: str
    action: str
    saved_da: str
    saved_en: str
    cleared_da: str
    cleared_en: str


GRANT = _Kind(
    "granted_dkk",
    "budget.set",
    "Gemt: {c} har fået bevilget {a} i {y}.",
    "Saved: {c} is granted {a} in {y}.",
    "Gemt: bevillingen for {c} i {y} er fjernet.",
    "Saved: the grant of {c} in {y} is cleared.",
)
SPENT = _Kind(
    "spent_dkk",
    "budget.spent",
    "Gemt: {c} har brugt {a} i {y}.",
    "Saved: {c} has spent {a} in {y}.",
    "Gemt: forbruget for {c} i {y} er fjernet.",
    "Saved: the spending of {c} in {y} is cleared.",
)


def _change(call: Call, args: Args, kind: _Kind) -> Reply:
    if len(args.words) < 3:
        raise call.usage()
    act = lookup.activity(call, args.words[0])
    year = _year(call, args.words[1])
    amount = _amount(call, args.words[2:])
    if kind is GRANT and not act.funded and amount is not None:
        raise call.fail(
            "{c} er markeret uden finansiering fra partnerskabet. Ret det først med "
            "`{cmd} aktivitet ret {c} finansieret=ja`.",
            "{c} is marked as without funding from the partnership. Change that first with "
            "`{cmd} activity edit {c} funded=yes`.",
            c=act.code,
            cmd=call.ctx.command,
        )
    row = call.session.exec(
        select(ActivityBudget).where(
            ActivityBudget.activity_id == act.id, ActivityBudget.year == year
        )
    ).first()
    before = snapshot(row) if row else None
    if row is None:
        row = ActivityBudget(
            partnership_id=call.pid, activity_id=act.id or 0, year=year, updated_by=call.actor
        )
    if getattr(row, kind.column) == amount and before is not None:
        raise call.fail(
            "Ingen ændringer: beløbet er det samme.", "No changes: the amount is the same."
        )
    setattr(row, kind.column, amount)
    row.updated_by, row.updated_at = call.actor, call.now
    call.save(row, kind.action, "budget", before)
    if amount is None:
        text = call.t(kind.cleared_da, kind.cleared_en, c=act.code, y=year)
    else:
        text = call.t(
            kind.saved_da, kind.saved_en, c=act.code, a=fmt.money(amount, call.lang), y=year
        )
    return Reply.text(text + _warning(call, row, year), ephemeral=False)


def _warning(call: Call, row: ActivityBudget, year: int) -> str:
    """What the saved amount leaves over the grant or the frame, said after the receipt."""
    if (
        row.spent_dkk is not None
        and row.granted_dkk is not None
        and row.spent_dkk > row.granted_dkk
    ):
        return " " + call.t(
            "Forbruget er {d} over bevillingen.",
            "Spending is {d} over the grant.",
            d=fmt.money(row.spent_dkk - row.granted_dkk, call.lang),
        )
    frame, _ = economy.frame_of(call.spec)
    if frame is None:
        return ""
    granted = sum(a.granted for a in economy.areas(call.session, call.pid, year, call.lang))
    if granted > frame:
        return " " + call.t(
            "Der er nu bevilget {d} mere end rammen for {y} ({f}).",
            "{d} more than the frame for {y} ({f}) is now granted.",
            d=fmt.money(granted - frame, call.lang),
            y=year,
            f=fmt.money(frame, call.lang),
        )
    return ""


def set_(call: Call, args: Args) -> Reply:
    return _change(call, args, GRANT)


def spent(call: Call, args: Args) -> Reply:
    return _change(call, args, SPENT)


FAM.subcommand("", "", Right.REGISTERED, show, "[YEAR]", "[ÅR]", "2019", "2019")
FAM.subcommand(
    "set", "sæt", Right.MANAGER, set_, "CODE YEAR AMOUNT", "KODE ÅR BELØB", "PF1 2019 250000",
    "PF1 2019 250.000",
)  # fmt: skip
FAM.subcommand(
    "spent", "forbrugt", Right.MANAGER, spent, "CODE YEAR AMOUNT", "KODE ÅR BELØB",
    "PF1 2019 180000", "PF1 2019 180.000",
)  # fmt: skip
