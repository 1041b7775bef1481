"""The command path: text -> tokens -> subcommand -> rights -> handler -> reply.

Every handler runs inside one transaction: a refusal (CommandError, ParseError) or any error
rolls it back, so nothing refused or malformed changes data; a reply that says "saved" is only
returned after the commit.
"""

from __future__ import annotations

import logging

from sqlmodel import Session, select

# Importing the families registers them.
from commands import access, activity, bind, help, indicator, member, registry, update, whoami  # noqa: F401
from commands.call import Call, Context
from commands.errors import CommandError
from commands.messages import parse_error_text
from commands.registry import FAMILIES, Family, Sub, closest, find_family, usage
from commands.reply import Reply
from commands.tokens import Args, ParseError, tokenize
from storage.models import ChannelBinding, Member, MemberRole, Organisation, Partnership

log = logging.getLogger("partnerbot.commands")
registry.order(
    [
        "help",
        "whoami",
        "status",
        "report",
        "update",
        "assess",
        "activity",
        "indicator",
        "meeting",
        "agenda",
        "member",
        "bind",
    ]
)


def run_command(text: str, ctx: Context) -> Reply:
    """Run one line of command text. Never raises: every outcome is a reply."""
    fallback = ctx.lang or _locale_lang(ctx.user_locale) or "da"
    try:
        return _run(text, ctx, fallback)
    except Exception:  # the user gets a reply, the operator the traceback
        log.exception("command failed")
        return Reply.error(
            "Noget gik galt, og intet blev gemt. Prøv igen, eller kontakt sekretariatet."
            if fallback == "da"
            else "Something went wrong and nothing was saved. "
            "Try again, or contact the secretariat."
        )


def _locale_lang(locale: str | None) -> str | None:
    if not locale:
        return None
    return "da" if locale.lower().startswith("da") else "en"


def _run(text: str, ctx: Context, fallback: str) -> Reply:
    try:
        args = tokenize(text)
    except ParseError as err:
        return Reply.error(parse_error_text(err, fallback, ctx.command))
    words = args.words
    if words and words[0].lower() == ctx.command.lower():
        words = words[1:]
    if not words:
        words = ["help"]
    fam = find_family(words[0])
    sub, rest = _pick_sub(fam, words[1:]) if fam else (None, [])
    with Session(ctx.engine, expire_on_commit=False) as session:
        call = _resolve(session, ctx, fallback)
        if fam is None:
            return Reply.error(_unknown(words[0], call.lang, ctx.command))
        if sub is None:
            return Reply.error(_usage_text(fam, call.lang, ctx.command, rest))
        refusal = access.check(call, sub)
        if refusal is not None:
            return Reply.error(refusal)
        bad = sorted(set(args.options) - sub.options)
        if bad:
            spelled = args.option_spelling[bad[0]]
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
            reply = sub.handler(
                call, Args(words=rest, options=args.options, option_spelling=args.option_spelling)
            )
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


def _resolve(session: Session, ctx: Context, fallback: str) -> Call:
    call = Call(ctx=ctx, session=session, lang=fallback, now=ctx.clock())
    slug = ctx.partnership
    if slug is None:
        binding = session.exec(
            select(ChannelBinding).where(
                ChannelBinding.platform == ctx.platform, ChannelBinding.channel_id == ctx.channel
            )
        ).first()
        if binding is not None:
            call.partnership = session.get(Partnership, binding.partnership_id)
        elif ctx.platform == "shell" and len(ctx.partnerships) == 1:
            slug = next(iter(ctx.partnerships))
    if slug is not None:
        call.partnership = session.exec(select(Partnership).where(Partnership.slug == slug)).first()
    if call.partnership is None:
        return call
    call.spec = ctx.partnerships.get(call.partnership.slug)
    call.member = session.exec(
        select(Member).where(
            Member.partnership_id == call.partnership.id,
            Member.handle == ctx.user,
            Member.active == True,
        )
    ).first()
    if call.member is not None:
        call.roles = frozenset(
            session.exec(select(MemberRole.role).where(MemberRole.member_id == call.member.id))
        )
        if call.member.organisation_id is not None:
            call.organisation = session.get(Organisation, call.member.organisation_id)
    call.lang = (
        ctx.lang
        or (call.member.lang if call.member else None)
        or _locale_lang(ctx.user_locale)
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


__all__ = ["Context", "run_command"]
