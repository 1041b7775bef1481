"""Files in Teams (DESIGN section 6b): images inline, everything else as a link.

A bot cannot upload a file into a channel. Charts go inline as base64 images, which Teams takes
up to 1024×1024 px and 1 MB: they are scaled to fit here, with their alt text beside them.
PDFs, calendars and spreadsheets become links to the bot's own download URLs
(`PARTNERBOT_PUBLIC_URL/files/TOKEN/NAME`): an unguessable token, posted only where the reply
goes, expiring after `LINK_TTL`.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.teams.cards import card, card_activity, markdown, text_block
from commands.engine.context import say
from commands.engine.reply import FileOut
from storage.models import DownloadLink
from storage.types import utcnow

MAX_SIDE = 1024
MAX_BYTES = 1_000_000
LINK_TTL = dt.timedelta(days=7)
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}


def fit_image(data: bytes, mime: str = "image/png") -> tuple[bytes, str]:
    """The image within 1024×1024 px and 1 MB (scaled down, never up); PNG, or JPEG when a
    PNG that size is still too heavy."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        if max(image.size) <= MAX_SIDE and len(data) <= MAX_BYTES:
            return data, mime
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        if out.tell() <= MAX_BYTES:
            return out.getvalue(), "image/png"
        for quality in (85, 70, 50):
            out = io.BytesIO()
            image.convert("RGB").save(out, format="JPEG", quality=quality)
            if out.tell() <= MAX_BYTES:
                break
        return out.getvalue(), "image/jpeg"


def image_activity(item: FileOut) -> dict[str, Any]:
    data, mime = fit_image(item.data, item.mime)
    title = item.title or item.name
    text = f"**{markdown(title)}**" + (f"\n\n{markdown(item.alt)}" if item.alt else "")
    return {
        "type": "message",
        "text": text,
        "textFormat": "markdown",
        "attachments": [
            {
                "contentType": mime,
                "contentUrl": f"data:{mime};base64,{base64.b64encode(data).decode()}",
                "name": item.name,
            }
        ],
    }


def link_activity(item: FileOut, url: str | None, lang: str) -> dict[str, Any]:
    title = item.title or item.name
    if url is None:
        body = [
            text_block(f"**{markdown(title)}**"),
            text_block(
                say(
                    lang,
                    "Filen kan ikke sendes i Teams, fordi botten ikke har en adresse til "
                    "downloads (PARTNERBOT_PUBLIC_URL). Bed driften om at sætte den.",
                    "The file cannot be sent in Teams: the bot has no address for downloads "
                    "(PARTNERBOT_PUBLIC_URL). Ask the operators to set it.",
                )
            ),
        ]
        return card_activity(card(body), title)
    until = (utcnow() + LINK_TTL).date().isoformat()
    body = [
        text_block(f"**{markdown(title)}**"),
        text_block(
            say(
                lang,
                "{n} · linket virker til {d}",
                "{n} · the link works until {d}",
                n=item.name,
                d=until,
            ),
            isSubtle=True,
            size="Small",
        ),
        {
            "type": "ActionSet",
            "actions": [
                {"type": "Action.OpenUrl", "title": say(lang, "Hent", "Download"), "url": url}
            ],
        },
    ]
    return card_activity(card(body), title)


@dataclass(frozen=True)
class Download:
    name: str
    mime: str
    data: bytes


class Downloads:
    """The bot's own expiring download links, in the database (any replica serves them)."""

    def __init__(self, engine: Engine, public_url: str | None, ttl: dt.timedelta = LINK_TTL):
        self.engine = engine
        self.public_url = public_url
        self.ttl = ttl

    def offer(self, item: FileOut, partnership_id: int | None = None) -> str | None:
        """A URL for the file, or None when the bot has no public address."""
        if self.public_url is None:
            return None
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with Session(self.engine) as session:
            session.execute(delete(DownloadLink).where(DownloadLink.expires_at < now))
            session.add(
                DownloadLink(
                    token=token,
                    partnership_id=partnership_id,
                    name=item.name[:200],
                    mime=item.mime[:100],
                    data=item.data,
                    created_at=now,
                    expires_at=now + self.ttl,
                )
            )
            session.commit()
        return f"{self.public_url}/files/{token}/{quote(item.name)}"

    def fetch(self, token: str) -> Download | None:
        if not token or len(token) > 80:
            return None
        with Session(self.engine) as session:
            row = session.exec(select(DownloadLink).where(DownloadLink.token == token)).first()
            if row is None or row.expires_at <= utcnow():
                return None
            return Download(row.name, row.mime, bytes(row.data))
