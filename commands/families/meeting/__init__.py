"""`meeting …` (`møde …`): the partnership's meetings and their reminders.

One module per thing it does: `listing` (list, next), `schedule` (add, move, cancel and their
reminder rows), `plan` (the year's proposal), `rsvp`, `calendar_file` (ics) and `reminders`
(the overview for the chair); `shared` holds the time zone, time and kind words they all use.
The subcommands are registered below in the order `help` lists them.
"""

from __future__ import annotations

from commands.engine.options import keys
from commands.engine.registry import Right, Sub, family
from commands.families.meeting import (
    calendar_file,
    listing,
    plan,
    reminders,
    rsvp,
    schedule,
)

FAM = family(
    "meeting",
    "møde",
    "meetings: list, add, plan, move, cancel, RSVP, calendar",
    "møder: vis, tilføj, planlæg, flyt, aflys, svar, kalender",
)
FAM.add(
    Sub(
        "list",
        "liste",
        Right.REGISTERED,
        listing.list_,
        "meeting list [YEAR]",
        "møde liste [ÅR]",
        "meeting list 2027",
        "møde liste 2027",
    )
)
FAM.add(
    Sub(
        "next",
        "næste",
        Right.REGISTERED,
        listing.next_,
        "meeting next",
        "møde næste",
        "meeting next",
        "møde næste",
    )
)
FAM.add(
    Sub(
        "add",
        "tilføj",
        Right.MANAGER,
        schedule.add,
        "meeting add DATE TIME [kind=wg|sg] [place=…] [title=…]",
        "møde tilføj DATO KL [type=wg|sg] [sted=…] [titel=…]",
        'meeting add 2027-03-02 13:00 place="Tingbjerg Bibliotek"',
        'møde tilføj 2.3.2027 13.00 sted="Tingbjerg Bibliotek"',
        keys("kind", "type", "place", "sted", "title", "titel"),
    )
)
FAM.add(
    Sub(
        "plan",
        "planlæg",
        Right.MANAGER,
        plan.plan,
        "meeting plan YEAR [count=N] [weekday=tuesday] [time=13:00] [confirm]",
        "møde planlæg ÅR [antal=N] [ugedag=tirsdag] [kl=13:00] [bekræft]",
        "meeting plan 2027 count=7",
        "møde planlæg 2027 antal=7",
        keys("count", "antal", "weekday", "ugedag", "time", "kl"),
    )
)
FAM.add(
    Sub(
        "move",
        "flyt",
        Right.MANAGER,
        schedule.move,
        "meeting move ID DATE TIME",
        "møde flyt ID DATO KL",
        "meeting move 12 2027-03-09 13:00",
        "møde flyt 12 9.3.2027 13.00",
    )
)
FAM.add(
    Sub(
        "cancel",
        "aflys",
        Right.MANAGER,
        schedule.cancel,
        "meeting cancel ID",
        "møde aflys ID",
        "meeting cancel 12",
        "møde aflys 12",
    )
)
FAM.add(
    Sub(
        "rsvp",
        "svar",
        Right.REGISTERED,
        rsvp.rsvp,
        "meeting rsvp ID yes|no|maybe",
        "møde svar ID ja|nej|måske",
        "meeting rsvp 12 yes",
        "møde svar 12 ja",
    )
)
FAM.add(
    Sub(
        "ics",
        "kalender",
        Right.REGISTERED,
        calendar_file.ics,
        "meeting ics",
        "møde kalender",
        "meeting ics",
        "møde kalender",
        slow=True,
    )
)
FAM.add(
    Sub(
        "reminders",
        "påmindelser",
        Right.MANAGER,
        reminders.reminders_,
        "meeting reminders",
        "møde påmindelser",
        "meeting reminders",
        "møde påmindelser",
    )
)
FAM.default = "next"
