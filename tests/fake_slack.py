"""A fake Slack Web API: a real HTTP server on 127.0.0.1 for tests.

Why a server and not mocks: slack_sdk's WebClient builds its own requests (form or JSON bodies,
a Bearer header, a raw POST of the file bytes to the upload URL) and its retry handlers react to
real statuses and headers (429 + Retry-After, 500/503). Pointing the real client at a real socket
(`SLACK_API_URL=fake.url`) tests all of that. No fake ships with Bolt (DESIGN.md section 6).

Facts about slack_sdk 3.x worth knowing when reading the recordings:
- every Web API call is a POST to base_url + method, even "GET" methods such as users.info;
- chat.postMessage/postEphemeral/update and views.* send a JSON body; most other methods
  (auth.test, users.info, conversations.info, files.*) a form, where nested values such as
  `files` are JSON strings: `Recorded.arg` returns what was sent, decoded or not;
- the upload step of files_upload_v2 POSTs the raw bytes with no Authorization header, and
  urllib labels them `Content-Type: application/x-www-form-urlencoded`: never parse them as a form.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from fake_slack_world import Posted, Workspace, block_errors, view_errors


class Headers(dict[str, str]):
    """Request headers with lower-case keys and case-insensitive look-ups.

    urllib sends `Content-type`, other clients `Content-Type`; tests should not care.
    """

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)


@dataclass
class Recorded:
    """One request as the fake received it, and the status it answered with."""

    method: str  # "chat.postMessage", ..., "upload" (the upload URL), "response_url"
    path: str
    headers: Headers
    body: bytes
    form: dict[str, str]  # parsed x-www-form-urlencoded (or multipart text fields), else {}
    json: dict | None  # parsed application/json body, else None
    at: float  # time.monotonic() when received
    status: int

    def arg(self, name: str) -> Any:
        """A parameter from the JSON body or the form (JSON-encoded form values stay strings)."""
        if self.json is not None and name in self.json:
            return self.json[name]
        return self.form.get(name)


@dataclass
class Fault:
    """What the next call of a method should suffer instead of (or before) its normal answer."""

    status: int = 200  # e.g. 429 or 500
    retry_after: int | None = None  # Retry-After header in seconds
    delay: float = 0.0  # sleep before answering, to provoke client timeouts
    body: dict | None = None  # e.g. {"ok": False, "error": "channel_not_found"}


def _parse_body(content_type: str, body: bytes) -> tuple[dict[str, str], dict | None, bytes]:
    """(form fields, JSON object, first multipart file) of a request body."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype == "application/json":
        return {}, json.loads(body or b"{}"), b""
    if ctype == "application/x-www-form-urlencoded":
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True)), None, b""
    form: dict[str, str] = {}
    file = b""
    if ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        for part in msg.iter_parts():  # type: ignore[attr-defined]
            data = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                file = file or data
            else:
                form[part.get_param("name", header="content-disposition")] = data.decode()
    return form, None, file


def _decoded(value: Any) -> Any:
    """A JSON argument as sent in a form (a string) or in a JSON body (already decoded)."""
    return json.loads(value) if isinstance(value, str) and value else value


# Which argument each views.* method cannot do without (one of them).
_VIEW_NEEDS = {
    "views.open": ("trigger_id", "interactivity_pointer"),
    "views.push": ("trigger_id", "interactivity_pointer"),
    "views.update": ("view_id", "external_id"),
    "views.publish": ("user_id",),
}


class FakeSlack:
    """The Web API methods Partnerbot calls, with recording and fault injection."""

    def __init__(
        self,
        *,
        token: str = "xoxb-test-token",
        locales: dict[str, str] | None = None,
        channels: dict[str, set[str]] | None = None,
    ):
        self.token = token
        self.locales = dict(locales or {})
        self.world = Workspace(channels)  # strict membership, as the real Web API
        self._responses: dict[str, tuple[str, str | None]] = {}  # key -> (channel, user)
        self._port = 0
        self.uploads: dict[str, bytes] = {}
        self.url = ""
        self._root = ""
        self._cond = threading.Condition()
        self._calls: list[Recorded] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._pending: dict[str, str] = {}  # file_id -> filename, from getUploadURLExternal
        self._seq = itertools.count(1)
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None

    # --- life cycle -----------------------------------------------------------------------

    def start(self) -> FakeSlack:
        self._stopping.clear()
        handler = type("BoundHandler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", self._port), handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self._port = port  # kept, so that up() after down() serves the same URL
        self._root = f"http://{host}:{port}/"
        self.url = self._root + "api/"
        serve = self._server.serve_forever
        threading.Thread(target=serve, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes delayed answers so nothing lingers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def down(self) -> None:
        """Slack unreachable: the port refuses connections until up()."""
        self.stop()

    def up(self) -> None:
        self.start()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- test controls --------------------------------------------------------------------

    def inject(self, method: str, *faults: Fault) -> None:
        """Queue faults for the next calls of `method`; later calls get normal answers."""
        with self._cond:
            self._faults.setdefault(method, deque()).extend(faults)

    def calls(self, method: str | None = None) -> list[Recorded]:
        with self._cond:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Recorded]:
        """Block until `count` calls of `method` arrived: the app answers Slack before it calls."""
        with self._cond:
            if self._cond.wait_for(lambda: len(self.calls(method)) >= count, timeout):
                return self.calls(method)
            seen = [f"{c.method} ({c.status})" for c in self._calls]
        raise AssertionError(f"expected {count} x {method} within {timeout}s; got {seen}")

    def reset(self) -> None:
        with self._cond:
            self._calls.clear()
            self._faults.clear()
            self.world.posted.clear()

    def response_url(
        self, key: str = "r1", *, channel: str = "C0WG", user: str | None = None
    ) -> str:
        """A URL standing in for Slack's response_url of a command `user` sent in `channel`."""
        self._responses[key] = (channel, user)
        return f"{self._root}response/{key}"

    def posted(self, channel: str | None = None) -> list[Posted]:
        """Every message that landed (posts, ephemerals, response_url answers, files)."""
        with self._cond:
            return [p for p in self.world.posted if channel is None or p.channel == channel]

    def seen_by(self, user: str, channel: str | None = None) -> list[Posted]:
        with self._cond:
            return self.world.seen_by(user, channel)

    # --- answering ------------------------------------------------------------------------

    def _serve(self, path: str, headers: Headers, body: bytes) -> tuple[float, int, dict, bytes]:
        """Record the request and decide (delay, status, headers, body) of the answer."""
        url = urlsplit(path)
        kind, _, rest = url.path.lstrip("/").partition("/")
        method = {"api": rest, "upload": "upload", "response": "response_url"}.get(kind, url.path)
        ctype = headers.get("content-type", "")
        if method == "upload" and not ctype.startswith("multipart/"):
            form, js, file = {}, None, body  # raw bytes, though urllib labels them a form
        else:
            try:
                form, js, file = _parse_body(ctype, body)
            except ValueError:  # undecodable: recorded raw, arguments look missing
                form, js, file = {}, None, b""
        form = dict(parse_qsl(url.query)) | form
        with self._cond:
            rec = Recorded(method, path, headers, body, form, js, time.monotonic(), 200)
            queue = self._faults.get(method)
            fault = queue.popleft() if queue else Fault()
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            answer: dict | str
            if fault.body is not None:
                rec.status, answer = fault.status, fault.body
            elif fault.status == 429:
                rec.status, answer = 429, {"ok": False, "error": "ratelimited"}
            elif fault.status != 200:
                rec.status, answer = fault.status, HTTPStatus(fault.status).phrase
            elif method == "upload" and rest in self._pending:
                self.uploads[rest] = file
                answer = f"OK - {len(file)}"
            elif method == "response_url":
                rec.status, answer = self._respond(rest, rec)
            elif kind != "api":  # also an upload to an id Slack never issued
                rec.status, answer = 404, "Not Found"
            else:
                answer = self._api_answer(method, rec)
            self._calls.append(rec)
            self._cond.notify_all()
        if isinstance(answer, dict):
            extra["Content-Type"] = "application/json; charset=utf-8"
            return fault.delay, rec.status, extra, json.dumps(answer).encode()
        extra["Content-Type"] = "text/plain; charset=utf-8"
        return fault.delay, rec.status, extra, answer.encode()

    def _respond(self, key: str, rec: Recorded) -> tuple[int, str]:
        """response_url: up to 5 answers, each landing where the command was sent."""
        used = [c for c in self._calls if c.method == "response_url" and c.path == rec.path]
        if len(used) >= 5:
            return 404, "used_url"
        channel, user = self._responses.get(key, ("C0WG", None))
        body = rec.json or {}
        if not body.get("text") and not body.get("blocks"):
            return 400, "no_text"
        only_for = None if body.get("response_type") == "in_channel" else user
        if body.get("replace_original"):
            mine = [p for p in self.world.posted if p.via == f"response_url:{key}"]
            self.world.posted = [p for p in self.world.posted if p not in mine[-1:]]
        ts = f"{1_800_000_000 + next(self._seq)}.000000"
        blocks = body.get("blocks") or []
        posted = Posted(channel, ts, body.get("text", ""), blocks, only_for=only_for,
                        via=f"response_url:{key}")  # fmt: skip
        self.world.posted.append(posted)
        return 200, "ok"

    def _api_answer(self, method: str, rec: Recorded) -> dict[str, Any]:
        """Slack's JSON answer: auth first, then the method; errors come as ok=false with 200."""
        auth = rec.headers.get("authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else rec.arg("token")
        if not token:
            return {"ok": False, "error": "not_authed"}
        if token != self.token:
            return {"ok": False, "error": "invalid_auth"}
        try:
            result = self._method_answer(method, rec, next(self._seq))
        except (ValueError, TypeError, AttributeError, KeyError):  # malformed JSON arguments
            result = {"error": "invalid_arguments"}
        return {"ok": "error" not in result} | result

    def _method_answer(self, method: str, rec: Recorded, n: int) -> dict[str, Any]:
        micros = 1_700_000_000_000_000 + n * 100
        ts = f"{micros // 10**6}.{micros % 10**6:06d}"  # unique and increasing, like Slack's
        channel = rec.arg("channel")
        if method == "auth.test":
            return {"url": "https://test.slack.com/", "team": "Test", "user": "partnerbot",
                    "team_id": "T1", "user_id": "UBOT", "bot_id": "BBOT"}  # fmt: skip
        if method in ("chat.postMessage", "chat.postEphemeral", "chat.update"):
            return self._message(method, rec, ts)
        if method in _VIEW_NEEDS:
            view = _decoded(rec.arg("view"))
            if not isinstance(view, dict) or not any(rec.arg(a) for a in _VIEW_NEEDS[method]):
                return {"error": "invalid_arguments"}
            trigger = rec.arg("trigger_id")
            if trigger and (error := self.world.trigger_error(trigger)):
                return {"error": error}
            if problems := view_errors(view):
                return {"error": "invalid_arguments", "response_metadata": {"messages": problems}}
            view_id = rec.arg("view_id") or f"V{n:08d}"
            return {"view": {"id": view_id, "team_id": "T1", "state": {"values": {}},
                             "hash": f"{ts}.h", **view}}  # fmt: skip
        if method == "users.info":
            uid = rec.arg("user") or ""
            known = self.world.people.get(uid, {})
            user = {"id": uid, "team_id": "T1", "name": known.get("name", uid.lower()),
                    "real_name": known.get("real_name", f"User {uid}"),
                    "tz": "Europe/Copenhagen", "tz_offset": 3600, "is_bot": False}  # fmt: skip
            if str(rec.arg("include_locale")).lower() in ("1", "true"):  # as Slack: opt-in
                user["locale"] = self.locales.get(uid, "en-US")
            return {"user": user} if uid else {"error": "user_not_found"}
        if method == "users.list":
            return {"members": [{"id": uid, "team_id": "T1", "deleted": False, **person,
                                 "profile": {"display_name": person["name"]}}
                                for uid, person in self.world.people.items()]}  # fmt: skip
        if method == "conversations.open":
            users = str(rec.arg("users") or "").split(",")
            if len(users) != 1 or not users[0]:
                return {"error": "users_list_not_supplied"}
            return {"channel": {"id": self.world.dm(users[0])}}
        if method == "conversations.info":
            members = self.world.channels.get(str(channel))
            if members is None:
                return {"error": "channel_not_found"}
            return {"channel": {"id": channel, "name": f"ch-{str(channel).lower()}",
                                "is_channel": True, "is_member": "UBOT" in members}}  # fmt: skip
        if method == "conversations.history":
            if error := self.world.post_error(str(channel)):
                return {"error": error}
            metadata = str(rec.arg("include_all_metadata")).lower() in ("1", "true")
            limit = int(rec.arg("limit") or 100)
            return {"messages": [
                {"type": "message", "user": "UBOT", "text": p.text, "ts": p.ts}
                | ({"metadata": p.metadata} if metadata and p.metadata else {})
                for p in self.world.history(str(channel))[:limit]
            ], "has_more": False}  # fmt: skip
        if method == "files.getUploadURLExternal":
            if not rec.arg("filename") or not str(rec.arg("length") or "").isdigit():
                return {"error": "invalid_arguments"}
            file_id = f"F{n:08d}"
            self._pending[file_id] = rec.arg("filename")
            return {"upload_url": f"{self._root}upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = _decoded(rec.arg("files")) or []
            if not files or any(f.get("id") not in self.uploads for f in files):
                return {"error": "file_not_found"}
            if target := rec.arg("channel_id"):
                target = self.world.resolve(str(target))
                if error := self.world.post_error(target):
                    return {"error": error}
                ids = [f["id"] for f in files]
                self.world.posted.append(Posted(target, ts, rec.arg("initial_comment") or "", [],
                                                via="files", files=ids))  # fmt: skip
            return {"files": [{"id": f["id"], "title": f.get("title") or self._pending[f["id"]],
                               "name": self._pending[f["id"]], "size": len(self.uploads[f["id"]])}
                              for f in files]}  # fmt: skip
        return {"error": "unknown_method"}

    def _message(self, method: str, rec: Recorded, ts: str) -> dict[str, Any]:
        """chat.postMessage/postEphemeral/update with the real Web API's refusals."""
        channel, text, blocks = rec.arg("channel"), rec.arg("text"), _decoded(rec.arg("blocks"))
        if not channel:
            return {"error": "channel_not_found"}
        if not text and not blocks:
            return {"error": "no_text"}
        channel = self.world.resolve(str(channel))
        reader = rec.arg("user") if method == "chat.postEphemeral" else None
        if error := self.world.post_error(channel, ephemeral_to=reader):
            return {"error": error}
        if problems := block_errors(blocks or [], limit=50):
            return {"error": "invalid_blocks", "response_metadata": {"messages": problems}}
        metadata = _decoded(rec.arg("metadata"))
        if method == "chat.update":
            found = [p for p in self.world.posted if p.channel == channel and p.ts == rec.arg("ts")]
            if not found:
                return {"error": "message_not_found"}
            found[0].text, found[0].blocks = text or "", blocks or []
            found[0].metadata = metadata or found[0].metadata
            ts = found[0].ts
        else:
            self.world.posted.append(Posted(channel, ts, text or "", blocks or [], metadata,
                                            only_for=reader, via=method,
                                            thread_ts=rec.arg("thread_ts")))  # fmt: skip
        message = {"type": "message", "user": "UBOT", "bot_id": "BBOT", "text": text or "",
                   "blocks": blocks or [], "ts": ts}  # fmt: skip
        if method == "chat.postEphemeral":
            return {"message_ts": ts}
        return {"channel": channel, "ts": ts, "text": text or "", "message": message}


class _Handler(BaseHTTPRequestHandler):
    """Reads a request, lets the FakeSlack answer, tolerates clients that gave up."""

    fake: FakeSlack
    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = Headers({k.lower(): v for k, v in self.headers.items()})
        delay, status, extra, payload = self.fake._serve(self.path, headers, body)
        if delay and self.fake._stopping.wait(delay):
            return
        try:
            self.send_response(status)
            for name, value in [*extra.items(), ("Content-Length", str(len(payload)))]:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):  # the client timed out meanwhile
            self.close_connection = True

    do_GET = do_POST

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: pytest output should show the test's failures, not access logs."""
