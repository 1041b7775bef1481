"""`attendance ID [present=]USER… [apologies=USER…]` (`fremmøde ID … afbud …`): who came to a
held meeting and who sent apologies; everyone else expected there counts as absent.

People are named as the platform writes them (mentions; handles in the shell), after the
meeting id: the first ones as present, those after the word `apologies`/`afbud` (or in
`apologies=`) as having sent apologies. Recording again replaces the meeting's attendance, so
a mistake is corrected by sending the whole list again. Without names it shows what was
recorded, or (in chat) opens a form with the RSVPs filled in.

Expected at a working-group meeting: every active member, chair and secretariat; at a
steering-group meeting the steering group, chair and secretariat. Attendance is kept with the
person's organisation as it was, and counted per organisation (storage/records.py).
"""

from __future__ import annotations

from sqlmodel import delete, select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.fmt import count, plural
from commands.engine.options import opt
from commands.engine.parse import Args
from commands.engine.reply import Reply, Table, Text
from commands.families.meeting.shared import local
from commands.vocab import Presence, Role
from storage import records
from storage.models import Attendance, Meeting, Member, MemberIdentity, MemberRole, Rsvp

SWITCH = {"apologies", "afbud", "present", "til-stede", "mødt"}


def expected(call: Call, meeting: Meeting) -> list[Member]:
    """The people a meeting of this kind expects, by handle."""
    roles = {Role.MEMBER, Role.CHAIR, Role.SECRETARIAT}
    if meeting.kind == "sg":
        roles = {Role.STEERING, Role.CHAIR, Role.SECRETARIAT}
    return list(
        call.session.exec(
            select(Member)
            .join(MemberRole, MemberRole.member_id == Member.id)
            .where(
                Member.partnership_id == call.pid,
                Member.active == True,
                MemberRole.role.in_(tuple(roles)),
            )
            .order_by(Member.handle)
            .distinct()
        ).all()
    )


def _people(call: Call, args: Args) -> tuple[list[Member], list[Member]]:
    """(present, apologies) as named; every name must be a registered person."""
    present: list[Member] = []
    apologies: list[Member] = []
    target = present
    named = [*args.words[1:]]
    for names, into in ((("present", "mødt"), present), (("apologies", "afbud"), apologies)):
        for word in (opt(args, *names) or "").replace(",", " ").split():
            _add(call, word, into)
    for word in named:
        if word.lower() in SWITCH:
            target = apologies if word.lower() in {"apologies", "afbud"} else present
            continue
        _add(call, word, target)
    both = {m.id for m in present} & {m.id for m in apologies}
    if both:
        who = next(m for m in present if m.id in both)
        raise call.fail(
            "{p} står både som til stede og med afbud.",
            "{p} is listed both as present and with apologies.",
            p=who.display_name or who.handle,
        )
    return present, apologies


def _add(call: Call, word: str, into: list[Member]) -> None:
    member = lookup.member(call, word.strip(","))
    if member is None:
        raise call.fail(
            "'{w}' er ikke registreret i partnerskabet. Se `{c} medlem liste`.",
            "'{w}' is not registered in the partnership. See `{c} member list`.",
            w=word[:40],
            c=call.ctx.command,
        )
    if all(m.id != member.id for m in into):
        into.append(member)


def held_meeting_named(call: Call, word: str) -> Meeting:
    meeting = lookup.meeting(call, word)
    if meeting.status == "cancelled":
        raise call.fail("Møde {i} blev aflyst.", "Meeting {i} was cancelled.", i=meeting.id)
    if meeting.starts_at > call.now:
        raise call.fail(
            "Møde {i} er ikke holdt endnu ({d}). Fremmøde skrives efter mødet.",
            "Meeting {i} has not been held yet ({d}). Attendance is recorded after it.",
            i=meeting.id,
            d=local(call, meeting.starts_at),
        )
    return meeting


def attendance(call: Call, args: Args) -> Reply:
    if not args.words:
        raise call.usage()
    meeting = held_meeting_named(call, args.words[0])
    if len(args.words) == 1 and not args.options:
        return shown(call, meeting)
    present, apologies = _people(call, args)
    if not present:
        raise call.usage("Skriv hvem der var til stede.", "Name who was present.")
    named = {m.id for m in present} | {m.id for m in apologies}
    absent = [m for m in expected(call, meeting) if m.id not in named]
    before = {a.member_id: a.state for a, _ in records.attendance(call.session, meeting.id or 0)}
    call.session.exec(delete(Attendance).where(Attendance.meeting_id == meeting.id))
    for state, people in (
        (Presence.PRESENT, present),
        (Presence.APOLOGIES, apologies),
        (Presence.ABSENT, absent),
    ):
        for member in people:
            call.session.add(
                Attendance(
                    partnership_id=call.pid,
                    meeting_id=meeting.id or 0,
                    member_id=member.id or 0,
                    organisation_id=member.organisation_id,
                    state=state.value,
                    recorded_by=call.actor,
                    recorded_at=call.now,
                )
            )
    call.session.flush()
    after = {m.id: Presence.PRESENT.value for m in present}
    after |= {m.id: Presence.APOLOGIES.value for m in apologies}
    call.audit(
        "attendance.record", "meeting", meeting.id, {"attendance": before}, {"attendance": after}
    )
    return _summary(call, meeting, len(present), len(apologies), len(absent))


def _summary(call: Call, meeting: Meeting, present: int, apologies: int, absent: int) -> Reply:
    orgs = records.organisations(call.session, call.pid)
    came = {a.organisation_id for a, _ in records.attendance(call.session, meeting.id or 0)
            if a.state == Presence.PRESENT}  # fmt: skip
    missing = [o.slug for o in orgs if o.id not in came]
    text = call.t(
        "Fremmøde for møde {i} ({d}) er gemt: {p} til stede, {a} med afbud, {x} fraværende. "
        "Repræsenteret: {r} af {n}.",
        "Attendance of meeting {i} ({d}) saved: {p} present, {a} with apologies, {x} absent. "
        "Represented: {r} of {n}.",
        i=meeting.id,
        d=local(call, meeting.starts_at),
        p=present,
        a=apologies,
        x=absent,
        r=len(orgs) - len(missing),
        n=count(
            call.lang,
            len(orgs),
            ("organisation", "organisationer"),
            ("organisation", "organisations"),
        ),
    )
    if missing:
        text += " " + call.t(
            "Ikke repræsenteret: {m}.", "Not represented: {m}.", m=", ".join(missing)
        )
    return Reply(blocks=[Text(text)], ephemeral=False)


def shown(call: Call, meeting: Meeting) -> Reply:
    rows = records.attendance(call.session, meeting.id or 0)
    if not rows:
        return call.reply(
            "Der er ikke skrevet fremmøde for møde {i} endnu. Skriv `{c} fremmøde {i} @navn … "
            "afbud @navn …`.",
            "No attendance recorded for meeting {i} yet. Write `{c} attendance {i} @name … "
            "apologies @name …`.",
            i=meeting.id,
            c=call.ctx.command,
        )
    orgs = {o.id: o.slug for o in records.organisations(call.session, call.pid)}
    table = Table(
        (call.t("Person", "Person"), "Org.", call.t("Fremmøde", "Attendance")),
        tuple(
            (
                member.display_name or member.handle,
                orgs.get(row.organisation_id or 0, "-"),
                Presence.label_of(row.state, call.lang),
            )
            for row, member in rows
        ),
    )
    head = call.t(
        "Fremmøde for møde {i} ({d}), {n} {p}:",
        "Attendance of meeting {i} ({d}), {n} {p}:",
        i=meeting.id,
        d=local(call, meeting.starts_at),
        n=len(rows),
        p=call.t(
            plural(len(rows), "person", "personer", "da"),
            plural(len(rows), "person", "people", "en"),
        ),
    )
    return Reply(blocks=[Text(head), table])


def defaults(
    call: Call, meeting_id: str
) -> tuple[tuple[str, ...], tuple[str, ...], list[tuple[str, str]]]:
    """For the form: the platform ids of those present and with apologies (as recorded, else
    as they answered the RSVP), and the held meetings to choose from (newest first)."""
    meeting = held_meeting_named(call, meeting_id)
    platform = call.ctx.platform
    recorded = records.attendance(call.session, meeting.id or 0)
    if recorded:
        states = {member.id: row.state for row, member in recorded}
    else:
        answers = call.session.exec(
            select(Rsvp.member_id, Rsvp.answer).where(Rsvp.meeting_id == meeting.id)
        ).all()
        to_state = {"yes": Presence.PRESENT.value, "no": Presence.APOLOGIES.value}
        states = {mid: to_state[a] for mid, a in answers if a in to_state}
    ids = dict(
        call.session.exec(
            select(MemberIdentity.member_id, MemberIdentity.external_id).where(
                MemberIdentity.platform == platform,
                MemberIdentity.member_id.in_(list(states)),
            )
        ).all()
    )
    present = tuple(ids[m] for m, s in states.items() if s == Presence.PRESENT and m in ids)
    apologies = tuple(ids[m] for m, s in states.items() if s == Presence.APOLOGIES and m in ids)
    held = records.held(call.session, call.pid, call.now)[::-1][:50]
    meetings = [(str(m.id), f"{m.id} — {local(call, m.starts_at)}") for m in held]
    return present, apologies, meetings
