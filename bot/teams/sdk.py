"""The one door to the Teams SDK: every Teams module imports the SDK through here.

`microsoft_teams.apps` loads a `.env` file into the process environment when it is imported
(python-dotenv's `load_dotenv`), and `App()` falls back to `CLIENT_SECRET` and friends from the
environment. Partnerbot's settings come from its own variables only (DESIGN section 3), so the
import runs with dotenv loading switched off, and `quiet_env` hides the SDK's variables while an
App is built.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

# Read by the SDK when it builds an App or a client; none of them is ours to honour.
SDK_VARIABLES = (
    "CLIENT_ID",
    "CLIENT_SECRET",
    "TENANT_ID",
    "MANAGED_IDENTITY_CLIENT_ID",
    "SERVICE_URL",
    "CLOUD",
    "OAUTH_URL",
    "DANGEROUSLY_ALLOW_UNAUTHENTICATED_REQUESTS",
)


@contextmanager
def quiet_env(*names: str) -> Iterator[None]:
    """Hide `names` from os.environ for the duration (start-up only: nothing else runs)."""
    saved = {n: os.environ.pop(n) for n in names if n in os.environ}
    try:
        yield
    finally:
        os.environ.update(saved)


@contextmanager
def _no_dotenv() -> Iterator[None]:
    prior = os.environ.get("PYTHON_DOTENV_DISABLED")
    os.environ["PYTHON_DOTENV_DISABLED"] = "1"
    try:
        yield
    finally:
        if prior is None:
            os.environ.pop("PYTHON_DOTENV_DISABLED", None)
        else:
            os.environ["PYTHON_DOTENV_DISABLED"] = prior


# The SDK warns at import about preview features Partnerbot does not use.
with _no_dotenv(), warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from microsoft_teams.api import (
        ApiClientSettings,
        ConversationAccount,
        InvokeResponse,
        MessageActivityInput,
        TokenCredentials,
    )
    from microsoft_teams.api.auth.cloud_environment import PUBLIC, with_overrides
    from microsoft_teams.apps import ActivityContext, App, FastAPIAdapter
    from microsoft_teams.cards import AdaptiveCard
    from microsoft_teams.common import Client, ClientOptions
    from microsoft_teams.common.http.client import MiddlewareContext, MiddlewareNext

__all__ = [
    "PUBLIC",
    "SDK_VARIABLES",
    "ActivityContext",
    "AdaptiveCard",
    "ApiClientSettings",
    "App",
    "Client",
    "ClientOptions",
    "ConversationAccount",
    "FastAPIAdapter",
    "InvokeResponse",
    "MessageActivityInput",
    "MiddlewareContext",
    "MiddlewareNext",
    "TokenCredentials",
    "quiet_env",
    "with_overrides",
]
