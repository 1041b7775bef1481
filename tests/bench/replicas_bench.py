"""Reminders posted per reminder with three replicas on PostgreSQL (issue 9's goal: exactly 1):
once with Slack answering after the client's timeout (it took the post), once with a replica
killed with -9 right after Slack took a post. Prints, asserts nothing. The field saw 2–4 posts
per reminder with a slow Slack and 4 of 100 reminders doubled under kill -9."""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_slack import FakeSlack  # noqa: E402
from replica_run import run  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

PG_ADMIN = os.environ.get("PARTNERBOT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def scenario(label: str, **kw: int) -> None:
    db = f"partnerbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{db}"'))
    except Exception as exc:  # no server: say so
        print(f"reminders across replicas skipped: {exc.__class__.__name__}")
        return
    try:
        with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
            out = run(fake, PG_ADMIN.rsplit("/", 1)[0] + f"/{db}", Path(tmp), **kw)
        spread = ", ".join(f"{n}×: {c}" for n, c in sorted(out.per_reminder().items()))
        print(
            f"reminders posted per reminder and channel, 3 replicas, {label}: {spread} "
            f"({out.reminders} reminders × 2 channels, {out.crashed} replica killed, "
            f"{out.seconds:.0f} s)"
        )
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    scenario("Slack answering after the timeout", count=30, slow=20, crash_after=0)
    scenario("one replica killed with -9 after a post", count=30, slow=0, crash_after=5)


if __name__ == "__main__":
    main()
