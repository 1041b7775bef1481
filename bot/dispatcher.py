"""The reminder dispatcher: every tick, claim the due reminders, send each, record it (DESIGN
section 5; the store and its exactly-once argument are in storage/reminders.py).

APScheduler (3.x BackgroundScheduler) only drives the ticks, in memory: no job store, nothing
pickled, so a renamed module cannot orphan a job and replicas cannot double-fire one. What is
due lives in the `reminders` table; any number of dispatchers may run against PostgreSQL, one
at a time against SQLite (more are safe, just serialised).

`python -m bot.dispatcher --database-url URL --worker NAME` runs one dispatcher whose sender
prints `SENT <key> <worker>` and whose deliveries are logged by `complete` (the exactly-once
tests start several of these and kill some with -9).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import logging
import os
import signal
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import reminders
from storage.reminders import Due
from storage.types import utcnow

log = logging.getLogger(__name__)


class _QuietOverlap(logging.Filter):
    """With max_instances=1, APScheduler warns at every interval a long tick (a paced batch)
    overlaps; that is the design working, not a fault, so the notice is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "maximum number of running instances reached" not in record.getMessage()


scheduler_log = logging.getLogger(f"{__name__}.scheduler")
scheduler_log.addFilter(_QuietOverlap())

BACKOFF_BASE = dt.timedelta(seconds=5)
BACKOFF_CAP = dt.timedelta(minutes=5)
# Failing this long with no send succeeding in between, the dispatcher reports that it cannot
# deliver (/healthz answers 503 and says why).
FAILING_FOR_S = 60.0


def exponential_backoff(attempt: int) -> dt.timedelta:
    """5 s, 10 s, 20 s, … for attempts 1, 2, 3, …, capped at 5 minutes: a Slack outage gets a
    few quick retries and then room to recover, and a reminder arrives at most 5 minutes after
    Slack is back."""
    # The exponent is capped too: a reminder retried for days has thousands of attempts.
    return min(BACKOFF_BASE * (2 ** min(max(attempt - 1, 0), 16)), BACKOFF_CAP)


class NoChannel(Exception):
    """What a sender raises for a reminder with something to say and nowhere to say it: not
    a delivery fault (the dispatcher stays healthy), but one the chair must hear of."""

    def __init__(self) -> None:
        super().__init__(reminders.NO_CHANNEL)


def default_worker() -> str:
    """Unique per process: `complete` trusts the worker name as the owner of a claim, so two
    processes must never share one."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Dispatcher:
    """Claims due reminders and hands each to `send`; the database decides what is due.

    `send(due)` posts the reminder (raising on failure). `deliver(session, due)`, if given, runs
    inside the transaction that marks the reminder sent (the shell and the tests record there).
    `meeting_start(session, meeting_id)` gives the meeting's start, to mark reminders of a
    meeting that has already begun as missed instead of sending them; by default it reads the
    `meetings` table. `on_undelivered(due)` is called once a reminder will not reach people
    as it should: it had no channel, or it was given up or missed (the chair is told).
    A failing reminder is retried until its meeting begins (storage/reminders.py `fail`).
    """

    def __init__(
        self,
        engine: Engine,
        send: Callable[[Due], None],
        *,
        worker: str | None = None,
        lease: dt.timedelta = dt.timedelta(seconds=60),
        grace: dt.timedelta = dt.timedelta(minutes=5),
        clock: Callable[[], dt.datetime] = utcnow,
        meeting_start: Callable[[Session, int], dt.datetime | None] | None = None,
        deliver: Callable[[Session, Due], None] | None = None,
        limit: int = 50,
        backoff: Callable[[int], dt.timedelta] = exponential_backoff,
        on_undelivered: Callable[[Due], None] | None = None,
        failing_for: float = FAILING_FOR_S,
    ) -> None:
        self.engine = engine
        self.send = send
        self.worker = worker or default_worker()
        self.lease = lease
        self.grace = grace
        self.clock = clock
        self.meeting_start = meeting_start or reminders.meeting_starts_at
        self.deliver = deliver
        self.limit = limit
        self.backoff = backoff
        self.on_undelivered = on_undelivered
        self.failing_for = failing_for
        self._failing_since: float | None = None  # time.monotonic() of the first failed send
        self._last_error = ""
        self._scheduler: BackgroundScheduler | None = None
        self._interval = 1.0
        self._beat: float | None = None  # time.monotonic() of the last sign of progress

    # -- one tick -------------------------------------------------------------------------

    def _claim(self, now: dt.datetime) -> list[Due]:
        """Separate so the test entry point can die right after a claim."""
        return reminders.claim(self.engine, self.worker, now, lease=self.lease, limit=self.limit)

    def tick(self) -> int:
        """Claim what is due and handle it; returns how many reminders were handled (sent,
        failed or missed). A failing send never stops the others. A full batch is
        followed at once by another claim, so a backlog (after downtime) drains at the speed
        of the database and the sender, not at `limit` per tick."""
        handled = 0
        while True:
            dues = self._claim(self.clock())
            self._beat = time.monotonic()
            if not dues:
                return handled
            starts = self._meeting_starts(dues)
            for due in dues:
                if self._handle(due, starts.get(due.meeting_id) if due.meeting_id else None):
                    handled += 1
                self._beat = time.monotonic()
            if len(dues) < self.limit:
                return handled

    def _meeting_starts(self, dues: list[Due]) -> dict[int, dt.datetime | None]:
        ids = {d.meeting_id for d in dues if d.meeting_id is not None}
        if not ids:
            return {}
        with Session(self.engine) as session:
            return {mid: self.meeting_start(session, mid) for mid in ids}

    def _handle(self, due: Due, meeting_start: dt.datetime | None) -> bool:
        now = self.clock()
        if meeting_start is not None and meeting_start <= now:
            reminders.miss(self.engine, due, self.worker, now)
            log.warning("reminder %s missed: its meeting began at %s", due.key, meeting_start)
            self._tell(due)
            return True
        late = now - due.due_at > self.grace
        due = dataclasses.replace(due, late=late)
        try:
            # Renew right before posting: a row still ours now stays ours for a whole lease,
            # so no other worker can post it while this one does (see storage/reminders.py).
            if not reminders.renew(self.engine, due, self.worker, now, lease=self.lease):
                log.info("reminder %s is no longer ours (taken over or cancelled)", due.key)
                return False
            self.send(due)
        except Exception as exc:
            self._failed(due, meeting_start, exc)
            return True
        self._failing_since = None
        deliver = self.deliver
        try:
            done = reminders.complete(
                self.engine,
                due,
                self.worker,
                self.clock(),
                deliver=(lambda session: deliver(session, due)) if deliver else None,
                late=late,
            )
        except Exception:
            # Posted but not recorded: the row stays claimed and is taken again after the
            # lease (with `reclaimed` set, so the sender looks before posting again).
            log.exception("reminder %s was sent but could not be recorded", due.key)
            return True
        if not done:
            log.warning("reminder %s was sent but another worker had taken it over", due.key)
        return True

    def _failed(self, due: Due, meeting_start: dt.datetime | None, exc: Exception) -> None:
        nowhere = isinstance(exc, NoChannel)
        error = str(exc) if nowhere else f"{exc.__class__.__name__}: {exc}"
        outcome = reminders.fail(
            self.engine,
            due,
            self.worker,
            self.clock(),
            error,
            until=reminders.retry_until(due, meeting_start),
            backoff=self.backoff,
        )
        log.warning("reminder %s: send failed (%s): %s", due.key, outcome, error)
        if not nowhere and self._failing_since is None:
            self._failing_since = time.monotonic()
        if not nowhere:
            self._last_error = error
        if outcome in ("missed", "failed") or (nowhere and due.attempts == 0):
            self._tell(due)

    def _tell(self, due: Due) -> None:
        if self.on_undelivered is None:
            return
        try:
            self.on_undelivered(due)
        except Exception:  # the reminder's own state is recorded; the notice is a courtesy
            log.exception("could not schedule the notice for reminder %s", due.key)

    # -- background ticks -------------------------------------------------------------------

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:  # database unreachable, ...: log, and try again next tick
            log.exception("reminder dispatcher tick failed")

    def start(self, interval: float = 1.0) -> None:
        """Tick every `interval` seconds in a background thread, starting now. In memory only;
        one tick at a time (max_instances=1), and ticks missed while one runs long are
        coalesced into one."""
        if self._scheduler is not None:
            return
        self._interval = interval
        self._beat = time.monotonic()
        scheduler = BackgroundScheduler(timezone=dt.UTC, logger=scheduler_log)
        scheduler.add_job(
            self._safe_tick,
            "interval",
            seconds=interval,
            id="reminder-dispatcher",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=dt.datetime.now(dt.UTC),
        )
        scheduler.start()
        self._scheduler = scheduler

    def every(
        self, interval: dt.timedelta, job: Callable[[], None], job_id: str, first: dt.timedelta
    ) -> None:
        """Another in-memory job in the dispatcher's scheduler (the daily retention run), from
        `first` after now, one at a time; stopped with the dispatcher. Call after `start`."""
        if self._scheduler is None:
            raise RuntimeError("start the dispatcher first")
        self._scheduler.add_job(
            job,
            "interval",
            seconds=interval.total_seconds(),
            id=job_id,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=dt.datetime.now(dt.UTC) + first,
        )

    def stop(self) -> None:
        """Stop ticking; waits for a tick in progress to finish, so nothing is left half-sent."""
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None

    @property
    def alive(self) -> bool:
        """For /healthz: ticking, and a tick made progress within the lease (past that, this
        process's claims may be taken over by others, so it no longer counts as working)."""
        if self._scheduler is None or not self._scheduler.running or self._beat is None:
            return False
        limit = max(self.lease.total_seconds(), 10 * self._interval)
        return time.monotonic() - self._beat <= limit

    def health(self) -> str:
        """What /healthz says of the dispatcher: "ok", "stopped", or that it cannot deliver
        (every send has failed for a minute: the platform is down or refuses the bot)."""
        if not self.alive:
            return "stopped"
        since = self._failing_since
        if since is not None and time.monotonic() - since >= self.failing_for:
            return f"cannot deliver for {time.monotonic() - since:.0f} s: {self._last_error[:200]}"
        return "ok"


# -- test and operations entry point ----------------------------------------------------------


def crash(line: str) -> None:
    """Say `line` and die with SIGKILL, as a replica does when its machine goes away: no
    cleanup, no `finally`, the claims left as they are (the exactly-once tests' crash)."""
    print(line, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)


def run_until_signalled(dispatcher: Dispatcher, interval: float) -> None:
    """Tick until SIGTERM or SIGINT, then finish the tick in hand; prints `READY worker` once
    ticking (the process entry points the tests start)."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    dispatcher.start(interval)
    print(f"READY {dispatcher.worker}", flush=True)
    while not stop.wait(0.5):
        pass
    dispatcher.stop()


class _CrashingDispatcher(Dispatcher):
    """Dies right after its first claim of at least one row (claimed, nothing sent, nothing
    recorded)."""

    def _claim(self, now: dt.datetime) -> list[Due]:
        dues = super()._claim(now)
        if dues:
            crash(f"CLAIMED {len(dues)} {self.worker}")
        return dues


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dispatcher", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between ticks")
    parser.add_argument("--lease-seconds", type=float, default=60.0)
    parser.add_argument("--limit", type=int, default=50, help="reminders claimed per tick")
    parser.add_argument("--send-delay", type=float, default=0.0, help="seconds each send takes")
    parser.add_argument("--crash-after-claim", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    from storage import migrate
    from storage.db import make_engine

    engine = make_engine(args.database_url)
    if migrate.current_revision(engine) != migrate.head_revision():
        print("the database schema is not at head; run `partnerbot db upgrade`", file=sys.stderr)
        return 2

    def send(due: Due) -> None:
        if args.send_delay:
            time.sleep(args.send_delay)
        print(f"SENT {due.key} {args.worker}", flush=True)

    cls = _CrashingDispatcher if args.crash_after_claim else Dispatcher
    dispatcher = cls(
        engine,
        send,
        worker=args.worker,
        lease=dt.timedelta(seconds=args.lease_seconds),
        limit=args.limit,
    )
    run_until_signalled(dispatcher, args.interval)
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
