"""Serving Teams: `POST /api/messages` (the SDK's own route, its JWT check on), `GET /healthz`,
`GET /files/TOKEN/NAME` (the bot's download links), on TEAMS_PORT under uvicorn.

uvicorn (a production ASGI server) runs in a thread of its own with the event loop every SDK
call uses, so Teams serves in the same process as Slack's waitress server and shares one
reminder dispatcher with it. Host and port are passed explicitly (the SDK would read `PORT`
and bind 0.0.0.0 by itself). Before the SDK sees a request, this layer refuses what must not
run: requests while shutting down (503), bodies over 1 MB (413), and activities without a
`serviceUrl`, whose token's `serviceurl` claim could then not be checked (401).
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Awaitable, Callable

import uvicorn
from fastapi import Request, Response
from sqlalchemy import text

from bot.teams.app import TeamsAdapter

log = logging.getLogger("partnerbot.teams.serve")
MAX_BODY = 1_000_000
Health = Callable[[], dict[str, str]]


def _json(status: int, body: object) -> Response:
    return Response(json.dumps(body), status_code=status, media_type="application/json")


class TeamsServer:
    def __init__(
        self,
        adapter: TeamsAdapter,
        *,
        host: str = "0.0.0.0",
        port: int | None = None,
        health: Health | None = None,
    ) -> None:
        self.adapter = adapter
        self.host = host
        self.port = port if port is not None else adapter.settings.port
        self.health_extra = health
        self.accepting = True
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._routes()

    # --- routes ---------------------------------------------------------------------------
    def _routes(self) -> None:
        http = self.adapter.http

        @http.middleware("http")
        async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]):  # type: ignore[no-untyped-def]
            if request.url.path != "/api/messages":
                return await call_next(request)
            if request.method != "POST":
                return _json(405, {"error": "Method Not Allowed"})
            if not self.accepting:
                return _json(503, {"error": "Shutting down"})
            length = request.headers.get("content-length") or "0"
            if not length.isdigit() or int(length) > MAX_BODY:
                return _json(413, {"error": "Too Large"})
            try:
                body = json.loads(await request.body() or b"{}")
            except ValueError:
                return _json(400, {"error": "Bad Request"})
            if not isinstance(body, dict) or not isinstance(body.get("serviceUrl"), str):
                return _json(401, {"error": "Unauthorized"})
            return await call_next(request)

        @http.get("/healthz")
        async def healthz() -> Response:
            status = await asyncio.to_thread(self.health)
            healthy = all(v == "ok" for v in status.values())
            return _json(200 if healthy else 503, status)

        @http.get("/files/{token}/{name}")
        async def download(token: str, name: str) -> Response:
            found = await asyncio.to_thread(self.adapter.downloads.fetch, token)
            if found is None:
                return _json(404, {"error": "Not Found"})
            disposition = f"attachment; filename*=UTF-8''{_quote(found.name)}"
            return Response(
                found.data,
                media_type=found.mime,
                headers={"Content-Disposition": disposition, "Cache-Control": "private"},
            )

    def health(self) -> dict[str, str]:
        status = {"database": "ok", "workers": "ok", "teams": "ok"}
        try:
            with self.adapter.runtime.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            status["database"] = f"error: {exc.__class__.__name__}"
        if self.adapter.work.closed:
            status["workers"] = "stopped"
        if self.adapter.loop is None or not self.adapter.loop.is_running():
            status["teams"] = "stopped"
        if self.health_extra is not None:
            status |= self.health_extra()
        return status

    def teams_health(self) -> dict[str, str]:
        """What another platform's /healthz reports for Teams in the same process."""
        running = self.adapter.loop is not None and self.adapter.loop.is_running()
        return {"teams": "ok" if running and self.accepting else "stopped"}

    # --- life cycle -----------------------------------------------------------------------
    def start(self, timeout: float = 30.0) -> TeamsServer:
        """Serve in a background thread; returns once the port listens (or raises)."""
        self._thread = threading.Thread(target=self._run, name="teams-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout) or self._error is not None:
            raise RuntimeError(f"Teams did not start on port {self.port}: {self._error!r}")
        return self

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve(loop))
        except BaseException as exc:  # reported to start(); the thread ends here
            self._error = exc
            self._ready.set()
        finally:
            loop.close()

    async def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        self.adapter.bind_loop(loop)
        await self.adapter.app.initialize()
        config = uvicorn.Config(
            self.adapter.http,
            host=self.host,
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            server_header=False,
            # Limits (README, Teams): idle connections closed after 5 s, at most 1000 requests
            # at once (then 503), headers up to 16 KB; bodies are capped by `guard` above.
            timeout_keep_alive=5,
            limit_concurrency=1000,
            h11_max_incomplete_event_size=16_384,
            backlog=1024,
        )
        self._server = uvicorn.Server(config)
        serving = asyncio.ensure_future(self._server.serve())
        while not self._server.started and not serving.done():
            await asyncio.sleep(0.01)
        if serving.done():
            serving.result()  # raises why it could not serve
            raise RuntimeError("stopped before it started")
        self.port = self._server.servers[0].sockets[0].getsockname()[1]
        self._ready.set()
        await serving

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in {"0.0.0.0", "::"} else self.host
        return f"http://{host}:{self.port}"

    def stop(self, timeout: float = 30.0) -> None:
        """Stop taking activities, finish slow work in hand, then stop the server."""
        self.accepting = False
        self.adapter.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
