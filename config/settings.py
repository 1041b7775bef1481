"""Settings from the environment or a `.env` file (DESIGN section 3).

A missing or invalid setting raises `SettingsError` with one line naming it; the entry point
prints that line and exits.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

SHIPPED_CONFIG_DIR = Path(__file__).resolve().parent / "partnerships"
DEFAULT_DATABASE_URL = "sqlite:///partnerbot.db"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# Slack reserves these built-in commands; a root command may never shadow them.
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


class SettingsError(ValueError):
    """One invalid or missing setting; str() is the one line shown to the operator."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    config_dir: Path = SHIPPED_CONFIG_DIR
    admins: frozenset[str] = field(default_factory=frozenset)
    command: str = "/wg"
    port: int = 3000

    def __repr__(self) -> str:  # tokens must never reach a log line
        return (
            f"Settings(database_url={_redact_url(self.database_url)!r}, "
            f"config_dir={str(self.config_dir)!r}, command={self.command!r}, "
            f"port={self.port}, admins={sorted(self.admins)!r}, slack tokens redacted)"
        )

    __str__ = __repr__


def _redact_url(url: str) -> str:
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url


def normalise_database_url(raw: str) -> str:
    url = raw.strip()
    if url.startswith(("postgres://", "postgresql://")):
        # Only the psycopg 3 driver is installed; accept the common spellings.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if (
        url.startswith("sqlite:///")
        or url == "sqlite://"
        or url.startswith("postgresql+psycopg://")
    ):
        return url
    raise SettingsError(
        f"DATABASE_URL: {_redact_url(url)!r} is not supported; use sqlite:///FILE "
        "or postgresql+psycopg://USER@HOST/DB"
    )


def load_settings(
    env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> Settings:
    """Read settings; `env` defaults to os.environ merged over a `.env` file if present."""
    if env is None:
        values: dict[str, str] = {}
        if dotenv_path is not None and Path(dotenv_path).is_file():
            from dotenv import dotenv_values

            values.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
        values.update(os.environ)
        env = values

    def get(name: str) -> str | None:
        value = env.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    database_url = normalise_database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL)

    api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    parsed = urlparse(api_url)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise SettingsError(f"SLACK_API_URL: {api_url!r} is not an http(s) URL")
    if not api_url.endswith("/"):
        api_url += "/"

    config_dir = Path(get("PARTNERBOT_CONFIG_DIR") or SHIPPED_CONFIG_DIR)
    if not config_dir.is_dir():
        raise SettingsError(f"PARTNERBOT_CONFIG_DIR: {str(config_dir)!r} is not a directory")

    admins = frozenset(a.strip() for a in (get("PARTNERBOT_ADMINS") or "").split(",") if a.strip())

    command = get("PARTNERBOT_COMMAND") or "/wg"
    if (
        not command.startswith("/")
        or len(command) < 2
        or not command[1:].replace("-", "").isalnum()
    ):
        raise SettingsError(f"PARTNERBOT_COMMAND: {command!r} must look like /wg")
    if command.lower() in RESERVED_COMMANDS:
        raise SettingsError(f"PARTNERBOT_COMMAND: {command} is reserved by Slack; choose another")

    port_text = get("PORT") or "3000"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise SettingsError(f"PORT: {port_text!r} is not a port number (1-65535)")

    tokens = {
        "SLACK_BOT_TOKEN": ("xoxb-", get("SLACK_BOT_TOKEN")),
        "SLACK_APP_TOKEN": ("xapp-", get("SLACK_APP_TOKEN")),
    }
    for name, (prefix, value) in tokens.items():
        if value is not None and not value.startswith(prefix):
            raise SettingsError(f"{name}: must start with {prefix!r}")

    return Settings(
        database_url=database_url,
        slack_bot_token=tokens["SLACK_BOT_TOKEN"][1],
        slack_signing_secret=get("SLACK_SIGNING_SECRET"),
        slack_app_token=tokens["SLACK_APP_TOKEN"][1],
        slack_api_url=api_url,
        config_dir=config_dir,
        admins=admins,
        command=command,
        port=int(port_text),
    )
