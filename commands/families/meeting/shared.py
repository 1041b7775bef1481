"""What the meeting subcommands share: the partnership's time zone, how a time and a meeting's
kind read, and the year's meetings checked against the partnership's rules."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import select

from commands.engine import fmt
from commands.engine.context import Call
from commands.rules import planning
from commands.views.meetings import local_zone
from commands.vocab import MeetingKind
from storage.models import Meeting

# {n} is the count with its noun (`counted`), in the form the count takes
FLAGS = {
    "wg-too-few": ("{y}: kun {n} (reglen er {a}–{b})", "{y}: only {n} (the rule is {a}–{b})"),
    "wg-too-many": ("{y}: {n} (reglen er {a}–{b})", "{y}: {n} (the rule is {a}–{b})"),
    "sg-missing": ("{y}: intet styregruppemøde", "{y}: no steering-group meeting"),
    "sg-too-few": ("{y}: kun {n}", "{y}: only {n}"),
}
WG = (
    ("arbejdsgruppemøde", "arbejdsgruppemøder"),
    ("working-group meeting", "working-group meetings"),
)
SG = ("styregruppemøde", "styregruppemøder"), ("steering-group meeting", "steering-group meetings")
REMINDERS = ("påmindelse", "påmindelser"), ("reminder", "reminders")


def tz(call: Call) -> ZoneInfo:
    return local_zone(call.partnership.timezone if call.partnership else None)


def local(call: Call, moment: dt.datetime) -> str:
    return moment.astimezone(tz(call)).strftime(call.t("%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M"))


def spelled(call: Call, moment: dt.datetime) -> str:
    """A meeting time said back in full, so a misread date is seen at once: "tirsdag 2. marts
    2027 kl. 13.00" / "Tuesday 2 March 2027 at 13:00"."""
    at = moment.astimezone(tz(call))
    day = f"{fmt.weekday(at, call.lang)} {fmt.date(at, call.lang, long=True)}"
    return call.t("{d} kl. {t}", "{d} at {t}", d=day, t=fmt.time(at, call.lang))


def kind_label(call: Call, kind: str) -> str:
    """ "wg" -> "Arbejdsgruppemøde" / "Working group meeting"."""
    return call.t("{k}møde", "{k} meeting", k=MeetingKind.label_of(kind, call.lang)).capitalize()


def flags(call: Call, year: int, extra: list[tuple[str, dt.date]] | None = None) -> list[str]:
    """The year's planned meetings (and `extra` proposed ones) against the file's rules."""
    if call.spec is None:
        return []
    zone = tz(call)
    rows = call.session.exec(
        select(Meeting.kind, Meeting.starts_at).where(
            Meeting.partnership_id == call.pid, Meeting.status != "cancelled"
        )
    ).all()
    held = [(k, s.astimezone(zone).date()) for k, s in rows if s.astimezone(zone).year == year]
    rules = call.spec.meetings
    out = []
    for flag in planning.check_year(held + (extra or []), year, rules):
        key, _, n = flag.partition(":")
        da, en = FLAGS.get(key, (flag, flag))
        noun = WG if key.startswith("wg") else SG
        shown = counted(call.lang, int(n), *noun) if n.isdigit() else n
        out.append(
            call.t(da, en, y=year, n=shown, a=rules.working_group_min, b=rules.working_group_max)
        )
    return out


def counted(lang: str, n: int, da: tuple[str, str], en: tuple[str, str]) -> str:
    """A count and its noun in the right form: counted("da", 1, ("møde", "møder"), …) ->
    "1 møde"; 1.234 as Danes write it."""
    return fmt.count(lang, n, da, en)


def meeting_words(lang: str, n: int) -> str:
    """3 -> "3 møder" / "3 meetings"; 1 -> "1 møde" / "1 meeting"."""
    return counted(lang, n, ("møde", "møder"), ("meeting", "meetings"))


def kind_counts(lang: str, wg: int, sg: int) -> str:
    """ "5 arbejdsgruppemøder og 1 styregruppemøde" / "5 working-group meetings and 1
    steering-group meeting"; a kind with none is left out."""
    parts = []
    if wg:
        parts.append(counted(lang, wg, *WG))
    if sg:
        parts.append(counted(lang, sg, *SG))
    return (" og " if lang == "da" else " and ").join(parts) or meeting_words(lang, 0)


def meeting_count(lang: str, n: int, wg: int) -> str:
    """A proposal's count: "6 møder (5 arbejdsgruppemøder og 1 styregruppemøde)", or just
    "7 arbejdsgruppemøder" when they are all of one kind."""
    if wg in (0, n):
        return kind_counts(lang, wg, n - wg)
    return f"{meeting_words(lang, n)} ({kind_counts(lang, wg, n - wg)})"
