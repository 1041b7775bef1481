"""The command path: text -> tokens -> subcommand -> rights -> handler -> reply.

Every handler runs inside one transaction: a refusal (CommandError, ParseError) or any error
rolls it back, so nothing refused or malformed changes data; a reply that says "saved" is only
returned after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

import commands.families  # noqa: F401  (registers the families)
from commands.engine import access
from commands.engine.caller import resolve
from commands.engine.context import Context, locale_lang, say
from commands.engine.errors import CommandError
from commands.engine.messages import parse_error_text
from commands.engine.parse import Args, ParseError, tokenize
from commands.engine.registry import FAMILIES, Family, Sub, closest, find_family, usage
from commands.engine.reply import Form, Reply

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


@dataclass(frozen=True)
class OpenForm:
    """Open this form instead of answering (the text asked for a command a form does better)."""

    form: Form


@dataclass(frozen=True)
class Deferred:
    """Acknowledge now with `ack`, then run `finish` (slow work: charts, reports, files) and
    deliver its reply. `finish` never raises."""

    ack: Reply
    finish: Callable[[], Reply]


Outcome = Reply | OpenForm | Deferred


def handle(text: str, ctx: Context) -> Outcome:
    """The adapters' one entry for typed text (or a button's command line): a reply, a form to
    open, or an acknowledgement with the slow work to do after it. Never raises."""
    fallback = ctx.lang or locale_lang(ctx.user_locale) or "da"
    try:
        try:
            planned = plan(text, ctx.command)
        except ParseError as err:
            return Reply.error(parse_error_text(err, fallback, ctx.command))
        if ctx.caps.forms and planned.sub is not None:
            from commands.views import forms

            opened = forms.open_for(planned, ctx)
            if opened is not None:
                return opened if isinstance(opened, Reply) else OpenForm(opened)
        if ctx.caps.deferred and planned.sub is not None and planned.sub.slow:
            ack = Reply.text(say(ctx.preferred_lang(), "Et øjeblik …", "Working on it …"))
            return Deferred(ack, lambda: run_plan(planned, ctx))
        return _execute(planned, ctx, fallback)
    except Exception:  # the user gets a reply, the operator the traceback
        return _crashed(fallback)


def submit(form_id: str, values: dict[str, str], ctx: Context) -> Reply:
    """A submitted form: the same command path as the text it stands for. A refusal names the
    field it is about (`Reply.field`), so the adapter can show it in the form."""
    from commands.views import forms

    fallback = ctx.lang or locale_lang(ctx.user_locale) or "da"
    try:
        planned, field = forms.plan_for(form_id, values)
        reply = _execute(planned, ctx, fallback)
        if not reply.ok and not reply.field:
            reply.field = field
        return reply
    except Exception:
        return _crashed(fallback)


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
            call.sub = sub
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


__all__ = [
    "Context",
    "Deferred",
    "OpenForm",
    "Outcome",
    "Plan",
    "handle",
    "plan",
    "run_command",
    "run_plan",
    "submit",
]
