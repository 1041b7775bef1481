"""`minutes ID [public]` (`referat ID [offentlig]`): a meeting's minutes as a PDF and as an
editable Word document (DOCX), in the partnership's language — partnership, meeting, date and
place, present and apologies by organisation, whether the previous minutes were approved, the
agenda, the decisions and the follow-up items (new, done since the previous meeting, carried
over). `minutes approve ID` (`referat godkend ID`; also `minutes ID approve`) records that the
minutes were approved, normally at the next meeting.

The public version leaves out agenda items, decisions and follow-up items marked internal, and
names no one: attendance is given per organisation only (the minutes go on kk.dk; members'
names are personal data the public version does not need).
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from charts.document import Document, Section
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.reply import FileOut, Reply, Text
from commands.families.meeting.shared import kind_label, local, tz
from commands.families.record.attendance import held_meeting_named
from commands.vocab import Presence
from storage import records
from storage.models import ActionItem, AgendaItem, Meeting, Member

PUBLIC = {"public", "offentlig"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def minutes(call: Call, args: Args) -> Reply:
    words = [w.lower() for w in args.words]
    if not words or len(words) > 2 or (len(words) == 2 and words[1] not in PUBLIC):
        raise call.usage()
    meeting = held_meeting_named(call, args.words[0])
    public = len(words) == 2
    from charts.document import to_docx, to_pdf  # matplotlib: only where minutes are made

    doc = document(call, meeting, public=public)
    day = meeting.starts_at.astimezone(tz(call)).date().isoformat()
    stem = call.t("referat", "minutes") + f"-{meeting.id}-{day}"
    if public:
        stem += call.t("-offentlig", "-public")
    text = call.t(
        "Referat af møde {i} ({d}){p}: PDF til arkivet og DOCX til at rette i.",
        "Minutes of meeting {i} ({d}){p}: a PDF for the record and a DOCX to edit.",
        i=meeting.id,
        d=local(call, meeting.starts_at),
        p=call.t(", offentlig udgave", ", public version") if public else "",
    )
    files = [
        FileOut(f"{stem}.pdf", to_pdf(doc), "application/pdf", doc.title),
        FileOut(f"{stem}.docx", to_docx(doc), DOCX, doc.title),
    ]
    return Reply(blocks=[Text(text)], files=files)


def approve(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.usage()
    meeting = held_meeting_named(call, args.words[0])
    if meeting.minutes_approved_at is not None:
        return call.reply(
            "Referatet af møde {i} er allerede godkendt.",
            "The minutes of meeting {i} are already approved.",
            i=meeting.id,
        )
    before = {"minutes_approved_at": None}
    meeting.minutes_approved_by, meeting.minutes_approved_at = call.actor, call.now
    call.save(
        meeting, "minutes.approve", "meeting", before, {"minutes_approved_at": call.now.isoformat()}
    )
    return call.announce(
        "Referatet af møde {i} ({d}) er godkendt.",
        "The minutes of meeting {i} ({d}) are approved.",
        i=meeting.id,
        d=local(call, meeting.starts_at),
    )


def document(call: Call, meeting: Meeting, *, public: bool) -> Document:
    name = call.partnership.name if call.partnership else ""
    title = call.t("Referat: {k} {d}", "Minutes: {k} {d}", k=kind_label(call, meeting.kind),
                   d=local(call, meeting.starts_at).split()[0])  # fmt: skip
    facts = [
        (call.t("Partnerskab", "Partnership"), name),
        (
            call.t("Møde", "Meeting"),
            f"{meeting.id} · {meeting.title or kind_label(call, meeting.kind)}",
        ),
        (call.t("Tid", "Time"), local(call, meeting.starts_at)),
        (call.t("Sted", "Place"), meeting.place or "-"),
    ]
    if public:
        facts.append((call.t("Udgave", "Version"), call.t("offentlig", "public")))
    sections = [
        _attendance(call, meeting, public),
        _previous(call, meeting),
        _agenda(call, meeting, public),
        _decisions(call, meeting, public),
        _actions(call, meeting, public),
    ]
    return Document(
        title=title,
        lang=call.lang,
        partnership=name,
        facts=tuple(facts),
        sections=tuple(sections),
        footer=f"{name} · {title}",
        demo=bool(call.partnership and call.partnership.demo),
    )


def _attendance(call: Call, meeting: Meeting, public: bool) -> Section:
    rows = records.attendance(call.session, meeting.id or 0)
    heading = call.t("Fremmøde", "Attendance")
    if not rows:
        return Section(heading, (call.t("Fremmødet er ikke skrevet.", "No attendance recorded."),))
    orgs = {o.id: o.name for o in records.organisations(call.session, call.pid)}
    by_org: dict[str, dict[str, list[str]]] = {}
    for row, member in rows:
        states = by_org.setdefault(orgs.get(row.organisation_id or 0, "-"), {})
        states.setdefault(row.state, []).append(member.display_name or member.handle)

    def cell(people: list[str]) -> str:
        return str(len(people)) if public else ", ".join(people)

    table = tuple(
        (org, cell(s.get(Presence.PRESENT, [])) or "-", cell(s.get(Presence.APOLOGIES, [])) or "-")
        for org, s in sorted(by_org.items())
    )
    headers = ("Organisation", Presence.PRESENT.label(call.lang).capitalize(),
               Presence.APOLOGIES.label(call.lang).capitalize())  # fmt: skip
    return Section(heading, headers=headers, rows=table, widths=(2, 2, 2))


def _previous(call: Call, meeting: Meeting) -> Section:
    earlier = [
        m for m in records.held(call.session, call.pid, meeting.starts_at) if m.id != meeting.id
    ]
    heading = call.t("Godkendelse af referat fra sidste møde", "Approval of the previous minutes")
    if not earlier:
        return Section(heading, (call.t("Intet tidligere møde.", "No earlier meeting."),))
    last = earlier[-1]
    when = local(call, last.starts_at)
    if last.minutes_approved_at is None:
        text = call.t(
            "Referatet fra mødet {d} er ikke godkendt endnu.",
            "The minutes of the meeting on {d} are not approved yet.",
            d=when,
        )
    else:
        text = call.t("Referatet fra mødet {d} er godkendt {a}.",
                      "The minutes of the meeting on {d} were approved on {a}.", d=when,
                      a=local(call, last.minutes_approved_at).split()[0])  # fmt: skip
    return Section(heading, (text,))


def _agenda(call: Call, meeting: Meeting, public: bool) -> Section:
    items = call.session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all()
    shown = [i for i in items if not (public and i.internal)]
    lines = tuple(f"{n}. {i.text}" for n, i in enumerate(shown, 1))
    return Section(call.t("Dagsorden", "Agenda"), lines or (call.t("Ingen punkter.", "No items."),))


def _decisions(call: Call, meeting: Meeting, public: bool) -> Section:
    found = [
        d for d in records.decisions(call.session, [meeting.id or 0]) if not (public and d.internal)
    ]
    lines = tuple(f"{n}. {d.text}" for n, d in enumerate(found, 1))
    return Section(call.t("Beslutninger", "Decisions"), lines or (call.t("Ingen.", "None."),))


def _actions(call: Call, meeting: Meeting, public: bool) -> Section:
    """New at this meeting, done since the one before, and carried over (still open)."""
    earlier = [
        m for m in records.held(call.session, call.pid, meeting.starts_at) if m.id != meeting.id
    ]
    since = earlier[-1].starts_at if earlier else dt.datetime.min.replace(tzinfo=dt.UTC)
    every = records.actions(call.session, call.pid, open_only=False)
    people = {
        m.id: m.display_name or m.handle
        for m in call.session.exec(select(Member).where(Member.partnership_id == call.pid))
    }
    orgs = {o.id: o.slug for o in records.organisations(call.session, call.pid)}
    rows = []
    for item in every:
        if public and item.internal:
            continue
        new = item.meeting_id == meeting.id
        end = meeting.starts_at + dt.timedelta(minutes=meeting.duration_minutes)
        done = item.status == "done" and item.done_at is not None and since < item.done_at <= end
        still_open = item.status == "open" or (item.done_at is not None and item.done_at > end)
        carried = not new and item.created_at <= meeting.starts_at and still_open
        if not (new or done or carried):
            continue
        state = (
            call.t("ny", "new")
            if new
            else call.t("udført", "done")
            if done
            else call.t("videreført", "carried over")
        )
        if item.member_id is None:
            owner = orgs.get(item.organisation_id, "-")
        else:  # a person: named in the internal minutes, by organisation in the public ones
            owner = (
                orgs.get(_org_of(call, item), "-") if public else people.get(item.member_id, "-")
            )
        rows.append(
            (
                str(item.id),
                item.text,
                owner,
                item.due.strftime(call.t("%d.%m.%Y", "%Y-%m-%d")),
                state,
            )
        )
    heading = call.t("Opfølgningspunkter", "Follow-up items")
    if not rows:
        return Section(heading, (call.t("Ingen.", "None."),))
    headers = tuple(
        call.t("Nr.|Punkt|Ansvarlig|Frist|Status", "No.|Item|Owner|Due|Status").split("|")
    )
    return Section(heading, headers=headers, rows=tuple(rows), widths=(0.6, 4, 1.6, 1.3, 1.3))


def _org_of(call: Call, item: ActionItem) -> int | None:
    member = call.session.get(Member, item.member_id) if item.member_id else None
    return member.organisation_id if member else None
