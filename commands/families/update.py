"""`update CODE STATUS …` (`opdater`) and `assess CODE YEAR …` (`vurder`).

Both are append-only: every update and assessment is a new row; for a year the newest
assessment counts.
"""

from __future__ import annotations

from sqlalchemy import insert

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.errors import CommandError
from commands.engine.messages import parse_word
from commands.engine.options import keys, opt
from commands.engine.parse import Args, command_line, parse_year
from commands.engine.registry import Right, family
from commands.engine.reply import Button, Reply, Text
from commands.vocab import Fulfilment, Status
from storage.models import ActivityUpdate, Assessment, Organisation

UPDATE = family(
    "update", "opdater", "post an update on an activity", "skriv en opdatering om en aktivitet"
)
ASSESS = family(
    "assess",
    "vurder",
    "assess the year's fulfilment of an activity's success criteria",
    "vurdér årets indfrielse af en aktivitets succeskriterier",
)

MAX_NOTE = 3000
_INSERT_UPDATE = insert(ActivityUpdate).returning(ActivityUpdate.id)


def _with_form(call: Call, refusal: CommandError, code: str) -> Reply:
    """A refusal that, where the platform has forms, offers the form for the same activity
    instead of leaving the person with usage text; elsewhere the refusal as it is."""
    if not call.ctx.caps.forms:
        raise refusal
    line = command_line("update", code) if code else "update"
    label = call.t("Skriv den i formularen", "Use the form")
    return Reply(blocks=[Text(refusal.message)], buttons=[Button(label, line)], ok=False)


def update(call: Call, args: Args) -> Reply:
    if len(args.words) < 2:
        return _with_form(call, call.usage(), args.words[0].upper() if args.words else "")
    act = lookup.activity(call, args.words[0])
    try:
        status = parse_word(call, Status, args.words[1], "status", "status")
    except CommandError as unknown:
        return _with_form(call, unknown, act.code)
    if not call.is_manager and act.organisation_id != (
        call.member.organisation_id if call.member else None
    ):
        org = call.session.get(Organisation, act.organisation_id)
        raise call.fail(
            "Du kan kun opdatere din egen organisations aktiviteter; {c} hører til {o}. "
            "Formanden eller sekretariatet kan opdatere alle. Intet er gemt.",
            "You can only update your own organisation's activities; {c} belongs to {o}. "
            "The chair or the secretariat can update all. Nothing was saved.",
            c=act.code,
            o=org.name if org else "-",
        )
    note = " ".join(args.words[2:]).strip()
    progress = opt(args, "progress", "fremdrift") or ""
    if len(note) > MAX_NOTE or len(progress) > MAX_NOTE:
        raise call.fail(
            "Teksten er for lang (højst {n} tegn).",
            "The text is too long (at most {n} characters).",
            n=MAX_NOTE,
        )
    values = {
        "partnership_id": call.pid,
        "activity_id": act.id or 0,
        "member_id": call.member.id if call.member else None,
        "actor": call.actor,
        "status": status.value,
        "progress": progress,
        "note": note,
        "created_at": call.now,
    }
    # The acknowledged hot path (DESIGN section 7): a plain INSERT … RETURNING, no ORM flush.
    new_id = call.session.execute(_INSERT_UPDATE, values).scalar_one()
    after = {"id": new_id, **values, "created_at": call.now.isoformat()}
    call.audit("activity.update", "activity_update", new_id, None, after)
    return call.announce(
        "Gemt: {c} er {s}.{n}",
        "Saved: {c} is {s}.{n}",
        c=act.code,
        s=status.label(call.lang),
        n=f" “{note[:80]}”" if note else "",
    )


def assess(call: Call, args: Args) -> Reply:
    if len(args.words) < 3:
        raise call.usage()
    act = lookup.activity(call, args.words[0])
    year = parse_year(args.words[1])
    this_year = call.now.year
    if not 2000 <= year <= this_year:
        raise call.fail(
            "Året skal ligge mellem 2000 og {y}.",
            "The year must be between 2000 and {y}.",
            y=this_year,
        )
    fulfilment = parse_word(call, Fulfilment, args.words[2], "vurdering", "assessment")
    note = " ".join(args.words[3:]).strip()
    if len(note) > MAX_NOTE:
        raise call.fail(
            "Noten er for lang (højst {n} tegn).",
            "The note is too long (at most {n} characters).",
            n=MAX_NOTE,
        )
    row = Assessment(
        partnership_id=call.pid,
        activity_id=act.id or 0,
        year=year,
        fulfilment=fulfilment.value,
        note=note,
        actor=call.actor,
        created_at=call.now,
    )
    call.save(row, "activity.assess", "assessment")
    return call.announce(
        "Gemt: {c} {y}: succeskriterier {f}.",
        "Saved: {c} {y}: success criteria {f}.",
        c=act.code,
        y=year,
        f=fulfilment.label(call.lang),
    )


UPDATE.subcommand(
    "",
    "",
    Right.UPDATER,
    update,
    f"CODE {Status.choices('en')} [progress=TEXT] NOTE…",
    f"KODE {Status.choices('da')} [fremdrift=TEKST] NOTE…",
    'PF1 on-track progress="12 of 30 in jobs" Two new employers joined',
    'PF1 planmæssig fremdrift="12 af 30 i job" To nye virksomheder med',
    keys("progress", "fremdrift"),
)
ASSESS.subcommand(
    "",
    "",
    Right.MANAGER,
    assess,
    f"CODE YEAR {Fulfilment.choices('en')} NOTE…",
    f"KODE ÅR {Fulfilment.choices('da')} NOTE…",
    "PF1 2019 partly 24 of 30 young people in jobs",
    "PF1 2019 delvist 24 af 30 unge i job",
)
