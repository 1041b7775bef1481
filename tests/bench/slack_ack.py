"""Ack benchmark (DESIGN section 7): `/wg update` over real HTTP at 20 requests/s for 30 s,
against `partnerbot serve` and against a bare Bolt app under the same server, in one run.

Each request is signed like Slack's and carries a different note (so none is a replay); ours
parses, checks rights, writes and commits the update before acknowledging.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from common import SERVE, free_port, open_loop, pct, quiet, wait_up  # noqa: E402
from fake_slack import FakeSlack  # noqa: E402
from helpers import clean_env  # noqa: E402
from slack_requests import SIGNING_SECRET, command_body, post_signed  # noqa: E402

TOKEN = "xoxb-test-token"
RATE = float(os.environ.get("BENCH_RATE", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))


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
    bodies = [
        command_body(f"update PF1 on-track {label} note {i}", user_id="U0ANNA")
        for i in range(count)
    ]
    return open_loop(count, RATE, lambda i: post_signed(url, bodies[i])[0], label)


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
        ours = quiet(
            SERVE,
            env | {"PORT": str(ours_port)},
            tmp,
        )
        bare, default = (
            quiet(
                [sys.executable, str(ROOT / "tests/bench/bare_bolt.py"), str(port), mode], env, tmp
            )
            for port, mode in ((bare_port, "same"), (default_port, "default"))
        )
        try:
            wait_up(f"http://127.0.0.1:{ours_port}/healthz", ours)
            wait_up(f"http://127.0.0.1:{bare_port}/", bare)
            wait_up(f"http://127.0.0.1:{default_port}/", default)
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
