"""Charts and the annual report: pure functions from pandas frames and dataclasses to PNG/PDF bytes.

`charts.status` gathers the status charts posted by `/wg status` (one module each: `crime`,
`total`, `safety`, `activities`, sharing `common`, described for screen readers by `alt_text`),
`charts.report` says what the annual status report holds (its texts in `report_words`, its
charts as SVG from `report_figures`); every PDF is Typst markup from `typst_source` compiled to
PDF/UA-1 by `report_pdf`. `charts.style` holds
the one house style they share (palette, sizes, number formats, fixed words) and `charts.layout`
draws with it (text metrics and wrapping, the source line, the DEMO stamp, legends). Nothing here
knows about commands, chat or storage, so the same drawing code serves Slack, the local shell
and `partnerbot report`.
"""
