"""Property tests: the tokenizer and value parsers, and the whole command path, under any text.

DESIGN section 7, "Bad input": fuzzed command text never crashes; every refusal is a clear
reply; nothing changes. The command path runs on SQLite databases built once per module
(hypothesis reruns a test body many times, so per-test fixtures would be shared anyway).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import sqlite3
import string
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import run, setup_people, shell_ctx, table_snapshot
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.runtime import prepare_database
from commands.engine.context import Context
from commands.engine.parse import (
    MAX_TEXT,
    QUOTES,
    Args,
    ParseError,
    parse_amount,
    parse_date,
    parse_number,
    parse_time,
    parse_year,
    tokenize,
)
from commands.engine.registry import FAMILIES
from commands.engine.reply import Reply
from commands.engine.run import run_command
from commands.rules.figures import Problem, check_year
from config.partnership import Partnership as Spec
from storage.db import make_engine
from storage.models import AuditEvent
from storage.sync import sync_partnership

FAST = settings(max_examples=300, deadline=None)
PATH = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

GENERIC_ERRORS = ("Something went wrong", "Noget gik galt")
# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

QUOTE_CHARS = "".join(sorted(set(QUOTES) | set(QUOTES.values()) | {"»", "’"}))
TRICKY = (
    QUOTE_CHARS
    + " \t\n\r\x00\x1b\x7f\u200b\u200e\u202e\u00a0\ufeff=@<>|.,:;-_/\\%'`"
    + "0123456789²⁰¹①٢"
    + "abcPFæøåÆØÅß"
    + "🙂"
)
SQL_INJECTION = [
    "'; DROP TABLE members; --",
    '"; DROP TABLE audit_events; --',
    "1' OR '1'='1",
    "1; DELETE FROM activities",
    "PF1' UNION SELECT handle FROM members --",
    "%' OR 1=1 --",
    "Robert'); DROP TABLE students;--",
    "admin'--",
    "' OR ''='",
    "1) OR pg_sleep(1)--",
]


def _command_names() -> list[str]:
    """Every family and subcommand name, in English and in Danish (and mixed)."""
    names: set[str] = set()
    for fam in FAMILIES.values():
        names |= {fam.name, fam.da, f"/wg {fam.name}"}
        for sub in fam.subs.values():
            if sub.name:
                names |= {
                    f"{fam.name} {sub.name}",
                    f"{fam.da} {sub.da}",
                    f"{fam.da} {sub.name}",
                    f"{fam.name.upper()} {sub.name.upper()}",
                }
    return sorted(names)


COMMAND_NAMES = _command_names()
TOKENS = [
    "PF1",
    "pf1",
    "UB2",
    "PF9",
    "XX-1.2",
    "2019",
    "2026",
    "1999",
    "2031",
    "on-track",
    "planmæssig",
    "udfordret",
    "done",
    "met",
    "delvist",
    "not-met",
    "org=sof",
    "org=kff",
    "org=nope",
    "område=tryggere-byliv",
    "area=positive-faellesskaber",
    "area=",
    "role=member",
    "rolle=formand",
    "role=chair",
    "lang=da",
    "sprog=xx",
    "@anna",
    "@bo",
    "@carl",
    "<@U123|Carl>",
    "<@U9>",
    "crime.indbrud",
    "crime.total",
    "safety.unsafe",
    "131",
    "18,5",
    "1.234,5",
    "-5",
    "1e9",
    "0,13",
    "150%",
    "budget=250.000",
    "budget=abc",
    "budget=-",
    'criteria="x y"',
    "source=Politiet",
    "kilde=",
    '"Ny aktivitet"',
    "“Natteravne”",
    "tingbjerg-husum",
    "31.2.2027",
    "13:60",
    "progress=",
    'fremdrift="12 af 30"',
    "x=1",
    "X=2",
    "=",
    "==",
    '"',
    "“",
    "«",
    "NULL",
    *SQL_INJECTION,
]


def _join(prefix: str, parts: list[str]) -> str:
    return " ".join([prefix, *parts])


texts: st.SearchStrategy[str] = st.one_of(
    st.just(""),
    st.text(max_size=300),
    st.text(alphabet=TRICKY, max_size=200),
    st.builds(_join, st.sampled_from(COMMAND_NAMES), st.lists(st.text(max_size=40), max_size=4)),
    st.builds(
        _join,
        st.sampled_from(COMMAND_NAMES),
        st.lists(
            st.one_of(st.sampled_from(TOKENS), st.text(alphabet=TRICKY, max_size=12)), max_size=8
        ),
    ),
    st.sampled_from(SQL_INJECTION),
    st.builds(
        _join,
        st.sampled_from(COMMAND_NAMES),
        st.lists(st.sampled_from(SQL_INJECTION), min_size=1, max_size=3),
    ),
    # long: around Slack's limit and far beyond it
    st.builds(
        lambda p, ch, n: f"{p} {ch * n}",
        st.sampled_from(["", *COMMAND_NAMES]),
        st.sampled_from(["x", "æ", " ", '"', "a=b ", "🙂", "\x00"]),
        st.integers(min_value=MAX_TEXT - 40, max_value=10_000),
    ),
)


# ---------------------------------------------------------------------------------------------
# Tokenizer
# ---------------------------------------------------------------------------------------------


@FAST
@given(
    st.one_of(
        st.text(max_size=500),
        st.text(alphabet=TRICKY, max_size=500),
        st.builds(lambda ch, n: ch * n, st.characters(), st.integers(0, 10_000)),
    )
)
@example("“unclosed")
@example("„a“ «b» ‘c’ “d”")
@example("a=" + '"' * 3)
@example("x" * 10_000)
def test_tokenize_is_total(text: str) -> None:
    try:
        args = tokenize(text)
    except ParseError as err:
        assert err.code in {"too_long", "unbalanced_quote", "duplicate_option"}
        if len(text) > MAX_TEXT:
            assert err.code == "too_long"
        return
    assert len(text) <= MAX_TEXT
    assert isinstance(args, Args)
    assert all(isinstance(w, str) for w in args.words)
    assert set(args.options) == set(args.option_spelling)
    for key, spelled in args.option_spelling.items():
        assert key == spelled.lower()
    for word in [*args.words, *args.options.values()]:
        assert not any(
            unicodedata.category(ch) in {"Cc", "Cf"} and ch not in "\t\n" for ch in word
        ), repr(word)


SAFE_CHARS = st.characters(categories=("L", "N", "P", "S"), exclude_characters=QUOTE_CHARS + "=")
safe_words = st.text(SAFE_CHARS, min_size=1, max_size=20).filter(
    lambda w: unicodedata.normalize("NFC", w) == w
)
separators = st.sampled_from([" ", "  ", "\t", "\n", " \u00a0 ", "\r\n"])


@FAST
@given(st.lists(safe_words, max_size=20), separators, separators)
def test_safe_words_round_trip(words: list[str], sep: str, edge: str) -> None:
    args = tokenize(edge + sep.join(words) + edge)
    assert args.words == words
    assert args.options == {}


quotes = st.sampled_from([('"', '"'), ("'", "'"), ("“", "”"), ("„", "“"), ("«", "»"), ("‘", "’")])
phrases = st.lists(safe_words, min_size=0, max_size=6).map(" ".join)


@FAST
@given(phrases, quotes, st.lists(safe_words, max_size=3))
def test_quoted_phrase_is_one_word(phrase: str, pair: tuple[str, str], tail: list[str]) -> None:
    opening, closing = pair
    assume(closing not in phrase and (opening != "„" or "”" not in phrase))
    args = tokenize(" ".join(["cmd", f"{opening}{phrase}{closing}", *tail]))
    assert args.words == ["cmd", phrase, *tail]
    quoted_option = tokenize(f"{opening}k={phrase}{closing}")
    assert quoted_option.options == {}  # quoted from the start: text, never an option


option_keys = st.from_regex(r"[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå_-]{0,10}", fullmatch=True)
option_values = st.text(
    st.characters(categories=("L", "N", "P", "S"), exclude_characters=QUOTE_CHARS), max_size=15
).filter(lambda v: unicodedata.normalize("NFC", v) == v)


@FAST
@given(
    st.dictionaries(option_keys, st.one_of(option_values, phrases), max_size=6),
    st.lists(safe_words, max_size=4),
)
def test_key_value_tokens_land_in_options(options: dict[str, str], words: list[str]) -> None:
    assume(len({k.lower() for k in options}) == len(options))
    parts = list(words)
    for key, value in options.items():
        parts.append(f'{key}="{value}"' if " " in value or not value else f"{key}={value}")
    args = tokenize(" ".join(parts))
    assert args.words == words
    assert args.options == {k.lower(): v for k, v in options.items()}
    assert args.option_spelling == {k.lower(): k for k in options}
    assert list(args.options) == [k.lower() for k in options]  # in the order given


@FAST
@given(option_keys, option_values, option_values)
def test_a_key_given_twice_is_refused(key: str, first: str, second: str) -> None:
    with pytest.raises(ParseError) as err:
        tokenize(f"x {key}={first} {key.swapcase()}={second}")
    assert err.value.code == "duplicate_option"


# ---------------------------------------------------------------------------------------------
# Dates, times, numbers
# ---------------------------------------------------------------------------------------------

dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31))


@FAST
@given(dates, st.sampled_from(["", " ", "\t"]))
def test_parse_date_accepts_iso_and_danish(day: dt.date, pad: str) -> None:
    forms = [
        f"{day.year:04d}-{day.month:02d}-{day.day:02d}",
        f"{day.year}-{day.month}-{day.day}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day.day:02d}.{day.month:02d}.{day.year}",
    ]
    for form in forms:
        assert parse_date(pad + form + pad) == day, form


def _valid(year: int, month: int, day: int) -> bool:
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


@FAST
@given(st.integers(1000, 9999), st.integers(0, 99), st.integers(0, 99))
@example(2027, 2, 31)
@example(2027, 13, 1)
@example(2027, 2, 29)
@example(2028, 2, 29)
@example(2027, 0, 10)
def test_parse_date_rejects_impossible_dates(year: int, month: int, day: int) -> None:
    for form in (f"{year}-{month:02d}-{day:02d}", f"{day}.{month}.{year}"):
        if _valid(year, month, day):
            assert parse_date(form) == dt.date(year, month, day)
        else:
            with pytest.raises(ParseError) as err:
                parse_date(form)
            assert err.value.code == "no_such_date"


@pytest.mark.parametrize(
    "bad",
    ["31.2.2027", "2027-13-01", "29.2.2027", "2027-02-30", "0.1.2027", "32.1.2027", "2027-1-0"],
)
def test_parse_date_named_bad_dates(bad: str) -> None:
    with pytest.raises(ParseError):
        parse_date(bad)


@FAST
@given(st.integers(0, 99), st.integers(0, 99), st.sampled_from([":", "."]), st.booleans())
@example(25, 0, ":", False)
@example(13, 60, ":", False)
@example(24, 0, ".", False)
@example(13, 0, ".", False)
@example(13, 0, ":", False)
def test_parse_time(hour: int, minute: int, sep: str, padded: bool) -> None:
    text = f"{hour:02d}{sep}{minute:02d}" if padded else f"{hour}{sep}{minute:02d}"
    if hour <= 23 and minute <= 59:
        assert parse_time(text) == dt.time(hour, minute)
    else:
        with pytest.raises(ParseError) as err:
            parse_time(text)
        assert err.value.code == "no_such_time"


@FAST
@given(st.text(max_size=30))
def test_value_parsers_are_total(text: str) -> None:
    for parser in (parse_date, parse_time, parse_number, parse_year):
        with contextlib.suppress(ParseError):
            parser(text)


@FAST
@given(st.one_of(st.text(max_size=30), st.text(alphabet=TRICKY, max_size=30)))
@example("²")  # str.isdigit() accepts superscripts and circled digits; int() does not
@example("⁰¹²³")
@example("①②")
def test_parse_amount_and_check_year_are_total(text: str) -> None:
    with contextlib.suppress(ParseError):
        parse_amount(text)
    with contextlib.suppress(Problem):
        check_year(text, 2027)


def _danish(english: str) -> str:
    return english.translate(str.maketrans({",": ".", ".": ","}))


@FAST
@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False),
    st.integers(0, 4),
    st.sampled_from(["", "%", " %"]),
)
def test_parse_number_round_trips(value: float, decimals: int, suffix: str) -> None:
    plain = f"{value:.{decimals}f}"
    expected = float(plain)
    if re.fullmatch(r"-?[1-9][0-9]{0,2}\.[0-9]{3}", plain):
        # "1.234": thousands to a Dane, a decimal in English: asked back, a count's 1234
        with pytest.raises(ParseError) as err:
            parse_number(plain + suffix)
        assert err.value.code == "ambiguous_number"
        assert parse_number(plain + suffix, whole=True) == float(plain.replace(".", ""))
    else:
        assert parse_number(plain + suffix) == expected
    assert parse_number(_danish(plain) + suffix) == expected
    if decimals:  # "1,234" alone is a Danish decimal comma: grouping needs decimals to be clear
        grouped = f"{value:,.{decimals}f}"
        if grouped != plain:  # below 1000 the grouped form is the plain one (above)
            assert parse_number(grouped + suffix) == expected, grouped
        assert parse_number(_danish(grouped) + suffix) == expected, _danish(grouped)
        spaced = _danish(grouped).replace(".", "\u00a0")  # 1 234,5 with no-break spaces
        assert parse_number(spaced) == expected, spaced


@FAST
@given(st.integers(0, 10**12 - 1), st.sampled_from(["", " kr", " kr.", " DKK", "kr"]))
def test_parse_amount_round_trips(amount: int, suffix: str) -> None:
    grouped = f"{amount:,}"
    for form in (str(amount), grouped, grouped.replace(",", "."), grouped.replace(",", " ")):
        assert parse_amount(form + suffix) == amount, form + suffix


# ---------------------------------------------------------------------------------------------
# The whole command path
# ---------------------------------------------------------------------------------------------


@dataclass
class World:
    engine: Engine
    specs: dict[str, Spec]

    def ctx(self, user: str, *, admin: bool = False, lang: str | None = "en") -> Context:
        return shell_ctx(self.engine, self.specs, user, admin=admin, lang=lang, local_files=False)


def _build(path: Path, specs: dict[str, Spec]) -> World:
    engine = make_engine(f"sqlite:///{path}")
    prepare_database(engine)
    with Session(engine) as session:
        for spec in specs.values():
            sync_partnership(session, spec)
        session.commit()
    world = World(engine, specs)
    setup_people(
        engine,
        lambda user="local", *, admin=False, lang="en", **_: world.ctx(
            user, admin=admin, lang=lang
        ),
    )
    return world


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, specs: dict[str, Spec]) -> Iterator[Path]:
    """A SQLite file with the partnership and setup_people's cast, to copy from."""
    path = tmp_path_factory.mktemp("template") / "partnerbot.db"
    world = _build(path, specs)
    world.engine.dispose()
    yield path


@pytest.fixture(scope="module")
def worlds(
    template: Path, tmp_path_factory: pytest.TempPathFactory, specs: dict[str, Spec]
) -> Iterator[Callable[[], World]]:
    """Fresh copies of the template database, one per call."""
    made: list[World] = []
    folder = tmp_path_factory.mktemp("worlds")

    def fresh() -> World:
        path = folder / f"w{len(made)}.db"
        src, dst = sqlite3.connect(template), sqlite3.connect(path)
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
        world = World(make_engine(f"sqlite:///{path}"), specs)
        made.append(world)
        return world

    yield fresh
    for world in made:
        world.engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def admin_world(worlds: Callable[[], World]) -> World:
    return worlds()


@pytest.fixture(scope="module")
def member_world(worlds: Callable[[], World]) -> World:
    return worlds()


def _check(world: World, ctx: Context, text: str) -> Reply:
    before = table_snapshot(world.engine)
    reply = run_command(text, ctx)
    assert isinstance(reply, Reply)
    shown = reply.plain()
    assert shown.strip(), f"empty reply to {text[:80]!r}"
    assert "Traceback" not in shown and 'File "' not in shown, shown
    if currently_in_test_context():  # statistics for --hypothesis-show-statistics
        event("accepted" if reply.ok else "refused")
    if not reply.ok:
        assert table_snapshot(world.engine) == before, f"refused {text[:80]!r} changed data"
    return reply


@PATH
@given(texts)
@example("")
@example("x" * 10_000)
@example("update " + "æ" * 10_000)
def test_any_text_as_admin(admin_world: World, text: str) -> None:
    _check(admin_world, admin_world.ctx("root", admin=True), text)


@PATH
@given(texts)
@example("")
@example("opdater PF1 planmæssig '; DROP TABLE activity_updates; --")
def test_any_text_as_member(member_world: World, text: str) -> None:
    reply = _check(member_world, member_world.ctx("anna", lang=None), text)
    if not reply.ok:
        english = ("needs the role", "needs one of the roles", "Nothing was")
        assert not any(word in reply.plain() for word in english), (
            "anna prefers no language: the partnership's Danish applies"
        )


@PATH
@given(texts)
@example("activity edit PF1 budget=300000")  # once: a datetime in the audit's JSON
@example('aktivitet ret PF1 navn="Natteravne 2"')
@example('activity add PF8 "Ny" area=tryggere-byliv org=sof budget=²')  # once: int("²")
@example("indikator sæt crime.indbrud ²⁰¹⁹ 131")
def test_no_internal_errors(admin_world: World, text: str) -> None:
    """Bad input gets a clear reply, never the generic 'something went wrong'."""
    for ctx in (admin_world.ctx("root", admin=True), admin_world.ctx("anna", lang=None)):
        shown = _check(admin_world, ctx, text).plain()
        assert not any(g in shown for g in GENERIC_ERRORS), (text[:200], shown)


# Lines that once ended in "Something went wrong", and length limits the database enforces
# only on PostgreSQL: the same text on both backends.
NASTY: list[tuple[str, str]] = [
    ("activity-edit", "activity edit PF1 budget=300000"),  # audited a datetime json can't take
    ("superscript-budget", 'activity add PF8 "Ny" area=tryggere-byliv org=sof budget=²'),
    ("superscript-year", "indicator set crime.indbrud ²⁰¹⁹ 131"),
    ("circled-year", "assess PF1 ②⓪①⑨ met"),
    ("long-mention-id", "member add <@U" + "A" * 100 + "> org=sof role=member"),
    ("long-mention-name", "member add <@U1|" + "b" * 250 + "> org=sof role=member"),
    ("long-handle", "member add @" + "c" * 81 + " org=sof role=member"),
    ("long-note", "update PF1 on-track " + "n" * 3001),
    ("long-progress", "update PF1 on-track progress=" + "p" * 3001),
    ("long-name", 'activity add PF8 "' + "N" * 201 + '" area=tryggere-byliv org=sof'),
    ("long-code", "activity add " + "C" * 21 + ' "x" area=tryggere-byliv org=sof'),
    ("long-source", "indicator set crime.indbrud 2019 131 source=" + "s" * 301),
    ("long-slug", "bind " + "t" * 500),
    ("long-code-lookup", "activity show " + "P" * 3000),
    ("injection", "member add @a'--  org=sof role=member"),
    ("injection-code", "activity show PF1';DROP TABLE activities;--"),
    ("nul", "update PF1 on-track \x00\x00"),
    ("rtl", "update PF1 on-track \u202eelgnis"),
    ("emoji", "update PF1 done 🎉🙂"),
    ("huge-number", "indicator set crime.indbrud 2019 " + "9" * 400),
    ("arabic-year", "assess PF1 ٢٠١٩ met"),
]


def _nasty_params() -> list[object]:
    params: list[object] = []
    for backend in ("sqlite", "postgresql"):
        for name, line in NASTY:
            marks: list[pytest.MarkDecorator] = []
            if backend == "postgresql":
                marks.append(pytest.mark.postgres)
            params.append(pytest.param(backend, line, marks=marks, id=f"{backend}-{name}"))
    return params


@pytest.fixture
def backend_engine(request: pytest.FixtureRequest, backend: str) -> Engine:
    return request.getfixturevalue("sqlite_engine" if backend == "sqlite" else "pg_engine")


@pytest.mark.parametrize(("backend", "line"), _nasty_params())
def test_nasty_lines_on_both_backends(backend_engine: Engine, make_ctx, line: str) -> None:
    make = make_ctx(backend_engine)
    setup_people(backend_engine, make)
    before = table_snapshot(backend_engine)
    reply = run(make("root", admin=True), line)
    shown = reply.plain()
    assert shown.strip() and "Traceback" not in shown
    assert not any(g in shown for g in GENERIC_ERRORS), shown
    if not reply.ok:
        assert table_snapshot(backend_engine) == before


# ---------------------------------------------------------------------------------------------
# Sequences: whatever happens, refusals change nothing and every change is audited
# ---------------------------------------------------------------------------------------------

USERS = ["root", "chair", "sekr", "anna", "bo", "styr", "eve"]
codes = st.sampled_from(["PF1", "UB2", "PF9", "pf9", "ZZ"])
orgs = st.sampled_from(["sof", "bif", "kff", "okf", "politi", "nope"])
handles = st.sampled_from(["anna", "bo", "carl", "styr", "sekr", "dora"])
notes = st.text(alphabet=string.ascii_letters + "æøå ", max_size=15)
lines = st.one_of(
    st.builds(
        "update {} {} {}".format,
        codes,
        st.sampled_from(["on-track", "at-risk", "udfordret", "done", "bad"]),
        notes,
    ),
    st.builds(
        "assess {} {} {} {}".format,
        codes,
        st.sampled_from(["2019", "2026", "2031"]),
        st.sampled_from(["met", "delvist", "nope"]),
        notes,
    ),
    st.builds(
        "indicator set {} {} {}".format,
        st.sampled_from(["crime.indbrud", "safety.unsafe", "crime.total", "x.y"]),
        st.sampled_from(["2019", "2020", "1999"]),
        st.sampled_from(["131", "128", "18,5", "-1", "0,13", "abc"]),
    ),
    st.builds(
        'activity add {} "{}" area={} org={} budget={}'.format,
        codes,
        st.sampled_from(["Lektiecafé", "Natteravne", ""]),
        st.sampled_from(["tryggere-byliv", "positive-faellesskaber", "nowhere"]),
        orgs,
        st.sampled_from(["150000", "150.000", "x"]),
    ),
    st.builds(
        "member add @{} org={} role={}".format,
        handles,
        orgs,
        st.sampled_from(["member", "chair", "secretariat", "steering", "king"]),
    ),
    st.builds("member remove @{}".format, handles),  # asks first: changes nothing
    st.builds("member remove @{} confirm".format, handles),
    st.builds("activity edit {} budget={}".format, codes, st.sampled_from(["1", "x"])),
    st.sampled_from(
        [
            "bind tingbjerg-husum",
            "bind nowhere",
            "activity list",
            "indicator list",
            "member list",
            "whoami",
            "help",
            "activity show PF1",
        ]
    ),
)
steps = st.lists(st.tuples(st.sampled_from(USERS), lines), min_size=1, max_size=12)


def _audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEvent.id)).all())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_sequences_refusals_change_nothing_and_changes_are_audited(
    worlds: Callable[[], World], steps: list[tuple[str, str]]
) -> None:
    world = worlds()
    try:
        for user, line in steps:
            before = table_snapshot(world.engine)
            events = _audit_count(world.engine)
            reply = _check(world, world.ctx(user, admin=user == "root"), line)
            after = table_snapshot(world.engine)
            data_changed = {k: v for k, v in after.items() if k != "audit_events"} != {
                k: v for k, v in before.items() if k != "audit_events"
            }
            new_events = _audit_count(world.engine) - events
            if not reply.ok:
                assert new_events == 0
            assert data_changed == (new_events > 0), (user, line, reply.plain(), new_events)
    finally:
        world.engine.dispose()
