"""Ack benchmark (DESIGN section 7): `/wg update` over real HTTP at 20 requests/s for 30 s,
against `partnerbot serve` and against a bare Bolt app under the same server, in one run.

Each request is signed like Slack's and carries a different note (so none is a replay); ours
parses, checks rights, writes and commits the update before acknowledging.
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

from fake_slack import FakeSlack  # noqa: E402
from helpers import clean_env  # noqa: E402
from slack_requests import SIGNING_SECRET, command_body, post_signed  # noqa: E402

TOKEN = "xoxb-test-token"
RATE = float(os.environ.get("BENCH_RATE", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return  # the bare app answers 404 on / : it is up
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def set_up(url: str) -> None:
    """The admin binds the channel, registers anna and adds her organisation's activity."""
    for text in (
        "bind tingbjerg-husum",
        "member add <@U0ANNA|anna> org=sof role=member",
        'activity add PF1 "Natteravne" area=tryggere-byliv org=sof',
    ):
        post_signed(url, command_body(text, user_id="U0ADMIN"))


def load(url: str, label: str) -> list[float]:
    """Open loop: request i is sent at t0 + i/RATE whatever the earlier ones are doing."""
    count = int(RATE * SECONDS)
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()
    bodies = [
        command_body(f"update PF1 on-track {label} note {i}", user_id="U0ANNA")
        for i in range(count)
    ]

    def one(i: int) -> None:
        began = time.perf_counter()
        status, _, _ = post_signed(url, bodies[i])
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
    print(f"ack benchmark: /wg update at {RATE:g} req/s for {SECONDS:g} s, HTTP, waitress")
    with tempfile.TemporaryDirectory() as tmp, FakeSlack(token=TOKEN) as fake:
        env = clean_env(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.url,
            PARTNERBOT_ADMINS="U0ADMIN",
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.db'}",
        )
        ours_port, bare_port, default_port = free_port(), free_port(), free_port()
        ours = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"],
            env=env | {"PORT": str(ours_port)},
            cwd=tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        bare, default = (
            subprocess.Popen(
                [sys.executable, str(ROOT / "tests/bench/bare_bolt.py"), str(port), mode],
                env=env,
                cwd=tmp,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for port, mode in ((bare_port, "same"), (default_port, "default"))
        )
        try:
            wait_healthy(f"http://127.0.0.1:{ours_port}/healthz", ours)
            wait_healthy(f"http://127.0.0.1:{bare_port}/", bare)
            wait_healthy(f"http://127.0.0.1:{default_port}/", default)
            ours_url = f"http://127.0.0.1:{ours_port}/slack/events"
            bare_url = f"http://127.0.0.1:{bare_port}/slack/events"
            set_up(ours_url)
            for i in range(40):  # warm-up: connections, caches, the first users.info
                post_signed(
                    ours_url, command_body(f"update PF1 on-track warm-up {i}", user_id="U0ANNA")
                )
            bare_ms = load(bare_url, "bare")
            ours_ms = load(ours_url, "partnerbot")
            default_ms = load(f"http://127.0.0.1:{default_port}/slack/events", "default")
        finally:
            for proc in (ours, bare, default):
                proc.terminate()
                proc.wait(timeout=30)
    for label, values in (
        ("bare Bolt (process_before_response, as serve)", bare_ms),
        ("partnerbot serve", ours_ms),
        ("bare Bolt, default runner (for reference)", default_ms),
    ):
        print(
            f"  {label:<46} n={len(values)}  p50 {pct(values, 0.5):.1f} ms  "
            f"p99 {pct(values, 0.99):.1f} ms  max {max(values):.1f} ms"
        )
    print(
        f"  ratio partnerbot/bare: p50 {pct(ours_ms, 0.5) / pct(bare_ms, 0.5):.2f}  "
        f"p99 {pct(ours_ms, 0.99) / pct(bare_ms, 0.99):.2f}  (goal: p99 <= 30 ms and <= 2x)"
    )


if __name__ == "__main__":
    main()
