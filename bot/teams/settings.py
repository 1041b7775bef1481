"""Teams' settings (DESIGN section 3), read like the shared ones: environment over `.env`.

The client secret is left out of repr() and str(), so a logged settings object never shows it.
Only these variables configure Teams: the SDK's own fallbacks (`PORT`, `CLIENT_ID`,
`CLIENT_SECRET`, `TENANT_ID`, `SERVICE_URL`, `CLOUD`, a `.env` it loads by itself) are kept
away from it (bot/teams/sdk.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, field_validator

from config.settings import EnvSettings, http_url, settings_from

DEFAULT_PORT = 3978
DEFAULT_LOGIN_URL = "https://login.microsoftonline.com"
DEFAULT_OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
# Where proactive messages go when no conversation has told the bot its serviceUrl yet.
DEFAULT_API_URL = "https://smba.trafficmanager.net/teams"


def _port(value: str | int) -> int:
    text = str(value)
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(f"{text!r} is not a port number (1-65535)")
    return int(text)


class TeamsSettings(EnvSettings):
    app_id: str | None = Field(None, validation_alias="TEAMS_APP_ID")
    app_password: str | None = Field(None, validation_alias="TEAMS_APP_PASSWORD", repr=False)
    tenant_id: str | None = Field(None, validation_alias="TEAMS_TENANT_ID")
    port: int = Field(DEFAULT_PORT, validation_alias="TEAMS_PORT")
    openid_url: str = Field(DEFAULT_OPENID_URL, validation_alias="TEAMS_OPENID_URL")
    login_url: str = Field(DEFAULT_LOGIN_URL, validation_alias="TEAMS_LOGIN_URL")
    api_url: str = Field(DEFAULT_API_URL, validation_alias="TEAMS_API_URL")

    @field_validator("port", mode="before")
    @classmethod
    def _check_port(cls, value: str | int) -> int:
        return _port(value)

    @field_validator("openid_url", "login_url", "api_url", mode="before")
    @classmethod
    def _url(cls, value: str) -> str:
        return http_url(value, slash=False)

    @field_validator("app_id", "tenant_id", mode="before")
    @classmethod
    def _guid(cls, value: str) -> str:
        parts = value.split("-")
        if [len(p) for p in parts] != [8, 4, 4, 4, 12] or not all(
            p.isalnum() and p.isascii() for p in parts
        ):
            raise ValueError(f"{value!r} is not an id like 00000000-0000-0000-0000-000000000000")
        return value.lower()

    @property
    def enabled(self) -> bool:
        return self.app_id is not None

    def missing(self) -> str | None:
        """The first setting `serve` needs and lacks, as one line; None when complete."""
        if not self.app_password:
            return "TEAMS_APP_PASSWORD: needed with TEAMS_APP_ID (the bot's client secret)"
        if not self.tenant_id:
            return "TEAMS_TENANT_ID: needed with TEAMS_APP_ID (the single-tenant bot's tenant)"
        return None

    def secrets(self) -> list[str]:
        return [self.app_password] if self.app_password else []


def load_teams_settings(
    env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> TeamsSettings:
    return settings_from(TeamsSettings, env, dotenv_path)
