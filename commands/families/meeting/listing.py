"""`meeting list` and `meeting next`: the year's meetings, and the next one with its agenda."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.parse import Args, parse_year
from commands.engine.reply import Button, Note, Reply, Table, Text
from commands.families.meeting.shared import flags, kind_label, local, tz
from commands.views.meetings import rsvp_summary
from storage.models import AgendaItem, Meeting


def list_(call: Call, args: Args) -> Reply:
    if len(args.words) > 1:
        raise call.fail(
            "Skriv `{c} møde liste [ÅR]`.", "Write `{c} meeting list [YEAR]`.", c=call.ctx.command
        )
    zone = tz(call)
    year = parse_year(args.words[0]) if args.words else call.now.astimezone(zone).year
    meetings = call.session.exec(
        select(Meeting)
        .where(
            Meeting.partnership_id == call.pid,
            Meeting.starts_at >= dt.datetime(year, 1, 1, tzinfo=zone),
            Meeting.starts_at < dt.datetime(year + 1, 1, 1, tzinfo=zone),
        )
        .order_by(Meeting.starts_at)
    ).all()
    notes = [Note(f) for f in flags(call, year)]
    if not meetings:
        empty = call.t(
            "Ingen møder i {y}. Planlæg året med `{c} møde planlæg {y}`.",
            "No meetings in {y}. Plan the year with `{c} meeting plan {y}`.",
            y=year,
            c=call.ctx.command,
        )
        return Reply(blocks=[Text(empty), *notes])
    answers = rsvp_summary(call.session, call.pid, call.lang)
    rows = tuple(
        (
            str(m.id),
            local(call, m.starts_at),
            kind_label(call, m.kind),
            m.title or "-",
            m.place or "-",
            call.t("aflyst", "cancelled")
            if m.status == "cancelled"
            else call.t("planlagt", "planned"),
            answers.get(m.id or 0, "-"),
        )
        for m in meetings
    )
    headers = call.t("Id|Tid|Type|Titel|Sted|Status|Svar", "Id|When|Kind|Title|Place|Status|RSVP")
    return Reply(
        blocks=[
            Text(call.t("Møder i {y}:", "Meetings in {y}:", y=year)),
            Table(tuple(headers.split("|")), rows),
            *notes,
        ]
    )


def next_(call: Call, args: Args) -> Reply:
    meeting = lookup.next_meeting(call)
    if meeting is None:
        return Reply.text(call.t("Der er intet planlagt møde.", "There is no meeting planned."))
    items = call.session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all()
    heading = call.t(
        "Næste møde: {i}, {k}, {w}{p}.",
        "Next meeting: {i}, {k}, {w}{p}.",
        i=meeting.id,
        k=kind_label(call, meeting.kind),
        w=local(call, meeting.starts_at),
        p=f", {meeting.place}" if meeting.place else "",
    )
    agenda = (
        call.t("Dagsorden:", "Agenda:")
        + "".join(f"\n{n}. {item.text}" for n, item in enumerate(items, 1))
        if items
        else call.t("Ingen punkter på dagsordenen endnu.", "No agenda items yet.")
    )
    return Reply(
        blocks=[Text(heading), Text(agenda)],
        buttons=[
            Button(call.t("Jeg kommer", "I'll come"), f"meeting rsvp {meeting.id} yes"),
            Button(call.t("Jeg kommer ikke", "I can't come"), f"meeting rsvp {meeting.id} no"),
        ],
    )
