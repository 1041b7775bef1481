"""What a due reminder says (platform-neutral), and the registry of reminder kinds.

Meeting reminders (`lead:…`) carry what their lead's length calls for (see
`commands.views.reminder_kinds`): a call for agenda items naming the organisations with no
activity update since the last meeting, the agenda and a status snapshot, or the place. Each
opens with the real lead ("Om 14 dage", "Om 30 minutter") and offers RSVP buttons. The data
calendar (`data:…`) asks the secretariat for the year's missing figures.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, select

from commands.engine.context import Context, say
from commands.engine.reply import Block, Button, Header, Person, Reply, Text
from commands.rules.planning import LONG_LEAD, reminder_due
from commands.views.action_notice import compose_action
from commands.views.meeting_record import absent_block, open_items_text
from commands.views.meetings import agenda_text, local_zone, rsvp_buttons, title_of
from commands.views.outgoing import Outgoing, bound_channels, late_note
from commands.views.reminder_kinds import (
    ACTION_KEY,
    DATA_KEY,
    LEAD_KEY,
    UNDELIVERED_KEY,
    Due,
    ReminderKind,
    action_label,
    data_label,
    lead_content,
    lead_label,
    lead_of,
    lead_opening,
    split,
    undelivered_label,
)
from commands.views.targets import at_a_glance, load_figures
from commands.views.undelivered import (  # noqa: F401  (schedule_undelivered: bot.reminders)
    UNDELIVERED_NAME,
    compose_undelivered,
    schedule_undelivered,
)
from commands.vocab import Role, Rsvp
from storage.models import (
    Activity,
    ActivityUpdate,
    Meeting,
    Organisation,
    Partnership,
    Reminder,
)
from storage.queries import agenda_items, names_with_roles, reachable
from storage.reminders import upsert


def compose(
    session: Session,
    ctx: Context,
    *,
    meeting_id: int | None,
    kind: str,
    late: bool,
    platform: str,
    partnership_id: int | None = None,
) -> Outgoing | None:
    """None when there is nothing to say (the meeting is gone or cancelled, the figures a
    data reminder asks for are already in, or the kind is unknown)."""
    name, arg = split(kind)
    found = KINDS.get(name)
    if found is None:
        return None
    return found.compose(session, ctx, Due(arg, meeting_id, partnership_id, late, platform))


def label(lang: str, kind: str) -> str:
    """A reminder row's kind in words: "14 dage før", "datakalender 2027"."""
    name, arg = split(kind)
    found = KINDS.get(name)
    return found.label(lang, arg) if found else kind


def _compose_lead(session: Session, ctx: Context, due: Due) -> Outgoing | None:
    if due.meeting_id is None:
        return None
    meeting = session.get(Meeting, due.meeting_id)
    if meeting is None or meeting.status != "planned":
        return None
    partnership = session.get(Partnership, meeting.partnership_id)
    if partnership is None:
        return None
    lang = ctx.lang or partnership.locale
    when = meeting.starts_at.astimezone(local_zone(partnership.timezone)).strftime(
        say(lang, "%d.%m.%Y kl. %H.%M", "%Y-%m-%d at %H:%M")
    )
    title = title_of(session, meeting, lang, local_zone(partnership.timezone))
    blocks: list[Block] = [Header(f"{title} — {when}")]
    lead = lead_of(due.arg)
    opening = lead_opening(lang, _lead_as_sent(session, meeting, partnership, due.arg, lead))
    content = lead_content(lead) if lead is not None else "place"
    if content == "call-for-items":
        blocks += _call_for_items(session, ctx, meeting, lang, opening, due.platform)
    elif content == "agenda":
        blocks += _agenda_and_snapshot(session, meeting, partnership, lang, opening)
    else:
        blocks.append(_place(meeting, lang, opening))
    if due.late:
        blocks.append(late_note(lang))
    buttons = rsvp_buttons(lang, meeting.id, (Rsvp.YES, Rsvp.MAYBE, Rsvp.NO))
    if content == "place":  # the last reminder: at the meeting, the chair records who came
        buttons += [
            Button(say(lang, "Skriv fremmøde", "Record attendance"), f"attendance {meeting.id}"),
            Button(say(lang, "Tilføj beslutning", "Add decision"), "decision add"),
            Button(say(lang, "Tilføj opfølgningspunkt", "Add follow-up item"), "action add"),
        ]
    return Outgoing(
        bound_channels(session, partnership.id or 0, due.platform),
        Reply(blocks=list(blocks), buttons=buttons, ephemeral=False),
    )


def _lead_as_sent(
    session: Session,
    meeting: Meeting,
    partnership: Partnership,
    arg: str,
    lead: dt.timedelta | None,
) -> dt.timedelta | None:
    """The lead the reminder's opening names. One moved into working hours says how many days
    it really is before the meeting ("Om 4 dage" from Friday for a Tuesday meeting, not "Om 2
    dage"); otherwise the file's lead, also when the reminder goes out late."""
    if lead is None or lead < LONG_LEAD:
        return lead
    key = LEAD.key(arg, meeting_id=meeting.id, starts_at=meeting.starts_at)
    due_at = session.exec(select(Reminder.due_at).where(Reminder.idempotency_key == key)).first()
    if due_at is None or due_at >= reminder_due(meeting.starts_at, lead):
        return lead
    zone = local_zone(partnership.timezone)
    days = (meeting.starts_at.astimezone(zone).date() - due_at.astimezone(zone).date()).days
    return dt.timedelta(days=days) if days > lead.days else lead


def _call_for_items(
    session: Session, ctx: Context, meeting: Meeting, lang: str, opening: str, platform: str
) -> list[Block]:
    blocks: list[Block] = [
        Text(
            say(
                lang,
                "{o}. Send punkter til dagsordenen med `{c} dagsorden tilføj TEKST`.",
                "{o}. Send agenda items with `{c} agenda add TEXT`.",
                o=opening,
                c=ctx.command,
            )
        )
    ]
    carried = [i.text for i in agenda_items(session, meeting.id) if i.carried_from]
    if carried:
        lines = "".join(f"\n{n}. {text}" for n, text in enumerate(carried, 1))
        head = say(
            lang, "Videreført fra et tidligere møde:", "Carried over from an earlier meeting:"
        )
        blocks.append(Text(head + lines))
    absent = absent_block(session, meeting.partnership_id, ctx.clock(), lang, platform)
    if absent is not None:
        blocks.append(absent)
    lagging = _lagging(session, meeting)
    if lagging:
        blocks.append(
            Text(
                mentions=_members_of(session, meeting.partnership_id, lagging, platform),
                text=say(
                    lang,
                    "Ingen opdatering af aktiviteterne siden sidste møde: {o}. "
                    "Skriv med `{c} opdater KODE STATUS NOTE`.",
                    "No activity update since the last meeting: {o}. Post one "
                    "with `{c} update CODE STATUS NOTE`.",
                    o=", ".join(lagging),
                    c=ctx.command,
                ),
            )
        )
    return blocks


def _agenda_and_snapshot(
    session: Session, meeting: Meeting, partnership: Partnership, lang: str, opening: str
) -> list[Block]:
    items = [item.text for item in agenda_items(session, meeting.id)]
    blocks: list[Block] = [Text(f"{opening}. " + agenda_text(lang, items))]
    follow_up = open_items_text(session, partnership.id or 0, lang)
    if follow_up:
        blocks.append(Text(follow_up))
    glance = at_a_glance(session, partnership.id or 0, lang)
    if glance is not None:
        blocks.append(glance)
    return blocks


def _place(meeting: Meeting, lang: str, opening: str) -> Text:
    place = say(lang, ", sted: {s}", ", place: {s}", s=meeting.place) if meeting.place else ""
    return Text(f"{opening}{place}.")


def _compose_data(session: Session, ctx: Context, due: Due) -> Outgoing | None:
    """June: the survey and the police's counts for last year are usually published by now."""
    if due.partnership_id is None or not due.arg.isdigit():
        return None
    partnership = session.get(Partnership, due.partnership_id)
    if partnership is None:
        return None
    pid = due.partnership_id
    year = int(due.arg) - 1
    fig = load_figures(session, pid, {})
    missing = [
        i.target.key
        for i in fig.indicators
        if not i.target.components and year not in fig.series.get(i.target.key, {})
    ]
    if not missing:
        return None
    lang = ctx.lang or partnership.locale
    who = ", ".join(names_with_roles(session, pid, (Role.SECRETARIAT, Role.CHAIR))) or "-"
    text = say(
        lang,
        "Til sekretariatet ({w}): Tryghedsundersøgelsen og politiets tal for {y} udkommer "
        "normalt i maj/juni, men disse tal mangler stadig: {m}. Indtast dem med `{c} indikator "
        "sæt NØGLE {y} VÆRDI` eller `{c} indikator importer`.",
        "For the secretariat ({w}): the survey and the police's figures for {y} are usually "
        "published in May/June, but these are still missing: {m}. Enter them with `{c} "
        "indicator set KEY {y} VALUE` or `{c} indicator import`.",
        w=who,
        y=year,
        m=", ".join(missing),
        c=ctx.command,
    )
    blocks: list[Block] = [Text(text)]
    if due.late:
        blocks.append(late_note(lang))
    return Outgoing(
        bound_channels(session, pid, due.platform), Reply(blocks=blocks, ephemeral=False)
    )


def schedule_data_reminders(session: Session, ctx: Context) -> int:
    """One reminder a year per partnership, on 15 June at 10:00 local (idempotent by key)."""
    now = ctx.clock()
    count = 0
    for row in session.exec(select(Partnership)):
        if ctx.partnerships.get(row.slug) is None:
            continue  # its file is gone: the partnership is not served
        tz = local_zone(row.timezone)
        due = dt.datetime(now.year, 6, 15, 10, 0, tzinfo=tz)
        if due <= now:
            due = dt.datetime(now.year + 1, 6, 15, 10, 0, tzinfo=tz)
        upsert(
            session,
            partnership_id=row.id or 0,
            meeting_id=None,
            kind=DATA.kind(due.year),
            key=DATA.key(due.year, slug=row.slug),
            due_at=due.astimezone(dt.UTC),
        )
        count += 1
    return count


def _members_of(
    session: Session, pid: int, org_slugs: list[str], platform: str
) -> tuple[Person, ...]:
    """The working-group members of these organisations to nudge by name on `platform`."""
    found = reachable(session, pid, platform, org_slugs, Role.MEMBER)
    return tuple(Person(platform, external_id, name) for external_id, name in found)


def _lagging(session: Session, meeting: Meeting) -> list[str]:
    """Organisations with activities but no update since the previous meeting (or ever)."""
    previous = session.exec(
        select(func.max(Meeting.starts_at)).where(
            Meeting.partnership_id == meeting.partnership_id,
            Meeting.status == "planned",
            Meeting.starts_at < meeting.starts_at,
        )
    ).first()
    since = previous or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    orgs = session.exec(
        select(Organisation.slug, func.max(ActivityUpdate.created_at))
        .join(Activity, Activity.organisation_id == Organisation.id)
        .outerjoin(ActivityUpdate, ActivityUpdate.activity_id == Activity.id)
        .where(Activity.partnership_id == meeting.partnership_id)
        .group_by(Organisation.slug)
        .order_by(Organisation.slug)
    ).all()
    return [slug for slug, last in orgs if last is None or last < since]


# The registry: every kind a reminder row may carry. A new kind is one entry here (its key
# format, label and compose function) and its scheduling where its rows are made.
LEAD = ReminderKind("lead", LEAD_KEY, lead_label, _compose_lead)
DATA = ReminderKind("data", DATA_KEY, data_label, _compose_data)
UNDELIVERED = ReminderKind(
    UNDELIVERED_NAME, UNDELIVERED_KEY, undelivered_label, compose_undelivered
)
ACTION = ReminderKind("action", ACTION_KEY, action_label, compose_action)
KINDS: dict[str, ReminderKind] = {k.name: k for k in (LEAD, DATA, UNDELIVERED, ACTION)}
