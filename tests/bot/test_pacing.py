"""The posting pace per channel (Slack takes about one message a second per channel): kept by
one process in memory, and across replicas through PostgreSQL (issue 9: three replicas posted
three messages a second into one channel)."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy.engine import Engine

from bot.pacing import Pacer, SharedPacer, pacer_for
from storage.db import make_engine


def test_one_process_spaces_posts_to_a_channel_and_not_across_channels() -> None:
    pacer = Pacer(interval=1.0)
    waits = [pacer.reserve("C0WG") for _ in range(3)]
    assert waits[0] == 0 and 0.9 < waits[1] <= 1.0 and 1.9 < waits[2] <= 2.0
    assert pacer.reserve("C0OTHER") == 0


@pytest.mark.postgres
def test_three_replicas_share_one_pace_per_channel(pg_engine: Engine, pg_url: str) -> None:
    """Three processes' pacers (each its own engine, as a replica has) take turns: 12 posts
    into one channel are spread over 12 slots a second apart, whoever asks."""
    replicas = [make_engine(pg_url) for _ in range(3)]
    try:
        pacers = [pacer_for(e, "slack") for e in replicas]
        assert all(isinstance(p, SharedPacer) for p in pacers)
        waits: list[float] = []
        lock = threading.Lock()

        def ask(pacer: Pacer) -> None:
            for _ in range(4):
                wait = pacer.reserve("C0WG")
                with lock:
                    waits.append(wait)

        threads = [threading.Thread(target=ask, args=(p,)) for p in pacers]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        slots = sorted(waits)
        # each slot a second after the one before (less the few ms the asking itself took)
        assert slots[0] < 0.2 and all(0.8 < b - a < 1.2 for a, b in itertools.pairwise(slots))
        assert pacers[0].reserve("C0OTHER") == 0  # another channel has its own pace
    finally:
        for e in replicas:
            e.dispose()


def test_sqlite_keeps_the_pace_in_memory(sqlite_engine: Engine) -> None:
    assert type(pacer_for(sqlite_engine, "slack")) is Pacer
