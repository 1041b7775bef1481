"""Settings every entry point shares, from the environment or a `.env` file (DESIGN section 3).

Each chat adapter reads its own settings the same way (`settings_from`), next to its code.
The environment beats the `.env` file. A missing or invalid setting raises `SettingsError`
with one line naming it; the entry point prints that line and exits.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, TypeVar
from urllib.parse import urlparse

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SHIPPED_CONFIG_DIR = Path(__file__).resolve().parent / "partnerships"
DEFAULT_DATABASE_URL = "sqlite:///partnerbot.db"
DEFAULT_COMMAND = "/wg"


class SettingsError(ValueError):
    """One invalid or missing setting; str() is the one line shown to the operator."""


class EnvSettings(BaseSettings):
    """Base of every settings group: fields are named by their variable (validation_alias),
    blank values count as unset, unknown variables are ignored (they belong to other groups)."""

    model_config = SettingsConfigDict(
        extra="ignore", frozen=True, case_sensitive=True, validate_default=False
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_blank(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {
                k: v.strip() if isinstance(v, str) else v
                for k, v in data.items()
                if not (isinstance(v, str) and not v.strip())
            }
        return data


S = TypeVar("S", bound=EnvSettings)


def settings_from(
    cls: type[S], env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> S:
    """Read `cls` from `env` alone when given (tests), else from the process environment over
    the `.env` file at `dotenv_path` (skipped when absent)."""
    try:
        if env is not None:
            return cls.model_validate(dict(env))
        dotenv = dotenv_path if dotenv_path is not None and Path(dotenv_path).is_file() else None
        return cls(_env_file=dotenv)  # type: ignore[call-arg]
    except ValidationError as exc:
        raise SettingsError(_one_line(exc)) from None


def _one_line(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    name = str(error["loc"][0]) if error["loc"] else exc.title
    cause = (error.get("ctx") or {}).get("error")
    message = str(cause) if isinstance(cause, ValueError) else error["msg"]
    return f"{name}: " + " ".join(message.split())


def redact_url(url: str) -> str:
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
    raise ValueError(
        f"{redact_url(url)!r} is not supported; use sqlite:///FILE "
        "or postgresql+psycopg://USER@HOST/DB"
    )


def http_url(value: str, *, slash: bool) -> str:
    """An absolute http(s) URL, ending in exactly one `/` when `slash`, else in none."""
    parsed = urlparse(value)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.rstrip("/") + ("/" if slash else "")


class Settings(EnvSettings):
    database_url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    config_dir: Path = Field(SHIPPED_CONFIG_DIR, validation_alias="PARTNERBOT_CONFIG_DIR")
    # Chat user ids with all rights; comma-separated, so not decoded as JSON.
    admins: Annotated[frozenset[str], NoDecode] = Field(
        frozenset(), validation_alias="PARTNERBOT_ADMINS"
    )
    command: str = Field(DEFAULT_COMMAND, validation_alias="PARTNERBOT_COMMAND")
    # Base of the bot's own download links, without a trailing slash; None: no links.
    public_url: str | None = Field(None, validation_alias="PARTNERBOT_PUBLIC_URL")

    @field_validator("database_url", mode="before")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("config_dir", mode="before")
    @classmethod
    def _config_dir(cls, value: str | Path) -> Path:
        path = Path(value)
        if not path.is_dir():
            raise ValueError(f"{str(path)!r} is not a directory")
        return path

    @field_validator("admins", mode="before")
    @classmethod
    def _admins(cls, value: str | frozenset[str]) -> frozenset[str]:
        if isinstance(value, str):
            return frozenset(a.strip() for a in value.split(",") if a.strip())
        return frozenset(value)

    @field_validator("command", mode="before")
    @classmethod
    def _command(cls, value: str) -> str:
        if not value.startswith("/") or len(value) < 2 or not value[1:].replace("-", "").isalnum():
            raise ValueError(f"{value!r} must look like /wg")
        return value

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, value: str) -> str:
        return http_url(value, slash=False)

    def __repr__(self) -> str:  # a database password must never reach a log line
        return (
            f"Settings(database_url={redact_url(self.database_url)!r}, "
            f"config_dir={str(self.config_dir)!r}, command={self.command!r}, "
            f"admins={sorted(self.admins)!r}, public_url={self.public_url!r})"
        )

    __str__ = __repr__


def load_settings(
    env: Mapping[str, str] | None = None, dotenv_path: str | Path | None = ".env"
) -> Settings:
    """Read settings; `env` alone when given, else os.environ over a `.env` file if present."""
    return settings_from(Settings, env, dotenv_path)
