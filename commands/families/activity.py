"""`activity list|show|add|edit` (`aktivitet liste|vis|tilføj|ret`): the Tryghedsplan."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import audit, fmt, lookup
from commands.engine.context import Call
from commands.engine.options import keys, opt
from commands.engine.parse import Args, parse_amount
from commands.engine.registry import Right, family
from commands.engine.reply import Button, Header, Note, Reply, Table, Text
from commands.vocab import Fulfilment, Prevention, Status, YesNo
from storage.models import (
    Activity,
    ActivityUpdate,
    Assessment,
    FocusArea,
    Member,
    Organisation,
)
from storage.queries import latest_updates

FAM = family(
    "activity",
    "aktivitet",
    "the Tryghedsplan: list, show, add and edit activities",
    "Tryghedsplanen: vis, tilføj og ret aktiviteter",
)

MAX_NAME = 200
MAX_CRITERIA = 2000
EDIT_KEYS = {
    "name": "name",
    "navn": "name",
    "area": "area",
    "område": "area",
    "org": "org",
    "organisation": "org",
    "criteria": "criteria",
    "kriterier": "criteria",
    "succeskriterier": "criteria",
    "budget": "budget",
    "level": "level",
    "niveau": "level",
    "forebyggelse": "level",
    "funded": "funded",
    "finansieret": "funded",
}


def _area_name(call: Call, area: FocusArea) -> str:
    return call.t(area.name_da, area.name_en)


def list_(call: Call, args: Args) -> Reply:
    if args.words:
        raise call.usage("Ukendt argument '{w}'.", "Unknown argument '{w}'.", w=args.words[0][:30])
    query = (
        select(Activity, FocusArea, Organisation)
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .join(Organisation, Organisation.id == Activity.organisation_id)
        .where(Activity.partnership_id == call.pid)
    )
    area_word, org_word = opt(args, "area", "område"), opt(args, "org", "organisation")
    if area_word:
        query = query.where(Activity.focus_area_id == lookup.focus_area(call, area_word).id)
    if org_word:
        query = query.where(Activity.organisation_id == lookup.organisation(call, org_word).id)
    rows = call.session.exec(query.order_by(FocusArea.slug, Activity.code)).all()
    if not rows:
        return call.reply(
            "Ingen aktiviteter fundet. Tilføj med `{c} aktivitet tilføj`.",
            "No activities found. Add one with `{c} activity add`.",
            c=call.ctx.command,
        )
    latest = latest_updates(call.session, call.pid, [a.id for a, _, _ in rows if a.id is not None])
    tz = call.spec.tz if call.spec else None
    body: list[tuple[str, ...]] = []
    for act, area, org in rows:
        upd = latest.get(act.id or 0)
        status = (
            (
                f"{Status.label_of(upd.status, call.lang)} "
                f"({fmt.date(upd.created_at.astimezone(tz), call.lang)})"
            )
            if upd
            else "-"
        )
        body.append((act.code, act.name, org.slug, _area_name(call, area), status))
    headers = call.t(
        "Kode|Aktivitet|Org.|Indsatsområde|Seneste status",
        "Code|Activity|Org.|Focus area|Latest status",
    ).split("|")
    blocks: list[Text | Table | Note] = [
        Text(call.t("Aktiviteter ({n}):", "Activities ({n}):", n=len(rows))),
        Table(tuple(headers), tuple(body)),
    ]
    if call.partnership is not None and call.partnership.demo:
        blocks.append(
            Note(
                call.t(
                    "DEMODATA: syntetiske aktiviteter og opdateringer.",
                    "DEMO DATA: synthetic activities and updates.",
                )
            )
        )
    return Reply(blocks=list(blocks))


def show(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.usage()
    act = lookup.activity(call, args.words[0])
    area = call.session.get(FocusArea, act.focus_area_id)
    org = call.session.get(Organisation, act.organisation_id)
    tz = call.spec.tz if call.spec else None
    blocks: list[Header | Text | Note | Table] = [Header(f"{act.code} — {act.name}")]
    blocks.append(
        Text(
            call.t(
                "Indsatsområde: {a}\nForvaltning/organisation: {o}\n"
                "Succeskriterier: {k}\nForebyggelsesniveau: {f}\nBudget: {b}{u}",
                "Focus area: {a}\nOrganisation: {o}\nSuccess criteria: {k}\n"
                "Prevention level: {f}\nBudget: {b}{u}",
                a=_area_name(call, area) if area else "-",
                o=org.name if org else "-",
                k=act.criteria or "-",
                b=fmt.money(act.budget_dkk, call.lang),
                f=Prevention.label_of(act.prevention, call.lang) if act.prevention else "-",
                u=""
                if act.funded
                else call.t(
                    " (uden finansiering fra partnerskabet)",
                    " (without funding from the partnership)",
                ),
            )
        )
    )
    updates = call.session.exec(
        select(ActivityUpdate)
        .where(ActivityUpdate.activity_id == act.id)
        .order_by(ActivityUpdate.id.desc())
        .limit(5)
    ).all()
    if updates:
        # who wrote it, by name: `actor` is the chat platform's own id for the person
        ids = {u.member_id for u in updates if u.member_id is not None}
        names = {
            m.id: m.display_name or m.handle
            for m in call.session.exec(select(Member).where(Member.id.in_(ids)))
        }
        blocks.append(
            Table(
                tuple(
                    call.t("Dato|Status|Fremdrift|Note|Af", "Date|Status|Progress|Note|By").split(
                        "|"
                    )
                ),
                tuple(
                    (
                        fmt.when(u.created_at.astimezone(tz), call.lang),
                        Status.label_of(u.status, call.lang),
                        u.progress or "-",
                        u.note or "-",
                        names.get(u.member_id or 0, u.actor),
                    )
                    for u in updates
                ),
            )
        )
    else:
        blocks.append(Note(call.t("Ingen opdateringer endnu.", "No updates yet.")))
    assessments = call.session.exec(
        select(Assessment)
        .where(Assessment.activity_id == act.id)
        .order_by(Assessment.year, Assessment.id)
    ).all()
    latest_by_year = {a.year: a for a in assessments}  # the newest assessment of a year wins
    if latest_by_year:
        blocks.append(
            Table(
                tuple(
                    call.t(
                        "År|Indfrielse af succeskriterier|Note",
                        "Year|Fulfilment of success criteria|Note",
                    ).split("|")
                ),
                tuple(
                    (fmt.year(y), Fulfilment.label_of(a.fulfilment, call.lang), a.note or "-")
                    for y, a in sorted(latest_by_year.items())
                ),
            )
        )
    return Reply(
        blocks=blocks,
        buttons=[Button(call.t("Skriv en opdatering", "Post an update"), f"update {act.code}")],
    )


def _text_value(call: Call, value: str, what: str, limit: int) -> str:
    value = value.strip()
    if not value:
        raise call.fail("{w} må ikke være tom.", "{w} must not be empty.", w=what)
    if len(value) > limit:
        raise call.fail(
            "{w} er for lang (højst {n} tegn).",
            "{w} is too long (at most {n} characters).",
            w=what,
            n=limit,
        )
    return value


def _level(call: Call, value: str) -> str | None:
    """The prevention level's key; "" or "-" clears it."""
    if value.strip() in {"", "-"}:
        return None
    level = Prevention.parse(value)
    if level is None:
        raise call.fail(
            "Forebyggelsesniveauet skal være {c}, ikke '{v}'.",
            "The prevention level must be {c}, not '{v}'.",
            c=Prevention.choices(call.lang),
            v=value[:30],
        )
    return str(level)


def _funded(call: Call, value: str) -> bool:
    answer = YesNo.parse(value)
    if answer is None:
        raise call.fail(
            "finansieret= skal være ja eller nej, ikke '{v}'.",
            "funded= must be yes or no, not '{v}'.",
            v=value[:30],
        )
    return answer is YesNo.YES


def add(call: Call, args: Args) -> Reply:
    if len(args.words) != 2:
        raise call.usage("Navnet skal stå i citationstegn.", "The name goes in quotes.")
    code = lookup.check_code(call, args.words[0])
    name = _text_value(call, args.words[1], call.t("Navnet", "The name"), MAX_NAME)
    area_word, org_word = opt(args, "area", "område"), opt(args, "org", "organisation")
    if not area_word or not org_word:
        raise call.usage("Angiv både område=OMRÅDE og org=ORG.", "Give both area=AREA and org=ORG.")
    area = lookup.focus_area(call, area_word)
    org = lookup.organisation(call, org_word)
    criteria = opt(args, "criteria", "kriterier", "succeskriterier") or ""
    if len(criteria) > MAX_CRITERIA:
        raise call.fail("Succeskriterierne er for lange.", "The success criteria are too long.")
    budget_word = opt(args, "budget")
    budget = parse_amount(budget_word) if budget_word else None
    level_word = opt(args, "level", "niveau", "forebyggelse")
    level = _level(call, level_word) if level_word else None
    funded_word = opt(args, "funded", "finansieret")
    funded = _funded(call, funded_word) if funded_word else True
    exists = call.session.exec(
        select(Activity.id).where(Activity.partnership_id == call.pid, Activity.code == code)
    ).first()
    if exists is not None:
        raise call.fail(
            "Aktiviteten {c} findes allerede. Ret den med `{cmd} aktivitet ret`.",
            "Activity {c} already exists. Change it with `{cmd} activity edit`.",
            c=code,
            cmd=call.ctx.command,
        )
    act = Activity(
        partnership_id=call.pid,
        code=code,
        name=name,
        focus_area_id=area.id or 0,
        organisation_id=org.id or 0,
        criteria=criteria,
        budget_dkk=budget,
        prevention=level,
        funded=funded,
        created_at=call.now,
    )
    call.save(act, "activity.add", "activity")
    return call.announce(
        'Gemt: aktivitet {c} "{n}" ({o}, {a}).',
        'Saved: activity {c} "{n}" ({o}, {a}).',
        c=code,
        n=name,
        o=org.slug,
        a=_area_name(call, area),
    )


def edit(call: Call, args: Args) -> Reply:
    if len(args.words) != 1 or not args.options:
        raise call.usage()
    act = lookup.activity(call, args.words[0])
    before = audit.snapshot(act)
    for key, value in args.options.items():
        field = EDIT_KEYS[key]
        if field == "name":
            act.name = _text_value(call, value, call.t("Navnet", "The name"), MAX_NAME)
        elif field == "area":
            act.focus_area_id = lookup.focus_area(call, value).id or 0
        elif field == "org":
            act.organisation_id = lookup.organisation(call, value).id or 0
        elif field == "criteria":
            if len(value) > MAX_CRITERIA:
                raise call.fail(
                    "Succeskriterierne er for lange.", "The success criteria are too long."
                )
            act.criteria = value.strip()
        elif field == "budget":
            act.budget_dkk = None if value.strip() in {"", "-"} else parse_amount(value)
        elif field == "level":
            act.prevention = _level(call, value)
        elif field == "funded":
            act.funded = _funded(call, value)
    if audit.snapshot(act) == before:
        raise call.fail(
            "Ingen ændringer: værdierne er de samme.", "No changes: the values are the same."
        )
    call.save(act, "activity.edit", "activity", before)
    return call.announce(
        "Gemt: aktivitet {c} er rettet.", "Saved: activity {c} was changed.", c=act.code
    )


FAM.subcommand(
    "list",
    "liste",
    Right.REGISTERED,
    list_,
    "[area=AREA] [org=ORG]",
    "[område=OMRÅDE] [org=ORG]",
    "org=sof",
    "org=sof",
    keys("area", "område", "org", "organisation"),
)
FAM.subcommand("show", "vis", Right.REGISTERED, show, "CODE", "KODE", "PF1", "PF1")
FAM.subcommand(
    "add",
    "tilføj",
    Right.MANAGER,
    add,
    'CODE "NAME" area=AREA org=ORG [criteria="…"] [budget=DKK] [level=primary|secondary|tertiary]'
    " [funded=yes|no]",
    'KODE "NAVN" område=OMRÅDE org=ORG [kriterier="…"] [budget=KR] [niveau=primær|sekundær|tertiær]'
    " [finansieret=ja|nej]",
    'PF9 "Homework café" area=positive-faellesskaber org=kff '
    'criteria="40 pupils a week" budget=150000',
    'PF9 "Lektiecafé" område=positive-faellesskaber org=kff '
    'kriterier="40 elever om ugen" budget=150000',
    frozenset(EDIT_KEYS) - {"name", "navn"},
)
FAM.subcommand(
    "edit",
    "ret",
    Right.MANAGER,
    edit,
    "CODE key=value… (name, area, org, criteria, budget, level, funded)",
    "KODE nøgle=værdi… (navn, område, org, kriterier, budget, niveau, finansieret)",
    "PF9 budget=175000",
    "PF9 budget=175000",
    frozenset(EDIT_KEYS),
)
FAM.default = "list"
