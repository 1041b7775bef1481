"""The baseline for the Teams reply benchmark: a bare `microsoft-teams-apps` bot that only
echoes, with the same SDK set-up as `serve` (JWT check on, the same token provider and HTTP
client, uvicorn on one event loop in a thread)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.runtime import start  # noqa: E402
from bot.teams.app import TeamsAdapter  # noqa: E402
from bot.teams.server import TeamsServer  # noqa: E402
from bot.teams.settings import load_teams_settings  # noqa: E402
from config.settings import load_settings  # noqa: E402


def main() -> None:
    runtime = start(load_settings({}), database_url="sqlite://")
    adapter = TeamsAdapter(runtime, load_teams_settings())

    async def echo(ctx):  # type: ignore[no-untyped-def]
        await ctx.send(f"You said: {ctx.activity.text}")

    # Only the echo: a fresh App without Partnerbot's handlers.
    from bot.teams.app import sdk_app

    adapter.app = sdk_app(adapter.settings, adapter.token, adapter.retrying, adapter.http)
    adapter.app.on_message(echo)
    server = TeamsServer(adapter, host="127.0.0.1", port=int(sys.argv[1])).start()
    print("bare teams ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    server.stop()


if __name__ == "__main__":
    main()
