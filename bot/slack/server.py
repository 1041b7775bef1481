"""`partnerbot serve`: HTTP under waitress (a production WSGI server), or Socket Mode.

HTTP: `POST /slack/events` (commands, interactions, events; Bolt checks the signature and the
5-minute window and answers 401), `GET /healthz`. A signed body replayed within the window is
refused with 401 too (Bolt alone would accept it): signatures seen in the last 5 minutes are
remembered per process.
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
from slack_bolt.request import BoltRequest
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import text

from bot.dispatcher import Dispatcher
from bot.reminder_posting import slack_sender, start_dispatcher
from bot.runtime import Runtime
from bot.slack.app import SlackAdapter

log = logging.getLogger("partnerbot.serve")
WINDOW_S = 5 * 60
MAX_BODY = 1_000_000  # Slack's payloads are far smaller; refuse anything huge early

StartResponse = Callable[..., Any]


class ReplayGuard:
    """Remembers request signatures for the signature window; a repeat is a replay."""

    def __init__(self, window: float = WINDOW_S) -> None:
        self.window = window
        self._seen: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_time(self, signature: str) -> bool:
        now = time.monotonic()
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen = {s: t for s, t in self._seen.items() if now - t < self.window}
            seen = self._seen.get(signature)
            if seen is not None and now - seen < self.window:
                return False
            self._seen[signature] = now
            return True


class SlackWSGI:
    def __init__(
        self,
        app: App,
        adapter: SlackAdapter,
        runtime: Runtime,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.app, self.adapter, self.runtime = app, adapter, runtime
        self.replays = ReplayGuard()
        self.verifier = SignatureVerifier(runtime.settings.slack_signing_secret or "")
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
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length > MAX_BODY:
            return _respond(start_response, 413, b"Too Large")
        body = environ["wsgi.input"].read(length).decode("utf-8", errors="replace")
        headers = {
            key[5:].replace("_", "-").lower(): [value]
            for key, value in environ.items()
            if key.startswith("HTTP_")
        }
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = [environ["CONTENT_TYPE"]]
        signature = headers.get("x-slack-signature", [""])[0]
        timestamp = headers.get("x-slack-request-timestamp", [""])[0]
        # A replay must be refused before Bolt runs anything; only genuine signatures are
        # remembered, so a forged one cannot block a real request.
        if self._genuine(body, timestamp, signature) and not self.replays.first_time(signature):
            return _respond(start_response, 401, b'{"error":"replayed request"}')
        response = self.app.dispatch(BoltRequest(body=body, headers=headers))
        out = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
        pairs = [(k, v) for k, values in response.headers.items() for v in values]
        start_response(f"{response.status} {_reason(response.status)}", pairs)
        return [out]

    def _genuine(self, body: str, timestamp: str, signature: str) -> bool:
        if not (timestamp.isdigit() and signature.startswith("v0=")):
            return False  # Bolt answers 401 for these itself
        return self.verifier.is_valid(body, timestamp, signature)

    def _health(self, start_response: StartResponse) -> Iterable[bytes]:
        status = {"database": "ok", "workers": "ok"}
        if self.dispatcher is not None:
            status["dispatcher"] = "ok" if self.dispatcher.alive else "stopped"
        try:
            with self.runtime.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            status["database"] = f"error: {exc.__class__.__name__}"
        if getattr(self.adapter.executor, "_shutdown", False):
            status["workers"] = "stopped"
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
    return start_dispatcher(runtime, slack_sender(runtime, adapter))


def serve_http(
    app: App, adapter: SlackAdapter, runtime: Runtime, *, host: str = "0.0.0.0", threads: int = 8
) -> None:
    """Serve until SIGTERM/SIGINT; then stop taking requests and finish the work in hand."""
    from waitress.server import create_server

    dispatcher = _start_dispatcher(runtime, adapter)
    wsgi = SlackWSGI(app, adapter, runtime, dispatcher)
    server = create_server(
        wsgi, host=host, port=runtime.settings.port, threads=threads, ident="partnerbot"
    )
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
        f"partnerbot: serving HTTP on port {runtime.settings.port} "
        f"(POST /slack/events, GET /healthz)",
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


def serve_socket(app: App, adapter: SlackAdapter, runtime: Runtime) -> None:
    """Socket Mode: Slack connects out over a WebSocket, no public URL is needed."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    handler = SocketModeHandler(app, runtime.settings.slack_app_token)
    stopping = threading.Event()

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    dispatcher = _start_dispatcher(runtime, adapter)
    handler.connect()
    print("partnerbot: connected to Slack in Socket Mode", flush=True)
    stopping.wait()
    handler.close()
    dispatcher.stop()
    adapter.close()
    print("partnerbot: stopped", flush=True)
