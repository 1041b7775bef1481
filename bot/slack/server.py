"""`partnerbot serve`: HTTP under waitress (a production WSGI server), or Socket Mode.

HTTP: `POST /slack/events` (commands, interactions, events) through Bolt's own WSGI handler
(Bolt checks the signature and the 5-minute window and answers 401), `GET /healthz`. Before Bolt,
bot/slack/guard.py refuses unsigned (401), malformed (400) and replayed (401, remembered in the
database, so across replicas and restarts) requests with one log line each.
"""

from __future__ import annotations

import io
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.dispatcher import Dispatcher
from bot.reminders import router, start_dispatcher
from bot.runtime import Runtime
from bot.slack.app import SlackAdapter
from bot.slack.guard import RequestGuard, listener_error
from bot.slack.settings import SlackSettings

log = logging.getLogger("partnerbot.serve")
WINDOW_S = 5 * 60
MAX_BODY = 1_000_000  # Slack's payloads are far smaller; refuse anything huge early

StartResponse = Callable[..., Any]

# The server's limits (README, Slack section). Waitress reads requests in its event loop,
# so idle or half-sent connections cost a socket, not a thread; its defaults (100 connections,
# 120 s idle, 1 GB bodies spooled to disk) let 98 idle sockets without credentials take the
# endpoint down. Slack sends a whole request at once and keeps no connection idle for long.
LIMITS: dict[str, Any] = {
    "ident": "partnerbot",
    "connection_limit": 2000,  # far above any real load; the kernel's backlog is the rest
    "channel_timeout": 10,  # seconds a connection may sit idle or half-sent
    "cleanup_interval": 2,  # how often such connections are looked for
    "max_request_header_size": 16_384,
    "max_request_body_size": MAX_BODY,  # 413 from the Content-Length, before reading the body
    "backlog": 1024,
}


class SlackWSGI:
    """Thin middleware around Bolt's own WSGI handler: `/healthz`, a refusal while shutting
    down, a body-size limit, and the request guard (signature, shape, replay: guard.py)."""

    def __init__(
        self,
        app: App,
        adapter: SlackAdapter,
        runtime: Runtime,
        signing_secret: str,
        dispatcher: Dispatcher | None = None,
        health: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.health = health  # other platforms served by this process (Teams)
        self.app, self.adapter, self.runtime = app, adapter, runtime
        self.bolt = SlackRequestHandler(app, path="/slack/events")
        self.guard = RequestGuard(signing_secret, runtime.engine)
        self.accepting = True

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
        if path == "/healthz" and method in {"GET", "HEAD"}:
            return self._health(start_response)
        if path != "/slack/events":
            return _respond(start_response, 404, b"Not Found")
        if method != "POST":
            return _respond(start_response, 405, b"Method Not Allowed")
        if not self.accepting:
            return _respond(start_response, 503, b"Shutting down")
        length = environ.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > MAX_BODY:
            return _respond(start_response, 413, b"Too Large")
        body = environ["wsgi.input"].read(int(length))
        headers = {
            "x-slack-request-timestamp": environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", ""),
            "x-slack-signature": environ.get("HTTP_X_SLACK_SIGNATURE", ""),
        }
        refusal = self.guard.check(headers, environ.get("CONTENT_TYPE", ""), body)
        if refusal is not None:
            answer = json.dumps({"error": refusal.reason}).encode()
            return _respond(start_response, refusal.status, answer, "application/json")
        environ["wsgi.input"] = io.BytesIO(body)  # Bolt reads the body again
        try:
            return self.bolt(environ, start_response)
        except Exception as exc:
            # Listener errors never get here (Bolt answers them via `listener_error`); what
            # does is Bolt reading fields of the wrong type (team, container, channel).
            log.warning("refused 400: Bolt could not read the request: %s", type(exc).__name__)
            return _respond(start_response, 400, b'{"error":"malformed request"}')

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        status = {"database": "ok", "workers": "ok"}
        if self.dispatcher is not None:
            status["dispatcher"] = self.dispatcher.health()
        try:
            with self.runtime.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            status["database"] = f"error: {exc.__class__.__name__}"
        if self.adapter.work.closed:
            status["workers"] = "stopped"
        if self.health is not None:
            status |= self.health()
        healthy = all(v == "ok" for v in status.values())
        return _respond(
            start_response, 200 if healthy else 503, json.dumps(status).encode(), "application/json"
        )


def _reason(status: int) -> str:
    return {
        200: "OK",
        400: "Bad Request",
        401: "Unauthorized",
        404: "Not Found",
        405: "Method Not Allowed",
        413: "Payload Too Large",
        503: "Service Unavailable",
    }.get(status, "")


def _respond(
    start_response: StartResponse,
    status: int,
    body: bytes,
    content_type: str = "text/plain; charset=utf-8",
) -> list[bytes]:
    start_response(
        f"{status} {_reason(status)}",
        [("Content-Type", content_type), ("Content-Length", str(len(body)))],
    )
    return [body]


def _start_dispatcher(runtime: Runtime, adapter: SlackAdapter) -> Dispatcher:
    """Reminders: every replica may run one; the database hands each reminder to one of them."""
    return start_dispatcher(runtime, router(runtime, {"slack": adapter}))


def serve_http(
    app: App,
    adapter: SlackAdapter,
    runtime: Runtime,
    *,
    slack: SlackSettings,
    host: str = "0.0.0.0",
    threads: int = 8,
    dispatcher: Dispatcher | None = None,
    health: Callable[[], dict[str, str]] | None = None,
) -> None:
    """Serve until SIGTERM/SIGINT; then stop taking requests and finish the work in hand.
    A `dispatcher` given is the process's one (when Slack shares it with Teams)."""
    from waitress.server import create_server

    dispatcher = dispatcher or _start_dispatcher(runtime, adapter)
    app.error(listener_error)
    wsgi = SlackWSGI(app, adapter, runtime, slack.signing_secret or "", dispatcher, health)
    server = create_server(wsgi, host=host, port=slack.port, threads=threads, **LIMITS)
    stopping = threading.Event()

    def stop(signum: int, _frame: object) -> None:
        if stopping.is_set():
            return
        stopping.set()
        log.warning("signal %s: finishing work in progress", signum)
        wsgi.accepting = False
        server.close()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(
        f"partnerbot: serving HTTP on port {slack.port} (POST /slack/events, GET /healthz)",
        flush=True,
    )
    try:
        server.run()
    except OSError:
        if not stopping.is_set():
            raise
    finally:
        dispatcher.stop()
        adapter.close()
        server.task_dispatcher.shutdown()
        print("partnerbot: stopped", flush=True)


def serve_socket(
    app: App,
    adapter: SlackAdapter,
    runtime: Runtime,
    *,
    slack: SlackSettings,
    dispatcher: Dispatcher | None = None,
) -> None:
    """Socket Mode: Slack connects out over a WebSocket, no public URL is needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, slack.app_token)
    stopping = threading.Event()

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    dispatcher = dispatcher or _start_dispatcher(runtime, adapter)
    handler.connect()
    print("partnerbot: connected to Slack in Socket Mode", flush=True)
    stopping.wait()
    handler.close()
    dispatcher.stop()
    adapter.close()
    print("partnerbot: stopped", flush=True)
