"""What an inbound Teams activity says, read from the activity as Teams sends it (camelCase, as
the SDK dumps it back), into plain values the command core can use. Pure, no I/O.

Who: a member's Teams identity is their Entra (AAD) object id, `from.aadObjectId`, with the
tenant from `channelData.tenant.id`. Where: a channel is named by its own id
(`channelData.channel.id`), the same for every thread in it, which is what `bind` ties to a
partnership; a chat by its conversation id. Replies go to the conversation the message came
from (`conversation.id`, which in a channel carries `;messageid=` of the thread).

Mentions: Teams writes `<at>Name</at>` into the text with a `mention` entity per person. The
bot's own mention is removed; every other one becomes a single word `<at:N>` that the adapter
resolves to the person (their object id) before the command runs, so a name with spaces stays
one argument and the user's own text can never name anyone.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any

from commands.engine.reply import Person

TOKEN = re.compile(r"^<at:([0-9]{1,3}|[0-9a-fA-F-]{36})>$")
GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@dataclass(frozen=True)
class Inbound:
    user: str  # Entra object id: the identity members are found by
    user_id: str  # the connector's id for the person (29:…), for personal chats
    name: str
    tenant: str | None
    locale: str | None
    kind: str  # channel, groupChat, personal
    conversation: str  # where the answer goes (a channel thread, a chat)
    channel: str  # what bindings name: the channel's own id, or the chat's
    team: str | None
    service_url: str
    activity_id: str | None
    reply_to: str | None
    bot_id: str
    bot_name: str


@dataclass(frozen=True)
class Tag:
    """A mention of someone other than the bot, as typed: the token that replaced it."""

    token: str
    id: str  # what the entity names: a connector id (29:…) or an object id
    name: str


def read(activity: dict[str, Any]) -> Inbound:
    who = activity.get("from") or {}
    conversation = activity.get("conversation") or {}
    data = activity.get("channelData") or {}
    recipient = activity.get("recipient") or {}
    kind = str(conversation.get("conversationType") or "personal")
    conversation_id = str(conversation.get("id") or "")
    channel = str((data.get("channel") or {}).get("id") or "")
    if not channel:
        channel = conversation_id.split(";", 1)[0]
    tenant = (data.get("tenant") or {}).get("id") or conversation.get("tenantId")
    return Inbound(
        user=str(who.get("aadObjectId") or who.get("id") or ""),
        user_id=str(who.get("id") or ""),
        name=str(who.get("name") or ""),
        tenant=str(tenant) if tenant else None,
        locale=activity.get("locale") or _client_locale(activity),
        kind=kind,
        conversation=conversation_id,
        channel=channel,
        team=(data.get("team") or {}).get("id"),
        service_url=str(activity.get("serviceUrl") or ""),
        activity_id=activity.get("id"),
        reply_to=activity.get("replyToId"),
        bot_id=str(recipient.get("id") or ""),
        bot_name=str(recipient.get("name") or "Partnerbot"),
    )


def _client_locale(activity: dict[str, Any]) -> str | None:
    for entity in activity.get("entities") or []:
        if entity.get("type") == "clientInfo" and entity.get("locale"):
            return str(entity["locale"])
    return None


def command_text(activity: dict[str, Any], bot_id: str) -> tuple[str, list[Tag]]:
    """The text without the bot's mention, other mentions as tokens, and those mentions."""
    text = html.unescape(str(activity.get("text") or "")).replace("\xa0", " ")
    tags: list[Tag] = []
    for entity in activity.get("entities") or []:
        if entity.get("type") != "mention":
            continue
        written = html.unescape(str(entity.get("text") or ""))
        mentioned = entity.get("mentioned") or {}
        if not written:
            continue
        if mentioned.get("id") == bot_id:
            text = text.replace(written, " ", 1)
            continue
        token = f"<at:{len(tags)}>"
        if written in text:
            text = text.replace(written, f" {token} ", 1)
            tags.append(
                Tag(token, str(mentioned.get("id") or ""), str(mentioned.get("name") or ""))
            )
    return " ".join(text.split()), tags


def person_token(object_id: str) -> str:
    """How a person picked in a dialog is written for the command core."""
    return f"<at:{object_id}>"


def reader(people: dict[str, Person]):  # type: ignore[no-untyped-def]
    """The context's `person` reader: a resolved mention token, or a picked person's id."""

    def read_person(word: str) -> Person | None:
        found = people.get(word)
        if found is not None:
            return found
        match = TOKEN.match(word)
        if match and len(match.group(1)) == 36:
            return Person("teams", match.group(1).lower(), "")
        return None

    return read_person
