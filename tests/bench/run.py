"""`make bench`: prints the figures; asserts nothing (speed goals are read, not tested).

Figures now: start-up + one command (startup_bench.py), the command path (`update` parse ->
rights -> write -> commit) on SQLite and PostgreSQL, demo seeding, the Slack ack
benchmark (slack_ack.py), status all to the last chart in Slack (status_bench.py) and the
Teams reply benchmark (teams_reply.py), the charts (charts_bench.py) and the annual report
(report_bench.py).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import demo_context, pct, pg_database  # noqa: E402

from bot.runtime import start  # noqa: E402
from commands.engine.run import run_command  # noqa: E402
from config.settings import load_settings  # noqa: E402
from storage.demo import ensure_demo  # noqa: E402


def command_path(url: str, label: str, n: int = 400) -> None:
    ctx = demo_context(url, lang="en")
    for _ in range(20):  # warm-up
        run_command("update PF1 on-track warm-up", ctx)
    times = []
    for i in range(n):
        began = time.perf_counter()
        reply = run_command(f"update PF1 on-track note number {i}", ctx)
        times.append((time.perf_counter() - began) * 1000)
        assert reply.ok, reply.plain()
    print(
        f"`update` command path on {label} ({n} runs): p50 {pct(times, 0.5):.1f} ms, "
        f"p99 {pct(times, 0.99):.1f} ms"
    )
    list_times = []
    for _ in range(100):
        began = time.perf_counter()
        run_command("activity list", ctx)
        list_times.append((time.perf_counter() - began) * 1000)
    print(
        f"`activity list` on {label}: p50 {pct(list_times, 0.5):.1f} ms, "
        f"p99 {pct(list_times, 0.99):.1f} ms"
    )
    ctx.engine.dispose()


def demo_seed(tmp: Path) -> None:
    runtime = start(load_settings({}), database_url=f"sqlite:///{tmp / 'seed.db'}")
    began = time.perf_counter()
    ensure_demo(runtime.engine, runtime.partnerships["tingbjerg-husum"])
    print(f"demo seeding on SQLite: {(time.perf_counter() - began) * 1000:.0f} ms")


def main() -> None:
    print(f"Partnerbot benchmarks — {time.strftime('%Y-%m-%d')} — {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        demo_seed(tmp)
        command_path(f"sqlite:///{tmp / 'bench.db'}", "SQLite")
    with pg_database("the command path") as url:
        if url is not None:
            command_path(url, "PostgreSQL")


if __name__ == "__main__":
    main()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import charts_bench
    import import_bench
    import reminders_bench
    import replicas_bench
    import report_bench
    import scale
    import slack_ack
    import slack_faults_bench
    import startup_bench
    import status_bench
    import teams_reply

    startup_bench.main()
    charts_bench.main()
    report_bench.main()
    scale.main()
    reminders_bench.main()
    replicas_bench.main()
    slack_ack.main()
    slack_faults_bench.main()
    status_bench.main()
    teams_reply.main()
    import_bench.main()
