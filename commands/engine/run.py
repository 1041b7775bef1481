"""The command path: text -> tokens -> subcommand -> rights -> handler -> reply.

Every handler runs inside one transaction: a refusal (CommandError, ParseError) or any error
rolls it back, so nothing refused or malformed changes data; a reply that says "saved" is only
returned after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam
from sqlmodel import Session, select

import commands.families  # noqa: F401  (registers the families)
from commands.engine import access
from commands.engine.context import (
    Call,
    Context,
    MemberInfo,
    OrganisationInfo,
    PartnershipInfo,
    locale_lang,
)
from commands.engine.errors import CommandError
from commands.engine.messages import parse_error_text
from commands.engine.parse import Args, ParseError, tokenize
from commands.engine.registry import FAMILIES, Family, Sub, closest, find_family, usage
from commands.engine.reply import Reply
from storage.models import ChannelBinding, Member, MemberRole, Organisation, Partnership

log = logging.getLogger("partnerbot.commands")


@dataclass(frozen=True)
class Plan:
    """What a line of text asks for, before anything runs (adapters look ahead with it:
    to open a form instead, or to acknowledge first and do slow work after)."""

    family: Family | None
    sub: Sub | None
    args: Args
    first_word: str  # the command word as typed (for "unknown command" replies)


def plan(text: str, command: str = "/wg") -> Plan:
    """Tokenize and find the subcommand. Raises ParseError for text that cannot be read."""
    args = tokenize(text)
    words = args.words
    if words and words[0].lower() == command.lower():
        words = words[1:]
    if not words:
        words = ["help"]
    fam = find_family(words[0])
    sub, rest = _pick_sub(fam, words[1:]) if fam else (None, words[1:])
    return Plan(fam, sub, Args(rest, args.options, args.option_spelling), words[0])


def run_command(text: str, ctx: Context) -> Reply:
    """Run one line of command text. Never raises: every outcome is a reply."""
    fallback = ctx.lang or locale_lang(ctx.user_locale) or "da"
    try:
        try:
            planned = plan(text, ctx.command)
        except ParseError as err:
            return Reply.error(parse_error_text(err, fallback, ctx.command))
        return _execute(planned, ctx, fallback)
    except Exception:  # the user gets a reply, the operator the traceback
        return _crashed(fallback)


def run_plan(planned: Plan, ctx: Context) -> Reply:
    """Run a plan built by an adapter (e.g. from a submitted form). Never raises."""
    fallback = ctx.lang or locale_lang(ctx.user_locale) or "da"
    try:
        return _execute(planned, ctx, fallback)
    except Exception:
        return _crashed(fallback)


def _crashed(lang: str) -> Reply:
    log.exception("command failed")
    return Reply.error(
        "Noget gik galt, og intet blev gemt. Prøv igen, eller kontakt sekretariatet."
        if lang == "da"
        else "Something went wrong and nothing was saved. Try again, or contact the secretariat."
    )


def _execute(planned: Plan, ctx: Context, fallback: str) -> Reply:
    fam, sub, args = planned.family, planned.sub, planned.args
    with Session(ctx.engine, expire_on_commit=False) as session:
        call = resolve(session, ctx, fallback)
        if fam is None:
            return Reply.error(_unknown(planned.first_word, call.lang, ctx.command))
        if sub is None:
            return Reply.error(_usage_text(fam, call.lang, ctx.command, args.words))
        refusal = access.check(call, sub)
        if refusal is not None:
            return Reply.error(refusal)
        bad = sorted(set(args.options) - sub.options)
        if bad:
            spelled = args.option_spelling.get(bad[0], bad[0])
            hint = closest(bad[0], sorted(sub.options))
            return Reply.error(
                call.t(
                    "Ukendt valg '{k}='.{h} Skriv: {u}",
                    "Unknown option '{k}='.{h} Use: {u}",
                    k=spelled,
                    u=usage(sub, call.lang, ctx.command),
                    h=call.t(" Mente du '{c}='?", " Did you mean '{c}='?", c=hint) if hint else "",
                )
            )
        try:
            reply = sub.handler(call, args)
            if reply.ok:
                session.commit()
            else:
                session.rollback()
            return reply
        except CommandError as err:
            session.rollback()
            return Reply.error(err.message)
        except ParseError as err:
            session.rollback()
            return Reply.error(
                parse_error_text(err, call.lang, ctx.command)
                + "\n"
                + call.t("Skriv: {u}", "Use: {u}", u=usage(sub, call.lang, ctx.command))
            )


def _caller_query(by_channel: bool) -> Select[Any]:
    P, M, Org = Partnership, Member, Organisation
    query = select(
        P.id, P.slug, P.name, P.timezone, P.locale, P.demo,
        M.id, M.handle, M.display_name, M.organisation_id, M.lang,
        Org.id, Org.slug, Org.name,
    ).select_from(P)  # fmt: skip
    if by_channel:
        query = query.join(ChannelBinding, ChannelBinding.partnership_id == P.id).where(
            ChannelBinding.platform == bindparam("platform"),
            ChannelBinding.channel_id == bindparam("channel"),
        )
    else:
        query = query.where(P.slug == bindparam("slug"))
    return query.outerjoin(
        M, and_(M.partnership_id == P.id, M.handle == bindparam("user"), M.active == True)
    ).outerjoin(Org, Org.id == M.organisation_id)


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
        row = session.execute(_CALLER_BY_SLUG, {"slug": slug, "user": ctx.user}).first()
    if row is None:
        return None
    v = tuple(row)
    return (
        PartnershipInfo(*v[0:6]),
        MemberInfo(*v[6:11]) if v[6] is not None else None,
        OrganisationInfo(*v[11:14]) if v[11] is not None else None,
    )


def _pick_sub(fam: Family, words: list[str]) -> tuple[Sub | None, list[str]]:
    if "" in fam.subs:  # single-level command: every word is an argument
        return fam.subs[""], words
    if words:
        sub = fam.find(words[0])
        if sub is not None:
            return sub, words[1:]
        return None, words
    if fam.default:
        return fam.subs[fam.default], []
    return None, []


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
        or locale_lang(ctx.locale())
        or call.partnership.locale
        or "da"
    )
    return call


def _usage_text(fam: Family, lang: str, command: str, rest: list[str]) -> str:
    head = ""
    if rest:
        hint = closest(rest[0], [n for s in fam.subs.values() for n in (s.name, s.da)])
        word = rest[0][:30]
        head = (
            f"Ukendt underkommando '{word}' til `{fam.da}`."
            + (f" Mente du '{hint}'?" if hint else "")
            + " "
            if lang == "da"
            else f"Unknown subcommand '{word}' of `{fam.name}`."
            + (f" Did you mean '{hint}'?" if hint else "")
            + " "
        )
    lines = [usage(s, lang, command) for s in fam.subs.values()]
    return head + ("Brug: " if lang == "da" else "Usage: ") + "\n" + "\n".join(lines)


def _unknown(word: str, lang: str, command: str) -> str:
    names = [n for f in FAMILIES.values() for n in ((f.da,) if lang == "da" else (f.name,))]
    every = [n for f in FAMILIES.values() for n in (f.name, f.da)]
    hint = closest(word, every)
    shown = word if len(word) <= 30 else word[:29] + "…"
    if lang == "da":
        msg = f"Ukendt kommando '{shown}'."
        msg += f" Mente du '{hint}'?" if hint else ""
        return msg + f" Kommandoer: {', '.join(names)}. Skriv `{command} hjælp`."
    msg = f"Unknown command '{shown}'."
    msg += f" Did you mean '{hint}'?" if hint else ""
    return msg + f" Commands: {', '.join(names)}. Type `{command} help`."


__all__ = ["Context", "Plan", "plan", "run_command", "run_plan"]
