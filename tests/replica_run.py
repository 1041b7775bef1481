"""Several reminder dispatchers posting to the fake Slack, as replicas of `serve` do: the shared
run behind the exactly-once test on PostgreSQL (tests/e2e) and the benchmark that prints how
many times each reminder was posted (tests/bench). Each replica is a process
(`python -m bot.slack.replica`); Slack can answer after the client's timeout, and a replica can
be killed with -9 right after Slack accepted its post."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fake_slack import FakeSlack, Fault
from slack_app import as_admin, slack_runtime
from sqlalchemy import func
from sqlmodel import Session, select

from storage import reminders
from storage.models import Meeting, Partnership, Reminder
from storage.types import utcnow

REPO = Path(__file__).resolve().parents[1]
SLUG = "tingbjerg-husum"
CHANNELS = ("C0WG", "C0OTHER")


@dataclass
class Outcome:
    reminders: int
    posts: dict[str, Counter[str]]  # channel -> key -> how many times it was posted there
    sent: int  # rows marked sent
    crashed: int  # replicas that died with -9 after a post
    seconds: float
    errors: list[str] = field(default_factory=list)

    def per_reminder(self) -> Counter[int]:
        """How many reminders were posted 0, 1, 2, … times into a channel (goal: all 1)."""
        counts: Counter[int] = Counter()
        for channel in CHANNELS:
            seen = self.posts.get(channel, Counter())
            for n in range(self.reminders):
                counts[seen.get(f"replica:{n}", 0)] += 1
        return counts


def prepare(fake: FakeSlack, database_url: str, count: int) -> None:
    """Two bound channels and `count` meetings, each with one reminder due now."""
    runtime = slack_runtime(fake, database_url)
    try:
        for channel in CHANNELS:
            as_admin(runtime, channel, "bind tingbjerg-husum")
        now = utcnow()
        with Session(runtime.engine) as session:
            pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
            for n in range(count):
                meeting = Meeting(
                    partnership_id=pid or 0,
                    starts_at=now + dt.timedelta(days=3, hours=n),
                    title=f"Møde {n + 1}",
                    created_by="bench",
                )
                session.add(meeting)
                session.flush()
                reminders.upsert(
                    session,
                    partnership_id=pid or 0,
                    meeting_id=meeting.id,
                    kind="lead:P2D",
                    key=f"replica:{n}",
                    due_at=now - dt.timedelta(seconds=1),
                )
            session.commit()
    finally:
        runtime.engine.dispose()


def run(
    fake: FakeSlack,
    database_url: str,
    workdir: Path,
    *,
    count: int = 12,
    replicas: int = 3,
    slow: int = 4,
    crash_after: int = 3,
    timeout: float = 0.5,
    deadline: float = 120,
) -> Outcome:
    """Post `count` reminders with `replicas` dispatchers: the first `slow` posts are answered
    after the client's timeout (Slack took them), the first replica dies with -9 after its
    `crash_after`-th post (0: none does). Waits until every reminder is sent."""
    prepare(fake, database_url, count)
    answer_late = Fault(delay=timeout * 3)
    fake.inject("chat.postMessage", *[answer_late] * slow)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PARTNERBOT_", "DATABASE"))}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    procs = []
    begun = time.monotonic()
    for r in range(replicas):
        extra = ["--crash-after-post", str(crash_after)] if r == 0 and crash_after else []
        out = (workdir / f"replica{r}.out").open("wb")
        err = (workdir / f"replica{r}.err").open("wb")
        cmd = [sys.executable, "-m", "bot.slack.replica", "--database-url", database_url,
               "--slack-api-url", fake.url, "--worker", f"replica-{r}", "--timeout",
               str(timeout), "--lease-seconds", "3", "--interval", "0.2", *extra]  # fmt: skip
        procs.append(subprocess.Popen(cmd, stdout=out, stderr=err, cwd=workdir, env=env))
    from storage.db import make_engine

    engine = make_engine(database_url)
    try:
        while True:
            with Session(engine) as session:
                sent = session.exec(
                    select(func.count()).select_from(Reminder).where(Reminder.status == "sent")
                ).one()
            if sent >= count or time.monotonic() - begun > deadline:
                break
            time.sleep(0.2)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
        engine.dispose()
    posts: dict[str, Counter[str]] = {}
    for channel in CHANNELS:
        posts[channel] = Counter(
            p.metadata["event_payload"]["key"] for p in fake.posted(channel) if p.metadata
        )
    crashed = sum(proc.returncode == -signal.SIGKILL for proc in procs)
    errors = [
        line
        for r in range(replicas)
        for line in (workdir / f"replica{r}.err").read_text().splitlines()
        if "Traceback" in line  # slack_sdk logs each timeout as an ERROR line: expected
    ]
    return Outcome(count, posts, sent, crashed, time.monotonic() - begun, errors)
