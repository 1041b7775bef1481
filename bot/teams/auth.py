"""The bot's own token for its calls to the connector (DESIGN section 6b).

Fetched with client credentials from `{TEAMS_LOGIN_URL}/{tenant}/oauth2/v2.0/token` (a
single-tenant bot), cached until five minutes before it expires, and handed to the SDK as its
token provider. The SDK's own path (MSAL) refuses an `http://` token endpoint, so tests could
not point it at a local fake. Neither the secret nor a token is ever logged or put in an
exception's text.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from bot.teams.settings import TeamsSettings

BOT_SCOPE = "https://api.botframework.com/.default"
REFRESH_EARLY_S = 300
TIMEOUT_S = 10.0


class TokenRefused(RuntimeError):
    """The login answered and refused the app's credentials; str() names the setting."""


class LoginUnreachable(RuntimeError):
    """The login did not answer (or answered with a server error)."""


class BotToken:
    """Client-credentials tokens per scope, cached; safe to share across one event loop."""

    def __init__(self, settings: TeamsSettings, *, timeout: float = TIMEOUT_S) -> None:
        self.url = f"{settings.login_url}/{settings.tenant_id}/oauth2/v2.0/token"
        self._client_id = settings.app_id or ""
        self._secret = settings.app_password or ""
        self._timeout = timeout
        self._cache: dict[str, tuple[str, float]] = {}  # scope -> (token, refresh after)
        self._lock: asyncio.Lock | None = None
        self.fetched = 0  # how many tokens were fetched (the cache's effect, for tests)

    def __call__(self, scope: str | list[str], tenant_id: str | None = None) -> object:
        """The SDK's token provider: (scope, tenant) -> an awaitable token. The tenant is
        always the bot's own (single-tenant)."""
        return self.get(scope if isinstance(scope, str) else " ".join(scope))

    async def get(self, scope: str = BOT_SCOPE) -> str:
        cached = self._cache.get(scope)
        if cached is not None and time.time() < cached[1]:
            return cached[0]
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            cached = self._cache.get(scope)
            if cached is not None and time.time() < cached[1]:
                return cached[0]
            token, lifetime = await self._fetch(scope)
            self._cache[scope] = (token, time.time() + max(lifetime - REFRESH_EARLY_S, 30))
            self.fetched += 1
            return token

    async def _fetch(self, scope: str) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._secret,
            "scope": scope,
        }
        last = ""
        async with httpx.AsyncClient(timeout=self._timeout) as client:
            for attempt in range(3):
                try:
                    resp = await client.post(self.url, data=form)
                except httpx.HTTPError as exc:
                    last = exc.__class__.__name__
                else:
                    if resp.status_code == 200:
                        body = resp.json()
                        return str(body["access_token"]), float(body.get("expires_in", 3599))
                    if resp.status_code < 500 and resp.status_code != 429:
                        raise TokenRefused(_refusal(resp))
                    last = f"HTTP {resp.status_code}"
                await asyncio.sleep(0.5 * 2**attempt)
        raise LoginUnreachable(f"TEAMS_LOGIN_URL: no token from {self.url} ({last})")


def _refusal(resp: httpx.Response) -> str:
    try:
        error = str(resp.json().get("error") or resp.status_code)
    except ValueError:
        error = f"HTTP {resp.status_code}"
    if error in {"invalid_client", "unauthorized_client"}:
        return f"TEAMS_APP_PASSWORD: Microsoft's login refused the app id and secret ({error})"
    if error == "invalid_request":
        return f"TEAMS_TENANT_ID: Microsoft's login does not know this tenant ({error})"
    return f"TEAMS_APP_ID: Microsoft's login refused the bot ({error})"
