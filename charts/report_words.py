"""The annual report's fixed texts in Danish and English."""

from __future__ import annotations

from functools import partial

from charts.common import _phrase

WORDS: dict[str, dict[str, str]] = {
    "da": {
        "annual": "Årlig status {year}",
        "generated": "Udarbejdet {date} af Partnerbot",
        "as_of": "Data pr. {date}",
        "demo_note": (
            "Alle tal i denne rapport er syntetiske demodata. De må ikke bruges som grundlag "
            "for beslutninger eller citeres som partnerskabets resultater."
        ),
        "contents": "Indhold",
        "summary": "Sammenfatning",
        "targets": "Overordnede mål",
        "crime": "Kriminalitet",
        "safety": "Tryghed",
        "activities": "Aktiviteter: indfrielse af succeskriterier",
        "meetings": "Møder i {year}",
        "sources": "Kilder",
        "continued": "(fortsat)",
        "col_target": "Mål",
        "col_year": "Seneste år",
        "col_value": "Værdi",
        "col_reference": "Baseline/sammenligning",
        "col_verdict": "Vurdering",
        "col_name": "Indsatsens navn",
        "col_org": "Forvaltning",
        "col_fulfilment": "Indfrielse af succeskriterier",
        "col_date": "Dato",
        "col_kind": "Type",
        "col_title": "Emne",
        "col_attendance": "Deltagelse",
        "no_targets": "Ingen mål registreret.",
        "no_activities": "Ingen aktiviteter registreret.",
        "no_meetings": "Ingen møder registreret",
        "attendance": "Fremmøde per organisation {year}",
        "col_represented": "Repræsenteret",
        "col_area": "Indsatsområde",
        "represented": "{r} af {n} møder",
        "represented_one": "{r} af {n} møde",
        "no_attendance": "Intet fremmøde skrevet i året.",
        "what_attendance": "fremmøde per organisation",
        "follow_up": "Opfølgningspunkter",
        "no_sources": "Ingen kilder angivet.",
        "no_chart": "Ingen data til figuren: {what}.",
        "what_total": "samlet antal anmeldelser",
        "what_crime": "anmeldelser pr. kategori",
        "what_safety": "andel utrygge borgere",
        "page": "side {n} af {total}",
        "subject": "Årlig status",
    },
    "en": {
        "annual": "Annual status {year}",
        "generated": "Generated {date} by Partnerbot",
        "as_of": "Data as of {date}",
        "demo_note": (
            "All figures in this report are synthetic demo data. They must not be used for "
            "decisions or quoted as the partnership's results."
        ),
        "contents": "Contents",
        "summary": "Summary",
        "targets": "Overall targets",
        "crime": "Crime",
        "safety": "Safety",
        "activities": "Activities: fulfilment of success criteria",
        "meetings": "Meetings in {year}",
        "sources": "Sources",
        "continued": "(continued)",
        "col_target": "Target",
        "col_year": "Latest year",
        "col_value": "Value",
        "col_reference": "Baseline/comparison",
        "col_verdict": "Verdict",
        "col_name": "Activity",
        "col_org": "Administration",
        "col_fulfilment": "Fulfilment of success criteria",
        "col_date": "Date",
        "col_kind": "Kind",
        "col_title": "Subject",
        "col_attendance": "Attendance",
        "no_targets": "No targets recorded.",
        "no_activities": "No activities recorded.",
        "no_meetings": "No meetings recorded",
        "attendance": "Attendance per organisation {year}",
        "col_represented": "Represented",
        "col_area": "Focus area",
        "represented": "{r} of {n} meetings",
        "represented_one": "{r} of {n} meeting",
        "no_attendance": "No attendance recorded in the year.",
        "what_attendance": "attendance per organisation",
        "follow_up": "Follow-up items",
        "no_sources": "No sources given.",
        "no_chart": "No data for the figure: {what}.",
        "what_total": "total police reports",
        "what_crime": "police reports per category",
        "what_safety": "share of residents who feel unsafe",
        "page": "page {n} of {total}",
        "subject": "Annual status",
    },
}


_word = partial(_phrase, WORDS)
