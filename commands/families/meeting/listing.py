"""`meeting list` and `meeting next`: the year's meetings, and the next one with its agenda."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.parse import Args, parse_year
from commands.engine.reply import Note, Reply, Table, Text
from commands.families.meeting.shared import counted, flags, kind_label, local, tz
from commands.views.meetings import agenda_text, rsvp_buttons, rsvp_summary, titles
from commands.vocab import Rsvp
from storage.models import Meeting, Member
from storage.models import Rsvp as RsvpRow
from storage.queries import agenda_items

ALL = frozenset({"all", "alle"})


def list_(call: Call, args: Args) -> Reply:
    """The year's meetings; cancelled ones only with `all` (`alle`), else counted in a note."""
    show_all = any(w.lower() in ALL for w in args.words)
    years = [w for w in args.words if w.lower() not in ALL]
    if len(years) > 1 or len(args.words) - len(years) > 1:
        raise call.usage()
    zone = tz(call)
    year = parse_year(years[0]) if years else call.now.astimezone(zone).year
    meetings = call.session.exec(
        select(Meeting)
        .where(
            Meeting.partnership_id == call.pid,
            Meeting.starts_at >= dt.datetime(year, 1, 1, tzinfo=zone),
            Meeting.starts_at < dt.datetime(year + 1, 1, 1, tzinfo=zone),
        )
        .order_by(Meeting.starts_at)
    ).all()
    shown_titles = titles(meetings, call.lang, zone)
    hidden = 0 if show_all else sum(m.status == "cancelled" for m in meetings)
    shown = [m for m in meetings if show_all or m.status != "cancelled"]
    notes = [Note(f) for f in flags(call, year)]
    if hidden:
        notes.append(Note(_hidden(call, year, hidden)))
    if not shown:
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
            shown_titles.get(m.id or 0) or "-",
            m.place or "-",
            call.t("aflyst", "cancelled")
            if m.status == "cancelled"
            else call.t("planlagt", "planned"),
            answers.get(m.id or 0, "-"),
        )
        for m in shown
    )
    headers = call.t("Id|Tid|Type|Titel|Sted|Status|Svar", "Id|When|Kind|Title|Place|Status|RSVP")
    return Reply(
        blocks=[
            Text(call.t("Møder i {y}:", "Meetings in {y}:", y=year)),
            Table(tuple(headers.split("|")), rows),
            *notes,
        ]
    )


def _hidden(call: Call, year: int, n: int) -> str:
    """ "2 aflyste møder vises ikke; se dem med `/wg møde liste 2027 alle`"."""
    return call.t(
        "{n} vises ikke; se {d} med `{c} møde liste {y} alle`",
        "{n} not shown; see {d} with `{c} meeting list {y} all`",
        n=counted(
            call.lang,
            n,
            ("aflyst møde", "aflyste møder"),
            ("cancelled meeting", "cancelled meetings"),
        ),
        d=call.t("det" if n == 1 else "dem", "it" if n == 1 else "them"),
        c=call.ctx.command,
        y=year,
    )


def next_(call: Call, args: Args) -> Reply:
    meeting = lookup.next_meeting(call)
    if meeting is None:
        return call.reply("Der er intet planlagt møde.", "There is no meeting planned.")
    items = [item.text for item in agenda_items(call.session, meeting.id)]
    heading = call.t(
        "Næste møde: {i}, {k}, {w}{p}.",
        "Next meeting: {i}, {k}, {w}{p}.",
        i=meeting.id,
        k=kind_label(call, meeting.kind),
        w=local(call, meeting.starts_at),
        p=f", {meeting.place}" if meeting.place else "",
    )
    blocks = [Text(heading), Text(agenda_text(call.lang, items)), *_answers(call, meeting)]
    return Reply(blocks=blocks, buttons=rsvp_buttons(call.lang, meeting.id, (Rsvp.YES, Rsvp.NO)))


def _answers(call: Call, meeting: Meeting) -> list[Text]:
    """Your own answer; for the chair and the secretariat everyone's, by name."""
    rows = call.session.exec(
        select(RsvpRow.member_id, RsvpRow.answer).where(RsvpRow.meeting_id == meeting.id)
    ).all()
    answers = dict(rows)
    own = answers.get(call.member.id) if call.member else None
    out = []
    if call.member is not None:
        said = Rsvp.label_of(own, call.lang) if own else call.t("ikke svaret", "not answered")
        out.append(Text(call.t("Dit svar: {a}.", "Your answer: {a}.", a=said)))
    if call.is_manager:
        people = call.session.exec(
            select(Member).where(Member.partnership_id == call.pid, Member.active == True)
            .order_by(Member.display_name, Member.handle)
        ).all()  # fmt: skip
        groups: dict[str, list[str]] = {}
        for person in people:
            key = answers.get(person.id or 0, "")
            groups.setdefault(key, []).append(person.display_name or person.handle)
        parts = [
            f"{Rsvp.label_of(a.value, call.lang).capitalize()}: {', '.join(groups[a.value])}"
            for a in Rsvp
            if a.value in groups
        ]
        if "" in groups:
            parts.append(call.t("Ikke svaret: {p}", "Not answered: {p}", p=", ".join(groups[""])))
        out.append(Text(" · ".join(parts)))
    return out
