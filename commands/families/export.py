"""`export` (`eksport`): the partnership's data as a workbook, for the person who asked only.

The same sheets and columns as `partnerbot export FILE.xlsx` (storage/export.py), limited to the
partnership of the channel: members, activities, updates, figures, meetings, decisions,
follow-up items and the audit trail. It holds personal data (names, who said what), so it goes
to the asker alone — never into the channel — and the audit records who took it.
"""

from __future__ import annotations

import datetime as dt

from commands.engine import fmt
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.registry import Right, family
from commands.engine.reply import FileOut, Reply, Text
from commands.views.exports import export_labels
from storage.export import partnership_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

FAM = family(
    "export",
    "eksport",
    "the partnership's data as a spreadsheet, sent to you only",
    "partnerskabets data som regneark, sendt kun til dig",
)


def export(call: Call, args: Args) -> Reply:
    assert call.partnership is not None  # needs_partnership
    data = partnership_workbook(call.session.connection(), call.pid, export_labels())
    today = call.now.astimezone(call.spec.tz if call.spec else dt.UTC).date()
    name = f"{call.partnership.slug}-{call.t('eksport', 'export')}-{today:%Y-%m-%d}.xlsx"
    call.audit("export", "partnership", call.partnership.slug, None, {"file": name})
    text = call.t(
        "Partnerskabets data pr. {d} som regneark (ét ark pr. tabel). Filen indeholder "
        "personoplysninger og er kun sendt til dig.",
        "The partnership's data as of {d} as a spreadsheet (one sheet per table). The file "
        "holds personal data and has been sent to you only.",
        d=fmt.date(today, call.lang, long=True),
    )
    return Reply(
        blocks=[Text(text)],
        files=[FileOut(name, data, XLSX, call.t("Eksport", "Export"))],
        ephemeral=True,
    )


FAM.subcommand("", "", Right.MANAGER, export, slow=True)
