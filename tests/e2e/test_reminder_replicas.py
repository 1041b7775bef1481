"""Three replicas on PostgreSQL post reminders to Slack exactly once although Slack answers
after the client's timeout and one replica is killed with -9 right after Slack took its post
(issue 9: the field saw 2–4 posts per reminder with a slow Slack and 4 of 100 doubled under
kill -9). Real processes, real HTTP to the fake Web API, the real router and keyed posts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_slack import FakeSlack
from replica_run import CHANNELS, run
from sqlalchemy.engine import Engine

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_three_replicas_slow_slack_and_kill_9_post_each_reminder_once(
    pg_engine: Engine, pg_url: str, tmp_path: Path
) -> None:
    with FakeSlack() as fake:
        outcome = run(fake, pg_url, tmp_path, count=12, slow=4, crash_after=2)
    assert outcome.sent == 12, outcome
    assert outcome.crashed == 1  # the replica did die after Slack took its post
    for channel in CHANNELS:
        assert sorted(outcome.posts[channel]) == sorted(f"replica:{n}" for n in range(12))
        assert set(outcome.posts[channel].values()) == {1}, (channel, outcome.posts[channel])
    assert outcome.per_reminder() == {1: 24}
    assert outcome.errors == []
