"""Status in chat (DESIGN section 7): from `/wg status all` to the last chart visible in the
channel, p50/p95 against the fake Web API (goal ≤ 1 s p95), on the demo partnership.

In-process (tests/slack_app.py): the signed command goes through Bolt's dispatch, the slow
work runs on the adapter's pool, and "visible" is the moment the fake received the
`files.completeUploadExternal` that posts the text and the charts as one message. Runs are a
second apart, as Slack's pace of one message a second per channel would space them anyway.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from common import pct  # noqa: E402
from fake_slack import FakeSlack  # noqa: E402
from slack_app import SlackBot, as_admin, slack_runtime  # noqa: E402

from storage.demo import ensure_demo  # noqa: E402

RUNS = 20
SLUG = "tingbjerg-husum"


def main(runs: int = RUNS) -> None:
    with tempfile.TemporaryDirectory() as name, FakeSlack() as fake:
        runtime = slack_runtime(fake, f"sqlite:///{Path(name) / 'bench.db'}")
        ensure_demo(runtime.engine, runtime.partnerships[SLUG])
        as_admin(runtime, "C0WG", f"bind {SLUG}", "member add <@U0ERIK|erik> org=bif role=member")
        bot = SlackBot.build(fake, runtime)
        times: list[float] = []
        try:
            for n in range(runs + 1):  # the first run draws the charts; later ones reuse them
                fake.reset()
                began = time.monotonic()
                bot.command("status all", user="U0ERIK", channel="C0WG")
                (done,) = fake.wait_for("files.completeUploadExternal", timeout=60)
                elapsed = done.at - began
                if n == 0:
                    first = elapsed
                else:
                    times.append(elapsed)
                messages = len(fake.calls("chat.postMessage")) + 1
                time.sleep(1.0)
        finally:
            bot.close()
    print(
        f"status all, command to last chart visible ({runs} runs, {messages} message(s)): "
        f"p50 {pct(times, 0.5) * 1000:.0f} ms, p95 {pct(times, 0.95) * 1000:.0f} ms "
        f"(first run, charts drawn: {first * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
