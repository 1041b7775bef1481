"""Reminders and the dispatcher (DESIGN section 5, issue 5 parts 3–4): on real databases, a due
reminder is sent exactly once — not early, not when cancelled, not when its meeting has begun,
late but once after downtime, retried with backoff on errors — and stays exactly once with
several dispatcher processes and with a dispatcher killed with -9 right after claiming.

In-process tests control time with time-machine and call `tick()` directly; the process tests
run `python -m bot.dispatcher` and use real time (short leases)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from helpers import REPO, SLUG
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.dispatcher import Dispatcher, exponential_backoff
from storage import reminders
from storage.models import Meeting, Partnership, Reminder, ReminderDelivery
from storage.reminders import Due
from storage.types import utcnow

T0 = dt.datetime(2027, 3, 10, 8, 0, tzinfo=dt.UTC)
SECOND = dt.timedelta(seconds=1)


# -- helpers -------------------------------------------------------------------------------------


def partnership_id(engine: Engine) -> int:
    with Session(engine) as session:
        pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
    assert pid is not None
    return pid


def add_meeting(engine: Engine, starts_at: dt.datetime) -> int:
    with Session(engine) as session:
        meeting = Meeting(
            partnership_id=partnership_id(engine), starts_at=starts_at, created_by="test"
        )
        session.add(meeting)
        session.commit()
        assert meeting.id is not None
        return meeting.id


def add_reminders(
    engine: Engine, meeting_id: int | None, due_at: dt.datetime, keys: list[str]
) -> None:
    pid = partnership_id(engine)
    with Session(engine) as session:
        for key in keys:
            reminders.upsert(
                session,
                partnership_id=pid,
                meeting_id=meeting_id,
                kind="lead",
                key=key,
                due_at=due_at,
            )
        session.commit()


def row(engine: Engine, key: str) -> Reminder:
    with Session(engine) as session:
        return session.exec(select(Reminder).where(Reminder.idempotency_key == key)).one()


def deliveries(engine: Engine) -> list[ReminderDelivery]:
    with Session(engine) as session:
        return list(session.exec(select(ReminderDelivery).order_by(ReminderDelivery.id)))


def sent_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(
            select(func.count()).select_from(Reminder).where(Reminder.status == "sent")
        ).one()


# -- in process, time under control --------------------------------------------------------------


def test_due_reminder_is_sent_once_and_not_before(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(days=2))
    key = f"meeting:{meeting}:lead:P1D"
    add_reminders(engine, meeting, T0 + dt.timedelta(days=1), [key])
    sent: list[Due] = []
    with time_machine.travel(T0 + dt.timedelta(days=1) - SECOND, tick=False) as clock:
        dispatcher = Dispatcher(engine, sent.append, worker="w1")
        assert dispatcher.tick() == 0  # one second early: nothing
        assert row(engine, key).status == "pending"
        clock.shift(SECOND)
        assert dispatcher.tick() == 1
        assert dispatcher.tick() == 0
        clock.shift(dt.timedelta(hours=3))  # long after: still only once
        assert Dispatcher(engine, sent.append, worker="w2").tick() == 0
    assert [d.key for d in sent] == [key]
    assert sent[0].late is False and sent[0].reclaimed is False
    done = row(engine, key)
    assert (done.status, done.late, done.sent_at) == ("sent", False, T0 + dt.timedelta(days=1))
    [log] = deliveries(engine)
    assert (log.idempotency_key, log.worker, log.reminder_id) == (key, "w1", done.id)


def test_upsert_is_idempotent_and_moves_a_pending_reminder(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(days=3))
    add_reminders(engine, meeting, T0, ["k"])
    add_reminders(engine, meeting, T0, ["k"])  # again: still one row
    add_reminders(engine, meeting, T0 + dt.timedelta(hours=5), ["k"])  # the meeting moved
    with Session(engine) as session:
        rows = session.exec(select(Reminder)).all()
    assert [(r.idempotency_key, r.due_at, r.status) for r in rows] == [
        ("k", T0 + dt.timedelta(hours=5), "pending")
    ]
    sent: list[Due] = []
    with time_machine.travel(T0 + SECOND, tick=False):
        assert Dispatcher(engine, sent.append).tick() == 0  # the old due time no longer counts
    assert sent == []


def test_cancelled_reminder_is_never_sent(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(days=2))
    add_reminders(engine, meeting, T0, ["a", "b"])
    with Session(engine) as session:
        assert reminders.cancel_for_meeting(session, meeting) == 2
        session.commit()
    add_reminders(engine, meeting, T0, ["a"])  # an upsert does not bring it back
    sent: list[Due] = []
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        assert Dispatcher(engine, sent.append).tick() == 0
    assert sent == [] and deliveries(engine) == []
    assert {row(engine, k).status for k in "ab"} == {"cancelled"}


def retry_times(until: dt.timedelta) -> list[dt.timedelta]:
    """When the dispatcher tries a reminder that keeps failing: at once, then after each
    backoff, as long as the next try comes before `until`."""
    times, at, attempt = [dt.timedelta(0)], dt.timedelta(0), 1
    while at + exponential_backoff(attempt) < until:
        at += exponential_backoff(attempt)
        times.append(at)
        attempt += 1
    return times


def test_a_failing_reminder_is_retried_until_its_meeting_begins_then_missed_and_told(engine):
    """Slack down for half an hour: not given up after five tries (the field lost 8 of 10
    reminders that way), tried again and again until the meeting begins, then shown."""
    meeting = add_meeting(engine, T0 + dt.timedelta(minutes=30))
    add_reminders(engine, meeting, T0, ["flaky"])
    tries: list[dt.datetime] = []
    told: list[str] = []

    def send(due: Due) -> None:
        tries.append(utcnow())
        raise ConnectionError("slack is down")

    with time_machine.travel(T0, tick=False) as clock:
        dispatcher = Dispatcher(
            engine, send, worker="w", on_undelivered=lambda d: told.append(d.key)
        )
        for attempt in range(1, 40):
            assert dispatcher.tick() == 1
            state = row(engine, "flaky")
            if state.status == "missed":
                break
            assert (state.status, state.attempts) == ("failed", attempt)
            assert state.lease_until == utcnow() + exponential_backoff(attempt)
            clock.shift(exponential_backoff(attempt) - SECOND)
            assert dispatcher.tick() == 0  # not before the retry time
            clock.shift(SECOND)
        clock.shift(dt.timedelta(days=1))
        assert dispatcher.tick() == 0  # nothing left to try
    assert [t - T0 for t in tries] == retry_times(dt.timedelta(minutes=30))
    assert len(tries) > 5
    missed = row(engine, "flaky")
    assert missed.lease_until is None and "slack is down" in missed.last_error
    with Session(engine) as session:
        shown = reminders.overview(session, partnership_id(engine))
    assert [r.idempotency_key for r in shown["missed"]] == ["flaky"]
    assert shown["pending"] == shown["retrying"] == [] and deliveries(engine) == []
    assert told == ["flaky"]


def test_after_an_outage_the_reminder_arrives_once_within_the_backoff_cap(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(days=2))
    add_reminders(engine, meeting, T0, ["outage"])
    back = T0 + dt.timedelta(minutes=20)  # Slack answers again from here
    sent: list[dt.datetime] = []

    def send(due: Due) -> None:
        if utcnow() < back:
            raise ConnectionError("slack is down")
        sent.append(utcnow())

    with time_machine.travel(T0, tick=False) as clock:
        dispatcher = Dispatcher(engine, send)
        while not sent and utcnow() < T0 + dt.timedelta(hours=2):
            dispatcher.tick()
            clock.shift(SECOND * 5)
    assert len(sent) == 1 and sent[0] - back <= exponential_backoff(99)
    assert row(engine, "outage").status == "sent" and len(deliveries(engine)) == 1


def test_a_reminder_without_a_meeting_is_given_up_a_day_after_its_time(engine):
    add_reminders(engine, None, T0, ["data"])
    told: list[str] = []

    def send(due: Due) -> None:
        raise ConnectionError("slack is down")

    with time_machine.travel(T0, tick=False) as clock:
        dispatcher = Dispatcher(engine, send, on_undelivered=lambda d: told.append(d.key))
        dispatcher.tick()
        while row(engine, "data").lease_until is not None:
            clock.move_to(row(engine, "data").lease_until)
            dispatcher.tick()
        assert utcnow() - T0 <= reminders.WITHOUT_MEETING
    assert row(engine, "data").status == "failed" and told == ["data"]
    with Session(engine) as session:
        assert [
            r.idempotency_key for r in reminders.overview(session, partnership_id(engine))["failed"]
        ] == ["data"]


def test_a_retry_that_succeeds_is_sent_once_and_flagged(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(days=2))
    add_reminders(engine, meeting, T0, ["once"])
    calls: list[Due] = []

    def send(due: Due) -> None:
        calls.append(due)
        if len(calls) == 1:
            raise TimeoutError("no answer")

    with time_machine.travel(T0, tick=False) as clock:
        dispatcher = Dispatcher(engine, send)
        assert dispatcher.tick() == 1
        clock.shift(dt.timedelta(seconds=5))
        assert dispatcher.tick() == 1
        assert dispatcher.tick() == 0
    assert [(d.attempts, d.reclaimed) for d in calls] == [(0, False), (1, True)]
    assert row(engine, "once").status == "sent" and len(deliveries(engine)) == 1


def test_reminder_of_a_meeting_that_has_begun_is_missed_never_sent(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(hours=1))
    add_reminders(engine, meeting, T0, ["hour-before"])
    sent: list[Due] = []
    with time_machine.travel(T0 + dt.timedelta(hours=2), tick=False):  # down across both
        dispatcher = Dispatcher(engine, sent.append)
        assert dispatcher.tick() == 1
        assert dispatcher.tick() == 0
    assert sent == [] and deliveries(engine) == []
    assert row(engine, "hour-before").status == "missed"
    with Session(engine) as session:
        shown = reminders.overview(session, partnership_id(engine))
    assert [r.idempotency_key for r in shown["missed"]] == ["hour-before"]


def test_after_downtime_a_still_useful_reminder_is_sent_once_marked_late(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(hours=1))
    add_reminders(engine, meeting, T0, ["hour-before"])
    sent: list[Due] = []
    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):  # back after 10 min
        dispatcher = Dispatcher(engine, sent.append, grace=dt.timedelta(minutes=5))
        assert dispatcher.tick() == 1
        assert dispatcher.tick() == 0
    assert [(d.key, d.late) for d in sent] == [("hour-before", True)]
    done = row(engine, "hour-before")
    assert (done.status, done.late) == ("sent", True)
    assert done.sent_at == T0 + dt.timedelta(minutes=10)
    with Session(engine) as session:
        shown = reminders.overview(session, partnership_id(engine))
    assert [r.idempotency_key for r in shown["late"]] == ["hour-before"]
    assert len(deliveries(engine)) == 1


def test_a_worker_whose_lease_ran_out_cannot_complete(engine):
    meeting = add_meeting(engine, T0 + dt.timedelta(days=1))
    add_reminders(engine, meeting, T0, ["contested"])
    lease = dt.timedelta(seconds=2)
    [slow] = reminders.claim(engine, "slow", T0, lease=lease)
    assert reminders.claim(engine, "other", T0 + SECOND, lease=lease) == []  # still leased
    [fast] = reminders.claim(engine, "fast", T0 + 3 * SECOND, lease=lease)
    assert fast.reclaimed and not slow.reclaimed
    assert not reminders.renew(engine, slow, "slow", T0 + 3 * SECOND, lease=lease)
    assert reminders.complete(engine, fast, "fast", T0 + 4 * SECOND)
    assert not reminders.complete(engine, slow, "slow", T0 + 5 * SECOND)  # nothing written
    assert [(d.worker, d.delivered_at) for d in deliveries(engine)] == [("fast", T0 + 4 * SECOND)]


def test_the_one_window_left_send_accepted_but_not_recorded(engine):
    """Honest about the remaining gap: if recording fails after the post went out, the row is
    taken again after the lease and posted again — flagged `reclaimed`, so a Slack sender can
    look for its earlier post first. The delivery log still holds exactly one row."""
    meeting = add_meeting(engine, T0 + dt.timedelta(days=1))
    add_reminders(engine, meeting, T0, ["window"])
    posted: list[Due] = []
    broken = [True]

    def deliver(session: Session, due: Due) -> None:
        if broken[0]:
            raise OSError("database went away")

    with time_machine.travel(T0, tick=False) as clock:
        dispatcher = Dispatcher(engine, posted.append, deliver=deliver, lease=2 * SECOND)
        assert dispatcher.tick() == 1
        assert row(engine, "window").status == "claimed" and deliveries(engine) == []
        broken[0] = False
        clock.shift(SECOND)
        assert dispatcher.tick() == 0  # the lease still holds
        clock.shift(2 * SECOND)
        assert dispatcher.tick() == 1
    assert [d.reclaimed for d in posted] == [False, True]
    assert row(engine, "window").status == "sent" and len(deliveries(engine)) == 1


def test_background_ticks_send_and_report_alive(engine):
    meeting = add_meeting(engine, utcnow() + dt.timedelta(days=1))
    add_reminders(engine, meeting, utcnow(), ["now"])
    sent: list[Due] = []
    dispatcher = Dispatcher(engine, sent.append)
    assert not dispatcher.alive
    dispatcher.start(interval=0.05)
    try:
        deadline = time.monotonic() + 10
        while not sent and time.monotonic() < deadline:
            time.sleep(0.02)
        assert dispatcher.alive
    finally:
        dispatcher.stop()
    assert [d.key for d in sent] == ["now"] and not dispatcher.alive


# -- separate processes, real time -----------------------------------------------------------


class Proc:
    def __init__(self, popen: subprocess.Popen[bytes], out: Path, err: Path) -> None:
        self.popen, self.out, self.err = popen, out, err

    def lines(self) -> list[str]:
        return self.out.read_text().splitlines()

    def ready(self) -> bool:
        return any(line.startswith("READY") for line in self.lines())

    def sent_keys(self) -> list[str]:
        return [line.split()[1] for line in self.lines() if line.startswith("SENT ")]


@pytest.fixture
def spawn(tmp_path: Path) -> Iterator[Callable[..., Proc]]:
    """Start `python -m bot.dispatcher`; every process still running is stopped at the end."""
    started: list[Proc] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTNERBOT_", "DATABASE"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))

    def start(url: str, worker: str, *extra: str, ready: bool = True) -> Proc:
        out, err = tmp_path / f"{worker}.out", tmp_path / f"{worker}.err"
        cmd = [sys.executable, "-m", "bot.dispatcher", "--database-url", url, "--worker", worker]
        with out.open("wb") as o, err.open("wb") as e:
            popen = subprocess.Popen([*cmd, *extra], stdout=o, stderr=e, cwd=tmp_path, env=env)
        proc = Proc(popen, out, err)
        started.append(proc)
        if ready:
            wait_for(proc.ready, proc=proc)
        return proc

    yield start
    for proc in started:
        if proc.popen.poll() is None:
            proc.popen.send_signal(signal.SIGTERM)
    for proc in started:
        try:
            proc.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.popen.kill()
            proc.popen.wait()


def wait_for(done: Callable[[], bool], timeout: float = 30, proc: Proc | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if proc is not None and proc.popen.poll() is not None:
            raise AssertionError(f"dispatcher exited early: {proc.err.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def stop_all(procs: list[Proc]) -> None:
    for proc in procs:
        if proc.popen.poll() is None:
            proc.popen.send_signal(signal.SIGTERM)
    for proc in procs:
        proc.popen.wait(timeout=15)


def assert_exactly_once(engine: Engine, keys: list[str], procs: list[Proc]) -> None:
    """Each key: one delivery row, one post across all processes, marked sent; no errors."""
    log = deliveries(engine)
    assert len(log) == len(keys) and {d.idempotency_key for d in log} == set(keys)
    posts = [k for p in procs for k in p.sent_keys()]
    assert sorted(posts) == sorted(keys)  # no reminder posted twice, none left out
    assert sent_count(engine) == len(keys)
    for proc in procs:
        errors = proc.err.read_text()
        for word in ("IntegrityError", "UniqueViolation", "duplicate key", "Traceback"):
            assert word not in errors, errors


def kill_after_claim_and_recover(engine: Engine, url: str, spawn: Callable[..., Proc]) -> None:
    keys = [f"crash:{i:03d}" for i in range(120)]
    meeting = add_meeting(engine, utcnow() + dt.timedelta(days=1))
    crashing = spawn(url, "crashing", "--interval", "0.2", "--lease-seconds", "2",
                     "--crash-after-claim")  # fmt: skip
    add_reminders(engine, meeting, utcnow(), keys)
    crashing.popen.wait(timeout=30)
    assert crashing.popen.returncode == -signal.SIGKILL
    with Session(engine) as session:
        held = session.exec(select(Reminder).where(Reminder.claimed_by == "crashing")).all()
    assert held and all(r.status == "claimed" for r in held)
    lease_end = {r.idempotency_key: r.lease_until for r in held}

    healthy = spawn(url, "healthy", "--interval", "0.2", "--lease-seconds", "2")
    wait_for(lambda: sent_count(engine) == len(keys), proc=healthy)
    stop_all([healthy])
    assert_exactly_once(engine, keys, [crashing, healthy])
    for d in deliveries(engine):
        assert d.worker == "healthy"
        if d.idempotency_key in lease_end:  # taken over only once the lease had run out
            assert d.delivered_at >= lease_end[d.idempotency_key]


@pytest.mark.e2e
@pytest.mark.postgres
def test_three_dispatcher_processes_send_300_reminders_exactly_once(pg_engine, pg_url, spawn):
    meeting = add_meeting(pg_engine, utcnow() + dt.timedelta(days=1))
    # Short ticks and small batches: many claims, so the three really collide.
    procs = [
        spawn(pg_url, f"w{i}", "--interval", "0.05", "--limit", "10", ready=False) for i in range(3)
    ]
    for proc in procs:
        wait_for(proc.ready, proc=proc)
    keys = [f"burst:{i:03d}" for i in range(300)]
    add_reminders(pg_engine, meeting, utcnow(), keys)  # all due at once
    wait_for(lambda: sent_count(pg_engine) == 300)
    stop_all(procs)
    assert_exactly_once(pg_engine, keys, procs)
    assert all(p.popen.returncode == 0 for p in procs)
    workers = {d.worker for d in deliveries(pg_engine)}
    assert len(workers) >= 2, workers  # the processes really did compete for the rows


@pytest.mark.e2e
@pytest.mark.postgres
def test_postgres_dispatcher_killed_after_claim_loses_and_doubles_nothing(pg_engine, pg_url, spawn):
    kill_after_claim_and_recover(pg_engine, pg_url, spawn)


@pytest.mark.e2e
def test_sqlite_dispatcher_killed_after_claim_then_restarted(sqlite_engine, spawn):
    kill_after_claim_and_recover(sqlite_engine, sqlite_engine.url.render_as_string(False), spawn)
