"""`agenda add [ID] [internal] TEXT` / `agenda list [ID]` / `agenda carry ID [N…]`
(`dagsorden tilføj|liste|videreført`): agenda items, for the next meeting unless an id is
given. `carry` moves the items a meeting did not reach (all, or those numbered as `agenda list`
numbers them) onto the next meeting's agenda, marked as carried over; the next call for agenda
items lists them. `internal` keeps an item out of the public minutes."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import fmt, lookup
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.registry import Right, family
from commands.engine.reply import Reply, Text
from commands.families.record.decision import internal_flag
from commands.views.meeting_record import open_items_text
from storage.models import AgendaItem, Meeting

ITEMS = ("punkt", "punkter"), ("agenda item", "agenda items")

FAM = family("agenda", "dagsorden", "agenda items for a meeting", "punkter til et mødes dagsorden")
MAX_ITEM = 500


def _target(call: Call, words: list[str]) -> tuple[Meeting, list[str]]:
    return lookup.meeting_first(
        call,
        words,
        lookup.next_meeting(call) if not (words and words[0].isdigit()) else None,
        "Der er intet planlagt møde at sætte punkter på.",
        "There is no planned meeting to add items to.",
    )


def add(call: Call, args: Args) -> Reply:
    meeting, rest = _target(call, args.words)
    internal, rest = internal_flag(rest)
    text = " ".join(rest).strip()
    if not text:
        raise call.usage("Skriv punktet.", "Write the item.")
    if len(text) > MAX_ITEM:
        raise call.fail(
            "Punktet er for langt (højst {n} tegn).",
            "The item is too long (at most {n} characters).",
            n=MAX_ITEM,
        )
    if meeting.status == "cancelled" or meeting.starts_at <= call.now:
        raise call.fail(
            "Møde {i} er aflyst eller overstået.", "Meeting {i} is cancelled or over.", i=meeting.id
        )
    item = AgendaItem(
        partnership_id=call.pid,
        meeting_id=meeting.id or 0,
        text=text,
        actor=call.actor,
        created_at=call.now,
        internal=internal,
    )
    call.save(item, "agenda.add", "agenda_item")
    return call.announce(
        "Gemt på dagsordenen for møde {i}: {t}",
        "Added to the agenda of meeting {i}: {t}",
        i=meeting.id,
        t=text,
    )


def list_(call: Call, args: Args) -> Reply:
    meeting, rest = _target(call, args.words)
    if rest:
        raise call.usage()
    items = call.session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all()
    head = call.t("Dagsorden for møde {i}:", "Agenda of meeting {i}:", i=meeting.id)
    follow_up = open_items_text(call.session, call.pid, call.lang)
    blocks = [Text(follow_up)] if follow_up else []
    if not items:
        text = head + " " + call.t("ingen punkter endnu.", "no items yet.")
        return Reply(blocks=[Text(text), *blocks])
    lines = "".join(f"\n{n}. {i.text} ({i.actor})" for n, i in enumerate(items, 1))
    return Reply(blocks=[Text(head + lines), *blocks])


FAM.subcommand(
    "add",
    "tilføj",
    Right.REGISTERED,
    add,
    "[MEETING-ID] [internal] TEXT",
    "[MØDE-ID] [intern] TEKST",
    "Status on the night walks",
    "Status på natteravnene",
)
FAM.subcommand("list", "liste", Right.REGISTERED, list_, "[MEETING-ID]", "[MØDE-ID]")


def carry(call: Call, args: Args) -> Reply:
    if not args.words or not all(w.isdigit() for w in args.words):
        raise call.usage()
    meeting = lookup.meeting(call, args.words[0])
    items = list(call.session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all())  # fmt: skip
    wanted = {int(w) for w in args.words[1:]}
    if any(n < 1 or n > len(items) for n in wanted):
        raise call.fail(
            "Møde {i} har {n} på dagsordenen.", "Meeting {i} has {n}.", i=meeting.id,
            n=fmt.count(call.lang, len(items), *ITEMS),
        )  # fmt: skip
    chosen = [it for n, it in enumerate(items, 1) if not wanted or n in wanted]
    after = call.session.exec(
        select(Meeting)
        .where(Meeting.partnership_id == call.pid, Meeting.status == "planned",
               Meeting.starts_at > max(meeting.starts_at, call.now))
        .order_by(Meeting.starts_at)
    ).first()  # fmt: skip
    if after is None:
        raise call.fail(
            "Der er intet senere møde at føre punkterne videre til. Planlæg det først.",
            "There is no later meeting to carry the items to. Plan it first.",
        )
    if not chosen:
        return call.reply("Møde {i} har ingen punkter.", "Meeting {i} has no items.", i=meeting.id)
    for it in chosen:
        call.save(
            AgendaItem(partnership_id=call.pid, meeting_id=after.id or 0, text=it.text,
                       actor=call.actor, created_at=call.now, internal=it.internal,
                       carried_from=it.id),
            "agenda.carry", "agenda_item",
        )  # fmt: skip
    return call.announce(
        "{n} ført videre fra møde {a} til møde {b}.",
        "{n} carried over from meeting {a} to meeting {b}.",
        n=fmt.count(call.lang, len(chosen), *ITEMS),
        a=meeting.id,
        b=after.id,
    )


FAM.subcommand(
    "carry",
    "videreført",
    Right.MANAGER,
    carry,
    "MEETING-ID [N…]",
    "MØDE-ID [N…]",
    "12 2 3",
    "12 2 3",
)
FAM.default = "list"
