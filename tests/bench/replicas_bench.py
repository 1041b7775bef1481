"""Reminders posted per reminder with three replicas on PostgreSQL (issue 9's goal: exactly 1):
once with Slack answering after the client's timeout (it took the post), once with a replica
killed with -9 right after Slack took a post. Prints, asserts nothing. The field saw 2–4 posts
per reminder with a slow Slack and 4 of 100 reminders doubled under kill -9."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "tests/bench")]

from common import pg_database  # noqa: E402
from fake_slack import FakeSlack  # noqa: E402
from replica_run import run  # noqa: E402


def scenario(label: str, **kw: int) -> None:
    with pg_database("reminders across replicas") as url:
        if url is None:
            return
        with FakeSlack() as fake, tempfile.TemporaryDirectory() as tmp:
            out = run(fake, url, Path(tmp), **kw)
    spread = ", ".join(f"{n}×: {c}" for n, c in sorted(out.per_reminder().items()))
    print(
        f"reminders posted per reminder and channel, 3 replicas, {label}: {spread} "
        f"({out.reminders} reminders × 2 channels, {out.crashed} replica killed, "
        f"{out.seconds:.0f} s)"
    )


def main() -> None:
    scenario("Slack answering after the timeout", count=30, slow=20, crash_after=0)
    scenario("one replica killed with -9 after a post", count=30, slow=0, crash_after=5)


if __name__ == "__main__":
    main()
