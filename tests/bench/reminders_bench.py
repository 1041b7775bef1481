"""Reminder dispatch benchmark (issue 5): prints, asserts nothing. Goal: lateness p99 ≤ 2 s.

- Lateness (sent − due) p50/p99/max with the default 1 s tick: ~200 reminders due at random
  moments over ~20 s, one dispatcher ticking in the background as in production.
- Drain rate of one dispatcher when its `send` keeps Slack's pace of about one message a second
  per channel (the adapter's own `Pacer`), reminders spread over N channels and all due at
  once: interleaved by channel (the best case), and two in a row per channel (the pacer
  blocks the whole tick while the second waits its turn). Plus the raw rate without pacing,
  the ceiling the database sets (two short transactions per reminder plus the claim).

SQLite always; PostgreSQL too (lateness and the raw rate) when the local server answers.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import pct, pg_database  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlmodel import Session, SQLModel, select  # noqa: E402

from bot.dispatcher import Dispatcher  # noqa: E402
from bot.pacing import Pacer  # noqa: E402
from bot.runtime import prepare_database  # noqa: E402
from config.partnership import load_all  # noqa: E402
from config.settings import SHIPPED_CONFIG_DIR  # noqa: E402
from storage import reminders  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.models import Meeting, Partnership  # noqa: E402
from storage.reminders import Due  # noqa: E402
from storage.sync import sync_partnership  # noqa: E402
from storage.types import utcnow  # noqa: E402

SLUG = "tingbjerg-husum"


def fresh(engine: Engine) -> tuple[int, int]:
    """Empty reminder tables, one partnership and one meeting far ahead: (partnership, meeting)."""
    with engine.begin() as conn:
        for table in ("reminder_deliveries", "reminders", "meetings"):
            conn.execute(SQLModel.metadata.tables[table].delete())
    with Session(engine) as session:
        for spec in load_all(SHIPPED_CONFIG_DIR).values():
            sync_partnership(session, spec)
        session.commit()
        pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
        assert pid is not None
        meeting = Meeting(
            partnership_id=pid, starts_at=utcnow() + dt.timedelta(days=30), created_by="bench"
        )
        session.add(meeting)
        session.commit()
        assert meeting.id is not None
        return pid, meeting.id


def add(engine: Engine, pid: int, meeting: int, dues: dict[str, dt.datetime]) -> None:
    with Session(engine) as session:
        for key, due_at in dues.items():
            reminders.upsert(
                session, partnership_id=pid, meeting_id=meeting, kind="lead", key=key, due_at=due_at
            )
        session.commit()


def run_until(dispatcher: Dispatcher, done: Callable[[], bool], timeout: float) -> float:
    """Tick in the background (the default 1 s) until `done`; the seconds it took."""
    began = time.perf_counter()
    dispatcher.start()
    try:
        while not done() and time.perf_counter() - began < timeout:
            time.sleep(0.01)
    finally:
        dispatcher.stop()
    return time.perf_counter() - began


def lateness(engine: Engine, label: str, n: int = 200, spread: float = 20.0) -> None:
    pid, meeting = fresh(engine)
    rng = random.Random(5)
    start = utcnow() + dt.timedelta(seconds=1)
    add(
        engine,
        pid,
        meeting,
        {f"late:{i}": start + dt.timedelta(seconds=rng.uniform(0, spread)) for i in range(n)},
    )
    late: dict[str, float] = {}

    def send(due: Due) -> None:
        late[due.key] = (utcnow() - due.due_at).total_seconds()

    run_until(Dispatcher(engine, send), lambda: len(late) >= n, spread + 30)
    values = list(late.values())
    print(
        f"reminder lateness on {label}, 1 s tick, {len(values)}/{n} over {spread:.0f} s: "
        f"p50 {pct(values, 0.5):.2f} s, p99 {pct(values, 0.99):.2f} s, "
        f"max {max(values):.2f} s (goal p99 ≤ 2 s)"
    )


def drain(engine: Engine, label: str, n: int, channels: int, run: int, paced: bool) -> None:
    """`n` reminders due at once over `channels` channels, `run` in a row per channel in due
    order; how many a second one dispatcher sends."""
    pid, meeting = fresh(engine)
    now = utcnow() - dt.timedelta(seconds=1)
    order = [f"drain:{i:05d}" for i in range(n)]
    channel = {key: f"C{(i // run) % channels}" for i, key in enumerate(order)}
    dues = {key: now + dt.timedelta(microseconds=i) for i, key in enumerate(order)}
    add(engine, pid, meeting, dues)
    pacer = Pacer(1.0)
    sent: list[str] = []

    def send(due: Due) -> None:
        if paced:
            pacer.wait(channel[due.key])
        sent.append(due.key)

    took = run_until(Dispatcher(engine, send), lambda: len(sent) >= n, n + 30)
    if paced:
        what = f"paced 1/s per channel, {channels} channels, {run} in a row per channel"
        ideal = f" (ideal {n // channels - 1} s: each channel's first post goes at once)"
    else:
        what, ideal = "no pacing (the database's ceiling)", ""
    print(
        f"drain on {label}, {what}: {len(sent)} reminders in {took:.1f} s = "
        f"{len(sent) / took:.1f}/s{ideal}"
    )


def bench(url: str, label: str, *, paced: bool) -> None:
    engine = make_engine(url)
    prepare_database(engine)
    lateness(engine, label)
    if paced:  # the pace, not the database, sets these: one backend is enough
        drain(engine, label, n=200, channels=20, run=1, paced=True)
        drain(engine, label, n=20, channels=10, run=2, paced=True)
    drain(engine, label, n=2000, channels=1, run=1, paced=False)
    engine.dispose()


def main() -> None:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        bench(f"sqlite:///{Path(tmp) / 'reminders.db'}", "SQLite", paced=True)
    with pg_database("reminders") as url:
        if url is not None:
            bench(url, "PostgreSQL", paced=False)
    print(f"reminder benchmark took {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
