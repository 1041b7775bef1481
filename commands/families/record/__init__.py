"""What a meeting leaves behind (issue 11): `attendance` (`fremmøde`), `decision`
(`beslutning`) and `action` (`opfølgning`) — one module each; the queries they share with status,
the App Home and the reminders are in storage/records.py."""

from __future__ import annotations

from commands.engine.options import keys
from commands.engine.registry import Right, family
from commands.families.record import action, attendance, decision, minutes

ATTENDANCE = family(
    "attendance",
    "fremmøde",
    "who came to a meeting and who sent apologies",
    "hvem der kom til et møde, og hvem der meldte afbud",
)
ATTENDANCE.subcommand(
    "",
    "",
    Right.MANAGER,
    attendance.attendance,
    "ID [present=]USER… [apologies USER…]",
    "ID [mødt=]BRUGER… [afbud BRUGER…]",
    "12 @anna @erik apologies @bo",
    "12 @anna @erik afbud @bo",
    keys("present", "mødt", "apologies", "afbud"),
)

DECISION = family("decision", "beslutning", "what the meetings decided", "hvad møderne besluttede")
DECISION.subcommand(
    "add",
    "tilføj",
    Right.MANAGER,
    decision.add,
    "[MEETING-ID] [internal] TEXT",
    "[MØDE-ID] [intern] TEKST",
    "12 The night walks continue in 2027",
    "12 Natteravnene fortsætter i 2027",
)
DECISION.subcommand(
    "list", "liste", Right.REGISTERED, decision.list_, "[YEAR]", "[ÅR]", "2027", "2027"
)
DECISION.default = "list"

ACTION = family(
    "action",
    "opfølgning",
    "follow-up items: who does what by when",
    "opfølgningspunkter: hvem gør hvad hvornår",
)
ACTION.subcommand(
    "add",
    "tilføj",
    Right.MANAGER,
    action.add,
    "[MEETING-ID] [internal] TEXT owner=ORG|USER due=DATE",
    "[MØDE-ID] [intern] TEKST ansvarlig=ORG|BRUGER frist=DATO",
    '12 "Send the count of night walks" owner=sof due=2027-04-01',
    '12 "Send opgørelsen af natteravneture" ansvarlig=sof frist=1.4.2027',
    keys("owner", "ansvarlig", "due", "frist"),
)
ACTION.subcommand(
    "list",
    "liste",
    Right.REGISTERED,
    action.list_,
    "[open|done|all] [org=ORG]",
    "[åbne|udført|alle] [org=ORG]",
    "open org=sof",
    "åbne org=sof",
    keys("org"),
)
ACTION.subcommand(
    "done",
    "udført",
    Right.UPDATER,
    action.done,
    "N [NOTE]",
    "N [NOTE]",
    "4 sent to the police",
    "4 sendt til politiet",
)
ACTION.default = "list"

MINUTES = family(
    "minutes",
    "referat",
    "a meeting's minutes as PDF and DOCX; their approval",
    "et mødes referat som PDF og DOCX; godkendelsen",
)
MINUTES.subcommand(
    "",
    "",
    Right.REGISTERED,
    minutes.minutes,
    "ID [public]",
    "ID [offentlig]",
    "12 public",
    "12 offentlig",
    slow=True,
)
MINUTES.subcommand("approve", "godkend", Right.MANAGER, minutes.approve, "ID", "ID", "12", "12")
