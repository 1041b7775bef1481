"""The report cites only the sources of what each chart and table shows, names the series
breaks the years span, and says what the working year does not have yet (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import run, setup_people
from sqlmodel import Session

from commands.engine.caller import resolve
from commands.families.report import build

NOW = dt.datetime(2026, 12, 4, 10, tzinfo=dt.UTC)
POLICE = "Københavns Politi, anmeldelser"
SURVEY = "Tryghedsundersøgelsen"
PARAGRAPH = "Fra 2018 flyttede en ny indbrudsparagraf"
COVID = "I 2020-21 ændrede covid-19-nedlukningerne"


@pytest.fixture
def make(engine, make_ctx):
    make = make_ctx(engine)
    setup_people(engine, make)
    return make


def _enter(make, *lines: str) -> None:
    chair = make("chair", lang="da", clock=lambda: NOW)
    for line in lines:
        reply = run(chair, line)
        assert reply.ok, (line, reply.plain())


def _report(engine, make, year: int):
    with Session(engine) as session:
        call = resolve(session, make("chair", lang="da", clock=lambda: NOW), "da")
        return build(call, year)[0]


def test_each_chart_cites_only_its_own_sources(engine, make) -> None:
    _enter(
        make,
        f'indikator sæt crime.indbrud 2015 145 kilde="{POLICE} 2016"',
        f'indikator sæt crime.indbrud 2019 120 kilde="{POLICE} 2020"',
        f'indikator sæt safety.unsafe 2016 26,5 kilde="{SURVEY} 2016"',
        f'indikator sæt safety.unsafe-city 2016 11,6 kilde="{SURVEY} 2016"',
        # a later year than the report's: its source is not the report's
        f'indikator sæt crime.indbrud 2021 100 kilde="{POLICE} 2022"',
    )
    data = _report(engine, make, 2019)
    assert data.chart_sources["crime"] == (f"{POLICE} 2016", f"{POLICE} 2020")
    assert data.chart_sources["total"] == ()  # no year has every category: no total drawn
    assert data.chart_sources["safety"] == (f"{SURVEY} 2016",)
    assert sorted(data.sources) == [f"{POLICE} 2016", f"{POLICE} 2020", f"{SURVEY} 2016"]
    crime, safety = data.years
    assert crime.sources == (f"{POLICE} 2016", f"{POLICE} 2020")
    assert safety.sources == (f"{SURVEY} 2016",)


def test_a_break_is_named_where_the_years_span_it(engine, make) -> None:
    _enter(
        make,
        "indikator sæt crime.indbrud 2015 145",
        "indikator sæt crime.indbrud 2017 150",
        "indikator sæt crime.indbrud 2019 120",
        "indikator sæt crime.indbrud 2020 90",
    )
    data = _report(engine, make, 2019)
    crime = data.years[0]
    assert [n[: len(PARAGRAPH)] for n in crime.notes] == [PARAGRAPH]  # 2015-2019 spans 2018
    notes = set(data.crime_frame.loc[data.crime_frame["key"] == "crime.indbrud", "note"])
    assert len(notes) == 1 and PARAGRAPH in notes.pop()
    # a category the break does not concern carries no note
    assert not any(COVID in n for n in data.crime_frame["note"])

    covid = _report(engine, make, 2020)
    assert [n[:20] for n in covid.years[0].notes] == [PARAGRAPH[:20], COVID[:20]]


def test_years_after_a_break_alone_do_not_span_it(engine, make) -> None:
    _enter(make, "indikator sæt crime.indbrud 2018 150", "indikator sæt crime.indbrud 2019 120")
    data = _report(engine, make, 2019)
    # the table starts at the baseline year, but no figure before 2018 is shown
    assert not any(PARAGRAPH in n for n in data.years[0].notes)
    assert set(data.crime_frame["note"]) == {""}


def test_the_working_year_names_what_is_not_published(engine, make) -> None:
    _enter(make, "vurder PF1 2026 delvist 14 af 20 ravne", "indikator sæt crime.indbrud 2025 130")
    data = _report(engine, make, 2026)
    assert data.pending == (
        "Politiets anmeldelsestal for 2026 er ikke offentliggjort endnu (ventes i 2027).",
        "Tryghedsundersøgelsen for 2026 er ikke offentliggjort endnu (ventes i 2027).",
    )
    assert _report(engine, make, 2025).pending == ()


def test_survey_details_are_kept_and_shown_beside_the_figure(engine, make) -> None:
    _enter(
        make,
        "indikator sæt safety.unsafe 2014 29,9 n=1.187",
        "indikator sæt safety.unsafe 2016 26,5 n=1024 signifikant=nej",
        "indikator sæt safety.unsafe-city 2016 11,6",
        "vurder PF1 2019 opfyldt",
    )
    safety = _report(engine, make, 2019).years[0]
    assert safety.notes == (
        "Andel utrygge borgere 2014: 1.187 svar",
        "Andel utrygge borgere 2016: 1.024 svar, ændringen fra året før er ikke signifikant",
    )
    # a correction of the value keeps the details; a detail alone is a new revision too
    chair = make("chair", lang="en", clock=lambda: NOW)
    assert run(chair, "indicator set safety.unsafe 2016 26.4").ok
    assert run(chair, "indicator set safety.unsafe 2016 26.4 significant=yes").ok
    same = run(chair, "indicator set safety.unsafe 2016 26.4 significant=yes n=1024")
    assert not same.ok and "Nothing was changed" in same.plain()
    notes = _report(engine, make, 2019).years[0].notes
    assert notes[1] == (
        "Andel utrygge borgere 2016: 1.024 svar, ændringen fra året før er signifikant"
    )
    for line, said in (
        ("indicator set safety.unsafe 2016 26.4 n=mange", "The number of respondents (n) must"),
        ("indicator set safety.unsafe 2016 26.4 significant=måske", "Significant must be yes"),
    ):
        reply = run(chair, line)
        assert not reply.ok and said in reply.plain()


def test_the_status_reply_names_the_breaks_its_years_span(engine, make) -> None:
    _enter(make, "indikator sæt crime.indbrud 2015 145", "indikator sæt crime.indbrud 2019 120")
    chair = make("chair", lang="da", clock=lambda: NOW)
    assert PARAGRAPH in run(chair, "status kriminalitet").plain()
    assert PARAGRAPH not in run(chair, "status kriminalitet fra=2019").plain()
    assert PARAGRAPH not in run(chair, "status tryghed").plain()


def test_a_year_without_a_survey_is_judged_on_the_latest_and_names_it(engine, make) -> None:
    _enter(
        make,
        "indikator sæt safety.unsafe 2014 29,8",
        "indikator sæt safety.unsafe-city 2014 14,9",
        "indikator sæt safety.unsafe 2016 21,5",
        "indikator sæt safety.unsafe-city 2016 14,9",
        "indikator sæt crime.indbrud 2019 120",
    )
    data = _report(engine, make, 2019)
    unsafe = next(r for r in data.safety_targets if r.label == "Andel utrygge borgere")
    assert (unsafe.latest_year, unsafe.value, unsafe.verdict_key) == (
        "2016",
        "21,5 %",
        "approaching",
    )
    assert "forskel 6,6 pp" in unsafe.reference
    assert (
        "Andel utrygge borgere nærmer sig københavnerniveauet: forskellen er faldet fra 14,9 til "
        "6,6 procentpoint. (Seneste måling: 2016.)"
    ) in data.summary
