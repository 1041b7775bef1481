"""The command path: text -> tokens -> subcommand -> rights -> handler -> reply.

Every handler runs inside one transaction: a refusal (CommandError, ParseError) or any error
rolls it back, so nothing refused or malformed changes data; a reply that says "saved" is only
returned after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session

import commands.families  # noqa: F401  (registers the families)
from commands.engine import access, privacy
from commands.engine.caller import resolve
from commands.engine.context import Context, say
from commands.engine.errors import CommandError
from commands.engine.messages import hint, parse_error_text
from commands.engine.parse import Args, ParseError, tokenize
from commands.engine.registry import FAMILIES, Family, Sub, all_names, find_family, usage
from commands.engine.reply import Form, Note, Reply

log = logging.getLogger("partnerbot.commands")


@dataclass(frozen=True)
class Plan:
    """What a line of text asks for, before anything runs (adapters look ahead with it:
    to open a form instead, or to acknowledge first and do slow work after)."""

    family: Family | None
    sub: Sub | None
    args: Args
    first_word: str  # the command word as typed (for "unknown command" replies)


HELP_WORDS = {"help", "hjælp", "?"}


def plan(text: str, command: str = "/wg") -> Plan:
    """Tokenize and find the subcommand. Raises ParseError for text that cannot be read."""
    args = tokenize(text)
    words = args.words
    if words and words[0].lower() == command.lower():
        words = words[1:]
    if not words:
        words = ["help"]
    fam = find_family(words[0])
    if fam and fam.name != "help" and len(words) in (2, 3) and words[-1].lower() in HELP_WORDS:
        # "opdater hjælp", "møde tilføj help": the help of what comes before, as "hjælp opdater"
        words, fam = ["help", *words[:-1]], find_family("help")
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
T = TypeVar("T", bound=Outcome)


def handle(text: str, ctx: Context) -> Outcome:
    """The adapters' one entry for typed text (or a button's command line): a reply, a form to
    open, or an acknowledgement with the slow work to do after it. Never raises."""

    def outcome() -> Outcome:
        planned = plan(text, ctx.command)
        if ctx.caps.forms and planned.sub is not None:
            from commands.views import forms

            opened = forms.open_for(planned, ctx)
            if opened is not None:
                return opened if isinstance(opened, Reply) else OpenForm(opened)
        if ctx.caps.deferred and planned.sub is not None and planned.sub.slow:
            ack = Reply.text(say(ctx.preferred_lang(), "Et øjeblik …", "Working on it …"))
            return Deferred(ack, lambda: run_plan(planned, ctx))
        return _execute(planned, ctx)

    return _never_raising(ctx, outcome)


def submit(form_id: str, values: dict[str, str], ctx: Context) -> Reply:
    """A submitted form: the same command path as the text it stands for. A refusal names the
    field it is about (`Reply.field`), so the adapter can show it in the form."""
    from commands.views import forms

    def submitted() -> Reply:
        planned, field = forms.plan_for(form_id, values)
        reply = _execute(planned, ctx)
        if not reply.ok and not reply.field:
            reply.field = field
        return reply

    return _never_raising(ctx, submitted)


def run_command(text: str, ctx: Context) -> Reply:
    """Run one line of command text. Never raises: every outcome is a reply."""
    return _never_raising(ctx, lambda: _execute(plan(text, ctx.command), ctx))


def run_plan(planned: Plan, ctx: Context) -> Reply:
    """Run a plan built by an adapter (e.g. from a submitted form). Never raises."""
    return _never_raising(ctx, lambda: _execute(planned, ctx))


def _never_raising(ctx: Context, work: Callable[[], T]) -> T | Reply:
    """The outcome of `work`; text that cannot be read, or any error, as a reply in the
    language known before the caller is (the user gets a reply, the operator the traceback)."""
    lang = ctx.preferred_lang()
    try:
        return work()
    except ParseError as err:
        return Reply.error(parse_error_text(err, lang, ctx.command))
    except Exception:
        log.exception("command failed")
        return Reply.error(
            say(
                lang,
                "Noget gik galt, og intet blev gemt. Prøv igen, eller kontakt sekretariatet.",
                "Something went wrong and nothing was saved. Try again, or contact the "
                "secretariat.",
            )
        )


def _execute(planned: Plan, ctx: Context) -> Reply:
    fam, sub, args = planned.family, planned.sub, planned.args
    with Session(ctx.engine, expire_on_commit=False) as session:
        call = resolve(session, ctx, ctx.preferred_lang())
        # before anything else answers (an unknown word is said back): no CPR numbers
        personal = privacy.refusal(call, args, planned.first_word)
        if personal is not None:
            return Reply.error(personal)
        if fam is None:
            return Reply.error(_unknown(planned.first_word, call.lang, ctx.command))
        if sub is None:
            return Reply.error(_usage_text(fam, call.lang, ctx.command, args.words))
        refusal = access.check(call, sub)
        if refusal is not None:
            return Reply.error(refusal)
        bad = sorted(set(args.options) - sub.options)
        if bad:
            return Reply.error(
                call.t(
                    "Ukendt valg '{k}='.{h} Skriv: {u}",
                    "Unknown option '{k}='.{h} Use: {u}",
                    k=args.option_spelling.get(bad[0], bad[0]),
                    u=usage(sub, call.lang, ctx.command),
                    h=hint(call, bad[0], sorted(sub.options), "="),
                )
            )
        try:
            call.sub = sub
            reply = sub.handler(call, args)
            said = _in_their_words(fam, sub, planned.first_word, call.lang, ctx.command)
            if reply.ok and said:
                reply.blocks.append(Note(said))
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


def _in_their_words(fam: Family, sub: Sub, typed: str, lang: str, command: str) -> str:
    """A command typed in the other language works; the reply then names it in the caller's
    own ("På dansk: `/wg aktivitet vis`"), so the next time it can be typed that way."""
    typed = typed.lower()
    other = fam.name if lang == "da" else fam.da
    # help is asked for in either language (and as "opdater help"): no lesson there
    if typed != other.lower() or fam.name == fam.da or fam.name == "help":
        return ""
    words = f"{fam.da} {sub.da}" if lang == "da" else f"{fam.name} {sub.name}"
    return say(lang, "På dansk: `{c} {w}`.", "In English: `{c} {w}`.", c=command, w=words.strip())


def _pick_sub(fam: Family, words: list[str]) -> tuple[Sub | None, list[str]]:
    if "" in fam.subs:  # every word an argument, unless it names one of the other subs
        named = fam.find(words[0]) if words else None
        if named is not None and named.name:
            return named, words[1:]
        # `minutes 12 approve` as DESIGN writes it: the id first, then the verb
        after = fam.find(words[1]) if len(words) == 2 else None
        if after is not None and after.name:
            return after, words[:1]
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
        head = say(
            lang,
            "Ukendt underkommando '{w}' til `{f}`.{h} ",
            "Unknown subcommand '{w}' of `{f}`.{h} ",
            w=rest[0][:30],
            f=say(lang, fam.da, fam.name),
            h=hint(lang, rest[0], [n for s in fam.subs.values() for n in (s.name, s.da)]),
        )
    lines = [usage(s, lang, command) for s in fam.subs.values()]
    return head + say(lang, "Brug: ", "Usage: ") + "\n" + "\n".join(lines)


def _unknown(word: str, lang: str, command: str) -> str:
    return say(
        lang,
        "Ukendt kommando '{w}'.{h} Kommandoer: {n}. Skriv `{c} hjælp`.",
        "Unknown command '{w}'.{h} Commands: {n}. Type `{c} help`.",
        w=word if len(word) <= 30 else word[:29] + "…",
        h=hint(lang, word, all_names()),
        n=", ".join(say(lang, f.da, f.name) for f in FAMILIES.values()),
        c=command,
    )


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
