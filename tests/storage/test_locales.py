"""Users' platform locales, kept for every replica: both databases."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from storage import locales


def test_a_locale_is_remembered_refreshed_and_kept_per_platform(engine: Engine) -> None:
    assert locales.known(engine, "slack", "U0ERIK") is None
    locales.remember(engine, "slack", "U0ERIK", "en-GB")
    first = locales.known(engine, "slack", "U0ERIK")
    assert first is not None and first[0] == "en-GB"
    locales.remember(engine, "slack", "U0ERIK", "da-DK")  # he changed his Slack language
    second = locales.known(engine, "slack", "U0ERIK")
    assert second is not None and second[0] == "da-DK" and second[1] >= first[1]
    assert locales.known(engine, "teams", "U0ERIK") is None  # another platform's user
