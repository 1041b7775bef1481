"""`meeting …` (`møde …`): the partnership's meetings and their reminders.

One module per thing it does: `listing` (list, next), `schedule` (add, move, cancel and their
reminder rows), `plan` (the year's proposal), `rsvp`, `calendar_file` (ics) and `reminders`
(the overview for the chair); `shared` holds the time zone, time and kind words they all use.
The subcommands are registered below in the order `help` lists them.
"""

from __future__ import annotations

from commands.engine.options import keys
from commands.engine.registry import Right, family
from commands.families.meeting import (
    calendar_file,
    listing,
    plan,
    reminders,
    rsvp,
    schedule,
)
from commands.vocab import Rsvp

FAM = family(
    "meeting",
    "møde",
    "meetings: list, add, plan, move, cancel, RSVP, calendar",
    "møder: vis, tilføj, planlæg, flyt, aflys, svar, kalender",
)
FAM.subcommand(
    "list", "liste", Right.REGISTERED, listing.list_, "[YEAR] [all]", "[ÅR] [alle]", "2027", "2027"
)
FAM.subcommand("next", "næste", Right.REGISTERED, listing.next_)
FAM.subcommand(
    "add",
    "tilføj",
    Right.MANAGER,
    schedule.add,
    "DATE TIME [kind=wg|sg] [place=…] [title=…] [confirm]",
    "DATO KL [type=wg|sg] [sted=…] [titel=…] [bekræft]",
    '2027-03-02 13:00 place="Tingbjerg Bibliotek"',
    '2.3.2027 13.00 sted="Tingbjerg Bibliotek"',
    keys("kind", "type", "place", "sted", "title", "titel"),
)
FAM.subcommand(
    "plan",
    "planlæg",
    Right.MANAGER,
    plan.plan,
    "YEAR [count=N] [weekday=tuesday] [time=13:00] [confirm]",
    "ÅR [antal=N] [ugedag=tirsdag] [kl=13:00] [bekræft]",
    "2027 count=7",
    "2027 antal=7",
    keys("count", "antal", "weekday", "ugedag", "time", "kl"),
)
FAM.subcommand(
    "move",
    "flyt",
    Right.MANAGER,
    schedule.move,
    "ID DATE TIME [confirm]",
    "ID DATO KL [bekræft]",
    "12 2027-03-09 13:00",
    "12 9.3.2027 13.00",
)
FAM.subcommand(
    "cancel", "aflys", Right.MANAGER, schedule.cancel, "ID [confirm]", "ID [bekræft]", "12", "12"
)
FAM.subcommand(
    "rsvp",
    "svar",
    Right.REGISTERED,
    rsvp.rsvp,
    f"ID {Rsvp.choices('en')}",
    f"ID {Rsvp.choices('da')}",
    "12 yes",
    "12 ja",
)
FAM.subcommand("ics", "kalender", Right.REGISTERED, calendar_file.ics, slow=True)
FAM.subcommand("reminders", "påmindelser", Right.MANAGER, reminders.reminders_)
FAM.default = "next"
