"""No personal data about residents in the channel: every line of command text (typed, a
button's line, a submitted form's values) is checked here, once, before any subcommand runs,
so no family can forget it and nothing of a refused line is stored (issue 13).

Today that is the CPR number (commands.rules.cpr); the reply says why, and never repeats the
number.
"""

from __future__ import annotations

from commands.engine.context import Call, say
from commands.engine.parse import Args
from commands.rules.cpr import has_cpr

CPR_REFUSAL = (
    "Beskeden er ikke gemt, fordi den ser ud til at indeholde et CPR-nummer. Kanalen er ikke "
    "stedet for personoplysninger om borgere. Skriv den igen uden CPR-nummeret.",
    "The message was not saved because it appears to contain a CPR number (a Danish civil "
    "registration number). The channel is no place for personal data about residents. Write "
    "it again without the number.",
)


def text_of(args: Args, first_word: str = "") -> list[str]:
    """Everything typed: the words as one text (a number split by a space is found), and each
    option's value."""
    return [" ".join([first_word, *args.words]), *args.options.values()]


def refusal(call: Call, args: Args, first_word: str = "") -> str | None:
    """The refusal for command text holding a CPR number, else None. `first_word`: the
    command word as typed (an unknown one is said back in the reply)."""
    today = call.now.astimezone(call.spec.tz).date() if call.spec else call.now.date()
    if any(has_cpr(text, today) for text in text_of(args, first_word)):
        return call.t(*CPR_REFUSAL)
    return None


def retention_reason(lang: str, months: int) -> str:
    """The reason the retention job records when it forgets a former member."""
    return say(
        lang,
        "Opbevaringsfristen for tidligere medlemmer ({n} måneder efter udtræden) er udløbet.",
        "The retention period for former members ({n} months after they left) has passed.",
        n=months,
    )
