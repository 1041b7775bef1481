"""Reminders for a Teams-bound channel: one dispatcher for every platform, each reminder posted
through the adapter of the bound channel's platform, proactively, exactly once (a second
dispatcher after a "restart" sends nothing again), with RSVP buttons that work."""

from __future__ import annotations

import datetime as dt

from conftest import Bot
from sqlmodel import Session, select
from teams_activities import ADMIN, ANNA, CHANNEL, card_submit
from test_commands import setup

from bot.adapter import Landed
from bot.dispatcher import Dispatcher
from bot.reminders import router
from commands.engine.context import Context
from commands.engine.reply import Reply
from commands.engine.run import run_command
from storage.models import ReminderDelivery, Rsvp

DUE = dt.datetime(2027, 2, 28, 12, 0, 30, tzinfo=dt.UTC)  # the 14-day (late) and 2-day leads


class Recorder:
    """Another platform's adapter, recording what it would post."""

    platform = "slack"
    receives_all = False

    def __init__(self) -> None:
        self.posts: list[tuple[str, Reply]] = []

    def post(self, channel: str, reply: Reply) -> None:
        self.posts.append((channel, reply))

    def post_once(self, channel: str, reply: Reply, *, key: str, look: bool) -> Landed:
        self.post(channel, reply)
        return Landed()


def test_a_reminder_reaches_each_platform_once_with_working_buttons(bot: Bot) -> None:
    setup(bot)
    runtime = bot.adapter.runtime
    slack_admin = Context(runtime.engine, runtime.partnerships, platform="slack",
                          channel="C0WG", user="U0ADMIN", is_admin=True)  # fmt: skip
    assert run_command("bind tingbjerg-husum", slack_admin).ok
    bot.say(ADMIN, 'møde tilføj 2027-03-02 13:00 sted="Tingbjerg Bibliotek"')
    bot.fake.wait_posted(1)
    bot.fake.reset()
    slack = Recorder()
    send = router(runtime, {"teams": bot.adapter, "slack": slack})
    assert Dispatcher(runtime.engine, send, worker="first", clock=lambda: DUE).tick() == 2
    posted = bot.fake.wait_posted(2)
    assert {p.conversation for p in posted} == {CHANNEL}
    assert [c for c, _ in slack.posts] == ["C0WG", "C0WG"]
    early = next(p for p in posted if "14" in p.text)
    entities = early.body["attachments"][0]["content"]["msteams"].get("entities", [])
    assert ANNA.aad in {e["mentioned"]["id"] for e in entities}  # sof has not reported
    # restarted: another dispatcher finds nothing left to send
    assert Dispatcher(runtime.engine, send, worker="second", clock=lambda: DUE).tick() == 0
    assert len(bot.fake.posted()) == 2 and len(slack.posts) == 2
    with Session(runtime.engine) as session:
        assert len(session.exec(select(ReminderDelivery)).all()) == 2
    buttons = [
        a["data"]["pb"]
        for p in posted
        for el in p.body["attachments"][0]["content"]["body"]
        if el["type"] == "ActionSet"
        for a in el["actions"]
        if a["type"] == "Action.Submit"
    ]
    yes = next(b for b in buttons if b.endswith(" yes"))
    status, _ = bot.activity(
        card_submit(bot.fake, ANNA, {"pb": yes}, reply_to="1", conversation=CHANNEL)
    )
    assert status == 200
    bot.fake.wait_posted(3)
    with Session(runtime.engine) as session:
        assert [r.answer for r in session.exec(select(Rsvp))] == ["yes"]
