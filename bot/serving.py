"""`partnerbot serve`: every platform that is configured, in one process (DESIGN section 3).

Slack when `SLACK_BOT_TOKEN` is set (Socket Mode or HTTP on PORT), Teams when `TEAMS_APP_ID`
is set (HTTP on TEAMS_PORT); both together share one reminder dispatcher, which posts each
reminder through the adapter of the bound channel's platform. The platforms' packages are
imported only when configured, so a Slack-only install never loads the Teams SDK.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from typing import TYPE_CHECKING, Any

from bot import logs
from bot.adapter import Adapter
from bot.reminders import router, start_dispatcher
from bot.runtime import StartupError, start
from config.settings import SettingsError

if TYPE_CHECKING:
    from bot.teams.server import TeamsServer
    from bot.teams.settings import TeamsSettings
    from config.settings import Settings

log = logging.getLogger("partnerbot.serve")


def serve(settings: Settings, host: str = "0.0.0.0") -> int:
    from bot.slack.settings import load_slack_settings
    from bot.teams.settings import load_teams_settings

    slack = load_slack_settings()
    teams = load_teams_settings()
    if not slack.bot_token and not teams.enabled:
        raise SettingsError(
            "SLACK_BOT_TOKEN: needed for serve (xoxb-…); or set TEAMS_APP_ID to serve Teams"
        )
    if slack.bot_token and not slack.socket_mode and not slack.signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET: needed for serve in HTTP mode "
            "(or set SLACK_APP_TOKEN for Socket Mode)"
        )
    if teams.enabled and (missing := teams.missing()):
        raise SettingsError(missing)
    logs.setup(os.environ.get("LOG_LEVEL", "WARNING"), secrets=slack.secrets() + teams.secrets())
    runtime = start(settings)
    adapters: dict[str, Adapter] = {}
    teams_server = _start_teams(runtime, teams, host) if teams.enabled else None
    if teams_server is not None:
        adapters["teams"] = teams_server.adapter
    try:
        if slack.bot_token:
            _serve_slack(runtime, slack, host, adapters, teams_server)
        else:
            _serve_teams_only(runtime, adapters, teams_server)
    finally:
        if teams_server is not None:
            teams_server.stop()
    return 0


def _start_teams(runtime: Any, teams: TeamsSettings, host: str) -> TeamsServer:
    import asyncio

    from bot.teams.app import TeamsAdapter
    from bot.teams.auth import LoginUnreachable, TokenRefused
    from bot.teams.server import TeamsServer

    adapter = TeamsAdapter(runtime, teams)
    try:  # the credentials are checked at start-up, as Slack's auth.test is
        asyncio.run(adapter.token.get())
    except TokenRefused as exc:
        raise SettingsError(str(exc)) from None
    except LoginUnreachable as exc:
        raise StartupError(str(exc)) from None
    # Until the dispatcher runs, /healthz says so (503): "ok" would be a promise not kept yet.
    try:
        server = TeamsServer(adapter, host=host, health=lambda: {"dispatcher": "starting"})
        server.start()
    except RuntimeError as exc:
        raise StartupError(f"TEAMS_PORT: cannot serve on port {teams.port}: {exc}") from None
    print(
        f"partnerbot: serving Teams on port {server.port} (POST /api/messages, GET /healthz)",
        flush=True,
    )
    return server


def _serve_slack(
    runtime: Any,
    slack: Any,
    host: str,
    adapters: dict[str, Adapter],
    teams_server: TeamsServer | None,
) -> None:
    from bot.slack.app import TokenRefused, build_app
    from bot.slack.client import make_client
    from bot.slack.server import serve_http, serve_socket

    try:
        app, adapter = build_app(
            runtime, make_client(slack), slack=slack, socket_mode=slack.socket_mode
        )
    except TokenRefused as exc:  # auth.test answered, and not with ok
        raise SettingsError("SLACK_BOT_TOKEN: Slack refused the token (auth.test)") from exc
    except Exception as exc:  # auth.test did not answer at all
        raise StartupError(
            f"SLACK_API_URL: cannot reach Slack at {slack.api_url} ({exc.__class__.__name__})"
        ) from None
    adapters["slack"] = adapter
    dispatcher = start_dispatcher(runtime, router(runtime, adapters))
    if teams_server is not None:
        teams_server.health_extra = lambda: {"dispatcher": _alive(dispatcher)}
    teams_health = teams_server.teams_health if teams_server is not None else None
    if slack.socket_mode:
        serve_socket(app, adapter, runtime, slack=slack, dispatcher=dispatcher)
    else:
        serve_http(
            app, adapter, runtime, slack=slack, host=host, dispatcher=dispatcher,
            health=teams_health,
        )  # fmt: skip


def _serve_teams_only(
    runtime: Any, adapters: dict[str, Adapter], teams_server: TeamsServer | None
) -> None:
    assert teams_server is not None
    dispatcher = start_dispatcher(runtime, router(runtime, adapters))
    teams_server.health_extra = lambda: {"dispatcher": _alive(dispatcher)}
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        log.warning("signal %s: finishing work in progress", signum)
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    stopping.wait()
    teams_server.accepting = False
    dispatcher.stop()
    print("partnerbot: stopped", flush=True)


def _alive(dispatcher: Any) -> str:
    return dispatcher.health()
