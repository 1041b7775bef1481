"""Slack's settings (DESIGN section 3), read like the shared ones: environment over `.env`.

Tokens and the signing secret are left out of repr() and str(), so a logged settings object
never shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, field_validator

from config.settings import EnvSettings, SettingsError, http_url, load_settings, settings_from

DEFAULT_API_URL = "https://slack.com/api/"
DEFAULT_PORT = 3000
# Slack reserves these built-in commands; the root command may never shadow them.
RESERVED_COMMANDS = frozenset(
    {
        "/status",
        "/remind",
        "/who",
        "/me",
        "/msg",
        "/dm",
        "/away",
        "/invite",
        "/leave",
        "/topic",
        "/search",
        "/shortcuts",
        "/feed",
        "/apps",
        "/active",
        "/collapse",
        "/expand",
        "/open",
        "/mute",
        "/join",
        "/archive",
        "/shrug",
        "/prefs",
        "/feedback",
        "/help",
    }
)


def _prefixed(value: str, prefix: str) -> str:
    if not value.startswith(prefix):
        raise ValueError(f"must start with {prefix!r}")
    return value


class SlackSettings(EnvSettings):
    bot_token: str | None = Field(None, validation_alias="SLACK_BOT_TOKEN", repr=False)
    signing_secret: str | None = Field(None, validation_alias="SLACK_SIGNING_SECRET", repr=False)
    app_token: str | None = Field(None, validation_alias="SLACK_APP_TOKEN", repr=False)
    # Base URL of the Web API, ending in `/`; tests and proxies point it elsewhere.
    api_url: str = Field(DEFAULT_API_URL, validation_alias="SLACK_API_URL")
    port: int = Field(DEFAULT_PORT, validation_alias="PORT")  # HTTP mode

    @field_validator("bot_token", mode="before")
    @classmethod
    def _bot_token(cls, value: str) -> str:
        return _prefixed(value, "xoxb-")

    @field_validator("app_token", mode="before")
    @classmethod
    def _app_token(cls, value: str) -> str:
        return _prefixed(value, "xapp-")

    @field_validator("api_url", mode="before")
    @classmethod
    def _api_url(cls, value: str) -> str:
        return http_url(value, slash=True)

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: str | int) -> int:
        text = str(value)
        if not text.isdigit() or not 1 <= int(text) <= 65535:
            raise ValueError(f"{text!r} is not a port number (1-65535)")
        return int(text)

    @property
    def socket_mode(self) -> bool:
        """Socket Mode when an app-level token is set; otherwise HTTP on `port`."""
        return self.app_token is not None

    def secrets(self) -> list[str]:
        """What the log filter must mask beyond the token patterns it knows."""
        return [s for s in (self.signing_secret, self.app_token, self.bot_token) if s]


def load_slack_settings(
    env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> SlackSettings:
    """Read Slack's settings from the same sources as `load_settings`, and refuse a root
    command Slack reserves for itself."""
    command = load_settings(env, dotenv_path).command
    if command.lower() in RESERVED_COMMANDS:
        raise SettingsError(f"PARTNERBOT_COMMAND: {command} is reserved by Slack; choose another")
    return settings_from(SlackSettings, env, dotenv_path)
