"""The demo seed (`partnerbot shell --demo`): contents, idempotence, refusal, speed, the shell."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import ORGS, SLUG, CtxFactory, run, run_cli, table_snapshot
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.runtime import prepare_database
from commands.rules.figures import check_value
from config.partnership import Partnership as Spec
from storage.db import make_engine
from storage.demo import DemoRefused, ensure_demo
from storage.models import (
    Activity,
    ActivityUpdate,
    Assessment,
    AuditEvent,
    FocusArea,
    IndicatorDef,
    IndicatorValue,
    Member,
    MemberRole,
    Organisation,
    Partnership,
)
from storage.sync import sync_partnership

TODAY = dt.date(2024, 5, 15)
MakeCtx = Callable[[Engine], CtxFactory]


def _pid(session: Session, slug: str = SLUG) -> int:
    row = session.exec(select(Partnership).where(Partnership.slug == slug)).one()
    assert row.id is not None
    return row.id


def _values_by_key(session: Session, pid: int) -> dict[str, dict[int, IndicatorValue]]:
    out: dict[str, dict[int, IndicatorValue]] = {}
    for value, ind in session.exec(
        select(IndicatorValue, IndicatorDef)
        .join(IndicatorDef, IndicatorDef.id == IndicatorValue.indicator_id)
        .where(IndicatorValue.partnership_id == pid)
    ):
        assert value.year not in out.get(ind.key, {}), "one revision per year"
        out.setdefault(ind.key, {})[value.year] = value
    return out


def test_seed_fills_a_partnership_year(engine: Engine, specs: dict[str, Spec]) -> None:
    spec = specs[SLUG]
    assert ensure_demo(engine, spec) is True
    with Session(engine) as session:
        pid = _pid(session)
        assert session.get(Partnership, pid).demo is True  # type: ignore[union-attr]

        activities = session.exec(
            select(Activity, FocusArea)
            .join(FocusArea, FocusArea.id == Activity.focus_area_id)
            .where(Activity.partnership_id == pid)
        ).all()
        assert 18 <= len(activities) <= 22
        per_area = Counter(area.slug for _, area in activities)
        assert set(per_area) == {
            "positive-faellesskaber",
            "tryggere-byliv",
            "uddannelse-beskaeftigelse",
        }
        codes = {act.code for act, _ in activities}
        assert {"PF1", "PF7", "TB1", "TB7", "UB1", "UB6"} <= codes
        assert all(act.criteria and act.name for act, _ in activities)
        assert sum(act.budget_dkk or 0 for act, _ in activities) == spec.budget.activities_dkk
        assert len({act.organisation_id for act, _ in activities}) >= 8  # spread over partners

        members = session.exec(select(Member).where(Member.partnership_id == pid)).all()
        assert 8 <= len(members) <= 12
        assert "local" not in {m.handle for m in members}
        assert "mette.okf" in {m.handle for m in members}
        assert sum(m.lang == "en" for m in members) >= 2
        roles = set(session.exec(select(MemberRole.role).where(MemberRole.partnership_id == pid)))
        assert roles == {"member", "chair", "secretariat", "steering"}
        member_orgs = {
            o.slug
            for o in session.exec(
                select(Organisation)
                .join(Member, Member.organisation_id == Organisation.id)
                .where(Member.partnership_id == pid)
            )
        }
        assert set(ORGS) - {"tmf", "suf"} <= member_orgs

        updates = session.exec(
            select(ActivityUpdate).where(ActivityUpdate.partnership_id == pid)
        ).all()
        assert len(updates) >= 100
        assert {u.status for u in updates} == {"on-track", "at-risk", "delayed", "done"}
        assert all(u.note and u.created_at.tzinfo is not None for u in updates)

        assessments = session.exec(select(Assessment).where(Assessment.partnership_id == pid)).all()
        assessed = {a.activity_id for a in assessments}
        assert len(assessed) > len(activities) / 2  # most activities
        assert {a.year for a in assessments} == {2017, 2018, 2019}
        assert {a.fulfilment for a in assessments} == {"met", "partly", "not-met"}

        events = session.exec(select(AuditEvent).where(AuditEvent.action == "demo.seed")).all()
        assert len(events) == 1 and events[0].actor == "demo" and events[0].entity == "partnership"
        counts = json.loads(events[0].after)
        assert counts["members"] == len(members) and counts["activities"] == len(activities)


def test_values_match_the_file_and_never_the_computed_total(
    engine: Engine, specs: dict[str, Spec]
) -> None:
    spec = specs[SLUG]
    ensure_demo(engine, spec)
    with Session(engine) as session:
        values = _values_by_key(session, _pid(session))
    entered = [i for i in spec.indicators if not i.computed]
    assert set(values) == {i.key for i in entered}
    assert "crime.total" not in values
    for ind in entered:
        assert set(values[ind.key]) == set(range(2015, 2021)), ind.key
        for value in values[ind.key].values():
            assert value.revision == 1
            assert value.source.startswith("DEMODATA (syntetisk)")
            assert check_value(ind.unit, value.value) == value.value  # `indicator set` accepts it
            if ind.unit == "percent":
                assert 0 <= value.value <= 100
        if ind.baseline is not None:
            assert values[ind.key][spec.period.baseline_year].value == ind.baseline
    # The 2018 burglary paragraph: Indbrud up and Tyveri down compared with 2017.
    assert values["crime.indbrud"][2018].value > values["crime.indbrud"][2017].value
    assert values["crime.tyveri-roeveri"][2018].value < values["crime.tyveri-roeveri"][2017].value
    # The area's unsafe share approaches the city level.
    gap = {
        y: values["safety.unsafe"][y].value - values["safety.unsafe-city"][y].value
        for y in (2015, 2020)
    }
    assert 0 < gap[2020] < gap[2015]
    assert "Københavns Politi" in values["crime.indbrud"][2016].source
    assert "Tryghedsundersøgelsen" in values["safety.unsafe"][2016].source


def test_dates_follow_today_and_some_organisations_lag(
    sqlite_engine: Engine, specs: dict[str, Spec]
) -> None:
    ensure_demo(sqlite_engine, specs[SLUG], today=TODAY)
    end = dt.datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=dt.UTC)
    with Session(sqlite_engine) as session:
        pid = _pid(session)
        updates = session.exec(
            select(ActivityUpdate).where(ActivityUpdate.partnership_id == pid)
        ).all()
        first, last = min(u.created_at for u in updates), max(u.created_at for u in updates)
        assert end - dt.timedelta(days=570) <= first < end - dt.timedelta(days=480)
        assert end - dt.timedelta(days=30) < last <= end
        latest: dict[int, dt.datetime] = {}
        for upd in updates:
            activity = session.get(Activity, upd.activity_id)
            assert activity is not None
            org = activity.organisation_id
            latest[org] = max(latest.get(org, upd.created_at), upd.created_at)
        lagging = [org for org, at in latest.items() if at < end - dt.timedelta(days=90)]
        assert 1 <= len(lagging) < len(latest) / 2  # a few lag, most report
        stamps = [
            *(a.created_at for a in session.exec(select(Assessment))),
            *(v.created_at for v in session.exec(select(IndicatorValue))),
            *(m.created_at for m in session.exec(select(Member))),
            *(a.created_at for a in session.exec(select(Activity))),
        ]
        assert all(s.tzinfo is not None and s <= end + dt.timedelta(days=1) for s in stamps)


def test_same_demo_every_time(tmp_path: Path, specs: dict[str, Spec]) -> None:
    snapshots = []
    for name in ("a", "b"):
        engine = make_engine(f"sqlite:///{tmp_path / f'{name}.db'}")
        prepare_database(engine)
        with Session(engine) as session:
            sync_partnership(session, specs[SLUG])
            session.commit()
        assert ensure_demo(engine, specs[SLUG], today=TODAY)
        snap = table_snapshot(engine)
        snap.pop("partnerships")  # its synced_at is the time of the sync
        snapshots.append(snap)
        engine.dispose()
    assert snapshots[0] == snapshots[1]


def test_second_run_keeps_the_earlier_demo_session(
    engine: Engine, specs: dict[str, Spec], make_ctx: MakeCtx
) -> None:
    assert ensure_demo(engine, specs[SLUG]) is True
    reply = run(make_ctx(engine)("kasper.kff"), "update PF1 on-track new volunteers")
    assert reply.ok, reply.plain()
    before = table_snapshot(engine)
    assert ensure_demo(engine, specs[SLUG]) is False
    assert table_snapshot(engine) == before


@pytest.mark.parametrize(
    "line",
    [
        "member add @x org=sof role=member",
        'activity add PF1 "Natteravne" area=tryggere-byliv org=sof',
        "indicator set crime.indbrud 2019 131",
    ],
)
def test_real_data_is_refused_and_nothing_changes(
    engine: Engine, specs: dict[str, Spec], make_ctx: MakeCtx, line: str
) -> None:
    reply = run(make_ctx(engine)("root", admin=True), line)
    assert reply.ok, reply.plain()
    before = table_snapshot(engine)
    with pytest.raises(DemoRefused) as refused:
        ensure_demo(engine, specs[SLUG])
    message = str(refused.value)
    assert message == (
        "refusing to put demo data into a database that holds real data for "
        "tingbjerg-husum; use another DATABASE_URL"
    )
    assert isinstance(refused.value, RuntimeError) and "\n" not in message
    assert table_snapshot(engine) == before


def test_commands_work_on_the_demo(
    engine: Engine, specs: dict[str, Spec], make_ctx: MakeCtx
) -> None:
    ensure_demo(engine, specs[SLUG])
    make = make_ctx(engine)
    chair = make("mette.okf")
    who = run(chair, "whoami").plain()
    assert "Mette" in who and "chair" in who and "Økonomiforvaltningen" in who
    listed = run(chair, "activity list")
    assert listed.ok and "PF1" in listed.plain() and "UB6" in listed.plain()
    assert "Activities (20)" in listed.plain()
    figures = run(chair, "indicator list").plain()
    assert "2020: " in figures and "DEMO DATA" in figures
    assert "computed" in figures  # crime.total stays computed
    shown = run(chair, "activity show TB3").plain()
    assert "done" in shown and "Success criteria" in shown
    people = run(make("root", admin=True), "member list").plain()
    assert "(12)" in people and "Mette Eksempelsen" in people
    # A member may update the own organisation's activity, not another's.
    kasper = make("kasper.kff")
    assert run(kasper, 'update PF1 at-risk progress="20 of 40" fewer pupils').ok
    assert not run(kasper, "update UB2 on-track").ok
    # The chair enters a correction: a new revision on top of the demo figure.
    assert run(chair, "indicator set crime.indbrud 2020 130").ok


def test_another_partnership_falls_back_round_robin(engine: Engine, specs: dict[str, Spec]) -> None:
    other = Spec.model_validate(
        {
            "slug": "amager-demo",
            "name": "Amager Partnerskab",
            "timezone": "Europe/Copenhagen",
            "locale": "en",
            "period": {
                "start": dt.date(2021, 1, 1),
                "end": dt.date(2024, 12, 31),
                "baseline_year": 2019,
            },
            "budget": {"activities_dkk": 1_000_000, "secretariat_dkk": 200_000},
            "meetings": {
                "working_group_min": 6,
                "working_group_max": 8,
                "steering_group_min": 1,
                "annual_status_deadline": "12-01",
            },
            "roles": {"chair_organisation": "kommune", "secretariat_organisation": "sekretariat"},
            "organisations": [
                {"slug": "kommune", "name": "Kommunen"},
                {"slug": "sekretariat", "name": "Sekretariatet"},
                {"slug": "boliger", "name": "Boligselskabet", "kind": "housing"},
            ],
            "focus_areas": [
                {"slug": "unge", "name_da": "Unge", "name_en": "Youth"},
                {"slug": "tryghed-i-byen", "name_da": "Tryghed", "name_en": "Safety"},
            ],
            "indicators": [
                {
                    "key": "crime.per-1000",
                    "label_da": "Anmeldelser",
                    "label_en": "Reports",
                    "unit": "per-1000",
                    "rule": "at-most-baseline",
                    "group": "crime",
                    "baseline": 41.5,
                },
                {
                    "key": "crime.a",
                    "label_da": "A",
                    "label_en": "A",
                    "unit": "reports",
                    "rule": "monitored",
                    "group": "crime",
                    "baseline": 10,
                },
                {
                    "key": "crime.sum",
                    "label_da": "Sum",
                    "label_en": "Sum",
                    "unit": "reports",
                    "rule": "monitored",
                    "group": "crime",
                    "components": ["crime.a"],
                },
                {
                    "key": "safety.safe",
                    "label_da": "Trygge",
                    "label_en": "Safe",
                    "unit": "percent",
                    "rule": "approach",
                    "group": "safety",
                    "comparison": "safety.safe-city",
                },
                {
                    "key": "safety.safe-city",
                    "label_da": "By",
                    "label_en": "City",
                    "unit": "percent",
                    "rule": "comparison",
                    "group": "safety",
                },
                {
                    "key": "result.jobs",
                    "label_da": "Unge i job",
                    "label_en": "Young in jobs",
                    "unit": "people",
                    "rule": "at-least-target",
                    "group": "results",
                    "target": 30,
                },
            ],
        }
    )
    assert ensure_demo(engine, other, today=dt.date(2025, 3, 1)) is True  # syncs it first
    with Session(engine) as session:
        pid = _pid(session, "amager-demo")
        acts = session.exec(select(Activity).where(Activity.partnership_id == pid)).all()
        areas = {
            a.id: a.slug
            for a in session.exec(select(FocusArea).where(FocusArea.partnership_id == pid))
        }
        orgs = {
            o.id
            for o in session.exec(select(Organisation).where(Organisation.partnership_id == pid))
        }
        assert len(acts) == 20 and {a.focus_area_id for a in acts} == set(areas)
        # Codes from the areas' initials, numbered per area.
        assert {a.code for a in acts} == {f"{p}{n}" for p in ("U", "TIB") for n in range(1, 11)}
        assert {a.organisation_id for a in acts} == orgs
        assert sum(a.budget_dkk or 0 for a in acts) == 1_000_000
        members = session.exec(select(Member).where(Member.partnership_id == pid)).all()
        assert {m.organisation_id for m in members} <= orgs
        assert len({m.handle for m in members}) == len(members)
        values = _values_by_key(session, pid)
        assert "crime.sum" not in values
        assert set(values) == {
            "crime.per-1000",
            "crime.a",
            "safety.safe",
            "safety.safe-city",
            "result.jobs",
        }
        for key, ind in ((i.key, i) for i in other.indicators if not i.computed):
            assert set(values[key]) == set(range(2019, 2025)), key
            for value in values[key].values():
                assert check_value(ind.unit, value.value) == value.value
        assert values["crime.per-1000"][2019].value == 41.5
        assert values["crime.a"][2019].value == 10
        # Tingbjerg-Husum is untouched: still no members, activities or figures, not a demo.
        tid = _pid(session)
        for model in (Member, Activity, IndicatorValue):
            assert not session.exec(select(model).where(model.partnership_id == tid)).all()
        assert session.get(Partnership, tid).demo is False  # type: ignore[union-attr]


def test_seeding_a_fresh_sqlite_file_works(sqlite_engine: Engine, specs: dict[str, Spec]) -> None:
    # Its speed is a benchmark figure (`make bench`: demo seeding), not a timed assertion: on
    # a loaded CI machine a wall-clock bound only makes the suite flaky.
    assert ensure_demo(sqlite_engine, specs[SLUG])


@pytest.mark.e2e
def test_shell_demo_subprocess(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(["shell", "--demo", "--out", str(out)], tmp_path, "activity list\nwhoami\n")
    assert result.returncode == 0, result.stderr
    # No --lang: the partnership's locale (Danish) is used.
    assert "Aktiviteter (20)" in result.stdout
    assert "PF1" in result.stdout and "Lektiecafé på biblioteket" in result.stdout
    assert "Du er administrator" in result.stdout
    assert (out / "demo.db").is_file()
    assert not (tmp_path / "partnerbot.db").exists()  # the real default database is not touched
