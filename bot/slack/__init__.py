"""Slack adapter (Bolt): the only place that imports slack_bolt / slack_sdk."""
