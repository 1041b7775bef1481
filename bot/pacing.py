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

    def wait(self, channel: str) -> float:
        """Block until `channel` may be posted to; returns the seconds waited."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(channel, 0.0))
            self._next[channel] = slot + self.interval
        delay = slot - now
        if delay > 0:
            time.sleep(delay)
        return max(delay, 0.0)
