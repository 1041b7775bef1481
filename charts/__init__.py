"""Charts and the annual report: pure functions from pandas frames and dataclasses to PNG/PDF bytes.

`charts.status` draws the status charts posted by `/wg status`, `charts.report` the annual status
report, `charts.style` holds the one house style they share (palette, sizes, number formats, the
source line and the DEMO stamp). Nothing here knows about commands, chat or storage, so the
same drawing code serves Slack, the local shell and `partnerbot report`.
"""
