"""Who is asking, in which partnership: the caller resolved before every command (and before
every acknowledgement, so it is two small queries built once).

The caller is the person with the platform identity (ctx.platform, ctx.user); the adapter
hands the id over as the platform writes it (the shell lower-cases its handles). The
command-line operator (platform "cli") is an admin and has no identity."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Select, and_, bindparam
from sqlmodel import Session, select

from commands.engine.context import (
    Call,
    Context,
    MemberInfo,
    OrganisationInfo,
    PartnershipInfo,
    locale_lang,
)
from storage.models import (
    ChannelBinding,
    Member,
    MemberIdentity,
    MemberRole,
    Organisation,
    Partnership,
)


def _caller_query(by_channel: bool) -> Select[Any]:
    P, M, Org, Id = Partnership, Member, Organisation, MemberIdentity
    platform: BindParameter[str] = bindparam("platform")  # one parameter, used twice
    columns = (
        P.id, P.slug, P.name, P.timezone, P.locale, P.demo,
        M.id, M.handle, M.display_name, M.organisation_id, M.lang,
        Org.id, Org.slug, Org.name,
    )  # fmt: skip
    query: Select[Any] = select(*columns).select_from(P)
    if by_channel:
        query = query.join(ChannelBinding, ChannelBinding.partnership_id == P.id).where(
            ChannelBinding.platform == platform,
            ChannelBinding.channel_id == bindparam("channel"),
        )
    else:
        query = query.where(P.slug == bindparam("slug"))
    # The caller is a platform identity of a person: (platform, external id), unique per
    # partnership, so at most one row; a removed person's identity finds no member.
    return (
        query.outerjoin(
            Id,
            and_(
                Id.partnership_id == P.id,
                Id.platform == platform,
                Id.external_id == bindparam("user"),
            ),
        )
        .outerjoin(M, and_(M.id == Id.member_id, M.active == True))
        .outerjoin(Org, Org.id == M.organisation_id)
    )


# Built once: building a statement and its cache key costs more than running it on SQLite,
# and these run before every acknowledgement.
_CALLER_BY_CHANNEL = _caller_query(by_channel=True)
_CALLER_BY_SLUG = _caller_query(by_channel=False)
_ROLES = select(MemberRole.role).where(MemberRole.member_id == bindparam("member_id"))


def _caller_row(
    session: Session, ctx: Context, slug: str | None
) -> tuple[PartnershipInfo, MemberInfo | None, OrganisationInfo | None] | None:
    """The partnership (named, or bound to this channel) with the caller's membership, as
    plain columns into small read-only snapshots (no ORM objects on the ack path)."""
    if slug is None:
        params = {"platform": ctx.platform, "channel": ctx.channel, "user": ctx.user}
        row = session.execute(_CALLER_BY_CHANNEL, params).first()
    else:
        params = {"slug": slug, "platform": ctx.platform, "user": ctx.user}
        row = session.execute(_CALLER_BY_SLUG, params).first()
    if row is None:
        return None
    v = tuple(row)
    return (
        PartnershipInfo(*v[0:6]),
        MemberInfo(*v[6:11]) if v[6] is not None else None,
        OrganisationInfo(*v[11:14]) if v[11] is not None else None,
    )


def resolve(session: Session, ctx: Context, fallback: str) -> Call:
    """Who is asking, in which partnership: two queries, as this runs before every ack."""
    call = Call(ctx=ctx, session=session, lang=fallback, now=ctx.clock())
    found = _caller_row(session, ctx, ctx.partnership)
    shell_default = ctx.platform == "shell" and len(ctx.partnerships) == 1
    if found is None and ctx.partnership is None and shell_default:
        # the local shell needs no binding when there is one partnership
        found = _caller_row(session, ctx, next(iter(ctx.partnerships)))
    if found is None:
        return call
    call.partnership, call.member, call.organisation = found
    call.spec = ctx.partnerships.get(call.partnership.slug)
    if call.member is not None:
        call.roles = frozenset(session.execute(_ROLES, {"member_id": call.member.id}).scalars())
    call.lang = (
        ctx.lang
        or (call.member.lang if call.member else None)
        or locale_lang(ctx.user_locale)
        or call.partnership.locale
        or "da"
    )
    return call
