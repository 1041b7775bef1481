"""The rights table of DESIGN section 3, generated from the registry: every registered
subcommand × every role, both directions, on SQLite and PostgreSQL.

- A role that may run a subcommand is never refused on rights: with the valid lines below
  its reply is ok (the few listed validation refusals aside) and data changes exactly when the
  subcommand writes.
- A role that may not is refused with the rights text, in the caller's language, and no
  table changes.

The expectation is DESIGN's "who" column written out below, not the registry: a subcommand
registered with another right, or registered without a row here, fails.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from helpers import CtxFactory, run, setup_people, table_snapshot
from sqlalchemy.engine import Engine

import commands.families  # noqa: F401  (registers the families)
from commands.engine.registry import FAMILIES, Right
from commands.engine.reply import Reply

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)

# role -> (handle, is_admin). setup_people registers chair and sekr (okf), anna (sof, which
# owns PF1), bo (politi, prefers Danish), styr (fsb, steering); eve is nobody; root is an
# admin without a member row.
ROLES: dict[str, tuple[str, bool]] = {
    "unregistered": ("eve", False),
    "member": ("anna", False),
    "other-member": ("bo", False),
    "steering": ("styr", False),
    "secretariat": ("sekr", False),
    "chair": ("chair", False),
    "admin": ("root", True),
}
# A member of another organisation differs from a member only where the organisation
# matters: `update` (own organisation only), `action done` (the owner's organisation).
OTHER_ORG_MATTERS = {"update", "action done"}

EVERYONE = frozenset(ROLES)
REGISTERED = EVERYONE - {"unregistered"}
MANAGERS = frozenset({"chair", "secretariat", "admin"})  # DESIGN: admins have all rights
UPDATERS = frozenset({"member", "chair", "secretariat", "admin"})  # own organisation
BINDERS = frozenset({"chair", "admin"})

# DESIGN section 3, the "who" column, one row per subcommand.
DESIGN_WHO: dict[str, frozenset[str]] = {
    "help": EVERYONE,
    "whoami": EVERYONE,
    "status": REGISTERED,
    "report": REGISTERED,
    "update": UPDATERS,
    "assess": MANAGERS,
    "activity list": REGISTERED,
    "activity show": REGISTERED,
    "activity add": MANAGERS,
    "activity edit": MANAGERS,
    "indicator set": MANAGERS,
    "indicator list": REGISTERED,
    "indicator import": MANAGERS,
    "meeting list": REGISTERED,
    "meeting next": REGISTERED,
    "meeting rsvp": REGISTERED,
    "meeting ics": REGISTERED,
    "meeting add": MANAGERS,
    "meeting plan": MANAGERS,
    "meeting move": MANAGERS,
    "meeting cancel": MANAGERS,
    "meeting reminders": MANAGERS,
    "agenda add": REGISTERED,
    "agenda list": REGISTERED,
    "agenda carry": MANAGERS,  # ours (issue 11): items not reached, onto the next agenda
    "member add": MANAGERS,
    "member list": REGISTERED,
    "member remove": MANAGERS,
    "member link": MANAGERS,  # ours (identity per platform, issue 8): as `member add`
    "bind": BINDERS,
    "attendance": MANAGERS,
    "decision add": MANAGERS,
    "decision list": REGISTERED,
    "action add": MANAGERS,
    "action list": REGISTERED,
    "action done": UPDATERS,  # the owner (organisation or person), chair, secretariat
    "minutes": REGISTERED,
    "minutes approve": MANAGERS,
    "budget": REGISTERED,
    "budget set": MANAGERS,
    "budget spent": MANAGERS,
    "export": MANAGERS,
    # designed, not built yet: when one is registered it needs a line in LINES below
    "member export": MANAGERS,
    "member forget": MANAGERS,
}

# What each right of the registry lets through, as access.py and the handlers apply it.
GRANTS: dict[Right, frozenset[str]] = {
    Right.EVERYONE: EVERYONE,
    Right.REGISTERED: REGISTERED,
    Right.UPDATER: UPDATERS,
    Right.MANAGER: MANAGERS,
    Right.BINDER: BINDERS,
}

FILES = {"attachments": [("figures.csv", b"indicator,year,value\ncrime.indbrud,2016,140\n")]}
FILES_DA = {"attachments": [("tal.csv", "indikator,år,værdi\ncrime.indbrud,2016,139\n".encode())]}

# Per subcommand: (English line, Danish line, whether it writes, extra context for each). Both
# lines are valid and run one after the other, so the Danish one names other things where the
# English one used them up. {m} is the first meeting, {m2} the second.
LINES: dict[str, tuple[str, str, bool, dict[str, object], dict[str, object]]] = {
    "help": ("help update", "hjælp opdater", False, {}, {}),
    "whoami": ("whoami", "hvemerjeg", False, {}, {}),
    "status": ("status crime from=2015", "status kriminalitet fra=2015", False, {}, {}),
    "report": ("report 2019", "rapport 2019", False, {}, {}),
    "export": ("export", "eksport", True, {}, {}),  # the audit records who took it
    "update": (
        "update PF1 on-track two night walks done",
        "opdater PF1 planmæssig to natteravneture gennemført",
        True,
        {},
        {},
    ),
    "assess": (
        "assess PF1 2019 partly 24 of 30 walks",
        "vurder PF1 2019 delvist 24 af 30 ture",
        True,
        {},
        {},
    ),
    "activity list": ("activity list org=sof", "aktivitet liste org=sof", False, {}, {}),
    "activity show": ("activity show PF1", "aktivitet vis PF1", False, {}, {}),
    "activity add": (
        'activity add PF9 "Homework café" area=positive-faellesskaber org=kff budget=150000',
        'aktivitet tilføj PF8 "Lektiecafé" område=positive-faellesskaber org=kff budget=150000',
        True,
        {},
        {},
    ),
    "activity edit": (
        "activity edit PF1 budget=300000",
        "aktivitet ret PF1 budget=275000",
        True,
        {},
        {},
    ),
    "indicator set": (
        "indicator set crime.indbrud 2018 140",
        "indikator sæt crime.indbrud 2017 150",
        True,
        {},
        {},
    ),
    "indicator list": ("indicator list", "indikator liste", False, {}, {}),
    "budget": ("budget 2019", "budget 2019", False, {}, {}),
    "budget set": ("budget set PF1 2019 250000", "budget sæt PF1 2019 240.000 kr.", True, {}, {}),
    "budget spent": (
        "budget spent PF1 2019 180000",
        "budget forbrugt PF1 2019 175 000",
        True,
        {},
        {},
    ),
    "indicator import": ("indicator import", "indikator importer", True, FILES, FILES_DA),
    "meeting list": ("meeting list 2027", "møde liste 2027", False, {}, {}),
    "meeting next": ("meeting next", "møde næste", False, {}, {}),
    "meeting rsvp": ("meeting rsvp {m} yes", "møde svar {m} måske", True, {}, {}),
    "meeting ics": ("meeting ics", "møde kalender", False, {}, {}),
    "meeting add": (
        'meeting add 2027-04-06 13:00 place="Tingbjerg Bibliotek"',
        'møde tilføj 4.5.2027 13.00 sted="Tingbjerg Bibliotek"',
        True,
        {},
        {},
    ),
    "meeting plan": ("meeting plan 2027 count=7", "møde planlæg 2027 antal=7", False, {}, {}),
    "meeting move": (
        "meeting move {m} 2027-03-09 13:00",
        "møde flyt {m} 16.3.2027 13.00",
        True,
        {},
        {},
    ),
    "meeting cancel": ("meeting cancel {m} confirm", "møde aflys {m2} bekræft", True, {}, {}),
    "meeting reminders": ("meeting reminders", "møde påmindelser", False, {}, {}),
    "agenda add": (
        "agenda add Status on the night walks",
        "dagsorden tilføj Status på natteravnene",
        True,
        {},
        {},
    ),
    "agenda list": ("agenda list", "dagsorden liste", False, {}, {}),
    "agenda carry": ("agenda carry {m}", "dagsorden videreført {m}", True, {}, {}),
    "member add": (
        "member add @carl org=kff role=member",
        "medlem tilføj @dora org=aab rolle=medlem",
        True,
        {},
        {},
    ),
    "member list": ("member list", "medlem liste", False, {}, {}),
    "member remove": ("member remove @anna confirm", "medlem fjern @styr bekræft", True, {}, {}),
    "member link": ("member link @anna @anna2", "medlem kobl @styr @styr2", True, {}, {}),
    # issue 13: the export is audited; forget pseudonymises (anna, then styr)
    "member export": ("member export @anna", "medlem eksport @styr", True, {}, {}),
    "member forget": (
        'member forget @anna reason="asked to be erased" confirm',
        'medlem glem @styr grund="anmodning om sletning" bekræft',
        True,
        {},
        {},
    ),
    "attendance": (
        "attendance {m3} @chair @anna apologies @bo",
        "fremmøde {m3} @chair afbud @anna",
        True,
        {},
        {},
    ),
    "decision add": (
        "decision add {m3} The night walks continue",
        "beslutning tilføj {m3} Natteravnene fortsætter",
        True,
        {},
        {},
    ),
    "decision list": ("decision list 2026", "beslutning liste 2026", False, {}, {}),
    "action add": (
        'action add {m3} "Count the walks" owner=sof due=2027-04-01',
        'opfølgning tilføj {m3} "Tæl turene" ansvarlig=politi frist=1.4.2027',
        True,
        {},
        {},
    ),
    "action list": ("action list open", "opfølgning liste åbne", False, {}, {}),
    "action done": ("action done 1 sent", "opfølgning udført 2 sendt", True, {}, {}),
    "minutes": ("minutes {m3}", "referat {m3} offentlig", False, {}, {}),
    "minutes approve": ("minutes approve {m3}", "referat godkend {m4}", True, {}, {}),
    # the Danish line binds a second channel: the first is bound by then
    "bind": ("bind tingbjerg-husum", "tilknyt tingbjerg-husum", True, {}, {"channel": "C-da"}),
}

# Allowed on rights, refused by the command for a reason of its own (never a rights text).
VALIDATION: dict[tuple[str, str], tuple[str, str]] = {
    ("meeting rsvp", "admin"): ("Only registered members can RSVP", "Kun registrerede medlemmer"),
}

# The rights refusals, per language: an allowed role never gets one of these.
RIGHTS_TEXTS = {
    "en": ("needs the role", "needs one of the roles", "not registered",
           "needs an admin or the chair", "own organisation"),
    "da": ("kræver rollen", "kræver en af rollerne", "ikke registreret",
           "kræver, at du er administrator", "egen organisa"),
}  # fmt: skip


def registered_subcommands() -> dict[str, Right]:
    return {
        f"{fam.name} {sub.name}".strip(): sub.right
        for fam in FAMILIES.values()
        for sub in fam.subs.values()
    }


def _matrix() -> list[object]:
    return [
        pytest.param(name, role, id=f"{name.replace(' ', '-')}-{role}")
        for name in registered_subcommands()
        for role in ROLES
        if role != "other-member" or name in OTHER_ORG_MATTERS
    ]


def _prepare(engine: Engine, make: CtxFactory) -> dict[str, int]:
    """The cast, one figure (so status and report have something to show) and two meetings."""
    setup_people(engine, make)
    root = make("root", admin=True, clock=lambda: NOW)
    for line in (
        "indicator set crime.indbrud 2019 131",
        "meeting add 2027-03-02 13:00",
        "meeting add 2027-03-23 13:00",
        "meeting add 2026-11-03 13:00",  # held: for attendance, decisions, follow-up items
        'action add 3 "Send the count" owner=sof due=2027-04-01',
        'action add 3 "Send the list" owner=sof due=2027-04-02',
        "meeting add 2026-10-06 13:00",  # held too: a second set of minutes to approve
        "agenda add 1 Status on the night walks",  # an item to carry over
    ):
        reply = run(root, line)
        assert reply.ok, (line, reply.plain())
    return {"m": 1, "m2": 2, "m3": 3, "m4": 4}


def _lang_of(role: str, locale: str) -> str:
    """The reply language: the member's own preference (bo: Danish), else the platform's."""
    return "da" if role == "other-member" else locale[:2]


def _clean(reply: Reply) -> str:
    text = reply.plain()
    assert text.strip(), "empty reply"
    for leak in ("Traceback", 'File "', "sqlalchemy", "psycopg", "Something went wrong"):
        assert leak not in text, f"reply leaks {leak!r}: {text}"
    assert "Noget gik galt" not in text, f"internal error: {text}"
    return text


def _assert_rights_refusal(name: str, role: str, text: str, lang: str) -> None:
    da = lang == "da"
    if name == "bind":  # checked by the handler, against the partnership it names
        expected = (
            "kræver, at du er administrator eller formand" if da else "needs an admin or the chair"
        )
    elif role == "unregistered":
        expected = "ikke registreret" if da else "not registered"
    elif role == "other-member" and name == "update":
        expected = "egen organisation" if da else "your own organisation"
    elif role == "other-member" and name == "action done":
        expected = "Kun den ansvarlige" if da else "Only the owner"
    else:
        # one role: "kræver rollen formand"; several: "kræver en af rollerne formand eller …"
        one, several = RIGHTS_TEXTS[lang][:2]
        expected = several if len(GRANTS_NAMED[lang][DESIGN_WHO[name]]) > 1 else one
    assert expected in text, f"{name} by {role} ({lang}): expected {expected!r} in {text!r}"
    other = "en" if da else "da"
    assert not any(t in text for t in RIGHTS_TEXTS[other]), f"wrong language: {text!r}"
    if role != "unregistered" or name == "bind":  # a refusal says so
        assert ("Intet er" if da else "Nothing was") in text, text
    if role == "unregistered" and name != "bind":
        assert "chair" in text and "sekr" in text, f"does not say who registers: {text}"
    if expected in RIGHTS_TEXTS[lang][:2]:
        needed = GRANTS_NAMED[lang][DESIGN_WHO[name]]
        assert all(word in text for word in needed), f"{text!r} should name {needed}"


GRANTS_NAMED = {
    "en": {
        REGISTERED: set(),
        UPDATERS: {"member", "chair", "secretariat"},
        MANAGERS: {"chair", "secretariat"},
    },
    "da": {
        REGISTERED: set(),
        UPDATERS: {"medlem", "formand", "sekretariat"},
        MANAGERS: {"formand", "sekretariat"},
    },
}


@pytest.mark.parametrize(("name", "role"), _matrix())
def test_rights_matrix(engine: Engine, make_ctx, name: str, role: str) -> None:
    if name not in DESIGN_WHO:
        pytest.fail(f"`{name}` is registered but has no row in DESIGN_WHO (DESIGN section 3)")
    if name not in LINES:
        pytest.fail(
            f"`{name}` has no valid example lines in LINES: add an English and a Danish one"
        )
    make = make_ctx(engine)
    ids = _prepare(engine, make)
    en, da, writes, extra_en, extra_da = LINES[name]
    handle, admin = ROLES[role]
    allowed = role in DESIGN_WHO[name]
    before = table_snapshot(engine)
    for step, (line, locale, extra) in enumerate(
        ((en, "en-GB", extra_en), (da, "da-DK", extra_da))
    ):
        ctx = make(handle, admin=admin, lang=None, user_locale=locale, clock=lambda: NOW)
        ctx = replace(ctx, **extra)
        reply = run(ctx, line.format(**ids))
        text = _clean(reply)
        after = table_snapshot(engine)
        if not allowed:
            assert not reply.ok, f"{line!r} by {role} should be refused: {text}"
            _assert_rights_refusal(name, role, text, _lang_of(role, locale))
            assert after == before, f"refused {line!r} by {role} changed data"
            continue
        rights = [t for t in RIGHTS_TEXTS["en"] + RIGHTS_TEXTS["da"] if t in text]
        assert reply.ok or not rights, f"{line!r} by {role} refused on rights: {text}"
        if (name, role) in VALIDATION:
            assert not reply.ok and VALIDATION[name, role][step] in text, text
            assert after == before, f"refused {line!r} by {role} changed data"
        else:
            assert reply.ok, f"{line!r} by {role} should be allowed: {text}"
            assert (after != before) == writes, f"{line!r} by {role}: writes={writes}, {text}"
        before = after


def test_every_subcommand_has_the_design_right() -> None:
    """The registry's right of each subcommand lets exactly DESIGN's roles through."""
    registered = registered_subcommands()
    missing = sorted(set(registered) - set(DESIGN_WHO))
    assert not missing, f"registered without a row in DESIGN_WHO: {missing}"
    wrong = {
        name: right.name for name, right in registered.items() if GRANTS[right] != DESIGN_WHO[name]
    }
    assert not wrong, f"registered with a right DESIGN section 3 does not give: {wrong}"
    unlined = sorted(set(registered) - set(LINES))
    assert not unlined, f"registered without example lines in LINES: {unlined}"
    assert all("admin" in roles for roles in DESIGN_WHO.values())  # admins may do everything


def test_lines_follow_the_registry_usage() -> None:
    """The lines above start with the subcommand's own English and Danish words."""
    for fam in FAMILIES.values():
        for sub in fam.subs.values():
            name = f"{fam.name} {sub.name}".strip()
            en, da, *_ = LINES[name]
            assert en.split()[: len(name.split())] == name.split(), en
            assert da.split()[0] == fam.da and (not sub.da or da.split()[1] == sub.da), da
            assert sub.example.startswith(name), sub.example


def test_removed_member_loses_rights(engine: Engine, make_ctx) -> None:
    """A removed member is unregistered again: refused, and told who can register them."""
    make = make_ctx(engine)
    setup_people(engine, make)
    assert run(make("sekr"), "member remove @anna confirm").ok
    before = table_snapshot(engine)
    reply = run(make("anna"), "update PF1 on-track after removal")
    assert not reply.ok and "not registered" in reply.plain()
    assert table_snapshot(engine) == before


def test_bind_is_checked_against_the_named_partnership(engine: Engine, make_ctx) -> None:
    """A chair of the partnership may bind a channel not yet bound; an unknown slug is refused."""
    make = make_ctx(engine)
    setup_people(engine, make)
    chair_elsewhere = replace(make("chair"), channel="C-other", partnership=None)
    before = table_snapshot(engine)
    unknown = run(chair_elsewhere, "bind nowhere")
    assert not unknown.ok and "Unknown partnership" in unknown.plain()
    styr_elsewhere = replace(make("styr"), channel="C-other", partnership=None)
    refused = run(styr_elsewhere, "bind tingbjerg-husum")
    assert not refused.ok and "needs an admin or the chair" in refused.plain()
    assert table_snapshot(engine) == before
    assert run(chair_elsewhere, "bind tingbjerg-husum").ok
    # the bound channel now resolves to the partnership: rights apply there too
    assert run(replace(make("anna"), channel="C-other", partnership=None), "activity list").ok
    assert not run(styr_elsewhere, "assess PF1 2019 met").ok
