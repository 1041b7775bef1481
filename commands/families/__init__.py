"""The subcommand families, registered here in the order `help` lists them.

A new subcommand: a handler and its `Sub(...)` entry in its family's module; a new family: a
module here and one line in the list below.
"""

from __future__ import annotations

from commands.engine import registry
from commands.families import (
    activity,
    agenda,
    bind,
    budget,
    export,
    help,
    indicator,
    meeting,
    member,
    privacy,
    record,
    report,
    status,
    update,
    whoami,
)

FAMILIES = [
    help.FAM,
    whoami.FAM,
    status.FAM,
    report.FAM,
    update.UPDATE,
    update.ASSESS,
    activity.FAM,
    indicator.FAM,
    budget.FAM,
    meeting.FAM,
    agenda.FAM,
    record.ATTENDANCE,
    record.DECISION,
    record.ACTION,
    record.MINUTES,
    export.FAM,
    member.FAM,
    bind.FAM,
]
del privacy  # adds `member export|forget` to member.FAM
registry.install(FAMILIES)
