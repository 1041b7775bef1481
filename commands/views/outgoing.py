"""What a composed reminder is (where it goes, what it says) and the pieces every kind uses:
the partnership's bound channels on a platform, and the note on a late reminder."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from commands.engine.context import say
from commands.engine.reply import Note, Reply
from storage.models import ChannelBinding


@dataclass(frozen=True)
class Outgoing:
    """A reminder ready to post: where (the partnership's bound channels) and what."""

    channels: list[str]
    reply: Reply


def bound_channels(session: Session, pid: int, platform: str) -> list[str]:
    return list(
        session.exec(
            select(ChannelBinding.channel_id).where(
                ChannelBinding.partnership_id == pid, ChannelBinding.platform == platform
            )
        )
    )


def late_note(lang: str) -> Note:
    return Note(
        say(
            lang,
            "Sendt for sent: botten var nede, da påmindelsen skulle ud.",
            "Sent late: the bot was down when this reminder was due.",
        )
    )
