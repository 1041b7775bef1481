"""`partnerbot serve` as a real process in HTTP mode, against our fake Slack Web API, with
requests built and signed exactly as Slack sends them."""

from __future__ import annotations

import json
import random
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fake_slack import FakeSlack, Fault
from helpers import clean_env
from slack_requests import (
    SIGNING_SECRET,
    block_action_payload,
    command_body,
    event_body,
    interaction_body,
    post,
    post_signed,
    sign,
    view_submission_payload,
)

pytestmark = pytest.mark.e2e
TOKEN = "xoxb-test-token"
ADMIN = "U0ADMIN"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    url: str
    fake: FakeSlack
    db: Path
    proc: subprocess.Popen[str]
    log: Path

    def command(
        self, text: str, *, user: str = "U0ANNA", channel: str = "C0WG", **extra: str
    ) -> tuple[int, dict]:
        status, _, body = post_signed(
            self.url, command_body(text, user_id=user, channel_id=channel, **extra)
        )
        return status, (json.loads(body) if body.strip().startswith(b"{") else {})

    def interact(self, payload: dict) -> tuple[int, bytes]:
        status, _, body = post_signed(self.url, interaction_body(payload))
        return status, body

    def rows(self, sql: str) -> list[tuple]:
        conn = sqlite3.connect(self.db)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()


def start_server(tmp: Path) -> Served:
    fake = FakeSlack(token=TOKEN, locales={"U0ERIK": "en-GB", "U0BO": "da-DK"}).start()
    s = launch(tmp, fake)
    # The admin binds the channel and registers people, all through Slack.
    for text in (
        "bind tingbjerg-husum",
        "member add <@U0CHAIR|mette> org=okf role=chair",
        "member add <@U0ANNA|anna> org=sof role=member",
        "member add <@U0BO|bo> org=politi role=member",
        "member add <@U0ERIK|erik> org=bif role=member",
        'activity add PF1 "Natteravne" area=tryggere-byliv org=sof',
        'activity add UB2 "Jobcafé" area=uddannelse-beskaeftigelse org=bif',
    ):
        status, body = s.command(text, user=ADMIN)
        assert status == 200 and "blocks" in body, (text, body)
    return s


def launch(tmp: Path, fake: FakeSlack) -> Served:
    """`partnerbot serve` on the database in `tmp` (kept between launches: a restart)."""
    port = _free_port()
    env = clean_env(
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.url,
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{tmp / 'bot.db'}",
        PARTNERBOT_ADMINS=ADMIN,
        LOG_LEVEL="DEBUG",
    )
    log = tmp / "serve.log"
    with open(log, "a") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--host", "127.0.0.1"],
            env=env,
            cwd=tmp,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            fake.stop()
            pytest.fail(f"serve did not start:\n{log.read_text()}")
        time.sleep(0.1)
    return Served(f"{base}/slack/events", fake, tmp / "bot.db", proc, log)


def stop_server(s: Served, *, keep_fake: bool = False) -> int:
    s.proc.terminate()
    try:
        return s.proc.wait(timeout=30)
    finally:
        if not keep_fake:
            s.fake.stop()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    s = start_server(tmp_path_factory.mktemp("serve"))
    yield s
    stop_server(s)


def update_submission(code: str, status: str, note: str, *, channel: str = "C0WG") -> dict:
    return view_submission_payload(
        "pb_update",
        {
            "activity": {"value": {"type": "static_select", "selected_option": {"value": code}}},
            "status": {"value": {"type": "static_select", "selected_option": {"value": status}}},
            "progress": {"value": ""},
            "note": {"value": note},
        },
        user_id="U0ANNA",
        private_metadata=json.dumps({"channel": channel}),
    )


def test_healthz_reports_database(served: Served) -> None:
    with urllib.request.urlopen(served.url.replace("/slack/events", "/healthz")) as resp:
        assert json.loads(resp.read()) == {"database": "ok", "workers": "ok", "dispatcher": "ok"}


def test_every_command_family_round_trips(served: Served) -> None:
    status, body = served.command("help", user="U0ANNA")
    assert status == 200 and body["response_type"] == "ephemeral"
    assert "/wg" in json.dumps(body["blocks"])
    status, body = served.command("whoami", user="U0ANNA")
    assert "Socialforvaltningen" in json.dumps(body, ensure_ascii=False)
    status, body = served.command("update PF1 on-track first walk done", user="U0ANNA")
    assert status == 200 and body["response_type"] == "in_channel"
    assert "PF1" in body["text"]
    assert served.rows("select note from activity_updates")[-1] == ("first walk done",)
    status, body = served.command("activity list", user="U0ANNA")
    assert "Natteravne" in json.dumps(body, ensure_ascii=False)
    status, body = served.command("assess PF1 2025 met all good", user="U0CHAIR")
    assert body["response_type"] == "in_channel"
    status, body = served.command("indicator set crime.indbrud 2025 130", user="U0CHAIR")
    assert "130" in body["text"]
    status, body = served.command("indicator list", user="U0ANNA")
    assert "2025: 130" in json.dumps(body, ensure_ascii=False)
    status, body = served.command("member list", user="U0CHAIR")
    assert "U0ERIK" in json.dumps(body)
    # Language: bo has no preference; his Slack locale is Danish.
    status, body = served.command("whoami", user="U0BO")
    assert "Organisation: Københavns Politi" in json.dumps(body, ensure_ascii=False)
    assert "Roller" in json.dumps(body, ensure_ascii=False)


def test_refusals_are_ephemeral_and_change_nothing(served: Served) -> None:
    before = served.rows("select count(*) from activity_updates")
    status, body = served.command("update UB2 on-track not mine", user="U0ANNA")
    assert status == 200 and body["response_type"] == "ephemeral"
    status, body = served.command("activity list", user="U0STRANGER")
    assert "not registered" in body["text"] or "ikke registreret" in body["text"]
    status, body = served.command("activity list", user="U0ANNA", channel="C0OTHER")
    assert "bind" in body["text"] or "tilknyt" in body["text"]
    assert served.rows("select count(*) from activity_updates") == before


def test_forged_stale_and_replayed_requests_get_401(served: Served) -> None:
    before = served.rows("select count(*) from activity_updates")
    body = command_body("update PF1 done forged", user_id="U0ANNA")
    status, _, _ = post_signed(served.url, body, secret="not-the-secret")
    assert status == 401
    status, _, _ = post_signed(served.url, body, timestamp=int(time.time()) - 6 * 60)
    assert status == 401
    status, _, _ = post(served.url, body, {}, content_type="application/x-www-form-urlencoded")
    assert status == 401
    assert served.rows("select count(*) from activity_updates") == before
    genuine = command_body("update PF1 done replay test", user_id="U0ANNA")
    headers = sign(genuine)
    first = post(served.url, genuine, headers, content_type="application/x-www-form-urlencoded")
    second = post(served.url, genuine, headers, content_type="application/x-www-form-urlencoded")
    assert (first[0], second[0]) == (200, 401)
    notes = [n for (n,) in served.rows("select note from activity_updates")]
    assert notes.count("replay test") == 1
    assert "test-signing-secret" not in served.log.read_text()
    assert TOKEN not in served.log.read_text()


def test_update_form_with_inline_error_then_saved(served: Served) -> None:
    served.fake.reset()
    status, body = served.command("update", user="U0ANNA", trigger_id="9.9.form")
    assert status == 200
    opened = served.fake.wait_for("views.open")[0]
    view = (
        json.loads(opened.arg("view"))
        if isinstance(opened.arg("view"), str)
        else opened.arg("view")
    )
    assert opened.arg("trigger_id") == "9.9.form"
    assert view["callback_id"] == "pb_update"
    options = view["blocks"][0]["element"]["options"]
    assert [o["value"] for o in options] == ["PF1"]  # a member sees their own activities
    meta = view["private_metadata"]

    def submit(code: str, note: str) -> tuple[int, bytes]:
        return served.interact(
            view_submission_payload(
                "pb_update",
                {
                    "activity": {
                        "value": {"type": "static_select", "selected_option": {"value": code}}
                    },
                    "status": {
                        "value": {"type": "static_select", "selected_option": {"value": "at-risk"}}
                    },
                    "progress": {"value": "10 of 20"},
                    "note": {"value": note},
                },
                user_id="U0ANNA",
                private_metadata=meta,
            )
        )

    status, body = submit("UB2", "someone else's")
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors" and "activity" in answer["errors"]
    status, body = submit("PF1", "from the form")
    assert status == 200 and not body.strip()
    posted = served.fake.wait_for("chat.postMessage")[-1]
    assert posted.arg("channel") == "C0WG" and "PF1" in posted.arg("text")
    assert served.rows("select status, progress, note from activity_updates")[-1] == (
        "at-risk",
        "10 of 20",
        "from the form",
    )


def test_button_opens_the_form_for_that_activity(served: Served) -> None:
    served.fake.reset()
    status, _ = served.interact(
        block_action_payload("pb:0", "update PF1", user_id="U0ANNA", trigger_id="7.7.button")
    )
    assert status == 200
    opened = served.fake.wait_for("views.open")[0]
    view = opened.arg("view")
    view = json.loads(view) if isinstance(view, str) else view
    assert view["blocks"][0]["element"]["initial_option"]["value"] == "PF1"


def test_app_home_once_per_event_even_when_retried(served: Served) -> None:
    status, _ = served.command("indicator set crime.indbrud 2025 130", user="U0CHAIR")
    assert status == 200
    served.fake.reset()
    event = {"type": "app_home_opened", "user": "U0ANNA", "channel": "D0ANNA", "tab": "home"}
    body = event_body(event, event_id="EvHOME1")
    now = int(time.time())
    assert (
        post_signed(served.url, body, content_type="application/json", timestamp=now - 2)[0] == 200
    )
    published = served.fake.wait_for("views.publish")[0]
    view = published.arg("view")
    view = json.loads(view) if isinstance(view, str) else view
    text = json.dumps(view, ensure_ascii=False)
    assert view["type"] == "home" and "PF1" in text and "Tingbjerg-Husum" in text
    assert "Burglary" in text or "Indbrud" in text  # the target summary, its figure just entered
    # Slack retries later, so with a fresh timestamp (and signature).
    retry = post_signed(
        served.url,
        body,
        content_type="application/json",
        timestamp=now - 1,
        extra_headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert retry[0] == 200
    time.sleep(0.5)
    assert len(served.fake.calls("views.publish")) == 1


def test_rate_limit_and_server_errors_are_retried(served: Served) -> None:
    served.fake.reset()
    served.fake.inject("chat.postMessage", Fault(status=429, retry_after=1))
    assert served.interact(update_submission("PF1", "done", "after a 429"))[0] == 200
    calls = served.fake.wait_for("chat.postMessage", count=2, timeout=15)
    assert [c.status for c in calls] == [429, 200]
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After was honoured

    served.fake.reset()
    served.fake.inject("chat.postMessage", Fault(status=500), Fault(status=500))
    assert served.interact(update_submission("PF1", "done", "after two 500s"))[0] == 200
    calls = served.fake.wait_for("chat.postMessage", count=3, timeout=20)
    assert [c.status for c in calls] == [500, 500, 200]


def test_sigterm_finishes_work_in_progress(tmp_path: Path) -> None:
    s = start_server(tmp_path)
    s.fake.inject("chat.postMessage", Fault(delay=2.0))
    assert s.interact(update_submission("PF1", "on-track", "posted while stopping"))[0] == 200
    time.sleep(0.2)  # the post is now under way on a worker thread
    assert stop_server(s, keep_fake=True) == 0
    posted = [c for c in s.fake.calls("chat.postMessage") if "PF1" in str(c.arg("text"))]
    s.fake.stop()
    assert posted and posted[-1].status == 200
    assert "partnerbot: stopped" in s.log.read_text()


def test_activity_form_checks_the_code_then_saves(served: Served) -> None:
    served.fake.reset()
    served.command("activity add", user="U0CHAIR", trigger_id="5.5.form")
    opened = served.fake.wait_for("views.open")[0]
    view = opened.arg("view")
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "pb_activity_add"

    def submit(code: str) -> tuple[int, bytes]:
        return served.interact(
            view_submission_payload(
                "pb_activity_add",
                {
                    "code": {"value": code},
                    "name": {"value": "Lektiecafé"},
                    "area": {
                        "value": {
                            "type": "static_select",
                            "selected_option": {"value": "positive-faellesskaber"},
                        }
                    },
                    "org": {
                        "value": {"type": "static_select", "selected_option": {"value": "kff"}}
                    },
                    "criteria": {"value": "40 elever om ugen"},
                    "budget": {"value": "150.000"},
                },
                user_id="U0CHAIR",
                private_metadata=view["private_metadata"],
            )
        )

    status, body = submit("PF 9!")
    assert status == 200 and "code" in json.loads(body)["errors"]
    assert served.rows("select count(*) from activities where name = 'Lektiecafé'") == [(0,)]
    status, body = submit("PF9")
    assert status == 200 and not body.strip()
    assert served.rows("select code, budget_dkk from activities where code = 'PF9'") == [
        ("PF9", 150000)
    ]


def test_status_is_acknowledged_at_once_then_posted_with_charts(served: Served) -> None:
    served.command("indicator set crime.indbrud 2024 140", user="U0CHAIR")
    served.fake.reset()
    # The locale is looked up after an acknowledgement, never before one: erik's first
    # command teaches the bot his Slack locale (English) for the next.
    served.command("whoami", user="U0ERIK")
    served.fake.wait_for("users.info")
    time.sleep(0.2)  # the answer is stored by the worker that asked
    served.fake.reset()
    began = time.monotonic()
    status, body = served.command("status crime", user="U0ERIK")
    assert status == 200 and time.monotonic() - began < 3.0
    assert body["text"] == "Working on it …"  # erik's Slack locale is English
    assert not served.fake.calls("users.info")  # known now: not asked again
    completed = served.fake.wait_for("files.completeUploadExternal", timeout=30)
    assert "Burglary" in completed[0].arg("initial_comment")  # text and charts: one message
    uploads = served.fake.calls("upload")
    assert len(uploads) == len(served.fake.calls("files.getUploadURLExternal")) >= 1
    assert all(u.body[:8] == b"\x89PNG\r\n\x1a\n" for u in uploads)
    assert completed[0].arg("channel_id") == "C0WG"


def test_idle_sockets_do_not_take_the_endpoint_down(served: Served) -> None:
    """150 connections that never send a byte (no credentials needed) must not keep a signed
    command from its answer: waitress's default of 100 connections once let 98 do that."""
    host, port = served.url.split("//")[1].split("/")[0].split(":")
    idle = [socket.create_connection((host, int(port))) for _ in range(150)]
    try:
        status, reply = served.command("update PF1 on-track while idle sockets wait")
        assert status == 200
        assert "PF1" in json.dumps(reply, ensure_ascii=False)
    finally:
        for sock in idle:
            sock.close()


def test_huge_unsigned_body_is_refused_without_reading_it(served: Served) -> None:
    """A 400 MB unsigned body gets 413 as soon as its Content-Length is seen."""
    host, port = served.url.split("//")[1].split("/")[0].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 400000000\r\n\r\n" + b"a" * 65536
        )
        answer = sock.recv(200)
    assert answer.startswith(b"HTTP/1.1 413")


def _mutations(payload: dict, rng: random.Random, count: int) -> Iterator[dict]:
    """Copies of a genuine payload with one field at some depth dropped or of the wrong type,
    as a careless client or an attacker with the secret's signature oracle would send."""
    wrong: list[object] = [None, 5, "x", [], {}, [1], {"a": 1}, True]
    for _ in range(count):
        copy = json.loads(json.dumps(payload))
        node: dict | list = copy
        while True:
            keys = list(range(len(node))) if isinstance(node, list) else list(node)
            if not keys:
                break
            key = rng.choice(keys)
            child = node[key]  # type: ignore[index]
            if isinstance(child, dict | list) and child and rng.random() < 0.6:
                node = child
                continue
            if isinstance(node, dict) and rng.random() < 0.3:
                del node[key]
            else:
                node[key] = rng.choice(wrong)  # type: ignore[index]
            break
        yield copy


def test_junk_gets_400_or_401_with_one_log_line_never_a_traceback(tmp_path: Path) -> None:
    """Unsigned junk is 401 before anything is parsed; signed but malformed bodies are 400
    (or a well-formed no-op); 300 mutated interaction payloads never make a 500."""
    served = start_server(tmp_path)  # its own: 300 requests leave a backlog of paced posts
    before = served.rows("select count(*) from activity_updates")
    unsigned = [
        (b"{not json", {}, "application/json"),
        (b"payload=notjson", {}, "application/x-www-form-urlencoded"),
        (
            b"payload=notjson",
            {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=" + "0" * 64},
            "application/x-www-form-urlencoded",
        ),
    ]
    for body, headers, content_type in unsigned:
        assert post(served.url, body, headers, content_type=content_type)[0] == 401
    signed = [
        (b"payload=notjson", "application/x-www-form-urlencoded"),
        (b"{not json", "application/json"),
        (b'{"type": "event_callback", "event": "x"}', "application/json"),
        (bytes(range(256)), "application/octet-stream"),
    ]
    for body, content_type in signed:
        assert post_signed(served.url, body, content_type=content_type)[0] == 400
    rng = random.Random(9)
    action = block_action_payload("pb:run", "activity show PF1", user_id="U0ANNA")
    submission = update_submission("PF1", "on-track", "fuzzed")
    statuses: dict[int, int] = {}
    payloads = {
        json.dumps(p): p for p in [*_mutations(action, rng, 150), *_mutations(submission, rng, 150)]
    }
    for payload in payloads.values():  # the same body twice in a second is a replay (401)
        status, _ = served.interact(payload)
        statuses[status] = statuses.get(status, 0) + 1
    assert set(statuses) <= {200, 400, 404}, statuses  # 404: Bolt's "no listener for this"
    assert statuses.get(400, 0) > 40  # many mutations break a field Bolt or a listener reads
    log = served.log.read_text()
    assert "Traceback" not in log
    assert log.count("refused 400") >= statuses.get(400, 0) + len(signed)
    (count,) = served.rows("select count(*) from activity_updates")[0]
    new = served.rows(
        f"select note from activity_updates order by id desc limit {count - before[0][0]}"
    )
    assert {note for (note,) in new} <= {"fuzzed"}  # nothing but a well-formed submission saved
    served.proc.kill()  # the paced posts of 150 accepted clicks need not be waited for
    served.proc.wait()
    served.fake.stop()


def test_a_replay_is_refused_and_the_language_known_after_a_restart(tmp_path: Path) -> None:
    s = start_server(tmp_path)
    try:
        genuine = command_body("update PF1 on-track before the restart", user_id="U0ANNA")
        headers = sign(genuine)
        form = "application/x-www-form-urlencoded"
        assert post(s.url, genuine, headers, content_type=form)[0] == 200
        s.command("whoami", user="U0ERIK")  # teaches the bot erik's Slack locale (English)
        deadline = time.monotonic() + 10
        while not s.rows("select locale from user_locales where user_id = 'U0ERIK'"):
            assert time.monotonic() < deadline, "the locale was never stored"
            time.sleep(0.05)
        stop_server(s, keep_fake=True)
        s = launch(tmp_path, s.fake)
        s.fake.reset()
        assert post(s.url, genuine, headers, content_type=form)[0] == 401
        notes = [n for (n,) in s.rows("select note from activity_updates")]
        assert notes.count("before the restart") == 1
        # After the restart, in a DM with the bot (no channel bound: erik's own partnership
        # answers), erik is answered in his language at once, and Slack is not asked again.
        status, body = s.command("activity list", user="U0ERIK", channel="D0ERIK")
        assert status == 200 and "Activities (2)" in body["text"], body
        time.sleep(0.3)  # a lookup, had there been one, would have been made by now
        assert not s.fake.calls("users.info")
    finally:
        stop_server(s)
