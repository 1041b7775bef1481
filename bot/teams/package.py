"""`partnerbot teams-package --out FILE.zip`: the Teams app package an admin uploads.

The zip holds `manifest.json` (schema 1.20; the bot in team, personal and group chats, shared
and private channels supported, the command menu from the command registry), `en.json` (the
English translation: Teams shows the menu in the user's language, Danish by default) and the
two icons Teams requires, drawn here: colour 192×192 and a white outline 32×32 on transparent.
The package id is derived from the bot's app id, so a new package replaces the old app.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from commands.engine.registry import FAMILIES, Family
from commands.engine.run import plan  # noqa: F401  (loads the registered families)

SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.20/MicrosoftTeams.schema.json"
LOCALE_SCHEMA = "https://developer.microsoft.com/json-schemas/teams/v1.20/MicrosoftTeams.Localization.schema.json"
VERSION = "1.0.0"
ACCENT = "#1F4E79"
MAX_COMMANDS = 10  # Teams shows at most ten commands per list
SCOPES = ["team", "personal", "groupChat"]
# The families people use most, first; the menu holds ten.
MENU = ("update", "status", "activity", "meeting", "agenda", "indicator", "report", "member",
        "whoami", "help", "bind")  # fmt: skip
NAMESPACE = uuid.UUID("6f1c1b0e-6a4e-4f4b-9a53-7061727462f7")


def _menu() -> list[Family]:
    chosen = [FAMILIES[name] for name in MENU if name in FAMILIES]
    return chosen[:MAX_COMMANDS]


def _description(family: Family, lang: str) -> str:
    subs = [s for s in family.subs.values() if s.name]
    words = ", ".join(s.da if lang == "da" else s.name for s in subs)
    summary = family.summary_da if lang == "da" else family.summary_en
    text = f"{summary} ({words})" if words else summary
    return text if len(text) <= 128 else text[:127] + "…"


def manifest(app_id: str, public_url: str | None = None) -> dict[str, Any]:
    commands = [{"title": f.da[:32], "description": _description(f, "da")} for f in _menu()]
    domains = [urlparse(public_url).netloc] if public_url else []
    return {
        "$schema": SCHEMA,
        "manifestVersion": "1.20",
        "version": VERSION,
        "id": str(uuid.uuid5(NAMESPACE, app_id)),
        "localizationInfo": {
            "defaultLanguageTag": "da-dk",
            "additionalLanguages": [{"languageTag": "en", "file": "en.json"}],
        },
        "developer": {
            "name": "Partnerbot",
            "websiteUrl": public_url or "https://www.kk.dk",
            "privacyUrl": (public_url or "https://www.kk.dk") + "/privacy",
            "termsOfUseUrl": (public_url or "https://www.kk.dk") + "/terms",
        },
        "name": {"short": "Partnerbot", "full": "Partnerbot – tryghedspartnerskab"},
        "description": {
            "short": "Tryghedspartnerskabets koordinering i Teams",
            "full": "Partnerbot holder tryghedsplanen, aktivitetsopdateringer, mål og tal, "
            "møder og påmindelser for et tryghedspartnerskab. Nævn @Partnerbot i kanalen "
            "eller skriv til den i en chat; skriv hjælp for kommandoerne.",
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": ACCENT,
        "bots": [
            {
                "botId": app_id,
                "scopes": SCOPES,
                "isNotificationOnly": False,
                "supportsFiles": True,  # file-consent cards in personal chats
                "supportsCalling": False,
                "supportsVideo": False,
                "commandLists": [{"scopes": SCOPES, "commands": commands}],
            }
        ],
        "supportedChannelTypes": ["sharedChannels", "privateChannels"],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": domains,
    }


def english() -> dict[str, Any]:
    """The English strings, keyed as Teams' localization files address the manifest."""
    out: dict[str, Any] = {
        "$schema": LOCALE_SCHEMA,
        "name.short": "Partnerbot",
        "name.full": "Partnerbot – safety partnership",
        "description.short": "The safety partnership's coordination in Teams",
        "description.full": "Partnerbot keeps the safety plan, activity updates, targets and "
        "figures, meetings and reminders of a safety partnership. Mention @Partnerbot in the "
        "channel or write to it in a chat; write help for the commands.",
    }
    for n, family in enumerate(_menu()):
        out[f"bots[0].commandLists[0].commands[{n}].title"] = family.name[:32]
        out[f"bots[0].commandLists[0].commands[{n}].description"] = _description(family, "en")
    return out


def _shield(size: int) -> list[tuple[float, float]]:
    s = size
    return [(0.5 * s, 0.12 * s), (0.84 * s, 0.24 * s), (0.8 * s, 0.58 * s),
            (0.5 * s, 0.9 * s), (0.2 * s, 0.58 * s), (0.16 * s, 0.24 * s)]  # fmt: skip


def color_icon() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (192, 192), ACCENT)
    draw = ImageDraw.Draw(image)
    draw.polygon(_shield(192), fill="white")
    draw.polygon([(x * 0.6 + 38, y * 0.6 + 36) for x, y in _shield(192)], fill=ACCENT)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def outline_icon() -> bytes:
    """White on transparent, as Teams requires of the outline icon."""
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    ImageDraw.Draw(image).polygon(_shield(32), outline=(255, 255, 255, 255), width=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def build(app_id: str, public_url: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest(app_id, public_url), indent=2,
                                                ensure_ascii=False))  # fmt: skip
        zf.writestr("en.json", json.dumps(english(), indent=2, ensure_ascii=False))
        zf.writestr("color.png", color_icon())
        zf.writestr("outline.png", outline_icon())
    return out.getvalue()


def write_package(path: Path, *, app_id: str, public_url: str | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build(app_id, public_url))
