"""A fake Bot Framework for tests: one real HTTP server on 127.0.0.1 that plays the three
Microsoft services a Teams bot talks to.

- **Login** (Entra ID): `POST /{tenant}/oauth2/v2.0/token`, client credentials. It checks the
  app id, the secret and the tenant and answers with a signed JWT access token, as the real one
  does (the SDK decodes the token it is handed). `TEAMS_LOGIN_URL=fake.url`.
- **Bot Framework keys**: the OpenID configuration (`/v1/.well-known/openidconfiguration`) and
  its key set (`/v1/.well-known/keys`) with a locally generated RSA key; inbound activities
  are signed with it (`fake.sign`). `TEAMS_OPENID_URL=fake.openid_url`.
- **Connector** (`serviceUrl`, here `fake.service_url`): `/v3/conversations/{id}/activities`
  (send, reply, update), `POST /v3/conversations` (a personal chat), the member calls. Every
  call must carry an access token the login issued, as the real connector refuses others.
- **OneDrive upload sessions** (`PUT /upload/{id}`), what a file-consent card's accept hands
  the bot (`fake.upload_info(name)` is the `uploadInfo` Teams sends): fragments with
  `Content-Range`, 202 until the last, then 201 with the drive item. The session URL is its own
  authorisation, and a request that carries an `Authorization` header is refused with 401, as
  OneDrive does. What arrived is in `fake.uploads`.

Every request is recorded; faults (a status such as 429 with Retry-After, 502, 504, or a delay
that times the client out) can be queued per kind of call. Facts worth knowing when reading the
recordings: conversation ids hold `:`, `@` and `;messageid=` and travel raw in the path; the SDK
posts every activity as JSON with camelCase keys.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
BOT_SCOPE = "https://api.botframework.com/.default"
APP_ID = "00000000-0000-4000-8000-00000000b07a"
APP_PASSWORD = "fake-client-secret-value"
TENANT = "11111111-1111-4111-8111-111111111111"  # the city's tenant (the bot's own)


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Fault:
    """What the next call of a kind suffers instead of its normal answer."""

    status: int = 200
    retry_after: float | None = None
    delay: float = 0.0  # seconds before answering (a client with a shorter timeout gives up)
    body: dict[str, Any] | None = None


@dataclass
class Recorded:
    kind: str  # "token", "openid", "keys", "send", "reply", "update", "create", "member", ...
    method: str
    path: str
    conversation: str  # the conversation id in the path, if any
    headers: dict[str, str]
    body: dict[str, Any]
    status: int
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """All visible text of an activity: its text and every card's text, joined."""
        return "\n".join(_texts(self.body))


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = [node["text"]] if isinstance(node.get("text"), str) else []
        for key in ("title", "value"):
            if isinstance(node.get(key), str) and node.get("type") != "Input.Text":
                out.append(node[key])
        for key, value in node.items():
            if key not in {"text", "title", "value"}:
                out += _texts(value)
        return out
    if isinstance(node, list):
        return [t for item in node for t in _texts(item)]
    return []


class FakeTeams:
    """Login, keys and connector in one server, with recording and fault injection."""

    def __init__(
        self, *, app_id: str = APP_ID, password: str = APP_PASSWORD, tenant: str = TENANT
    ) -> None:
        self.app_id, self.password, self.tenant = app_id, password, tenant
        self.key = new_key()
        self.kid = "fake-key-1"
        self.url = ""
        self._server: ThreadingHTTPServer | None = None
        self._cond = threading.Condition()
        self._calls: list[Recorded] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._issued: dict[str, float] = {}  # access token -> expiry (epoch seconds)
        self.token_lifetime = 3599
        self.members: dict[str, dict[str, Any]] = {}  # user id (29:… or AAD id) -> account
        self.uploads: dict[str, bytes] = {}  # upload session id -> the file, once complete
        self._partial: dict[str, bytearray] = {}
        self._seq = itertools.count(1)
        self._stopping = threading.Event()

    # --- life cycle -----------------------------------------------------------------------
    def start(self) -> FakeTeams:
        handler = type("BoundHandler", (_Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        host, port = self._server.server_address[:2]
        self.url = f"http://{host}:{port}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeTeams:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def openid_url(self) -> str:
        return f"{self.url}/v1/.well-known/openidconfiguration"

    @property
    def service_url(self) -> str:
        """What activities carry as `serviceUrl` (Teams' own look like `…/emea/`)."""
        return f"{self.url}/emea/"

    def settings_env(self) -> dict[str, str]:
        """The TEAMS_* settings that point a bot at this fake."""
        return {
            "TEAMS_APP_ID": self.app_id,
            "TEAMS_APP_PASSWORD": self.password,
            "TEAMS_TENANT_ID": self.tenant,
            "TEAMS_OPENID_URL": self.openid_url,
            "TEAMS_LOGIN_URL": self.url,
        }

    # --- people ---------------------------------------------------------------------------
    def add_member(self, user_id: str, aad: str, name: str, tenant: str | None = None) -> None:
        account = {
            "id": user_id,
            "name": name,
            "aadObjectId": aad,
            "givenName": name.split()[0],
            "userPrincipalName": f"{name.split()[0].lower()}@example.dk",
            "tenantId": tenant or self.tenant,
            "userRole": "user",
        }
        self.members[user_id] = self.members[aad] = account

    def upload_info(self, name: str) -> dict[str, Any]:
        """`uploadInfo` of a fileConsent/invoke accept: a new upload session for `name`."""
        session = uuid.uuid4().hex
        return {
            "contentUrl": f"{self.url}/personal/drive/Documents/Apps/Partnerbot/{name}",
            "name": name,
            "uploadUrl": f"{self.url}/upload/{session}",
            "uniqueId": session,
            "fileType": name.rsplit(".", 1)[-1] if "." in name else "",
        }

    # --- signing --------------------------------------------------------------------------
    def sign(
        self,
        *,
        service_url: str | None = None,
        audience: str | None = None,
        issuer: str = ISSUER,
        expires_in: float = 3600,
        key: rsa.RSAPrivateKey | None = None,
        kid: str | None = None,
        **claims: Any,
    ) -> str:
        """A Bot Framework token as the connector sends with each activity."""
        now = int(time.time())
        payload = {
            "serviceurl": service_url or self.service_url,
            "nbf": now - 5,
            "exp": now + int(expires_in),
            "iss": issuer,
            "aud": audience or self.app_id,
        } | claims
        headers = {"kid": kid or self.kid, "x5t": kid or self.kid}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers=headers)

    def _access_token(self) -> tuple[str, int]:
        now = int(time.time())
        token = jwt.encode(
            {
                "aud": ISSUER,
                "iss": f"https://sts.windows.net/{self.tenant}/",
                "appid": self.app_id,
                "tid": self.tenant,
                "nbf": now,
                "exp": now + self.token_lifetime,
                "jti": uuid.uuid4().hex,
            },
            self.key,
            algorithm="RS256",
            headers={"kid": self.kid},
        )
        with self._cond:
            self._issued[token] = now + self.token_lifetime
        return token, self.token_lifetime

    def authorised(self, header: str) -> bool:
        token = header.removeprefix("Bearer ")
        with self._cond:
            expiry = self._issued.get(token)
        return header.startswith("Bearer ") and expiry is not None and expiry > time.time()

    # --- test controls --------------------------------------------------------------------
    def inject(self, kind: str, *faults: Fault) -> None:
        with self._cond:
            self._faults.setdefault(kind, deque()).extend(faults)

    def _next_fault(self, kind: str) -> Fault | None:
        with self._cond:
            queue = self._faults.get(kind)
            return queue.popleft() if queue else None

    def calls(self, *kinds: str) -> list[Recorded]:
        with self._cond:
            return [c for c in self._calls if not kinds or c.kind in kinds]

    def posted(self, conversation: str | None = None) -> list[Recorded]:
        """Activities that reached a conversation (sent, replies, updates), in order."""
        return [
            c
            for c in self.calls("send", "reply", "update")
            if c.status < 300 and (conversation is None or c.conversation == conversation)
        ]

    def wait_posted(
        self, count: int = 1, *, conversation: str | None = None, timeout: float = 10.0
    ) -> list[Recorded]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.posted(conversation)) >= count, timeout)
            if ok:
                return self.posted(conversation)
            seen = [f"{c.kind} {c.conversation} ({c.status})" for c in self._calls]
        raise AssertionError(f"expected {count} posts to {conversation} in {timeout}s: {seen}")

    def wait_until(self, check, timeout: float = 10.0) -> list[Recorded]:  # type: ignore[no-untyped-def]
        """Block until `check(posted)` holds for what reached conversations so far."""
        with self._cond:
            if self._cond.wait_for(lambda: check(self.posted()), timeout):
                return self.posted()
            seen = [f"{c.kind} {c.conversation} ({c.status})" for c in self._calls]
        raise AssertionError(f"not seen within {timeout}s: {seen}")

    def reset(self) -> None:
        with self._cond:
            self._calls.clear()
            self._faults.clear()

    def _record(self, rec: Recorded) -> None:
        with self._cond:
            self._calls.append(rec)
            self._cond.notify_all()

    def next_id(self) -> str:
        return f"{int(time.time() * 1000)}{next(self._seq):04d}"


def _route(path: str) -> tuple[str, str, str]:
    """(kind, conversation id, activity id) of a connector path after its `/v3/` part."""
    tail = path.split("/v3/", 1)[1] if "/v3/" in path else ""
    parts = tail.split("/")
    if parts[0] == "conversations" and len(parts) == 1:
        return "create", "", ""
    if parts[0] == "conversations" and len(parts) >= 3:
        conversation = unquote(parts[1])
        if parts[2] == "activities":
            return ("activities", conversation, unquote(parts[3]) if len(parts) > 3 else "")
        if parts[2] in {"members", "pagedmembers"}:
            return "member", conversation, unquote(parts[3]) if len(parts) > 3 else ""
    if parts[0] == "teams" and len(parts) >= 2:
        return "team", unquote(parts[1]), ""
    return "unknown", "", ""


class _Handler(BaseHTTPRequestHandler):
    fake: FakeTeams
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet test output
        pass

    def _body(self) -> tuple[bytes, dict[str, Any]]:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if ctype == "application/x-www-form-urlencoded":
            return raw, dict(parse_qsl(raw.decode(), keep_blank_values=True))
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {}
        return raw, data if isinstance(data, dict) else {"_": data}

    def _answer(self, status: int, body: Any, retry_after: float | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def _serve(self, method: str) -> None:
        fake = self.fake
        path = urlsplit(self.path).path
        raw, body = self._body() if method != "GET" else (b"", {})
        headers = {k.lower(): v for k, v in self.headers.items()}
        kind, conversation, activity = self._kind(method, path)
        if kind == "upload":
            body = {"bytes": len(raw)}
        status, answer = 200, None
        fault = fake._next_fault(kind)
        if fault is not None and fault.delay:
            fake._stopping.wait(fault.delay)
        if fault is not None and fault.status != 200:
            status, answer = fault.status, fault.body or {"error": {"code": "ServiceError"}}
        elif kind in {"openid", "keys", "token"}:
            status, answer = self._login(kind, path, body)
        elif kind == "upload":
            status, answer = self._upload(method, conversation, headers, raw)
        elif not fake.authorised(headers.get("authorization", "")):
            status = 401
            answer = {"message": "Authorization has been denied for this request."}
        else:
            status, answer = self._connector(kind, conversation, activity, body)
        fake._record(Recorded(kind, method, path, conversation, headers, body, status))
        self._answer(status, answer, fault.retry_after if fault else None)

    def _kind(self, method: str, path: str) -> tuple[str, str, str]:
        if path.endswith("/.well-known/openidconfiguration"):
            return "openid", "", ""
        if path.endswith("/.well-known/keys"):
            return "keys", "", ""
        if path.endswith("/oauth2/v2.0/token"):
            return "token", "", ""
        if path.startswith("/upload/"):
            return "upload", path.removeprefix("/upload/"), ""
        kind, conversation, activity = _route(path)
        if kind == "activities":
            kind = {"PUT": "update"}.get(method, "reply" if activity else "send")
        return kind, conversation, activity

    def _login(self, kind: str, path: str, body: dict[str, Any]) -> tuple[int, Any]:
        fake = self.fake
        if kind == "openid":
            return 200, {
                "issuer": ISSUER,
                "authorization_endpoint": f"{fake.url}/v1/.well-known/authorize",
                "jwks_uri": f"{fake.url}/v1/.well-known/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
                "token_endpoint_auth_methods_supported": ["private_key_jwt"],
            }
        if kind == "keys":
            jwk = RSAAlgorithm.to_jwk(fake.key.public_key(), as_dict=True)
            return 200, {
                "keys": [jwk | {"kid": fake.kid, "use": "sig", "endorsements": ["msteams"]}]
            }
        tenant = path.strip("/").split("/")[0]
        if tenant != fake.tenant:
            return 400, {"error": "invalid_request", "error_description": "AADSTS90002: Tenant"}
        if body.get("client_id") != fake.app_id or body.get("client_secret") != fake.password:
            return 401, {
                "error": "invalid_client",
                "error_description": "AADSTS7000215: Invalid client secret provided.",
            }
        if body.get("grant_type") != "client_credentials" or body.get("scope") != BOT_SCOPE:
            return 400, {"error": "invalid_scope", "error_description": "AADSTS70011"}
        token, lifetime = fake._access_token()
        return 200, {
            "token_type": "Bearer",
            "expires_in": lifetime,
            "ext_expires_in": lifetime,
            "access_token": token,
        }

    def _upload(
        self, method: str, session: str, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Any]:
        fake = self.fake
        if "authorization" in headers:
            return 401, {"error": {"code": "unauthenticated", "message": "Unexpected token"}}
        found = re.fullmatch(r"bytes (\d+)-(\d+)/(\d+)", headers.get("content-range", ""))
        if method != "PUT" or found is None:
            return 400, {"error": {"code": "invalidRequest", "message": "Content-Range"}}
        start, end, total = (int(g) for g in found.groups())
        with fake._cond:
            got = fake._partial.setdefault(session, bytearray())
            if start != len(got) or end - start + 1 != len(raw) or end >= total:
                return 416, {
                    "error": {"code": "invalidRange"},
                    "nextExpectedRanges": [f"{len(got)}-"],
                }
            got.extend(raw)
            if len(got) < total:
                return 202, {"nextExpectedRanges": [f"{len(got)}-{total - 1}"]}
            fake.uploads[session] = bytes(fake._partial.pop(session))
        return 201, {"id": session, "name": session, "size": total, "file": {}}

    def _connector(
        self, kind: str, conversation: str, activity: str, body: dict[str, Any]
    ) -> tuple[int, Any]:
        fake = self.fake
        if kind in {"send", "reply"}:
            return 201, {"id": fake.next_id()}
        if kind == "update":
            return 200, {"id": activity}
        if kind == "create":
            members = body.get("members") or [{}]
            return 201, {"id": f"a:personal-{members[0].get('id', '')}", "activityId": None}
        if kind == "member":
            if not activity:
                return 200, list({id(m): m for m in fake.members.values()}.values())
            found = fake.members.get(activity)
            if found is None:
                return 404, {"error": {"code": "MemberNotFoundInConversation"}}
            return 200, found
        if kind == "team":
            return 200, {"id": conversation, "name": "Tingbjerg-Husum", "aadGroupId": "g1"}
        return 404, {"error": {"code": "NotFound"}}
