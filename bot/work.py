"""Slow work after the acknowledgement (charts, reports, files), on one bounded pool shared by
every adapter. A job that fails is told to the person who asked, never only logged.

Fair to everybody: jobs queue per owner (the person who asked) and a free worker takes the
owner served least recently (one never served first), so one member's 60 `status all` delay
another member's one request by at most the jobs already running. `admit` also caps what one
owner may have queued or running (`per_owner`): the adapter refuses more, with a reply saying
so, before it acknowledges.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from collections.abc import Callable

log = logging.getLogger("partnerbot.work")

PER_OWNER = 2
Job = tuple[str, Callable[[], None], Callable[[], None]]  # owner, job, on_failure


class SlowWork:
    def __init__(self, workers: int = 4, *, per_owner: int = PER_OWNER) -> None:
        self.per_owner = per_owner
        self.closed = False
        self._queues: dict[str, deque[Job]] = {}  # owners with jobs waiting
        self._served: dict[str, int] = {}  # owner -> when their last job started (a count)
        self._starts = itertools.count()
        self._in_flight: dict[str, int] = {}  # owner -> queued + running
        self._cond = threading.Condition()
        self._threads = [
            threading.Thread(target=self._work, name=f"slow-work-{n}", daemon=True)
            for n in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(
        self, job: Callable[[], None], on_failure: Callable[[], None], owner: str = ""
    ) -> None:
        """Queue `job` in `owner`'s turn, whatever they have in flight (the work that follows
        an answer already given: more messages, files, the user's locale)."""
        with self._cond:
            self._queue(owner, (owner, job, on_failure))

    def admit(self, job: Callable[[], None], on_failure: Callable[[], None], *, owner: str) -> int:
        """Queue `job` unless `owner` already has `per_owner` jobs queued or running: 0 when
        queued, else how many they have in flight (for the refusal)."""
        with self._cond:
            busy = self._in_flight.get(owner, 0)
            if owner and busy >= self.per_owner:
                return busy
            self._queue(owner, (owner, job, on_failure))
            return 0

    def in_flight(self, owner: str) -> int:
        with self._cond:
            return self._in_flight.get(owner, 0)

    def _queue(self, owner: str, item: Job) -> None:
        if self.closed:
            raise RuntimeError("slow work is closed")
        self._queues.setdefault(owner, deque()).append(item)
        self._in_flight[owner] = self._in_flight.get(owner, 0) + 1
        self._cond.notify()

    def _next(self) -> Job | None:
        """The job of the owner served least recently, or None when closed and drained."""
        with self._cond:
            while not self._queues:
                if self.closed:
                    return None
                self._cond.wait()
            owner = min(self._queues, key=lambda o: self._served.get(o, -1))  # ties: first come
            queue = self._queues[owner]
            item = queue.popleft()
            if not queue:
                del self._queues[owner]
            self._served[owner] = next(self._starts)
            return item

    def _work(self) -> None:
        while (item := self._next()) is not None:
            owner, job, on_failure = item
            try:
                job()
            except Exception:
                log.exception("slow work failed")
                try:
                    on_failure()
                except Exception:
                    log.exception("could not tell the user that slow work failed")
            finally:
                with self._cond:
                    left = self._in_flight.get(owner, 1) - 1
                    if left:
                        self._in_flight[owner] = left
                    else:  # forgotten: nothing of theirs is waiting
                        self._in_flight.pop(owner, None)
                        self._served.pop(owner, None)

    def close(self) -> None:
        """Finish the work in hand (SIGTERM): nothing acknowledged is dropped."""
        with self._cond:
            self.closed = True
            self._cond.notify_all()
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join()
