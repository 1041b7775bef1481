"""Posting pace per channel: chat platforms limit messages per channel (Slack about one a
second, Teams about seven), and a burst over the limit is refused or delayed by them."""

from __future__ import annotations

import threading
import time

from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from storage import pace


class Pacer:
    """At most one post every `interval` seconds per channel; callers wait their turn."""

    def __init__(self, interval: float = 1.0) -> None:
        self.interval = interval
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def reserve(self, channel: str) -> float:
        """Take the next slot for `channel` without waiting; returns the seconds until it
        (callers on an event loop sleep that long themselves)."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(channel, 0.0))
            self._next[channel] = slot + self.interval
        return max(slot - now, 0.0)

    def wait(self, channel: str) -> float:
        """Block until `channel` may be posted to; returns the seconds waited."""
        delay = self.reserve(channel)
        if delay > 0:
            time.sleep(delay)
        return delay


class SharedPacer(Pacer):
    """The same pace kept across replicas: PostgreSQL holds each channel's next slot
    (storage/pace.py). One database statement per post; if the database cannot answer, this
    process's own pace still holds."""

    def __init__(self, engine: Engine, platform: str, interval: float = 1.0) -> None:
        super().__init__(interval)
        self.engine, self.platform = engine, platform

    def reserve(self, channel: str) -> float:
        try:
            return pace.reserve(self.engine, self.platform, channel, self.interval)
        except SQLAlchemyError:
            return super().reserve(channel)


def pacer_for(engine: Engine, platform: str, interval: float = 1.0) -> Pacer:
    """Shared on PostgreSQL (several replicas may post), in memory on SQLite (one process)."""
    if engine.dialect.name == "postgresql":
        return SharedPacer(engine, platform, interval)
    return Pacer(interval)
