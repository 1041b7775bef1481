"""Posting pace per channel: chat platforms limit messages per channel (Slack about one a
second, Teams about seven), and a burst over the limit is refused or delayed by them."""

from __future__ import annotations

import threading
import time


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
