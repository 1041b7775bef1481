"""Who may talk to the bot, and how the bot talks back: inbound Bot Framework JWTs checked
against the fake's key set (forged, expired, wrong audience, another serviceUrl → 401 and
nothing runs), and the bot's own token fetched once from the login and never logged."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from conftest import Bot
from fake_teams import Fault, new_key
from helpers import table_snapshot
from teams_activities import ADMIN, channel_message, post_activity

from bot.teams.app import TeamsAdapter
from bot.teams.auth import BotToken, TokenRefused
from bot.teams.settings import load_teams_settings


def _bind(bot: Bot) -> dict:
    return channel_message(bot.fake, ADMIN, "bind tingbjerg-husum")


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda f, a: f.sign(key=new_key()), id="signed-with-another-key"),
        pytest.param(lambda f, a: f.sign(expires_in=-600), id="expired"),
        pytest.param(lambda f, a: f.sign(audience="another-bot"), id="wrong-audience"),
        pytest.param(lambda f, a: f.sign(issuer="https://evil.example"), id="wrong-issuer"),
        pytest.param(
            lambda f, a: f.sign(service_url="https://elsewhere.example/"), id="other-serviceurl"
        ),
        pytest.param(lambda f, a: None, id="no-token"),
        pytest.param(lambda f, a: "not.a.jwt", id="garbage"),
    ],
)
def test_bad_tokens_are_refused_and_nothing_runs(bot: Bot, forge) -> None:  # type: ignore[no-untyped-def]
    before = table_snapshot(bot.adapter.runtime.engine)
    activity = _bind(bot)
    status, _ = post_activity(bot.url, activity, forge(bot.fake, activity))
    assert status == 401
    time.sleep(0.2)  # anything that ran would have posted by now
    assert bot.fake.posted() == []
    assert table_snapshot(bot.adapter.runtime.engine) == before


def test_an_activity_without_service_url_is_refused(bot: Bot) -> None:
    activity = _bind(bot)
    del activity["serviceUrl"]
    status, _ = post_activity(bot.url, activity, bot.fake.sign())
    assert status == 401 and bot.fake.posted() == []


def test_a_signed_activity_runs_and_the_token_is_fetched_once(bot: Bot) -> None:
    for _ in range(3):
        status, _ = bot.say(ADMIN, "whoami")
        assert status == 200
    bot.fake.wait_posted(3)
    tokens = bot.fake.calls("token")
    assert len(tokens) == 1
    assert tokens[0].body["client_id"] == bot.fake.app_id
    assert tokens[0].body["grant_type"] == "client_credentials"
    assert tokens[0].path == f"/{bot.fake.tenant}/oauth2/v2.0/token"
    # every call to the connector carried the token the login issued
    assert all(bot.fake.authorised(c.headers["authorization"]) for c in bot.fake.posted())


def test_neither_secret_nor_token_reaches_the_log(bot: Bot, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.DEBUG)
    bot.say(ADMIN, "whoami")
    bot.fake.wait_posted(1)
    token = bot.fake.posted()[0].headers["authorization"].removeprefix("Bearer ")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert bot.fake.password not in logged and token not in logged


def test_the_sdk_environment_cannot_swap_the_credentials(  # type: ignore[no-untyped-def]
    bot: Bot, monkeypatch, runtime
) -> None:
    monkeypatch.setenv("CLIENT_ID", "someone-else")
    monkeypatch.setenv("CLIENT_SECRET", "someone-elses-secret")
    monkeypatch.setenv("TENANT_ID", "another-tenant")
    adapter = TeamsAdapter(runtime, load_teams_settings(bot.fake.settings_env()))
    assert adapter.app.id == bot.fake.app_id
    assert adapter.app.credentials.tenant_id == bot.fake.tenant
    adapter.close()


def test_a_wrong_secret_is_named_in_one_line(bot: Bot) -> None:
    env = bot.fake.settings_env() | {"TEAMS_APP_PASSWORD": "wrong-secret-value"}
    with pytest.raises(TokenRefused, match=r"^TEAMS_APP_PASSWORD: .*invalid_client"):
        asyncio.run(BotToken(load_teams_settings(env)).get())


def test_the_login_is_retried_after_a_server_error(bot: Bot) -> None:
    bot.fake.inject("token", Fault(status=503))
    token = BotToken(load_teams_settings(bot.fake.settings_env()))
    assert bot.fake.authorised("Bearer " + asyncio.run(token.get()))
    assert [c.status for c in bot.fake.calls("token")] == [503, 200]
