"""`python -m bot.slack.replica`: one replica's reminder dispatcher posting to Slack, for the
exactly-once tests and benchmarks that start several and kill some with -9 (issue 9).

It is what `partnerbot serve` runs for reminders — the real router, the Slack adapter's keyed
posts, the shared pace — without the HTTP endpoint. `--crash-after-post N` dies with SIGKILL
right after Slack accepted its N-th post and before anything is recorded: the last window a
second post could come through. Prints `READY worker` once ticking.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys

from bot.adapter import Landed
from bot.dispatcher import Dispatcher, crash, run_until_signalled
from bot.reminders import router
from bot.runtime import start
from bot.slack.app import SlackAdapter
from bot.slack.client import make_client
from bot.slack.settings import load_slack_settings
from commands.engine.reply import Reply
from config.settings import load_settings


class _CrashingAdapter(SlackAdapter):
    """Dies right after Slack accepted the N-th post (nothing recorded)."""

    crash_after = 0
    posts = 0

    def post_once(self, channel: str, reply: Reply, *, key: str, look: bool) -> Landed:
        landed = super().post_once(channel, reply, key=key, look=look)
        type(self).posts += 1
        if self.posts >= self.crash_after:
            crash(f"CRASH {key} {channel}")
        return landed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.slack.replica", description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--slack-api-url", required=True)
    parser.add_argument("--worker", required=True)
    parser.add_argument("--timeout", type=float, default=10.0, help="Web API client timeout (s)")
    parser.add_argument("--lease-seconds", type=float, default=60.0)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between ticks")
    parser.add_argument("--crash-after-post", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    env = {
        "SLACK_BOT_TOKEN": os.environ.get("SLACK_BOT_TOKEN", "xoxb-test-token"),
        "SLACK_SIGNING_SECRET": os.environ.get("SLACK_SIGNING_SECRET", "test-secret"),
        "SLACK_API_URL": args.slack_api_url,
    }
    runtime = start(load_settings(env), database_url=args.database_url)
    slack = load_slack_settings(env, dotenv_path=None)
    client = make_client(slack, timeout=args.timeout)  # type: ignore[arg-type]
    cls = SlackAdapter
    if args.crash_after_post:
        _CrashingAdapter.crash_after = args.crash_after_post
        cls = _CrashingAdapter
    adapter = cls(runtime, client)
    dispatcher = Dispatcher(
        runtime.engine,
        router(runtime, {"slack": adapter}),
        worker=args.worker,
        lease=dt.timedelta(seconds=args.lease_seconds),
        backoff=lambda attempt: dt.timedelta(seconds=1),  # a test's outage lasts seconds
    )
    run_until_signalled(dispatcher, args.interval)
    adapter.close()
    runtime.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
