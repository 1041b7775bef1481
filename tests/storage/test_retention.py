"""Retention (issue 13): the daily job deletes audit events older than the partnership file's
`retention.audit_years` and pseudonymises former members who left more than
`retention.former_members_months` ago — only those — records what it did, runs once a day
however many replicas tick, and changes nothing when run again."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from helpers import cast_at, run, table_snapshot
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot import retention as job
from bot.dispatcher import Dispatcher
from storage.models import AuditEvent, Erasure, Member
from storage.retention import months_before, years_before

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
AUDIT_CUTOFF = dt.datetime(2021, 11, 30, 10, 0, tzinfo=dt.UTC)  # 5 years
LEFT_CUTOFF = dt.datetime(2025, 11, 30, 10, 0, tzinfo=dt.UTC)  # 12 months


def at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def past(engine: Engine, make_ctx):
    """Six years of history: updates in 2020 and 2022, bo left in June 2025, styr in June
    2026, carl left in January 2025 before `left_at` was kept, dora when nobody noted it."""
    ctx = cast_at(engine, make_ctx, NOW)
    for who, when, line in (
        ("anna", at(2020, 6, 1), "update PF1 on-track old walk"),
        ("anna", at(2021, 11, 29), "update PF1 on-track just too old"),
        ("anna", at(2022, 1, 10), "update PF1 at-risk newer walk"),
        ("root", at(2024, 1, 1), "member add @carl org=kff role=member"),
        ("root", at(2024, 1, 1), "member add @dora org=aab role=member"),
        ("chair", at(2025, 1, 15), "member remove @carl confirm"),
        ("chair", at(2025, 6, 1), "member remove @bo confirm"),
        ("chair", at(2026, 6, 1), "member remove @styr confirm"),
    ):
        reply = run(ctx(who, clock=when, admin=who == "root"), line)
        assert reply.ok, (line, reply.plain())
    with Session(engine) as session:
        for handle in ("carl", "dora"):
            member = session.exec(select(Member).where(Member.handle == handle)).one()
            member.left_at, member.active = None, False
            session.add(member)
        session.commit()
    return ctx


def _events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)))


def _member(engine: Engine, member_id: int) -> Member:
    with Session(engine) as session:
        found = session.get(Member, member_id)
        assert found is not None
        return found


def test_the_cutoffs() -> None:
    assert years_before(NOW, 5) == AUDIT_CUTOFF and months_before(NOW, 12) == LEFT_CUTOFF
    assert years_before(at(2028, 2, 29), 1) == at(2027, 2, 28)
    assert months_before(at(2027, 3, 31), 1) == at(2027, 2, 28)
    assert months_before(at(2027, 1, 15), 13) == at(2025, 12, 15)


def test_purges_only_what_is_past_the_limits(engine: Engine, past, specs) -> None:
    events = _events(engine)
    old = [e for e in events if e.at < AUDIT_CUTOFF]
    assert len(old) == 2  # the 2020 and the 29 November 2021 updates
    with Session(engine) as session:
        ids = {m.handle: m.id or 0 for m in session.exec(select(Member))}

    outcome = job.run_once(engine, specs, NOW)["tingbjerg-husum"]
    assert outcome is not None
    assert (outcome.day, outcome.audit_deleted, outcome.forgotten) == ("2026-11-30", 2, 2)

    left = _events(engine)
    assert all(e.at >= AUDIT_CUTOFF for e in left)
    assert {e.id for e in events if e.at >= AUDIT_CUTOFF} <= {e.id for e in left}
    # bo (June 2025) and carl (January 2025, from the trail) are forgotten; styr (June 2026)
    # and dora (no date known: her clock starts now) are not
    assert _member(engine, ids["bo"]).handle.startswith("glemt-")
    assert _member(engine, ids["carl"]).handle.startswith("glemt-")
    assert _member(engine, ids["styr"]).handle == "styr"
    dora = _member(engine, ids["dora"])
    assert dora.handle == "dora" and dora.left_at == NOW
    assert _member(engine, ids["anna"]).handle == "anna"  # active members are never touched
    with Session(engine) as session:
        erasures = session.exec(select(Erasure).order_by(Erasure.member_id)).all()
        assert sorted(e.member_id for e in erasures) == sorted([ids["bo"], ids["carl"]])
        assert {e.requested_by for e in erasures} == {"partnerbot"}
        assert "12 måneder" in erasures[0].reason  # the partnership's language
    (record,) = [e for e in left if e.action == "retention"]
    assert (record.actor, record.entity, record.entity_id) == (
        "partnerbot",
        "partnership",
        "2026-11-30",
    )
    assert json.loads(record.after) == {
        "audit_events_deleted": 2,
        "audit_before": AUDIT_CUTOFF.isoformat(),
        "former_members_forgotten": 2,
        "left_before": LEFT_CUTOFF.isoformat(),
    }
    assert len([e for e in left if e.action == "member.forget"]) == 2


def test_is_idempotent_and_runs_once_a_day(engine: Engine, past, specs) -> None:
    assert job.run_once(engine, specs, NOW)["tingbjerg-husum"] is not None
    snapshot = table_snapshot(engine)
    later = NOW + dt.timedelta(hours=5)  # the same day in Copenhagen
    assert job.run_once(engine, specs, later) == {"tingbjerg-husum": None}
    assert table_snapshot(engine) == snapshot
    tomorrow = NOW + dt.timedelta(days=1)
    outcome = job.run_once(engine, specs, tomorrow)["tingbjerg-husum"]
    assert outcome is not None and (outcome.audit_deleted, outcome.forgotten) == (0, 0)
    after = table_snapshot(engine)
    assert {t for t in after if after[t] != snapshot[t]} == {"audit_events"}
    added = len(after["audit_events"]) - len(snapshot["audit_events"])
    assert added == 1  # the day's record, nothing else


def test_replicas_run_it_once(engine: Engine, past, specs) -> None:
    """Three replicas' ticks at the same moment: one run, one record."""
    barrier = threading.Barrier(3)
    results: list[object] = []

    def replica() -> None:
        barrier.wait()
        results.append(job.run_once(engine, specs, NOW)["tingbjerg-husum"])

    threads = [threading.Thread(target=replica) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 3 and sum(r is not None for r in results) == 1
    with Session(engine) as session:
        runs = session.exec(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "retention")
        ).one()
        assert runs == 1
        assert session.exec(select(func.count()).select_from(Erasure)).one() == 2


def test_the_partnership_file_sets_the_limits(engine: Engine, past, specs) -> None:
    spec = specs["tingbjerg-husum"]
    assert (spec.retention.audit_years, spec.retention.former_members_months) == (5, 12)
    strict = spec.model_copy(
        update={"retention": spec.retention.model_copy(update={"audit_years": 1,
                                                               "former_members_months": 3})}
    )  # fmt: skip
    outcome = job.run_once(engine, {"tingbjerg-husum": strict}, NOW)["tingbjerg-husum"]
    assert outcome is not None and outcome.forgotten == 3  # styr too (June 2026)
    assert all(e.at >= at(2025, 11, 30) or e.action in {"retention", "member.forget"}
               for e in _events(engine))  # fmt: skip


def test_the_dispatcher_schedules_it(engine: Engine, specs) -> None:
    dispatcher = Dispatcher(engine, lambda due: None)
    dispatcher.start(interval=60)
    try:
        dispatcher.every(job.EVERY, job.job(engine, specs), "retention", first=job.FIRST_AFTER)
        scheduled = dispatcher._scheduler.get_job("retention")  # type: ignore[union-attr]
        assert scheduled is not None and scheduled.trigger.interval == dt.timedelta(hours=1)
    finally:
        dispatcher.stop()


def test_a_failing_run_is_logged_not_raised(engine: Engine, specs, caplog) -> None:
    tick = job.job(engine, specs, clock=lambda: (_ for _ in ()).throw(RuntimeError("boom")))
    tick()
    assert "retention run failed" in caplog.text
