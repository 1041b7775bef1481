"""Reminders into Slack exactly once, as the field behaves (issue 9): a bound channel the bot was
removed from, answers that come after the client gave up, an outage, no bound channel at all.
The dispatcher and the real router post over HTTP to the fake Web API, which refuses what Slack
refuses and can accept a post and answer too late."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fake_slack import FakeSlack, Fault
from fake_slack_world import Posted
from slack_app import SlackBot, as_admin, slack_runtime
from sqlmodel import Session, select

from bot.dispatcher import Dispatcher
from bot.reminders import router, tell_undelivered
from bot.runtime import Runtime
from commands.engine.context import Context
from commands.views.home import home
from storage import reminders
from storage.models import Partnership, Reminder

SLUG = "tingbjerg-husum"
MEETING = 'meeting add 2027-03-02 13:00 place="Tingbjerg Bibliotek"'


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack() as server:
        yield server


def make_runtime(tmp_path: Path, fake: FakeSlack, *bound: str) -> Runtime:
    rt = slack_runtime(fake, f"sqlite:///{tmp_path / 'bot.db'}")
    for channel in bound:
        as_admin(rt, channel, "bind tingbjerg-husum")
    as_admin(
        rt,
        "C1",
        "member add <@U0ANNA|anna> org=sof role=chair",
        "member add <@U0ERIK|erik> org=bif role=member",
        MEETING,
        partnership=SLUG,
    )
    return rt


@pytest.fixture
def bot(fake: FakeSlack, tmp_path: Path) -> Iterator[SlackBot]:
    b = SlackBot.build(fake, make_runtime(tmp_path, fake, "C0WG", "C0OTHER"), timeout=0.5)
    fake.reset()
    yield b
    b.close()


class Clock:
    """The dispatcher's time: at the first reminder's due moment, moved on by the test."""

    def __init__(self, runtime: Runtime) -> None:
        with Session(runtime.engine) as session:
            self.now = min(r.due_at for r in session.exec(select(Reminder)))

    def __call__(self) -> dt.datetime:
        return self.now

    def skip(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


def dispatcher(bot: SlackBot, clock: Clock, **kw: object) -> Dispatcher:
    runtime = bot.adapter.runtime
    return Dispatcher(
        runtime.engine,
        router(runtime, {"slack": bot.adapter}),
        clock=clock,
        limit=1,  # one reminder per tick: the 14-day one, the test moves on to the next
        **kw,  # type: ignore[arg-type]
    )


def reminders_in(fake: FakeSlack, channel: str) -> list[Posted]:
    return [p for p in fake.posted(channel) if p.metadata]


def keys(posts: list[Posted]) -> list[str]:
    return [p.metadata["event_payload"]["key"] for p in posts if p.metadata]


def the_reminder(runtime: Runtime, key: str) -> Reminder:
    with Session(runtime.engine) as session:
        return session.exec(select(Reminder).where(Reminder.idempotency_key == key)).one()


def wait_until(done: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_channel_that_refuses_gets_it_later_and_the_other_never_twice(
    bot: SlackBot, fake: FakeSlack
) -> None:
    """The field: bound to two channels, one failing, the other got it three times."""
    fake.world.remove("C0OTHER")  # the bot was removed from the second bound channel
    clock = Clock(bot.adapter.runtime)
    d = dispatcher(bot, clock)
    assert d.tick() == 1
    first = keys(reminders_in(fake, "C0WG"))
    assert len(first) == 1 and reminders_in(fake, "C0OTHER") == []
    row = the_reminder(bot.adapter.runtime, first[0])
    assert row.status == "failed" and "not_in_channel" in row.last_error
    for _ in range(3):  # retries while the bot is still out: C0WG is not posted to again
        clock.skip(minutes=5)
        d.tick()
    assert keys(reminders_in(fake, "C0WG")) == first
    fake.world.invite("C0OTHER")
    clock.skip(minutes=5)
    d.tick()
    assert keys(reminders_in(fake, "C0OTHER")) == first
    assert keys(reminders_in(fake, "C0WG")) == first
    assert the_reminder(bot.adapter.runtime, first[0]).status == "sent"


def test_slack_answering_after_the_timeout_posts_the_reminder_once(
    bot: SlackBot, fake: FakeSlack
) -> None:
    """The field: Slack accepted the post and answered after the client's timeout; the retry
    posted it again (2–4 times). Now the retry finds the key in the channel first."""
    fake.world.remove("C0OTHER")
    fake.inject("chat.postMessage", Fault(delay=1.5), Fault(delay=1.5))  # beyond the 0.5 s
    clock = Clock(bot.adapter.runtime)
    d = dispatcher(bot, clock)
    d.tick()
    [key] = keys(reminders_in(fake, "C0WG"))  # it landed, though the client timed out
    assert the_reminder(bot.adapter.runtime, key).status == "failed"
    for _ in range(3):
        clock.skip(minutes=5)
        d.tick()
    assert keys(reminders_in(fake, "C0WG")) == [key]
    assert len(fake.calls("conversations.history")) >= 1  # it looked before posting again
    fake.world.invite("C0OTHER")
    clock.skip(minutes=5)
    d.tick()
    assert keys(reminders_in(fake, "C0WG")) == keys(reminders_in(fake, "C0OTHER")) == [key]


def test_an_outage_delays_the_reminder_and_healthz_says_so(bot: SlackBot, fake: FakeSlack) -> None:
    """The field: Slack unreachable for 150 s, 8 of 10 reminders failed for good and /healthz
    stayed "ok". Now: retried, arriving once Slack is back; the dispatcher reports it meanwhile."""
    clock = Clock(bot.adapter.runtime)
    d = dispatcher(bot, clock, failing_for=0.3)
    fake.down()
    d.start(interval=3600)  # ticking (for health); the test drives the ticks itself
    try:
        for _ in range(8):  # 8 tries over about 12 minutes of the dispatcher's time
            d.tick()
            clock.skip(minutes=2)
        time.sleep(0.35)
        assert d.health().startswith("cannot deliver")
        fake.up()
        clock.skip(minutes=6)  # past the last retry's time (backoff at most 5 minutes)
        d.tick()
        assert d.health() == "ok"
    finally:
        d.stop()
    [key] = keys(reminders_in(fake, "C0WG"))
    row = the_reminder(bot.adapter.runtime, key)
    assert row.status == "sent" and row.attempts >= 5
    assert keys(reminders_in(fake, "C0OTHER")) == [key]


def test_no_bound_channel_is_never_sent_the_chair_is_told_and_a_bound_one_gets_it(
    fake: FakeSlack, tmp_path: Path
) -> None:
    """The field: a partnership with no bound channel had its reminders marked sent."""
    bot = SlackBot.build(fake, make_runtime(tmp_path, fake))  # nothing bound
    fake.reset()
    runtime = bot.adapter.runtime
    try:
        clock = Clock(runtime)
        d = dispatcher(bot, clock, on_undelivered=tell_undelivered(runtime))
        assert d.tick() == 2  # the reminder (not sent), and the notice to the chair
        with Session(runtime.engine) as session:
            pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
            shown = reminders.overview(session, pid or 0)
        [waiting] = shown["retrying"]
        assert waiting.last_error == reminders.NO_CHANNEL and waiting.status == "failed"
        dm = fake.world.dms["U0ANNA"]
        assert [p.channel for p in fake.posted()] == [dm]  # no channel got anything
        [notice] = fake.posted(dm)
        assert "ikke nået frem" in notice.text and "tilknyt tingbjerg-husum" in notice.text
        assert "U0ERIK" not in fake.world.dms  # a member is not told
        chair = Context(runtime.engine, runtime.partnerships, platform="slack", user="U0ANNA")
        assert "1 påmindelse er ikke nået frem" in home(chair).plain()
        as_admin(runtime, "C0WG", "bind tingbjerg-husum")
        clock.skip(minutes=6)
        d.tick()
        assert keys(reminders_in(fake, "C0WG")) == [waiting.idempotency_key]
        assert "ikke nået frem" not in home(chair).plain()
    finally:
        bot.close()
