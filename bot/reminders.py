"""How the dispatcher's due reminders reach people: composed once per platform (mentions and
buttons are the platform's own) and posted through the adapter of each bound channel's
platform — one dispatcher, whatever platforms a process serves."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlmodel import Session

from bot.adapter import Adapter
from bot.dispatcher import Dispatcher
from bot.runtime import Runtime
from commands.engine.context import Context
from commands.views.notices import compose, schedule_data_reminders
from storage.reminders import Due


def _context(runtime: Runtime, platform: str, lang: str | None = None) -> Context:
    return Context(
        engine=runtime.engine,
        partnerships=runtime.partnerships,
        platform=platform,
        user="partnerbot",
        lang=lang,
        command=runtime.settings.command,
    )


def router(
    runtime: Runtime, adapters: Mapping[str, Adapter], lang: str | None = None
) -> Callable[[Due], None]:
    """A sender for the dispatcher: each adapter posts to its platform's bound channels. A
    failed post raises, so the dispatcher retries the reminder."""

    def send(due: Due) -> None:
        for platform, adapter in adapters.items():
            with Session(runtime.engine) as session:
                message = compose(
                    session,
                    _context(runtime, platform, lang),
                    meeting_id=due.meeting_id,
                    kind=due.kind,
                    late=due.late,
                    platform=platform,
                    partnership_id=due.partnership_id,
                )
            if message is None:
                continue
            channels = message.channels or (["local"] if adapter.receives_all else [])
            for channel in channels:
                adapter.post(channel, message.reply)

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
