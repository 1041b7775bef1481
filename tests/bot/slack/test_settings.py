"""Slack's settings: read like the shared ones, checked against Slack's own rules, secrets
never printed."""

from __future__ import annotations

import pytest
from helpers import assert_setting_refused

from bot.slack.settings import load_slack_settings


def test_defaults_and_normalised_api_url():
    slack = load_slack_settings({})
    assert slack.api_url == "https://slack.com/api/" and slack.port == 3000
    assert slack.bot_token is None and not slack.socket_mode
    slack = load_slack_settings({"SLACK_API_URL": "http://127.0.0.1:9/api", "PORT": "4000"})
    assert slack.api_url == "http://127.0.0.1:9/api/" and slack.port == 4000
    assert load_slack_settings({"SLACK_APP_TOKEN": "xapp-1-x"}).socket_mode


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"PORT": "x"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"PARTNERBOT_COMMAND": "/status"}, "PARTNERBOT_COMMAND"),
        ({"PARTNERBOT_COMMAND": "/Remind"}, "PARTNERBOT_COMMAND"),
        ({"SLACK_BOT_TOKEN": "abc"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_APP_TOKEN": "xoxb-1"}, "SLACK_APP_TOKEN"),
        ({"SLACK_API_URL": "ftp://x"}, "SLACK_API_URL"),
    ],
)
def test_bad_values_stop_with_one_line_naming_the_variable(env, name):
    assert_setting_refused(load_slack_settings, env, name)


def test_dotenv_is_read_and_secrets_never_shown(tmp_path, monkeypatch):
    env_file = tmp_path / ".env"
    env_file.write_text(
        "SLACK_BOT_TOKEN=xoxb-secret-123\nSLACK_SIGNING_SECRET=sig-hemmelig-42\nPORT=4000\n",
        encoding="utf-8",
    )
    for name in ("PORT", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "PARTNERBOT_COMMAND"):
        monkeypatch.delenv(name, raising=False)
    slack = load_slack_settings(dotenv_path=env_file)
    assert slack.port == 4000 and slack.bot_token == "xoxb-secret-123"
    assert slack.signing_secret == "sig-hemmelig-42"
    for shown in (repr(slack), str(slack)):
        assert "xoxb" not in shown and "sig-hemmelig" not in shown
    monkeypatch.setenv("PORT", "5000")  # the environment beats the file
    assert load_slack_settings(dotenv_path=env_file).port == 5000
