"""`partnerbot serve`: HTTP under waitress (a production WSGI server), or Socket Mode.

HTTP: `POST /slack/events` (commands, interactions, events) through Bolt's own WSGI handler
(Bolt checks the signature and the 5-minute window and answers 401), `GET /healthz`. A signed
body replayed within the window is refused with 401 too (Bolt alone would accept it):
signatures seen in the last 5 minutes are remembered per process.
"""

from __future__ import annotations

import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from sqlalchemy import text

from bot.dispatcher import Dispatcher
from bot.reminders import router, start_dispatcher
from bot.runtime import Runtime
from bot.slack.app import SlackAdapter
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


class ReplayGuard:
    """Remembers the signatures of verified requests for the signature window; a repeat is a
    replay. Bolt verifies each signature once; only signatures Bolt accepted are remembered (so
    forged ones cannot fill memory), and one being processed counts as seen (so two copies of
    a request arriving together do not both run)."""

    def __init__(self, window: float = WINDOW_S) -> None:
        self.window = window
        self._seen: dict[str, float] = {}
        self._pending: set[str] = set()
        self._lock = threading.Lock()

    def begin(self, signature: str) -> bool:
        """False when the signature was seen in the window or is being processed now."""
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {s: t for s, t in self._seen.items() if now - t < self.window}
            seen = self._seen.get(signature)
            if signature in self._pending or (seen is not None and now - seen < self.window):
                return False
            self._pending.add(signature)
            return True

    def end(self, signature: str, *, verified: bool) -> None:
        with self._lock:
            self._pending.discard(signature)
            if verified:
                self._seen[signature] = time.monotonic()


class SlackWSGI:
    """Thin middleware around Bolt's own WSGI handler: `/healthz`, a refusal while shutting
    down, a body-size limit, and the replay guard."""

    def __init__(
        self,
        app: App,
        adapter: SlackAdapter,
        runtime: Runtime,
        dispatcher: Dispatcher | None = None,
        health: Callable[[], dict[str, str]] | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.health = health  # other platforms served by this process (Teams)
        self.app, self.adapter, self.runtime = app, adapter, runtime
        self.bolt = SlackRequestHandler(app, path="/slack/events")
        self.replays = ReplayGuard()
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
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if not self.replays.begin(signature):
            return _respond(start_response, 401, b'{"error":"replayed request"}')
        status: list[str] = []

        def recording(code: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            status.append(code)
            return start_response(code, headers, *exc)

        try:
            body = list(self.bolt(environ, recording))
        finally:
            verified = bool(status) and not status[0].startswith("401")
            self.replays.end(signature, verified=verified)
        return body

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        status = {"database": "ok", "workers": "ok"}
        if self.dispatcher is not None:
            status["dispatcher"] = "ok" if self.dispatcher.alive else "stopped"
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
    wsgi = SlackWSGI(app, adapter, runtime, dispatcher, health)
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
