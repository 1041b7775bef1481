"""Numbers as people type them (issue 14), through the command path: `13 %` with the Danish
space, `1.234` as a count, money with `kr`, `kr.`, points and spaces; `1.234` as a percentage
is asked back and nothing is stored."""

from __future__ import annotations

import pytest
from helpers import run, setup_people, table_snapshot
from sqlmodel import Session, select

from storage.models import Activity, IndicatorValue


@pytest.fixture
def make(sqlite_engine, make_ctx):
    factory = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, factory)
    return factory


def values(engine) -> list[float]:
    with Session(engine) as session:
        return [v.value for v in session.exec(select(IndicatorValue).order_by(IndicatorValue.id))]


@pytest.mark.parametrize(
    ("line", "stored"),
    [
        ("indikator sæt safety.unsafe 2019 13 %", 13.0),
        ("indikator sæt safety.unsafe 2019 13,5 %", 13.5),
        ("indikator sæt safety.unsafe 2019 13%", 13.0),
        ("indikator sæt crime.indbrud 2019 1.234", 1234.0),
        ("indikator sæt crime.indbrud 2019 1 234", 1234.0),
        ("indicator set crime.indbrud 2019 1.234", 1234.0),
    ],
)
def test_figures_stored_as_meant(sqlite_engine, make, line, stored):
    reply = run(make("root", admin=True, lang="da"), line)
    assert reply.ok, reply.plain()
    assert values(sqlite_engine) == [stored]


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("da", "'1.234' kan være 1234 eller decimaltallet 1,234; skriv 1234 eller 1,234, så der "
               "ikke er tvivl. Intet er gemt."),
        ("en", "'1.234' could be 1234 or a decimal number; write 1234, or 1,234 (decimal comma) "
               "for the decimal. Nothing was saved."),
    ],
)  # fmt: skip
def test_a_percentage_of_1_234_is_asked_back(sqlite_engine, make, lang, said):
    before = table_snapshot(sqlite_engine)
    reply = run(make("root", admin=True, lang=lang), "indicator set safety.unsafe 2019 1.234")
    assert not reply.ok and said in reply.plain(), reply.plain()
    assert table_snapshot(sqlite_engine) == before


@pytest.mark.parametrize(
    "budget", ["250000 kr", "250.000 kr.", "250.000", "250 000", "250.000,-", '"DKK 250,000"']
)
def test_budgets_as_typed(sqlite_engine, make, budget):
    chair = make("chair", lang="da")
    reply = run(
        chair, f'aktivitet tilføj PF9 "Lektiecafé" område=tryggere-byliv org=sof budget={budget}'
    )
    assert reply.ok, reply.plain()
    edited = run(chair, "aktivitet ret PF9 budget=175 000")
    assert edited.ok, edited.plain()
    with Session(sqlite_engine) as session:
        act = session.exec(select(Activity).where(Activity.code == "PF9")).one()
    assert act.budget_dkk == 175000
