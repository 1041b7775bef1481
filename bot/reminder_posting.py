"""How the dispatcher's due reminders reach people: printed in the local shell, posted (with
RSVP buttons) in the partnership's bound Slack channels."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from sqlmodel import Session

from bot.dispatcher import Dispatcher
from bot.runtime import Runtime
from commands.engine.context import Context
from commands.views.notices import compose, schedule_data_reminders
from storage.reminders import Due

if TYPE_CHECKING:
    from bot.slack.app import SlackAdapter

_print_lock = threading.Lock()


def _context(runtime: Runtime, platform: str, lang: str | None = None) -> Context:
    return Context(
        engine=runtime.engine,
        partnerships=runtime.partnerships,
        platform=platform,
        user="partnerbot",
        lang=lang,
        command=runtime.settings.command,
    )


def shell_sender(
    runtime: Runtime, out: TextIO = sys.stdout, lang: str | None = None
) -> Callable[[Due], None]:
    def send(due: Due) -> None:
        with Session(runtime.engine) as session:
            message = compose(
                session,
                _context(runtime, "shell", lang),
                meeting_id=due.meeting_id,
                kind=due.kind,
                late=due.late,
                platform="shell",
                partnership_id=due.partnership_id,
            )
        if message is None:
            return
        text = message.reply.plain()
        if message.reply.buttons:
            text += "\n[" + "] [".join(b.label for b in message.reply.buttons) + "]"
        with _print_lock:
            print(f"\n⏰ {text}\n", file=out, flush=True)

    return send


def start_dispatcher(runtime: Runtime, send: Callable[[Due], None]) -> Dispatcher:
    """Schedule the year's data-calendar reminder and start ticking. Only where reminders are
    dispatched (serve, the shell): export, import and report start-ups have no use for it."""
    with Session(runtime.engine) as session:
        schedule_data_reminders(session, _context(runtime, "any"))
        session.commit()
    dispatcher = Dispatcher(runtime.engine, send)
    dispatcher.start()
    return dispatcher


def slack_sender(runtime: Runtime, adapter: SlackAdapter) -> Callable[[Due], None]:
    def send(due: Due) -> None:
        with Session(runtime.engine) as session:
            message = compose(
                session,
                _context(runtime, "slack"),
                meeting_id=due.meeting_id,
                kind=due.kind,
                late=due.late,
                platform="slack",
                partnership_id=due.partnership_id,
            )
        if message is None:
            return
        for channel in message.channels:
            adapter.post_reply(message.reply, channel=channel, user="")

    return send
