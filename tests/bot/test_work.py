"""The slow-work pool is fair: one member who queues 60 `status all` must not make everybody
else wait (issue 9). Ordering and refusals are asserted, never timings."""

from __future__ import annotations

import threading

from bot.work import SlowWork


def _gate() -> tuple[threading.Event, list[str], object]:
    opened = threading.Event()
    done: list[str] = []
    lock = threading.Lock()

    def job(name: str, wait: bool = True):  # type: ignore[no-untyped-def]
        def run() -> None:
            if wait:
                assert opened.wait(10)
            with lock:
                done.append(name)

        return run

    return opened, done, job


def test_one_user_gets_two_in_flight_and_others_are_not_held_up() -> None:
    work = SlowWork(workers=2, per_owner=2)
    opened, done, job = _gate()
    answers = [work.admit(job(f"anna{n}"), lambda: None, owner="anna") for n in range(20)]
    assert answers[:2] == [0, 0]  # accepted
    assert answers[2:] == [2] * 18  # refused: "you already have 2 requests in progress"
    finished = threading.Event()
    assert work.admit(job("erik", wait=False), lambda: None, owner="erik") == 0
    # Both workers are busy with Anna's jobs (blocked on the gate), yet Erik and Bo were
    # admitted, and their jobs are next whatever Anna asks for meanwhile.
    work.submit(finished.set, lambda: None, owner="bo")
    assert work.admit(job("anna-again"), lambda: None, owner="anna") == 2
    opened.set()
    assert finished.wait(10)
    work.close()
    assert sorted(done) == ["anna0", "anna1", "erik"]
    assert work.in_flight("anna") == 0


def test_the_queue_takes_users_in_turn() -> None:
    work = SlowWork(workers=1)
    opened, done, job = _gate()
    started = threading.Event()

    def first() -> None:
        started.set()
        job("first")()

    work.submit(first, lambda: None, owner="anna")  # holds the one worker
    assert started.wait(10)
    for n in range(5):
        work.submit(job(f"anna{n}", wait=False), lambda: None, owner="anna")
    work.submit(job("erik", wait=False), lambda: None, owner="erik")
    work.submit(job("bo", wait=False), lambda: None, owner="bo")
    opened.set()
    work.close()
    # Those not served yet come before Anna, who was; then Anna's in order.
    assert done == ["first", "erik", "bo", "anna0", "anna1", "anna2", "anna3", "anna4"]


def test_a_failure_is_told_and_frees_the_slot() -> None:
    work = SlowWork(workers=1, per_owner=1)
    told = threading.Event()

    def boom() -> None:
        raise RuntimeError("chart failed")

    assert work.admit(boom, told.set, owner="anna") == 0
    assert told.wait(10)
    work.close()
    assert work.in_flight("anna") == 0
