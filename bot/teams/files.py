"""Files in Teams (DESIGN section 6b): images inline, everything else as a link or, in a
personal chat, a file-consent card.

A bot cannot upload a file into a channel. Charts go inline as base64 images, which Teams takes
up to 1024×1024 px and 1 MB: they are scaled to fit here, with their alt text beside them.
PDFs, calendars and spreadsheets become links to the bot's own download URLs
(`PARTNERBOT_PUBLIC_URL/files/TOKEN/NAME`): an unguessable token, posted only where the reply
goes, expiring after `LINK_TTL`.

In a personal chat the bot may put the file into the person's OneDrive, once they allow it: a
file-consent card names the file and its size; Teams answers `fileConsent/invoke` with an upload
session URL (accept) or nothing (decline). The file waits meanwhile under a token in the same
table as the links, so any replica can finish the upload and nothing rides in the card itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.teams.cards import card, card_activity, markdown, text_block
from commands.engine.context import say
from commands.engine.reply import FileOut
from storage.models import DownloadLink
from storage.types import utcnow

log = logging.getLogger("partnerbot.teams.files")
CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"
UPLOAD_CHUNK = 320 * 1024 * 32  # OneDrive takes fragments in multiples of 320 KiB, ≤ 60 MiB
UPLOAD_TIMEOUT_S = 30.0
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


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB".replace(".", ",") if n >= 100_000 else f"{n / 1000:.0f} kB"


def consent_activity(item: FileOut, token: str, user: str, lang: str) -> dict[str, Any]:
    """The file offered to the person's OneDrive: Teams shows name and size with Allow and
    Decline; either answer brings `context` back (the token and who it is for)."""
    title = item.title or item.name
    context = {"pb_file": token, "user": user, "lang": lang, "name": item.name}
    return {
        "type": "message",
        "summary": title[:200],
        "attachments": [
            {
                "contentType": CONSENT,
                "name": item.name,
                "content": {
                    "description": say(
                        lang,
                        "{t} ({s}). Tillad, så gemmes filen i din OneDrive.",
                        "{t} ({s}). Allow it and the file is saved in your OneDrive.",
                        t=title,
                        s=_size(len(item.data)),
                    ),
                    "sizeInBytes": len(item.data),
                    "acceptContext": context,
                    "declineContext": context,
                },
            }
        ],
    }


def file_info_activity(info: dict[str, Any], lang: str) -> dict[str, Any]:
    """After the upload: the file as Teams shows a OneDrive file, to open from the chat."""
    name = str(info.get("name") or "")
    return {
        "type": "message",
        "text": say(lang, "Filen er gemt i din OneDrive.", "The file is saved in your OneDrive."),
        "attachments": [
            {
                "contentType": FILE_INFO,
                "contentUrl": info.get("contentUrl"),
                "name": name,
                "content": {"uniqueId": info.get("uniqueId"), "fileType": info.get("fileType")},
            }
        ],
    }


async def upload(upload_url: str, data: bytes, *, attempts: int = 3) -> None:
    """PUT the file to the upload session Teams gave, fragment by fragment. The session URL is
    its own authorisation: no bot token goes with it (OneDrive refuses one)."""
    total = len(data)
    async with httpx.AsyncClient(timeout=UPLOAD_TIMEOUT_S) as client:
        for start in range(0, max(total, 1), UPLOAD_CHUNK):
            chunk = data[start : start + UPLOAD_CHUNK]
            headers = {
                "Content-Length": str(len(chunk)),
                "Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{total}",
            }
            for attempt in range(attempts):
                try:
                    resp = await client.put(upload_url, content=chunk, headers=headers)
                except (httpx.TimeoutException, httpx.NetworkError):
                    if attempt == attempts - 1:
                        raise
                    continue
                if resp.status_code < 500 or attempt == attempts - 1:
                    resp.raise_for_status()
                    break
                log.info("upload fragment: HTTP %s, retrying", resp.status_code)


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
        token = self.keep(item, partnership_id)
        return f"{self.public_url}/files/{token}/{quote(item.name)}"

    def keep(self, item: FileOut, partnership_id: int | None = None) -> str:
        """Store the file until it expires; its unguessable token."""
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
        return token

    def discard(self, token: str) -> None:
        """Forget a file that has been delivered (or refused)."""
        with Session(self.engine) as session:
            session.execute(delete(DownloadLink).where(DownloadLink.token == token))
            session.commit()

    def fetch(self, token: str) -> Download | None:
        if not token or len(token) > 80:
            return None
        with Session(self.engine) as session:
            row = session.exec(select(DownloadLink).where(DownloadLink.token == token)).first()
            if row is None or row.expires_at <= utcnow():
                return None
            return Download(row.name, row.mime, bytes(row.data))
