"""No CPR numbers in free text (issue 13): the rule, and every free-text path of the real
commands — a line holding one is refused in the caller's language and nothing is stored."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import cast_at, run, table_snapshot
from sqlalchemy.engine import Engine

from commands.engine.run import submit
from commands.rules.cpr import birth_date, century, find_cpr, has_cpr

TODAY = dt.date(2026, 12, 4)
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("010190-1234", "010190-1234"),
        ("0101901234", "0101901234"),
        ("010190 1234", "010190 1234"),
        ("CPR 010190–1234 (en dash)", "010190–1234"),
        ("borger med cpr.nr. 241299-4321 kom forbi", "241299-4321"),
        ("nr 311299\u00a01234", "311299\u00a01234"),
        ("290200-4123", "290200-4123"),  # 4 and 00: the year 2000, a leap year
        ("010107-5234", "010107-5234"),  # 5 and 07: born 2007 (fails modulus 11; still CPR)
    ],
)
def test_a_cpr_number_is_found_as_people_write_it(text: str, found: str) -> None:
    assert find_cpr(text, TODAY) == found


@pytest.mark.parametrize(
    "text",
    [
        "1234567890",  # an amount: 34 is no month
        "budget 3200000000 kr",
        "9999999999",
        "320190-1234",  # the 32nd
        "290201-1234",  # 29 February 1901: no leap year
        "290200-1234",  # 0-3 and 00: 1900, no leap year either
        "010150-5123",  # 5 and 50: born 2050, not yet
        "ring på 12 34 56 78 eller 12345678",  # phone numbers are eight digits
        "møde 2027-03-02 kl. 13.00, 250.000 kr.",
        "010190-12345",  # eleven digits
        "12010190-1234",  # inside a longer number
        "ab010190-1234-5678-9abc-def012345678",  # inside an id (a GUID)
        "U0101901234",  # inside a platform id
        "",
    ],
)
def test_what_is_no_cpr_number(text: str) -> None:
    assert find_cpr(text, TODAY) is None


def test_the_century_follows_the_cpr_offices_table() -> None:
    assert [century(36, d) for d in (0, 3, 4, 9)] == [1900, 1900, 2000, 2000]
    assert [century(37, d) for d in (4, 9)] == [1900, 1900]
    assert [century(57, 5), century(58, 8)] == [2000, 1800]
    assert birth_date("0101901234") == dt.date(1990, 1, 1)
    assert birth_date("not a number") is None
    assert has_cpr("010190-1234") and not has_cpr("1234567890")


CPR_TEXT = "borger 010190-1234 har henvendt sig"

# Every path where people type free text: (who, line). {m} is a meeting that was held.
FREE_TEXT = [
    ("anna", f"update PF1 on-track {CPR_TEXT}"),
    ("anna", f'update PF1 at-risk progress="{CPR_TEXT}" walks'),
    ("anna", "update PF1 on-track 0101901234"),
    ("anna", "update PF1 on-track ring 010190 1234"),
    ("chair", f"assess PF1 2019 partly {CPR_TEXT}"),
    ("anna", f"agenda add {CPR_TEXT}"),
    ("chair", f"decision add {{m}} {CPR_TEXT}"),
    ("chair", f'action add {{m}} "{CPR_TEXT}" owner=sof due=2027-04-01'),
    ("chair", f"action done 1 {CPR_TEXT}"),
    ("chair", f'meeting add 2027-04-06 13:00 title="{CPR_TEXT}"'),
    ("chair", f'meeting add 2027-04-06 13:00 place="{CPR_TEXT}"'),
    ("chair", f'activity add PF9 "{CPR_TEXT}" area=positive-faellesskaber org=kff'),
    ("chair", f'activity edit PF1 criteria="{CPR_TEXT}"'),
    ("chair", f'indicator set crime.indbrud 2018 140 source="{CPR_TEXT}"'),
    ("chair", f'member forget @bo reason="{CPR_TEXT}" confirm'),
    ("chair", f"0101901234 {CPR_TEXT}"),  # an unknown command is said back: not this one
]


@pytest.mark.parametrize(
    ("who", "line"), FREE_TEXT, ids=[f"{w}:{line[:30]}" for w, line in FREE_TEXT]
)
@pytest.mark.parametrize("lang", ["da", "en"])
def test_free_text_with_a_cpr_number_is_refused_and_nothing_is_stored(
    engine: Engine, make_ctx, who: str, line: str, lang: str
) -> None:
    ctx = cast_at(engine, make_ctx, NOW)
    root = ctx("root", admin=True)
    assert run(root, "meeting add 2026-11-03 13:00").ok
    assert run(root, 'action add 1 "Send the count" owner=sof due=2027-04-01').ok
    assert run(root, "meeting add 2027-03-02 13:00").ok
    before = table_snapshot(engine)
    reply = run(ctx(who, lang=lang), line.format(m=1))
    text = reply.plain()
    assert not reply.ok, text
    expected = "CPR-nummer" if lang == "da" else "CPR number"
    assert expected in text and ("borgere" if lang == "da" else "residents") in text, text
    assert "1234" not in text  # the number is not said back
    assert table_snapshot(engine) == before
    if line.startswith("0101901234"):
        return
    # the same line without the number is a valid command: the number is what was refused
    clean = line.replace(CPR_TEXT, "borger har henvendt sig")
    clean = clean.replace("0101901234", "ok").replace("010190 1234", "ok")
    reply = run(ctx(who, lang=lang), clean.format(m=1))
    assert reply.ok, (clean, reply.plain())


def test_the_member_s_own_language_answers(engine: Engine, make_ctx) -> None:
    """bo prefers Danish (lang=da on his member row): the refusal is Danish."""
    ctx = cast_at(engine, make_ctx, NOW)
    reply = run(ctx("bo", lang=None), f"agenda add {CPR_TEXT}")
    assert not reply.ok and "CPR-nummer" in reply.plain()


def test_numbers_that_are_no_cpr_pass(engine: Engine, make_ctx) -> None:
    ctx = cast_at(engine, make_ctx, NOW)
    assert run(ctx("root", admin=True), "meeting add 2027-03-02 13:00").ok
    for line in (
        "update PF1 on-track spent 1234567890 øre; call 12345678",
        "agenda add Budget 3200000000 kr and case 2026-0123456",
    ):
        reply = run(ctx("anna"), line)
        assert reply.ok, (line, reply.plain())


def test_an_imported_source_with_a_cpr_number_is_refused(engine: Engine, make_ctx) -> None:
    ctx = cast_at(engine, make_ctx, NOW)
    before = table_snapshot(engine)
    data = f"indicator,year,value,source\ncrime.indbrud,2016,140,{CPR_TEXT}\n".encode()
    reply = run(ctx("chair", attachments=[("figures.csv", data)]), "indicator import")
    assert not reply.ok and "CPR number" in reply.plain(), reply.plain()
    assert table_snapshot(engine) == before


@pytest.mark.parametrize(
    ("who", "form_id", "values"),
    [
        ("anna", "update", {"activity": "PF1", "status": "on-track", "note": CPR_TEXT}),
        ("anna", "update", {"activity": "PF1", "status": "on-track", "progress": CPR_TEXT}),
        ("chair", "decision add", {"meeting": "1", "text": CPR_TEXT}),
        ("chair", "action add",
         {"meeting": "1", "text": CPR_TEXT, "org": "sof", "due": "2027-04-01"}),
        ("chair", "activity add",
         {"code": "PF9", "name": CPR_TEXT, "area": "tryggere-byliv", "org": "sof"}),
    ],
)  # fmt: skip
def test_a_submitted_form_is_checked_the_same_way(
    engine: Engine, make_ctx, who: str, form_id: str, values: dict[str, str]
) -> None:
    ctx = cast_at(engine, make_ctx, NOW)
    assert run(ctx("root", admin=True), "meeting add 2026-11-03 13:00").ok
    before = table_snapshot(engine)
    reply = submit(form_id, values, ctx(who))
    assert not reply.ok and "CPR number" in reply.plain(), reply.plain()
    assert table_snapshot(engine) == before
    clean = {k: v.replace(CPR_TEXT, "borger har henvendt sig") for k, v in values.items()}
    assert submit(form_id, clean, ctx(who)).ok  # the form itself is valid
