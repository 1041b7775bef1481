"""What a due reminder says (platform-neutral), and the registry of reminder kinds.

Meeting reminders (`lead:…`) carry what their lead's length calls for (see
`commands.views.reminder_kinds`): a call for agenda items naming the organisations with no
activity update since the last meeting, the agenda and a status snapshot, or the place. Each
opens with the real lead ("Om 14 dage", "Om 30 minutter") and offers RSVP buttons. The data
calendar (`data:…`) asks the secretariat for the year's missing figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from commands.engine.context import Context, say
from commands.engine.reply import Block, Button, Header, Note, Person, Reply, Table, Text
from commands.rules.evaluate import evaluate
from commands.views.meetings import local_zone
from commands.views.reminder_kinds import (
    DATA_KEY,
    LEAD_KEY,
    ReminderKind,
    data_label,
    lead_content,
    lead_label,
    lead_of,
    lead_opening,
    split,
)
from commands.views.targets import load_figures, verdict_line
from storage.models import (
    Activity,
    ActivityUpdate,
    AgendaItem,
    ChannelBinding,
    Meeting,
    Member,
    MemberIdentity,
    MemberRole,
    Organisation,
    Partnership,
)


@dataclass(frozen=True)
class Outgoing:
    """A reminder ready to post: where (the partnership's bound channels) and what."""

    channels: list[str]
    reply: Reply


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
    return found.compose(
        session,
        ctx,
        arg,
        meeting_id=meeting_id,
        late=late,
        platform=platform,
        partnership_id=partnership_id,
    )


def label(lang: str, kind: str) -> str:
    """A reminder row's kind in words: "14 dage før", "datakalender 2027"."""
    name, arg = split(kind)
    found = KINDS.get(name)
    return found.label(lang, arg) if found else kind


def _compose_lead(
    session: Session,
    ctx: Context,
    arg: str,
    *,
    meeting_id: int | None,
    late: bool,
    platform: str,
    partnership_id: int | None,
) -> Outgoing | None:
    if meeting_id is None:
        return None
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status != "planned":
        return None
    partnership = session.get(Partnership, meeting.partnership_id)
    if partnership is None:
        return None
    lang = ctx.lang or partnership.locale
    when = meeting.starts_at.astimezone(local_zone(partnership.timezone)).strftime(
        "%d.%m.%Y kl. %H.%M" if lang == "da" else "%Y-%m-%d at %H:%M"
    )
    title = meeting.title or say(lang, "Møde", "Meeting")
    blocks: list[Block] = [Header(f"{title} — {when}")]
    lead = lead_of(arg)
    opening = lead_opening(lang, lead)
    content = lead_content(lead) if lead is not None else "place"
    if content == "call-for-items":
        blocks += _call_for_items(session, ctx, meeting, lang, opening, platform)
    elif content == "agenda":
        blocks += _agenda_and_snapshot(session, meeting, partnership, lang, opening)
    else:
        blocks.append(_place(meeting, lang, opening))
    if late:
        blocks.append(_late_note(lang))
    buttons = [
        Button(say(lang, "Jeg kommer", "I'll come"), f"meeting rsvp {meeting.id} yes"),
        Button(say(lang, "Måske", "Maybe"), f"meeting rsvp {meeting.id} maybe"),
        Button(say(lang, "Jeg kommer ikke", "I can't come"), f"meeting rsvp {meeting.id} no"),
    ]
    return Outgoing(
        _channels(session, partnership.id or 0, platform),
        Reply(blocks=list(blocks), buttons=buttons, ephemeral=False),
    )


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
    items = session.exec(
        select(AgendaItem.text).where(AgendaItem.meeting_id == meeting.id).order_by(AgendaItem.id)
    ).all()
    blocks: list[Block] = [
        Text(
            say(lang, "{o}. Dagsorden:", "{o}. Agenda:", o=opening)
            + "".join(f"\n{n}. {text}" for n, text in enumerate(items, 1))
            if items
            else say(
                lang,
                "{o}. Ingen punkter på dagsordenen endnu.",
                "{o}. No agenda items yet.",
                o=opening,
            )
        )
    ]
    fig = load_figures(session, partnership.id or 0, {})
    rows = tuple(
        verdict_line(i, evaluate(i.target, fig.series), lang)
        for i in fig.indicators
        if i.target.rule != "comparison"
    )
    if any(r[1] != "–" for r in rows):
        blocks.append(
            Table(
                tuple(
                    say(
                        lang,
                        "Mål|År|Værdi|Baseline/sammenligning|Vurdering",
                        "Target|Year|Value|Baseline/comparison|Verdict",
                    ).split("|")
                ),
                rows,
            )
        )
    return blocks


def _place(meeting: Meeting, lang: str, opening: str) -> Text:
    place = say(lang, ", sted: {s}", ", place: {s}", s=meeting.place) if meeting.place else ""
    return Text(f"{opening}{place}.")


def _late_note(lang: str) -> Note:
    return Note(
        say(
            lang,
            "Sendt for sent: botten var nede, da påmindelsen skulle ud.",
            "Sent late: the bot was down when this reminder was due.",
        )
    )


def _channels(session: Session, pid: int, platform: str) -> list[str]:
    return list(
        session.exec(
            select(ChannelBinding.channel_id).where(
                ChannelBinding.partnership_id == pid, ChannelBinding.platform == platform
            )
        )
    )


def _compose_data(
    session: Session,
    ctx: Context,
    arg: str,
    *,
    meeting_id: int | None,
    late: bool,
    platform: str,
    partnership_id: int | None,
) -> Outgoing | None:
    """June: the survey and the police's counts for last year are usually published by now."""
    if partnership_id is None or not arg.isdigit():
        return None
    partnership = session.get(Partnership, partnership_id)
    if partnership is None:
        return None
    pid = partnership_id
    year = int(arg) - 1
    fig = load_figures(session, pid, {})
    missing = [
        i.target.key
        for i in fig.indicators
        if not i.target.components and year not in fig.series.get(i.target.key, {})
    ]
    if not missing:
        return None
    lang = ctx.lang or partnership.locale
    secretariat = session.exec(
        select(Member.display_name, Member.handle)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(
            Member.partnership_id == pid,
            Member.active == True,
            MemberRole.role.in_(("secretariat", "chair")),
        )
    ).all()
    who = ", ".join(sorted({name or handle for name, handle in secretariat})) or "-"
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
    if late:
        blocks.append(_late_note(lang))
    return Outgoing(_channels(session, pid, platform), Reply(blocks=blocks, ephemeral=False))


def schedule_data_reminders(session: Session, ctx: Context) -> int:
    """One reminder a year per partnership, on 15 June at 10:00 local (idempotent by key)."""
    from storage.reminders import upsert

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
    """The active working-group members of these organisations with an identity on the
    target platform, to nudge by name (someone known only elsewhere cannot be mentioned)."""
    return tuple(
        Person(platform, external_id, name or handle)
        for external_id, handle, name in session.exec(
            select(MemberIdentity.external_id, Member.handle, Member.display_name)
            .join(Member, Member.id == MemberIdentity.member_id)
            .join(Organisation, Organisation.id == Member.organisation_id)
            .join(MemberRole, MemberRole.member_id == Member.id)
            .where(
                Member.partnership_id == pid,
                Member.active == True,
                MemberIdentity.platform == platform,
                Organisation.slug.in_(org_slugs),
                MemberRole.role == "member",
            )
            .order_by(Member.handle, MemberIdentity.external_id)
            .distinct()
        )
    )


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
KINDS: dict[str, ReminderKind] = {k.name: k for k in (LEAD, DATA)}
