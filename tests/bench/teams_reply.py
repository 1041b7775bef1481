"""Teams reply benchmark (DESIGN section 7): `@Partnerbot update …` at 20 messages/s, against
`partnerbot serve` and against a bare microsoft-teams-apps echo bot set up the same way, in one
run, over real HTTP with activities signed as the Bot Framework signs them.

Measured per message: the HTTP answer to the connector (Teams waits at most 15 s), which comes
after the reply card was posted to the (fake) connector; the goal is p99 <= 50 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from common import SERVE, free_port, open_loop, pct, quiet, wait_up  # noqa: E402
from fake_teams import FakeTeams  # noqa: E402
from teams_activities import ADMIN, ANNA, channel_message, post_activity, send  # noqa: E402

RATE = float(os.environ.get("BENCH_RATE", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))


def load(url: str, fake: FakeTeams, label: str) -> list[float]:
    """Open loop: message i is sent at t0 + i/RATE whatever the earlier ones are doing."""
    count = int(RATE * SECONDS)
    activities = [
        channel_message(fake, ANNA, f"update PF1 on-track {label} note {i}") for i in range(count)
    ]
    token = fake.sign(expires_in=3600)  # the connector reuses its token for a while
    return open_loop(count, RATE, lambda i: post_activity(url, activities[i], token)[0], label)


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
        ours = quiet(
            SERVE,
            env | {"TEAMS_PORT": str(ours_port)},
            tmp,
        )
        bare = quiet(
            [sys.executable, str(ROOT / "tests/bench/bare_teams.py"), str(bare_port)], env, tmp
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
