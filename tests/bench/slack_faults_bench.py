"""Slack under faults and attack (issue 9, DESIGN section 7), against `partnerbot serve` in HTTP
mode and the fake Web API:

- the ack of each new user's first command while `users.info` answers after 5 s (the locale is
  looked up after the ack, so it must not show);
- a signed command while 150 idle sockets and 120 half-sent requests are open (waitress's
  defaults let 98 idle sockets time every command out);
- unsigned and malformed junk: requests per second answered, and how many were 5xx.
"""

from __future__ import annotations

import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from common import SERVE, free_port, pct, quiet, wait_up  # noqa: E402
from fake_slack import FakeSlack, Fault  # noqa: E402
from helpers import clean_env  # noqa: E402
from slack_ack import set_up  # noqa: E402
from slack_requests import SIGNING_SECRET, command_body, post, post_signed  # noqa: E402

TOKEN = "xoxb-test-token"


def _timed(url: str, text: str, user: str) -> tuple[float, int]:
    began = time.perf_counter()
    status, _, _ = post_signed(url, command_body(text, user_id=user))
    return (time.perf_counter() - began) * 1000, status


def slow_users_info(url: str, fake: FakeSlack) -> None:
    fake.inject("users.info", *[Fault(delay=5.0) for _ in range(60)])
    results = [_timed(url, "whoami", f"U0NEW{i:03d}") for i in range(30)]
    ms = [took for took, _ in results]
    bad = sum(1 for _, status in results if status != 200)
    print(
        f"  first command of 30 new users, users.info answering after 5 s: ack p50 "
        f"{pct(ms, 0.5):.1f} ms, p99 {pct(ms, 0.99):.1f} ms, max {max(ms):.1f} ms "
        f"({bad} not 200; goal: p99 well under 3 s)"
    )


def idle_sockets(url: str, port: int) -> None:
    base = [_timed(url, f"update PF1 on-track quiet {i}", "U0ANNA")[0] for i in range(20)]
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(150)]
    half = []
    for _ in range(120):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\nab")
        half.append(sock)
    try:
        loaded = [_timed(url, f"update PF1 on-track besieged {i}", "U0ANNA") for i in range(20)]
    finally:
        for sock in idle + half:
            sock.close()
    ms = [took for took, _ in loaded]
    bad = sum(1 for _, status in loaded if status != 200)
    print(
        f"  signed update with 150 idle sockets + 120 half-sent requests open: p50 "
        f"{pct(ms, 0.5):.1f} ms, p99 {pct(ms, 0.99):.1f} ms ({bad} not 200); without them "
        f"p50 {pct(base, 0.5):.1f} ms, p99 {pct(base, 0.99):.1f} ms"
    )


def junk(url: str) -> None:
    kinds = [
        (b"{not json", {}, "application/json"),
        (
            b"payload=notjson",
            {"X-Slack-Request-Timestamp": "abc"},
            "application/x-www-form-urlencoded",
        ),
    ]
    answers: dict[int, int] = {}
    count = 400
    began = time.perf_counter()
    for i in range(count):
        body, headers, ctype = kinds[i % len(kinds)]
        status = post(url, body, headers, content_type=ctype)[0]
        answers[status] = answers.get(status, 0) + 1
    for i in range(100):  # signed, malformed
        status = post_signed(url, f"payload=notjson{i}".encode())[0]
        answers[status] = answers.get(status, 0) + 1
    took = time.perf_counter() - began
    fives = sum(n for status, n in answers.items() if status >= 500)
    print(
        f"  junk: {count + 100} requests (400 unsigned, 100 signed malformed) in {took:.1f} s "
        f"({(count + 100) / took:.0f}/s, one client), answers {dict(sorted(answers.items()))}, "
        f"{fives} were 5xx (goal 0)"
    )


def main() -> None:
    print("Slack faults and attack: partnerbot serve (HTTP, waitress) vs the fake Web API")
    with tempfile.TemporaryDirectory() as tmp, FakeSlack(token=TOKEN) as fake:
        port = free_port()
        env = clean_env(
            SLACK_BOT_TOKEN=TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=fake.url,
            PARTNERBOT_ADMINS="U0ADMIN",
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.db'}",
            PORT=str(port),
        )
        proc = quiet(SERVE, env, tmp)
        try:
            wait_up(f"http://127.0.0.1:{port}/healthz", proc)
            url = f"http://127.0.0.1:{port}/slack/events"
            set_up(url)
            slow_users_info(url, fake)
            idle_sockets(url, port)
            junk(url)
        finally:
            proc.kill()  # the slow users.info lookups need not be waited for
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
