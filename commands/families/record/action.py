"""`action add [ID] [internal] TEXT owner=ORG|USER due=DATE`, `action list [open|all] [org=]`,
`action done N [NOTE]` (`opfølgning tilføj … ansvarlig= frist=`, `liste`, `udført`): follow-up
items with an owner — an organisation, or a person and so their organisation — and a due date.

The owner is reminded in a direct message three days before the due date and the day after it
if the item is still open (reminder rows `action:N:due` and `action:N:late`, sent exactly once
like every reminder); marking it done cancels both. Open items are listed on the next meeting's
agenda and in its 2-day reminder, and overdue ones are counted per organisation in `status`.
Done: the owner (the person, or anyone of the owning organisation), the chair, the secretariat.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from commands.engine import fmt, lookup
from commands.engine.context import Call
from commands.engine.options import opt
from commands.engine.parse import Args, parse_date
from commands.engine.reply import Reply, Table
from commands.families.meeting.shared import tz
from commands.families.record.decision import held_meeting, internal_flag
from commands.views.reminder_kinds import ACTION_KEY
from commands.vocab import ActionState
from storage import records, reminders
from storage.models import ActionItem, Member, Organisation

MAX_TEXT = 1000
BEFORE = dt.timedelta(days=3)  # the owner's reminder before the due date
REMIND_AT = dt.time(9, 0)  # local time of the owner's reminders


def _owner(call: Call, word: str) -> tuple[Organisation | None, Member | None]:
    org = call.session.exec(
        select(Organisation).where(
            Organisation.partnership_id == call.pid, Organisation.slug == word.lower()
        )
    ).first()
    if org is not None:
        return org, None
    if call.ctx.read_person(word) is None and not word.startswith("@"):
        lookup.organisation(call, word)  # unknown: the refusal names the organisations
    member = lookup.member(call, word)
    if member is None:
        raise call.fail(
            "'{w}' er hverken en organisation eller en registreret person.",
            "'{w}' is neither an organisation nor a registered person.",
            w=word[:40],
        )
    return None, member


def _schedule(call: Call, item: ActionItem) -> None:
    """The owner's reminders: before the due date (if that is still ahead) and after it."""
    zone = tz(call)
    before = dt.datetime.combine(item.due - BEFORE, REMIND_AT, zone).astimezone(dt.UTC)
    late = dt.datetime.combine(item.due + dt.timedelta(days=1), REMIND_AT, zone)
    for when, which in ((before, "due"), (late.astimezone(dt.UTC), "late")):
        if which == "due" and when <= call.now:
            continue
        arg = f"{item.id}:{which}"
        reminders.upsert(
            call.session,
            partnership_id=call.pid,
            meeting_id=None,
            kind=f"action:{arg}",
            key=ACTION_KEY.format(arg=arg),
            due_at=when,
        )


def add(call: Call, args: Args) -> Reply:
    meeting, rest = held_meeting(call, args.words)
    internal, rest = internal_flag(rest)
    text = " ".join(rest).strip()
    owner_word = opt(args, "owner", "ansvarlig") or ""
    due_word = opt(args, "due", "frist") or ""
    if not text or not owner_word or not due_word:
        raise call.usage(
            "Skriv punktet, hvem der er ansvarlig, og fristen.",
            "Write the item, who owns it and the due date.",
        )
    if len(text) > MAX_TEXT:
        raise call.fail(
            "Punktet er for langt (højst {n} tegn).",
            "The item is too long (at most {n} characters).",
            n=MAX_TEXT,
        )
    today = call.now.astimezone(tz(call)).date()
    due = parse_date(due_word, today, call.lang)
    if due < today:
        raise call.fail(
            "Fristen {d} er allerede overskredet.", "The due date {d} has already passed.",
            d=_date(call, due),
        )  # fmt: skip
    org, member = _owner(call, owner_word)
    item = ActionItem(
        partnership_id=call.pid,
        meeting_id=meeting.id,
        text=text,
        organisation_id=org.id if org else None,
        member_id=member.id if member else None,
        due=due,
        internal=internal,
        actor=call.actor,
        created_at=call.now,
    )
    call.save(item, "action.add", "action_item")
    _schedule(call, item)
    reply = call.announce(
        "Opfølgningspunkt {n} gemt: {t} — ansvarlig: {o}, frist {d}.",
        "Follow-up item {n} saved: {t} — owner: {o}, due {d}.",
        n=item.id,
        t=text,
        o=owner_name(org, member),
        d=f"{fmt.weekday(due, call.lang)} {fmt.date(due, call.lang, long=True)}",  # said in full
    )
    reply.ephemeral = internal
    return reply


def owner_name(org: Organisation | None, member: Member | None) -> str:
    if org is not None:
        return org.slug
    return (member.display_name or member.handle) if member else "-"


def _date(call: Call, day: dt.date) -> str:
    return day.strftime(call.t("%d.%m.%Y", "%Y-%m-%d"))


def list_(call: Call, args: Args) -> Reply:
    words = [w.lower() for w in args.words]
    state = ActionState.parse(words[0]) if words else ActionState.OPEN
    everything = bool(words) and words[0] in {"all", "alle"}
    if len(words) > 1 or (words and state is None and not everything):
        raise call.usage()
    org_id = None
    if opt(args, "org"):
        org_id = lookup.organisation(call, opt(args, "org") or "").id
    items = records.actions(
        call.session, call.pid, open_only=not everything, organisation_id=org_id
    )
    if state == ActionState.DONE:
        every = records.actions(call.session, call.pid, open_only=False, organisation_id=org_id)
        items = [a for a in every if a.status == "done"]
    if not items:
        return call.reply("Ingen opfølgningspunkter.", "No follow-up items.")
    return Reply(blocks=[table(call, items)])


def table(call: Call, items: list[ActionItem]) -> Table:
    today = call.now.astimezone(tz(call)).date()
    orgs = {o.id: o for o in records.organisations(call.session, call.pid)}
    people = {
        m.id: m for m in call.session.exec(select(Member).where(Member.partnership_id == call.pid))
    }
    rows = []
    for a in items:
        state = ActionState.label_of(a.status, call.lang)
        if a.status == "open" and a.due < today:
            state = call.t("overskredet", "overdue")
        owner = owner_name(orgs.get(a.organisation_id), people.get(a.member_id))
        rows.append((str(a.id), _date(call, a.due), owner, state, a.text))
    headers = call.t("Nr.|Frist|Ansvarlig|Status|Punkt", "No.|Due|Owner|Status|Item")
    return Table(tuple(headers.split("|")), tuple(rows))


def done(call: Call, args: Args) -> Reply:
    if not args.words or not args.words[0].isdigit():
        raise call.usage()
    item = call.session.exec(
        select(ActionItem).where(
            ActionItem.id == int(args.words[0]), ActionItem.partnership_id == call.pid
        )
    ).first()
    if item is None:
        raise lookup.missing(
            call, "action list", "Ukendt opfølgningspunkt '{w}'.", "Unknown follow-up item '{w}'.",
            w=args.words[0][:20],
        )  # fmt: skip
    if not (call.is_manager or _owns(call, item)):
        raise call.fail(
            "Kun den ansvarlige, formanden eller sekretariatet kan markere punkt {n} som "
            "udført. Intet er ændret.",
            "Only the owner, the chair or the secretariat can mark item {n} done. Nothing was "
            "changed.",
            n=item.id,
        )
    if item.status == "done":
        return call.reply("Punkt {n} er allerede udført.", "Item {n} is already done.", n=item.id)
    before = item.model_copy()
    item.status, item.done_by, item.done_at = "done", call.actor, call.now
    item.done_note = " ".join(args.words[1:]).strip()[:MAX_TEXT]
    call.save(item, "action.done", "action_item", before=before.model_dump(mode="json"))
    reminders.cancel_keys(
        call.session, [ACTION_KEY.format(arg=f"{item.id}:{w}") for w in ("due", "late")]
    )
    reply = call.announce(
        "Opfølgningspunkt {n} er udført: {t}", "Follow-up item {n} is done: {t}",
        n=item.id, t=item.text,
    )  # fmt: skip
    reply.ephemeral = item.internal
    return reply


def _owns(call: Call, item: ActionItem) -> bool:
    if call.member is None:
        return False
    if item.member_id is not None:
        return item.member_id == call.member.id
    return item.organisation_id is not None and item.organisation_id == call.member.organisation_id
