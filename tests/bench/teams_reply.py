"""Teams reply benchmark (DESIGN section 7): `@Partnerbot update …` at 20 messages/s, against
`partnerbot serve` and against a bare microsoft-teams-apps echo bot set up the same way, in one
run, over real HTTP with activities signed as the Bot Framework signs them.

Measured per message: the HTTP answer to the connector (Teams waits at most 15 s), which comes
after the reply card was posted to the (fake) connector; the goal is p99 <= 50 ms.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from fake_teams import FakeTeams  # noqa: E402
from teams_activities import ADMIN, ANNA, channel_message, post_activity, send  # noqa: E402

RATE = float(os.environ.get("BENCH_RATE", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def load(url: str, fake: FakeTeams, label: str) -> list[float]:
    """Open loop: message i is sent at t0 + i/RATE whatever the earlier ones are doing."""
    count = int(RATE * SECONDS)
    activities = [
        channel_message(fake, ANNA, f"update PF1 on-track {label} note {i}") for i in range(count)
    ]
    token = fake.sign(expires_in=3600)  # the connector reuses its token for a while
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        began = time.perf_counter()
        status, _ = post_activity(url, activities[i], token)
        took = (time.perf_counter() - began) * 1000
        with lock:
            latencies.append(took)
            if status != 200:
                errors.append(status)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for i in range(count):
            delay = t0 + i / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    if errors:
        print(f"  {label}: {len(errors)} non-200 answers, e.g. {errors[:3]}")
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    print(f"Teams reply benchmark: update at {RATE:g} msg/s for {SECONDS:g} s, uvicorn")
    with tempfile.TemporaryDirectory() as tmp, FakeTeams() as fake:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "PARTNERBOT_", "TEAMS_", "DATABASE_URL", "PORT"))
        }
        env |= fake.settings_env() | {
            "PARTNERBOT_ADMINS": ADMIN.aad,
            "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.db'}",
            "PYTHONPATH": str(ROOT),
        }
        ours_port, bare_port = free_port(), free_port()
        ours = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"],
            env=env | {"TEAMS_PORT": str(ours_port)},
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        bare = subprocess.Popen(
            [sys.executable, str(ROOT / "tests/bench/bare_teams.py"), str(bare_port)],
            env=env,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(f"http://127.0.0.1:{ours_port}/healthz", ours)
            wait_up(f"http://127.0.0.1:{bare_port}/healthz", bare)
            ours_url = f"http://127.0.0.1:{ours_port}/api/messages"
            bare_url = f"http://127.0.0.1:{bare_port}/api/messages"
            fake.add_member(ANNA.id, ANNA.aad, ANNA.name)
            for text, mentions in (
                ("bind tingbjerg-husum", ()),
                ("member add @0 org=sof role=member", (ANNA,)),
                ('activity add PF1 "Natteravne" area=tryggere-byliv org=sof', ()),
            ):
                send(ours_url, fake, channel_message(fake, ADMIN, text, mentions=mentions))
            for i in range(40):  # warm-up: connections, key set, token, caches
                for url in (ours_url, bare_url):
                    send(url, fake, channel_message(fake, ANNA, f"update PF1 on-track warm {i}"))
            bare_ms = load(bare_url, fake, "bare")
            ours_ms = load(ours_url, fake, "partnerbot")
        finally:
            for proc in (ours, bare):
                proc.terminate()
                proc.wait(timeout=30)
    for label, values in (
        ("bare microsoft-teams-apps echo", bare_ms),
        ("partnerbot serve", ours_ms),
    ):
        print(
            f"  {label:<32} n={len(values)}  p50 {pct(values, 0.5):.1f} ms  "
            f"p99 {pct(values, 0.99):.1f} ms  max {max(values):.1f} ms"
        )
    print(
        f"  ratio partnerbot/bare: p50 {pct(ours_ms, 0.5) / pct(bare_ms, 0.5):.2f}  "
        f"p99 {pct(ours_ms, 0.99) / pct(bare_ms, 0.99):.2f}  (goal: p99 <= 50 ms)"
    )


if __name__ == "__main__":
    main()
