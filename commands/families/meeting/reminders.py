"""`meeting reminders` (`møde påmindelser`): the reminders waiting, sent late, failed or missed,
for the chair and the secretariat to see what did not reach people."""

from __future__ import annotations

from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.reply import Reply, Table
from commands.families.meeting.shared import local
from commands.views.notices import label
from storage import reminders
from storage.models import Reminder
from storage.reminders import NO_CHANNEL


def reminders_(call: Call, args: Args) -> Reply:
    groups = reminders.overview(call.session, call.pid)
    names = {
        "pending": call.t("Venter", "Pending"),
        "retrying": call.t("Ikke nået frem, prøves igen", "Not delivered, retrying"),
        "late": call.t("Sendt for sent", "Sent late"),
        "failed": call.t("Fejlet", "Failed"),
        "missed": call.t("Ikke sendt (mødet var begyndt)", "Missed"),
    }
    rows = tuple(
        (
            names[group],
            str(r.meeting_id or "-"),
            label(call.lang, r.kind),
            local(call, r.due_at),
            str(r.attempts),
            _error(call, r),
        )
        for group, items in groups.items()
        for r in items
    )
    if not rows:
        return Reply.text(call.t("Ingen påmindelser.", "No reminders."))
    headers = call.t(
        "Status|Møde|Type|Forfald|Forsøg|Fejl", "Status|Meeting|Kind|Due|Attempts|Error"
    )
    return Reply(blocks=[Table(tuple(headers.split("|")), rows)])


def _error(call: Call, row: Reminder) -> str:
    if row.last_error == NO_CHANNEL:
        return call.t("Ingen kanal er knyttet til partnerskabet", "No channel is tied to it")
    return (row.last_error or "")[:80]
