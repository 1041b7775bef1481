"""Where each reminder landed (`reminder_posts`), channel by channel (DESIGN section 5).

The sender records a channel right after the platform accepted the post there, in its own short
transaction, and a retry posts only to the channels without a row: one channel failing never
makes the others see the reminder again. What is left of the double-post window is one HTTP
round trip per channel (a crash between the platform's answer and this row); a Slack sender
closes it by looking for the reminder's key in the channel before posting again (bot/slack).
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import ReminderPost
from storage.reminders import Due
from storage.types import utcnow


def landed(engine: Engine, reminder_id: int) -> set[tuple[str, str]]:
    """(platform, channel) pairs the reminder has reached."""
    with Session(engine) as session:
        rows = session.exec(
            select(ReminderPost.platform, ReminderPost.channel_id).where(
                ReminderPost.reminder_id == reminder_id
            )
        ).all()
    return {(platform, channel) for platform, channel in rows}


def record(
    engine: Engine, due: Due, platform: str, channel: str, *, ref: str = "", found: bool = False
) -> bool:
    """Note that the reminder reached `channel`; False when that was already noted (another
    worker recorded the same post: nothing to do)."""
    with Session(engine) as session:
        session.add(
            ReminderPost(
                partnership_id=due.partnership_id,
                reminder_id=due.id,
                platform=platform,
                channel_id=channel[:300],
                message_ref=ref[:300],
                found=found,
                posted_at=utcnow(),
            )
        )
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return False
    return True
