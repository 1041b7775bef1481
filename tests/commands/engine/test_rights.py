"""The rights table of DESIGN section 3: every subcommand × every role, on both databases.

Each case runs a valid command line, so only the caller's rights decide the outcome:
- allowed: `reply.ok`, and data changes exactly when the subcommand writes;
- refused: not ok, the reply names the role needed (or, for an unregistered user, who can
  register them), no stack trace, and every table is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from helpers import CtxFactory, run, setup_people, table_snapshot
from sqlalchemy.engine import Engine

from commands.engine.registry import FAMILIES, Right
from commands.engine.reply import Reply

# role -> (handle, is_admin). setup_people registers chair and sekr (okf), anna (sof member),
# bo (politi member, prefers Danish), styr (fsb steering); eve is nobody; root is an admin.
ROLES: dict[str, tuple[str, bool]] = {
    "unregistered": ("eve", False),
    "member": ("anna", False),  # member of sof, which owns PF1
    "other-member": ("bo", False),  # member of politi
    "steering": ("styr", False),
    "secretariat": ("sekr", False),
    "chair": ("chair", False),
    "admin": ("root", True),  # is_admin, no member row
}
EVERYONE = frozenset(ROLES)
REGISTERED = EVERYONE - {"unregistered"}
MANAGERS = frozenset({"chair", "secretariat", "admin"})

IMPORT_CSV = b"indicator,year,value,source\ncrime.indbrud,2019,131,Politiet\n"


@dataclass(frozen=True)
class Case:
    """One subcommand with a valid command line in English and in Danish."""

    name: str
    right: Right
    line: str
    line_da: str
    allowed: frozenset[str]
    writes: bool
    extra: dict[str, object] = field(default_factory=dict)


CASES: tuple[Case, ...] = (
    Case("help", Right.EVERYONE, "help", "hjælp", EVERYONE, writes=False),
    Case("whoami", Right.EVERYONE, "whoami", "hvemerjeg", EVERYONE, writes=False),
    Case(
        "member add",
        Right.MANAGER,
        "member add @carl org=kff role=member",
        "medlem tilføj @carl org=kff rolle=medlem",
        MANAGERS,
        writes=True,
    ),
    Case("member list", Right.MANAGER, "member list", "medlem liste", MANAGERS, writes=False),
    Case(
        "member remove",
        Right.MANAGER,
        "member remove @anna",
        "medlem fjern @anna",
        MANAGERS,
        writes=True,
    ),
    Case(
        "bind",
        Right.BINDER,
        "bind tingbjerg-husum",
        "tilknyt tingbjerg-husum",
        frozenset({"chair", "admin"}),
        writes=True,
    ),
    Case(
        "activity list",
        Right.REGISTERED,
        "activity list",
        "aktivitet liste",
        REGISTERED,
        writes=False,
    ),
    Case(
        "activity show",
        Right.REGISTERED,
        "activity show PF1",
        "aktivitet vis PF1",
        REGISTERED,
        writes=False,
    ),
    Case(
        "activity add",
        Right.MANAGER,
        'activity add PF9 "Homework café" area=positive-faellesskaber org=kff budget=150000',
        'aktivitet tilføj PF9 "Lektiecafé" område=positive-faellesskaber org=kff budget=150000',
        MANAGERS,
        writes=True,
    ),
    Case(
        "activity edit",
        Right.MANAGER,
        "activity edit PF1 budget=300000",
        "aktivitet ret PF1 budget=300000",
        MANAGERS,
        writes=True,
    ),
    Case(
        "update",
        Right.UPDATER,
        "update PF1 on-track two night walks done",
        "opdater PF1 planmæssig to natteravneture gennemført",
        frozenset({"member", "chair", "secretariat", "admin"}),
        writes=True,
    ),
    Case(
        "assess",
        Right.MANAGER,
        "assess PF1 2019 partly 24 of 30 walks",
        "vurder PF1 2019 delvist 24 af 30 ture",
        MANAGERS,
        writes=True,
    ),
    Case(
        "indicator set",
        Right.MANAGER,
        "indicator set crime.indbrud 2019 131",
        "indikator sæt crime.indbrud 2019 131",
        MANAGERS,
        writes=True,
    ),
    Case(
        "indicator list",
        Right.REGISTERED,
        "indicator list",
        "indikator liste",
        REGISTERED,
        writes=False,
    ),
    Case(
        "indicator import",
        Right.MANAGER,
        "indicator import",
        "indikator importer",
        MANAGERS,
        writes=True,
        extra={"attachments": [("tal.csv", IMPORT_CSV)]},
    ),
)
BY_NAME = {case.name: case for case in CASES}

# The PostgreSQL fixture truncates and re-seeds per test (~0.1 s): the full matrix runs on
# SQLite; on PostgreSQL every subcommand runs for the first allowed role, the admin, the
# unregistered user and the last refused role, plus the data-dependent update refusal.
PG_EXTRA = {("update", "other-member")}


def _pg_subset(case: Case, role: str) -> bool:
    first_allowed = next(r for r in ROLES if r in case.allowed)
    last_refused = next((r for r in reversed(ROLES) if r not in case.allowed), None)
    return (
        role in {first_allowed, last_refused, "admin", "unregistered"}
        or (case.name, role) in PG_EXTRA
    )


def _matrix() -> list[object]:
    params: list[object] = []
    for backend in ("sqlite", "postgresql"):
        for case in CASES:
            for role in ROLES:
                if backend == "postgresql" and not _pg_subset(case, role):
                    continue
                marks: list[pytest.MarkDecorator] = []
                if backend == "postgresql":
                    marks.append(pytest.mark.postgres)
                params.append(
                    pytest.param(
                        backend,
                        case,
                        role,
                        marks=marks,
                        id=f"{backend}-{case.name.replace(' ', '-')}-{role}",
                    )
                )
    return params


@pytest.fixture
def backend_engine(request: pytest.FixtureRequest, backend: str) -> Engine:
    return request.getfixturevalue("sqlite_engine" if backend == "sqlite" else "pg_engine")


def _ctx(make: CtxFactory, role: str, *, lang: str | None = "en", **extra: object):
    handle, admin = ROLES[role]
    return make(handle, admin=admin, lang=lang, **extra)


def _assert_clean(reply: Reply) -> str:
    text = reply.plain()
    assert text.strip(), "empty reply"
    for leak in ("Traceback", 'File "', "sqlalchemy", "psycopg", "Exception"):
        assert leak not in text, f"reply leaks {leak!r}: {text}"
    for generic in ("Something went wrong", "Noget gik galt"):
        assert generic not in text, f"internal error: {text}"
    return text


def _assert_refusal_names_role(case: Case, role: str, text: str, lang: str) -> None:
    if case.name == "bind":  # checked by the handler, against the partnership it names
        expected = (
            "kræver, at du er administrator eller formand"
            if lang == "da"
            else "needs an admin or the chair"
        )
    elif role == "unregistered":
        expected = "ikke registreret" if lang == "da" else "not registered"
    elif case.name == "update" and role == "other-member":  # the member role, not their activity
        expected = "egen organisation" if lang == "da" else "own organisation"
    else:
        expected = "kræver rollen" if lang == "da" else "needs the role"
    assert expected in text, f"{case.name} by {role}: expected {expected!r} in {text!r}"
    if role == "unregistered" and case.name != "bind":
        # says who can register them: the chair and the secretariat, by name
        assert "chair" in text and "sekr" in text, text
    if expected in ("needs the role", "kræver rollen"):
        needed = {"formand", "sekretariat"} if lang == "da" else {"chair", "secretariat"}
        assert all(word in text for word in needed), text


@pytest.mark.parametrize(("backend", "case", "role"), _matrix())
def test_rights_matrix(backend_engine: Engine, make_ctx, case: Case, role: str) -> None:
    make = make_ctx(backend_engine)
    setup_people(backend_engine, make)
    before = table_snapshot(backend_engine)
    reply = run(_ctx(make, role, **case.extra), case.line)
    text = _assert_clean(reply)
    after = table_snapshot(backend_engine)
    if role in case.allowed:
        assert reply.ok, f"{case.name} by {role} should be allowed: {text}"
        if case.writes:
            assert after != before, f"{case.name} by {role} said ok but changed nothing"
        else:
            assert after == before, f"read-only {case.name} changed data"
    else:
        assert not reply.ok, f"{case.name} by {role} should be refused: {text}"
        _assert_refusal_names_role(case, role, text, "en")
        assert after == before, f"refused {case.name} by {role} changed data"


def test_matrix_matches_registry() -> None:
    """The table above is the registry's: same subcommands, the right each one declares."""
    registered = {
        f"{fam.name} {sub.name}".strip(): sub.right
        for fam in FAMILIES.values()
        for sub in fam.subs.values()
    }
    for case in CASES:
        assert case.name in registered, f"{case.name} is not registered"
        assert registered[case.name] == case.right, case.name
    expected_allowed = {
        Right.EVERYONE: EVERYONE,
        Right.REGISTERED: REGISTERED,
        Right.UPDATER: frozenset({"member", "chair", "secretariat", "admin"}),
        Right.MANAGER: MANAGERS,
        Right.BINDER: frozenset({"chair", "admin"}),
    }
    for case in CASES:
        assert case.allowed == expected_allowed[case.right], case.name
        assert "admin" in case.allowed  # admins may do everything


def test_refusals_in_danish(engine: Engine, make_ctx) -> None:
    """bo prefers Danish: with no explicit language every refusal he gets is Danish."""
    make = make_ctx(engine)
    setup_people(engine, make)
    before = table_snapshot(engine)
    refused = [case for case in CASES if "other-member" not in case.allowed]
    assert len(refused) == 10
    for case in refused:
        for line in (case.line_da, case.line):  # the language follows the person, not the words
            reply = run(_ctx(make, "other-member", lang=None, **case.extra), line)
            text = _assert_clean(reply)
            assert not reply.ok, (line, text)
            _assert_refusal_names_role(case, "other-member", text, "da")
            assert "needs" not in text and "Nothing" not in text, text
    assert table_snapshot(engine) == before


def test_unregistered_in_danish(engine: Engine, make_ctx) -> None:
    """Someone unknown gets a Danish reply (the partnership's locale) naming who registers them."""
    make = make_ctx(engine)
    setup_people(engine, make)
    before = table_snapshot(engine)
    for case in CASES:
        if "unregistered" in case.allowed:
            continue
        reply = run(_ctx(make, "unregistered", lang=None, **case.extra), case.line_da)
        text = _assert_clean(reply)
        assert not reply.ok, (case.line_da, text)
        _assert_refusal_names_role(case, "unregistered", text, "da")
        if case.name != "bind":
            assert "Formanden eller sekretariatet kan registrere dig" in text, text
            assert "medlem tilføj" in text, text
    whoami = run(_ctx(make, "unregistered", lang=None), "hvemerjeg")
    assert whoami.ok and "ikke registreret" in whoami.plain()
    assert table_snapshot(engine) == before


def test_danish_aliases_have_the_same_rights(sqlite_engine: Engine, make_ctx) -> None:
    """Every Danish line is refused to exactly the roles its English twin is refused to."""
    make = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, make)
    before = table_snapshot(sqlite_engine)
    for case in CASES:
        for role in ROLES:
            if role in case.allowed:
                continue
            reply = run(_ctx(make, role, **case.extra), case.line_da)
            text = _assert_clean(reply)
            assert not reply.ok, (case.line_da, role, text)
            _assert_refusal_names_role(case, role, text, "en")
    assert table_snapshot(sqlite_engine) == before


def test_danish_aliases_allowed_for_the_chair(sqlite_engine: Engine, make_ctx) -> None:
    """The chair may run every subcommand; the Danish lines work in sequence."""
    make = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, make)
    chair = _ctx(make, "chair", lang=None)
    for case in CASES:
        if case.name == "member remove":
            continue  # last: it removes anna
        reply = run(_ctx(make, "chair", lang=None, **case.extra), case.line_da)
        assert reply.ok, (case.line_da, reply.plain())
    assert run(chair, "medlem fjern @anna").ok


def test_removed_member_loses_rights(engine: Engine, make_ctx) -> None:
    """A removed member is unregistered again: refused, and told who can register them."""
    make = make_ctx(engine)
    setup_people(engine, make)
    assert run(make("sekr"), "member remove @anna").ok
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
