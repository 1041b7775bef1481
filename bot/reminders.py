"""How the dispatcher's due reminders reach people: composed once per platform (mentions and
buttons are the platform's own) and posted through the adapter of each bound channel's
platform — one dispatcher, whatever platforms a process serves.

Delivery is per channel (storage/reminder_posts.py): a channel that took the reminder is never
posted to again; one that failed is retried with the reminder. A reminder with something to say
and no channel to say it in is not "sent": it fails as `no-channel`, is retried (a channel bound
meanwhile gets it) and the chair and secretariat are told in a direct message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from sqlmodel import Session

from bot import retention
from bot.adapter import Adapter
from bot.dispatcher import Dispatcher, NoChannel
from bot.runtime import Runtime
from commands.engine.context import Context
from commands.views.notices import compose, schedule_data_reminders, schedule_undelivered
from storage import reminder_posts
from storage.reminders import Due

log = logging.getLogger(__name__)


class Undelivered(Exception):
    """Some bound channels did not take the reminder; the others have it already."""


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
    """A sender for the dispatcher: each adapter posts to its platform's bound channels, each
    channel once. Raises when a channel failed or there was none, so the dispatcher retries."""

    def send(due: Due) -> None:
        landed = reminder_posts.landed(runtime.engine, due.id)
        look = due.reclaimed or due.attempts > 0  # an earlier attempt may have got through
        said, targets, failed = False, 0, []
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
            said = True
            channels = message.channels or (["local"] if adapter.receives_all else [])
            for channel in channels:
                targets += 1
                if (platform, channel) in landed:
                    continue
                try:
                    post = adapter.post_once(channel, message.reply, key=due.key, look=look)
                except Exception as exc:  # this channel only; the others still get it
                    log.warning("reminder %s to %s %s failed: %s", due.key, platform, channel, exc)
                    failed.append(f"{platform} {channel}: {exc.__class__.__name__}: {exc}")
                    continue
                reminder_posts.record(
                    runtime.engine, due, platform, channel, ref=post.ref, found=post.found
                )
        if said and not targets:
            raise NoChannel()
        if failed:
            raise Undelivered("; ".join(failed))

    return send


def tell_undelivered(runtime: Runtime) -> Callable[[Due], None]:
    """The dispatcher's `on_undelivered`: a notice to the chair and the secretariat (itself a
    reminder row, so it too goes out exactly once)."""

    def tell(due: Due) -> None:
        with Session(runtime.engine) as session:
            schedule_undelivered(session, due.id)
            session.commit()

    return tell


def start_dispatcher(runtime: Runtime, send: Callable[[Due], None]) -> Dispatcher:
    """Schedule the year's data-calendar reminder and start ticking. Only where reminders are
    dispatched (serve, the shell): export, import and report start-ups have no use for it."""
    with Session(runtime.engine) as session:
        schedule_data_reminders(session, _context(runtime, "any"))
        session.commit()
    dispatcher = Dispatcher(runtime.engine, send, on_undelivered=tell_undelivered(runtime))
    dispatcher.start()
    # personal data past the partnership file's retention (issue 13), once a day
    tick = retention.job(runtime.engine, runtime.partnerships)
    dispatcher.every(retention.EVERY, tick, "retention", first=retention.FIRST_AFTER)
    return dispatcher
