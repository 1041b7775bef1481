"""Charts and the annual report: pure functions from pandas frames and dataclasses to PNG/PDF bytes.

`charts.status` gathers the status charts posted by `/wg status` (one module each: `crime`,
`total`, `safety`, `activities`, sharing `common`), `charts.report` writes the annual status
report (its page mechanics in `report_layout`, its texts in `report_words`). `charts.style` holds
the one house style they share (palette, sizes, number formats, fixed words) and `charts.layout`
draws with it (text metrics and wrapping, the source line, the DEMO stamp, legends). Nothing here
knows about commands, chat or storage, so the same drawing code serves Slack, the local shell
and `partnerbot report`.
"""
