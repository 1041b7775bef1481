"""A follow-up item's owner reminded in a direct message: three days before its due date and
the day after it while it is still open (kind `action:N:due|late`). The owner is the person
named, or the people of the organisation named; where none of them has an account on the
platform, the reminder goes to the partnership's bound channels so it is seen anyway."""

from __future__ import annotations

from sqlmodel import Session, select

from commands.engine.context import Context, say
from commands.engine.reply import Reply, Text
from commands.views.outgoing import Outgoing, bound_channels
from commands.views.reminder_kinds import Due
from storage.models import ActionItem, Member, MemberIdentity, Partnership


def _owners(session: Session, item: ActionItem, platform: str) -> list[tuple[str, str]]:
    """(platform id, name) of the item's owner(s) with an account on `platform`."""
    query = (
        select(MemberIdentity.external_id, Member.display_name, Member.handle)
        .join(Member, Member.id == MemberIdentity.member_id)
        .where(Member.active == True, MemberIdentity.platform == platform)
    )
    if item.member_id is not None:
        query = query.where(Member.id == item.member_id)
    else:
        query = query.where(Member.organisation_id == item.organisation_id)
    rows = session.exec(query.order_by(Member.handle)).all()
    return [(external, name or handle) for external, name, handle in rows]


def compose_action(session: Session, ctx: Context, due: Due) -> Outgoing | None:
    number, _, which = due.arg.partition(":")
    item = session.get(ActionItem, int(number)) if number.isdigit() else None
    if item is None or item.status != "open":
        return None  # done (or gone) meanwhile: nothing to remind of
    partnership = session.get(Partnership, item.partnership_id)
    if partnership is None:
        return None
    lang = ctx.lang or partnership.locale
    values = {"n": item.id, "t": item.text, "c": ctx.command,
              "d": item.due.strftime(say(lang, "%d.%m.%Y", "%Y-%m-%d"))}  # fmt: skip
    if which == "late":
        text = say(
            lang,
            "Fristen for opfølgningspunkt {n} var {d}, og det er stadig åbent: {t}. Skriv "
            "`{c} opfølgning udført {n}`, når det er gjort.",
            "Follow-up item {n} was due {d} and is still open: {t}. Write `{c} action done "
            "{n}` when it is done.",
            **values,
        )
    else:
        text = say(
            lang,
            "Påmindelse: opfølgningspunkt {n} har frist {d}: {t}. Skriv `{c} opfølgning "
            "udført {n}`, når det er gjort.",
            "Reminder: follow-up item {n} is due {d}: {t}. Write `{c} action done {n}` when "
            "it is done.",
            **values,
        )
    owners = _owners(session, item, due.platform)
    if owners:
        return Outgoing(
            [external for external, _ in owners], Reply(blocks=[Text(text)], ephemeral=False)
        )
    channels = bound_channels(session, item.partnership_id, due.platform)
    if not channels:
        return None
    return Outgoing(channels, Reply(blocks=[Text(text)], ephemeral=False))
