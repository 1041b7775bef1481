"""What the benchmarks share: percentiles, a free port, waiting for a server, an open-loop load
at a fixed rate, a process started quietly, a throw-away PostgreSQL database, and an admin in
the demo partnership."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, text

if TYPE_CHECKING:
    from commands.engine.context import Context

ROOT = Path(__file__).resolve().parents[2]
# `partnerbot serve` on the loopback, as the benchmarks start it
SERVE = [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"]
PG_ADMIN = os.environ.get("PARTNERBOT_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def demo_context(url: str, lang: str | None = None) -> Context:
    """An admin in the demo partnership on a fresh database at `url`, as the shell would be."""
    from bot.runtime import start
    from commands.engine.context import Context
    from config.settings import load_settings
    from storage.demo import ensure_demo

    runtime = start(load_settings({}), database_url=url)
    slug = "tingbjerg-husum"
    ensure_demo(runtime.engine, runtime.partnerships[slug])
    return Context(
        engine=runtime.engine,
        partnerships=runtime.partnerships,
        user="bench",
        is_admin=True,
        partnership=slug,
        lang=lang,
    )


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def quiet(cmd: list[str], env: dict[str, str], cwd: str | Path) -> subprocess.Popen[bytes]:
    """A server process whose output the figures do not need."""
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    """Until `url` answers at all (a 404 from a bare app counts: it is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not come up")


def open_loop(count: int, rate: float, send: Callable[[int], int], label: str) -> list[float]:
    """Request i is sent at t0 + i/rate whatever the earlier ones are doing; `send(i)` returns
    the HTTP status. The latencies in ms; non-200 answers are printed."""
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        began = time.perf_counter()
        status = send(i)
        took = (time.perf_counter() - began) * 1000
        with lock:
            latencies.append(took)
            if status != 200:
                errors.append(status)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        for i in range(count):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(one, i)
    if errors:
        print(f"  {label}: {len(errors)} non-200 answers, e.g. {errors[:3]}")
    return latencies


@contextmanager
def pg_database(what: str) -> Iterator[str | None]:
    """A fresh database on the local PostgreSQL, dropped afterwards; None (and a line saying
    `what` was skipped) when no server answers."""
    name = f"partnerbot_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # no server: say so, measure the rest
        print(f"{what} on PostgreSQL skipped: {exc.__class__.__name__}")
        admin.dispose()
        yield None
        return
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
