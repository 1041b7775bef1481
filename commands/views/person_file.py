"""`member export USER`: everything the bot holds about one person, as one workbook for them
(a copy of their data, GDPR article 15).

XLSX, one sheet per kind with a header row: the person, their accounts, roles, the activity
updates and assessments they wrote, their RSVPs and attendance, the follow-up items assigned to
them, the agenda items and decisions they wrote, and the audit events by or about them
(everything `member forget` would rewrite in the trail). Times are the partnership's wall
clock, words the partnership's language, text guarded against spreadsheet formulas
(storage.cells). XLSX rather than JSON: it is what the person (a municipal employee) opens,
and it is structured and machine-readable; the right to data portability (article 20) does not
cover data processed for a task in the public interest (article 6(1)(e)), so no second format
is owed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import or_
from sqlmodel import Session, select

from commands.engine.context import say
from commands.vocab import ActionState, Fulfilment, Presence, Role, Rsvp, Status
from storage.cells import cell
from storage.models import (
    ActionItem,
    Activity,
    ActivityUpdate,
    AgendaItem,
    Assessment,
    Attendance,
    AuditEvent,
    Decision,
    Meeting,
    Member,
    MemberIdentity,
    MemberRole,
    Organisation,
)
from storage.models import Rsvp as RsvpRow
from storage.personal import rows_about

Rows = list[Sequence[object]]


def person_workbook(
    session: Session, member: Member, *, lang: str, zone: ZoneInfo, partnership: str
) -> tuple[bytes, dict[str, int]]:
    """The workbook's bytes and the rows per sheet (the reply counts them)."""
    pid, mid = member.partnership_id, member.id
    ids = [
        i.external_id
        for i in session.exec(select(MemberIdentity).where(MemberIdentity.member_id == mid))
    ]

    def t(da: str, en: str) -> str:
        return say(lang, da, en)

    def by_them(column: object) -> object:
        return column.in_(ids or [""])

    org = session.get(Organisation, member.organisation_id) if member.organisation_id else None
    sheets: list[tuple[str, str, Rows]] = []
    sheets.append(
        (
            t("Person", "Person"),
            t("Felt|Værdi", "Field|Value"),
            [
                (t("Partnerskab", "Partnership"), partnership),
                (t("Bruger", "Handle"), member.handle),
                (t("Navn", "Name"), member.display_name),
                (t("Organisation", "Organisation"), org.name if org else ""),
                (t("Sprog", "Language"), member.lang or ""),
                (t("Aktiv", "Active"), t("ja", "yes") if member.active else t("nej", "no")),
                (t("Oprettet", "Added"), member.created_at),
                (t("Udtrådt", "Left"), member.left_at),
            ],
        )
    )
    sheets.append(
        (
            t("Konti", "Accounts"),
            t("Platform|Id|Tenant|Oprettet", "Platform|Id|Tenant|Added"),
            [
                (i.platform, i.external_id, i.tenant, i.created_at)
                for i in session.exec(
                    select(MemberIdentity)
                    .where(MemberIdentity.member_id == mid)
                    .order_by(MemberIdentity.id)
                )
            ],
        )
    )
    sheets.append(
        (
            t("Roller", "Roles"),
            t("Rolle", "Role"),
            [
                (Role.label_of(r, lang),)
                for r in session.exec(
                    select(MemberRole.role)
                    .where(MemberRole.member_id == mid)
                    .order_by(MemberRole.role)
                )
            ],
        )
    )
    updates = session.exec(
        select(ActivityUpdate, Activity.code)
        .join(Activity, Activity.id == ActivityUpdate.activity_id)
        .where(
            ActivityUpdate.partnership_id == pid,
            or_(ActivityUpdate.member_id == mid, by_them(ActivityUpdate.actor)),
        )
        .order_by(ActivityUpdate.id)
    ).all()
    sheets.append(
        (
            t("Opdateringer", "Updates"),
            t("Tidspunkt|Aktivitet|Status|Fremdrift|Note", "Time|Activity|Status|Progress|Note"),
            [
                (u.created_at, code, Status.label_of(u.status, lang), u.progress, u.note)
                for u, code in updates
            ],
        )
    )
    assessments = session.exec(
        select(Assessment, Activity.code)
        .join(Activity, Activity.id == Assessment.activity_id)
        .where(Assessment.partnership_id == pid, by_them(Assessment.actor))
        .order_by(Assessment.id)
    ).all()
    sheets.append(
        (
            t("Vurderinger", "Assessments"),
            t("Tidspunkt|Aktivitet|År|Indfrielse|Note", "Time|Activity|Year|Fulfilment|Note"),
            [
                (a.created_at, code, a.year, Fulfilment.label_of(a.fulfilment, lang), a.note)
                for a, code in assessments
            ],
        )
    )
    rsvps = session.exec(
        select(RsvpRow, Meeting)
        .join(Meeting, Meeting.id == RsvpRow.meeting_id)
        .where(RsvpRow.member_id == mid)
        .order_by(Meeting.starts_at)
    ).all()
    sheets.append(
        (
            t("Mødesvar", "RSVPs"),
            t("Møde|Mødetidspunkt|Svar|Svaret", "Meeting|Meeting time|Answer|Answered"),
            [(m.id, m.starts_at, Rsvp.label_of(r.answer, lang), r.answered_at) for r, m in rsvps],
        )
    )
    attendance = session.exec(
        select(Attendance, Meeting, Organisation.name)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Organisation, Organisation.id == Attendance.organisation_id, isouter=True)
        .where(Attendance.member_id == mid)
        .order_by(Meeting.starts_at)
    ).all()
    sheets.append(
        (
            t("Fremmøde", "Attendance"),
            t(
                "Møde|Mødetidspunkt|Fremmøde|Organisation",
                "Meeting|Meeting time|Attendance|Organisation",
            ),
            [
                (m.id, m.starts_at, Presence.label_of(a.state, lang), o or "")
                for a, m, o in attendance
            ],
        )
    )
    actions = session.exec(
        select(ActionItem).where(ActionItem.member_id == mid).order_by(ActionItem.id)
    ).all()
    sheets.append(
        (
            t("Opfølgningspunkter", "Follow-up items"),
            t("Nr.|Møde|Tekst|Frist|Status|Udført|Note", "No.|Meeting|Text|Due|State|Done|Note"),
            [
                (
                    a.id,
                    a.meeting_id,
                    a.text,
                    a.due,
                    ActionState.label_of(a.status, lang),
                    a.done_at,
                    a.done_note,
                )
                for a in actions
            ],
        )
    )
    for model, da, en in (
        (AgendaItem, "Dagsordenspunkter", "Agenda items"),
        (Decision, "Beslutninger", "Decisions"),
    ):
        written = session.exec(
            select(model, Meeting.starts_at)
            .join(Meeting, Meeting.id == model.meeting_id)
            .where(model.partnership_id == pid, by_them(model.actor))
            .order_by(model.id)
        ).all()
        sheets.append(
            (
                t(da, en),
                t("Nr.|Møde|Mødetidspunkt|Tekst|Skrevet", "No.|Meeting|Meeting time|Text|Written"),
                [(w.id, w.meeting_id, at, w.text, w.created_at) for w, at in written],
            )
        )
    # the trail: by them, about their member row, or naming them in its values
    named = {
        r["id"] for r in rows_about(session, pid, member, ["audit_events"]).get("audit_events", [])
    }
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.partnership_id == pid,
            or_(
                by_them(AuditEvent.actor),
                (AuditEvent.entity == "member") & (AuditEvent.entity_id == str(mid)),
                AuditEvent.id.in_(named or {0}),
            ),
        )
        .order_by(AuditEvent.id)
    ).all()
    sheets.append(
        (
            t("Log", "Audit trail"),
            t(
                "Tidspunkt|Udført af|Handling|Emne|Nr.|Før|Efter",
                "Time|By|Action|Entity|Id|Before|After",
            ),
            [(e.at, e.actor, e.action, e.entity, e.entity_id, e.before, e.after) for e in events],
        )
    )
    return _write(sheets, zone), {title: len(rows) for title, _, rows in sheets}


def _write(sheets: list[tuple[str, str, Rows]], zone: ZoneInfo) -> bytes:
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header.split("|"))
        for head in sheet[1]:
            head.font = bold
        for row in rows:
            sheet.append([cell(v, zone) for v in row])
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max((len(str(c.value or "")) for c in list(column)[:200]), default=8)
            letter = column[0].column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
