"""Start-up + one command, as a person runs them (DESIGN section 7: a CLI command that draws
nothing starts and answers in 0.5 s): `--help`, the shell answering `whoami`, and
`import FILE`, each a fresh process on a database already at the head schema. Prints the
median wall time and the median CPU time of the child (less sensitive to a busy machine).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PARTNERBOT_", "SLACK_", "DATABASE_URL", "PORT"))
    }
    env["DATABASE_URL"] = f"sqlite:///{tmp / 'startup.db'}"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _once(args: list[str], stdin: str, tmp: Path) -> tuple[float, float]:
    before = os.times()
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env=_env(tmp),
        cwd=tmp,
        check=True,
    )
    wall = time.perf_counter() - began
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        values = tmp / "values.csv"
        values.write_text("indicator,year,value\ncrime.indbrud,2018,100\n", encoding="utf-8")
        _once(["shell"], "whoami\n", tmp)  # creates the schema: not part of the figure
        cases = [
            ("--help", ["--help"], ""),
            ("shell + whoami", ["shell"], "whoami\n"),
            ("import FILE", ["import", str(values)], ""),
        ]
        for label, args, stdin in cases:
            times = [_once(args, stdin, tmp) for _ in range(runs)]
            wall = statistics.median(t[0] for t in times) * 1000
            cpu = statistics.median(t[1] for t in times) * 1000
            print(
                f"start-up + {label} (median of {runs}): {wall:.0f} ms wall, {cpu:.0f} ms CPU "
                "(goal 500 ms)"
            )


if __name__ == "__main__":
    main()
