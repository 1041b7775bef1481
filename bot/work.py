"""Slow work after the acknowledgement (charts, reports, files), on one bounded pool shared by
every adapter. A job that fails is told to the person who asked, never only logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

log = logging.getLogger("partnerbot.work")


class SlowWork:
    def __init__(self, workers: int = 4) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slow-work")
        self.closed = False

    def submit(self, job: Callable[[], None], on_failure: Callable[[], None]) -> None:
        def run() -> None:
            try:
                job()
            except Exception:
                log.exception("slow work failed")
                try:
                    on_failure()
                except Exception:
                    log.exception("could not tell the user that slow work failed")

        self._pool.submit(run)

    def close(self) -> None:
        """Finish the work in hand (SIGTERM): nothing acknowledged is dropped."""
        self.closed = True
        self._pool.shutdown(wait=True)
