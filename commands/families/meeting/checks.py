"""A meeting put by hand where people do not meet is asked back before it is saved.

`meeting add` and `meeting move` onto a weekend, a Danish public holiday, one of the partnership
file's `meetings.blackouts` (the school holidays) or a night hour (a start from 22:00 to before
06:00) answer with the reason and a button for the same line with `confirm` (Danish
`bekræft`), and save nothing; the line with `confirm` saves (DESIGN section 5). A time that
occurs twice the night the clocks go back says which of the two is meant. The reasons come from
`commands.rules.planning.concerns`; here they are worded in the caller's language.
"""

from __future__ import annotations

import datetime as dt

from commands.engine import fmt
from commands.engine.context import Call
from commands.engine.parse import Args, command_line
from commands.engine.reply import Button, Reply, Text
from commands.families.meeting.shared import tz
from commands.rules import planning

# words of `meeting add`/`move` in each language, for the line to type
NAMES = {"add": ("tilføj", "add"), "move": ("flyt", "move")}


def reasons(call: Call, starts: dt.datetime) -> tuple[list[str], bool]:
    """Why the meeting's local time is unusual, worded ("en lørdag", "Grundlovsdag
    (helligdag)", "vinterferien (uge 7)", "om natten (22–06)"), and whether the time is one
    that comes twice that night."""
    zone = tz(call)
    local = starts.astimezone(zone)
    day, at = local.date(), local.time().replace(tzinfo=None)
    blackouts = call.spec.meetings.blackouts if call.spec else ()
    out: list[str] = []
    repeated = False
    for key in planning.concerns(day, at, zone, blackouts):
        kind, _, arg = key.partition(":")
        if kind == "weekend":
            out.append(call.t("en {d}", "a {d}", d=fmt.weekday(day, call.lang)))
        elif kind == "holiday":
            names = (planning.holiday_name(day, call.lang) or arg).split("; ")
            out.append(
                call.t("{n} (helligdag)", "a public holiday ({n})", n=_and(call, names))
                if len(names) == 1
                else call.t("{n} (helligdage)", "public holidays ({n})", n=_and(call, names))
            )
        elif kind == "blackout":
            blackout = blackouts[int(arg)]
            out.append(call.t(blackout.name_da, blackout.name_en))
        elif kind == "night":
            out.append(call.t("om natten (22–06)", "at night (22–06)"))
        elif kind == "repeated-hour":
            repeated = True
    return out, repeated


def ask_back(
    call: Call, args: Args, sub: str, starts: dt.datetime, *, meeting_id: int | None = None
) -> Reply | None:
    """None when the time is an ordinary one; else the question, what to type and a button
    that runs the same command with `confirm`. `sub` is "add" or "move"."""
    found, repeated = reasons(call, starts)
    if not found:
        return None
    local = starts.astimezone(tz(call))
    when = fmt.when(local, call.lang)
    joined = _and(call, found)
    if sub == "move":
        question = call.t(
            "Møde {i} flyttes til {w}, som ikke er et almindeligt mødetidspunkt: {r}.",
            "Meeting {i} would move to {w}, which is not a usual meeting time: {r}.",
            i=meeting_id,
            w=when,
            r=joined,
        )
    else:
        question = call.t(
            "{w} er ikke et almindeligt mødetidspunkt: {r}.",
            "{w} is not a usual meeting time: {r}.",
            w=when,
            r=joined,
        )
    if repeated:
        question += " " + call.t(
            "Kl. {t} kommer to gange den nat, fordi urene stilles tilbage; mødet lægges på den "
            "første (sommertid).",
            "{t} comes twice that night as the clocks go back; the meeting is set at the first "
            "(summer time).",
            t=fmt.time(local, call.lang),
        )
    question += " " + call.t(
        "Skal mødet alligevel ligge der?" if sub == "add" else "Skal det alligevel flyttes dertil?",
        "Add the meeting there anyway?" if sub == "add" else "Move it there anyway?",
    )
    ids = [str(meeting_id)] if meeting_id is not None else []
    day, at = local.date(), local.strftime("%H:%M")
    line = command_line("meeting", sub, *ids, day.isoformat(), at, "confirm", options=args.options)
    da_name, en_name = NAMES[sub]
    typed = (
        command_line(
            "møde", da_name, *ids, fmt.date(day, "da"), fmt.time(local, "da"), options=args.options
        )
        + " bekræft"
        if call.lang == "da"
        else command_line("meeting", en_name, *ids, day.isoformat(), at, options=args.options)
        + " confirm"
    )
    question += " " + call.t(
        "Gem med knappen eller skriv `{c} {l}`. Intet er gemt endnu.",
        "Save with the button or type `{c} {l}`. Nothing is saved yet.",
        c=call.ctx.command,
        l=typed,
    )
    label = (
        call.t("Gem alligevel", "Save anyway")
        if sub == "add"
        else call.t("Flyt alligevel", "Move anyway")
    )
    return Reply(blocks=[Text(question)], buttons=[Button(label, line, style="primary")])


def _and(call: Call, parts: list[str]) -> str:
    """["en søndag", "om natten (22–06)"] -> "en søndag og om natten (22–06)"."""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + call.t(" og ", " and ") + parts[-1]
