"""What a due reminder says (platform-neutral): the 14-day one calls for agenda items and names
the organisations with no activity update since the last meeting; the 2-day one carries the
agenda and a status snapshot; the 1-hour one the place. Each offers RSVP buttons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, select

from commands.call import Context
from commands.evaluate import evaluate
from commands.reply import Button, Header, Note, Reply, Table, Text
from commands.targets import load_figures, verdict_line
from storage.models import (
    Activity,
    ActivityUpdate,
    AgendaItem,
    ChannelBinding,
    Meeting,
    Organisation,
    Partnership,
)


@dataclass(frozen=True)
class Outgoing:
    """A reminder ready to post: where (the partnership's bound channels) and what."""

    channels: list[str]
    reply: Reply


def _t(lang: str, da: str, en: str, **values: object) -> str:
    return (da if lang == "da" else en).format(**values)


def compose(
    session: Session, ctx: Context, *, meeting_id: int | None, kind: str, late: bool, platform: str
) -> Outgoing | None:
    """None when there is nothing to say (the meeting is gone or cancelled)."""
    if meeting_id is None:
        return None
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.status != "planned":
        return None
    partnership = session.get(Partnership, meeting.partnership_id)
    if partnership is None:
        return None
    spec = ctx.partnerships.get(partnership.slug)
    tz = spec.tz if spec else dt.UTC
    lang = ctx.lang or partnership.locale
    when = meeting.starts_at.astimezone(tz).strftime(
        "%d.%m.%Y kl. %H.%M" if lang == "da" else "%Y-%m-%d at %H:%M"
    )
    title = meeting.title or _t(lang, "Møde", "Meeting")
    blocks: list[Header | Text | Note | Table] = [Header(f"{title} — {when}")]
    lead = kind.removeprefix("lead:")
    if lead == "P14D":
        blocks.append(
            Text(
                _t(
                    lang,
                    "Om 14 dage. Send punkter til dagsordenen med `{c} dagsorden tilføj TEKST`.",
                    "In 14 days. Send agenda items with `{c} agenda add TEXT`.",
                    c=ctx.command,
                )
            )
        )
        lagging = _lagging(session, meeting)
        if lagging:
            blocks.append(
                Text(
                    _t(
                        lang,
                        "Ingen opdatering af aktiviteterne siden sidste møde: {o}. "
                        "Skriv med `{c} opdater KODE STATUS NOTE`.",
                        "No activity update since the last meeting: {o}. Post one "
                        "with `{c} update CODE STATUS NOTE`.",
                        o=", ".join(lagging),
                        c=ctx.command,
                    )
                )
            )
    elif lead == "P2D":
        items = session.exec(
            select(AgendaItem.text)
            .where(AgendaItem.meeting_id == meeting.id)
            .order_by(AgendaItem.id)
        ).all()
        blocks.append(
            Text(
                _t(lang, "Om to dage. Dagsorden:", "In two days. Agenda:")
                + "".join(f"\n{n}. {text}" for n, text in enumerate(items, 1))
                if items
                else _t(
                    lang,
                    "Om to dage. Ingen punkter på dagsordenen endnu.",
                    "In two days. No agenda items yet.",
                )
            )
        )
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
                        _t(
                            lang,
                            "Mål|År|Værdi|Baseline/sammenligning|Vurdering",
                            "Target|Year|Value|Baseline/comparison|Verdict",
                        ).split("|")
                    ),
                    rows,
                )
            )
    else:
        blocks.append(
            Text(
                _t(
                    lang,
                    "Om en time{p}.",
                    "In one hour{p}.",
                    p=_t(lang, ", sted: {s}", ", place: {s}", s=meeting.place)
                    if meeting.place
                    else "",
                )
            )
        )
    if late:
        blocks.append(
            Note(
                _t(
                    lang,
                    "Sendt for sent: botten var nede, da påmindelsen skulle ud.",
                    "Sent late: the bot was down when this reminder was due.",
                )
            )
        )
    channels = list(
        session.exec(
            select(ChannelBinding.channel_id).where(
                ChannelBinding.partnership_id == partnership.id, ChannelBinding.platform == platform
            )
        )
    )
    buttons = [
        Button(_t(lang, "Jeg kommer", "I'll come"), "rsvp", f"{meeting.id}:yes"),
        Button(_t(lang, "Måske", "Maybe"), "rsvp", f"{meeting.id}:maybe"),
        Button(_t(lang, "Jeg kommer ikke", "I can't come"), "rsvp", f"{meeting.id}:no"),
    ]
    return Outgoing(channels, Reply(blocks=list(blocks), buttons=buttons, ephemeral=False))


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
