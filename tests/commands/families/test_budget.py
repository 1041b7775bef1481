"""`budget`: grants and spending per activity against the frame, as the secretariat keeps them,
and the report's economy and prevention grouping built from the same rows (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run, setup_people, table_snapshot
from sqlmodel import Session, select

from commands.engine.caller import resolve
from commands.families.report import build
from storage.models import ActivityBudget

NOW = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)


@pytest.fixture
def people(engine, make_ctx):
    make = make_ctx(engine)
    setup_people(engine, make)
    run(make("root", admin=True), 'activity add TB9 "Nærpoliti" area=tryggere-byliv org=politi')
    return make


def _rows(engine) -> dict[tuple[int, int], tuple[int | None, int | None]]:
    with Session(engine) as s:
        return {
            (b.activity_id, b.year): (b.granted_dkk, b.spent_dkk)
            for b in s.exec(select(ActivityBudget))
        }


@pytest.mark.parametrize(
    ("written", "amount"),
    [
        ("250000", 250_000),
        ("250.000 kr.", 250_000),
        ("250 000", 250_000),
        ("kr. 250.000,-", 250_000),
        ("0,25 mio.", 250_000),
        ("1,8 mio. kr.", 1_800_000),
    ],
)
def test_amounts_are_read_as_people_write_them(engine, people, written, amount) -> None:
    reply = run(people("chair", lang="da"), f"budget sæt PF1 2019 {written}")
    assert reply.ok, reply.plain()
    assert list(_rows(engine).values()) == [(amount, None)]


def test_set_and_spent_are_said_back_and_summed_per_area(engine, people) -> None:
    chair = people("chair", lang="da")
    assert run(chair, "budget sæt PF1 2019 250.000").plain() == (
        "Gemt: PF1 har fået bevilget 250.000 kr. i 2019."
    )
    assert run(chair, "budget forbrugt PF1 2019 270000").plain() == (
        "Gemt: PF1 har brugt 270.000 kr. i 2019. Forbruget er 20.000 kr. over bevillingen."
    )
    run(chair, "budget sæt UB2 2019 100000")
    shown = run(people("anna", lang="da"), "budget 2019").plain()
    # 250.000 + 100.000 of 1.800.000 = 19 %; spent 270.000 = 15 %
    assert "Bevilget: 350.000 kr. (19 %), forbrugt: 270.000 kr. (15 %)." in shown
    lines = {line.split("  ")[0]: line.split() for line in shown.splitlines()}
    assert lines["Tryggere byliv"][-4:] == ["250.000", "kr.", "270.000", "kr."]
    assert lines["I alt"][-4:] == ["350.000", "kr.", "270.000", "kr."]
    english = run(people("anna", lang="en"), "budget 2019").plain()
    assert "Granted: DKK 350,000 (19%), spent: DKK 270,000 (15%)." in english


def test_a_grant_over_the_frame_is_saved_and_said(engine, people) -> None:
    chair = people("chair", lang="da")
    run(chair, "budget sæt PF1 2019 1,5 mio.")
    reply = run(chair, "budget sæt UB2 2019 400.000")
    assert reply.ok
    assert "Der er nu bevilget 100.000 kr. mere end rammen for 2019 (1.800.000 kr.)." in (
        reply.plain()
    )


def test_bad_budget_lines_change_nothing(engine, people) -> None:
    chair = people("chair", lang="da")
    run(chair, "aktivitet ret TB9 finansieret=nej")
    before = table_snapshot(engine)
    for line, said in (
        ("budget sæt PF1 1999 5000", "Året 1999 ligger uden for"),
        ("budget sæt PF1 2019 fem tusind", "'fem tusind' er ikke et beløb i hele kroner"),
        ("budget sæt PF1 2019 1,2345678 mio.", "ikke et beløb i hele kroner"),
        ("budget sæt XX9 2019 5000", "XX9"),
        ("budget sæt PF1 2019", "Skriv: `/wg budget sæt KODE ÅR BELØB`"),
        ("budget sæt TB9 2019 5000", "uden finansiering fra partnerskabet"),
        ("aktivitet ret PF1 niveau=kvartær", "skal være primær|sekundær|tertiær, ikke 'kvartær'"),
        ("aktivitet ret PF1 finansieret=måske", "finansieret= skal være ja eller nej"),
    ):
        reply = run(chair, line)
        assert not reply.ok and said in reply.plain(), (line, reply.plain())
    refused = run(people("anna", lang="da"), "budget sæt PF1 2019 5000")
    assert not refused.ok
    assert table_snapshot(engine) == before


def test_an_amount_can_be_cleared_and_the_same_amount_is_no_change(engine, people) -> None:
    chair = people("chair", lang="en")
    run(chair, "budget set PF1 2019 250000")
    same = run(chair, "budget set PF1 2019 250.000")
    assert not same.ok and "No changes" in same.plain()
    assert run(chair, "budget set PF1 2019 -").plain() == (
        "Saved: the grant of PF1 in 2019 is cleared."
    )
    assert list(_rows(engine).values()) == [(None, None)]


def test_report_economy_and_prevention_levels(engine, people) -> None:
    chair = people("chair", lang="da")
    for line in (
        "aktivitet ret PF1 niveau=sekundær",
        "aktivitet ret TB9 niveau=primær finansieret=nej",
        "budget sæt PF1 2019 250.000",
        "budget forbrugt PF1 2019 200.000",
        "budget sæt UB2 2019 100.000",
        "vurder PF1 2019 delvist 14 af 20 ravne",
    ):
        assert run(chair, line).ok, line
    with Session(engine) as session:
        call = resolve(session, people("chair", lang="da", clock=lambda: NOW), "da")
        data, _ = build(call, 2019)
    economy = data.economy
    assert economy is not None
    assert economy.rows == (
        ("Tryggere byliv", "", "250.000 kr.", "200.000 kr."),
        ("PF1 Natteravne", "Socialforvaltningen", "250.000 kr.", "200.000 kr."),
        ("TB9 Nærpoliti †", "Københavns Politi", "–", "–"),
        ("Uddannelse og beskæftigelse", "", "100.000 kr.", "0 kr."),
        ("UB2 Jobcafé", "Beskæftigelses- og Integrationsforvaltningen", "100.000 kr.", "–"),
        ("I alt", "", "350.000 kr.", "200.000 kr."),
    )
    assert economy.area_rows == (0, 3) and economy.total_row == 5
    assert economy.notes == ("† Uden finansiering fra partnerskabet; indgår ikke i summerne.",)
    assert economy.frame.startswith("Rammen for 2019 er 1.800.000 kr. til aktiviteter og ")
    # within the focus area: primary before secondary, whatever the codes say
    rows = [(a.code, a.prevention, a.funded, a.fulfilment_key, a.note) for a in data.activities]
    assert rows == [
        ("TB9", "Primær forebyggelse", False, "", ""),
        ("PF1", "Sekundær forebyggelse", True, "partly", "14 af 20 ravne"),
        ("UB2", "", True, "", ""),
    ]


def test_a_year_without_money_has_no_economy_section(engine, people) -> None:
    run(people("chair", lang="da"), "vurder PF1 2019 opfyldt")
    with Session(engine) as session:
        call = resolve(session, people("chair", lang="da", clock=lambda: NOW), "da")
        data, _ = build(call, 2019)
    assert data.economy is None
