"""Inbound activities built exactly as Teams sends them, and posted signed.

Why: the SDK reads ids from precise places (`from.aadObjectId`, `channelData.tenant.id`,
`conversation.conversationType`, the mention entities, `value` of a card action, the invoke's
`name`), and the bot's JWT check compares the token's `serviceurl` claim with the activity's
`serviceUrl`. Tests that post these bodies with a token signed by the fake's key run the same
code paths as traffic from Teams.

Shapes follow what Teams sends today: a channel post's conversation id carries
`;messageid=<root id>`, the mention text is `<at>Name</at>` with a `mention` entity, and the
locale travels both on the activity and in a `clientInfo` entity.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from fake_teams import APP_ID, TENANT, FakeTeams

BOT_NAME = "Partnerbot"
TEAM = "19:team-tingbjerg@thread.tacv2"
CHANNEL = "19:wg-tingbjerg@thread.tacv2"
_ids = itertools.count(1_700_000_000_000)


@dataclass(frozen=True)
class User:
    """A Teams user: the connector id (29:…), the Entra object id, name and tenant."""

    id: str
    aad: str
    name: str
    tenant: str = TENANT
    locale: str = "da-DK"


def user(n: int, name: str, tenant: str = TENANT, locale: str = "da-DK") -> User:
    return User(f"29:1user{n}", f"aaaaaaaa-0000-4000-8000-{n:012d}", name, tenant, locale)


ADMIN = user(1, "Ida Admin")
ANNA = user(2, "Anna Jensen")


def _base(
    who: User, fake: FakeTeams, conversation: dict[str, Any], channel_data: dict[str, Any]
) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC)
    return {
        "type": "message",
        "id": str(next(_ids)),
        "timestamp": now.isoformat().replace("+00:00", "Z"),
        "localTimestamp": now.astimezone().isoformat(),
        "channelId": "msteams",
        "serviceUrl": fake.service_url,
        "from": {"id": who.id, "name": who.name, "aadObjectId": who.aad},
        "conversation": conversation,
        "recipient": {"id": f"28:{APP_ID}", "name": BOT_NAME},
        "entities": [
            {
                "type": "clientInfo",
                "locale": who.locale,
                "country": who.locale[-2:],
                "platform": "Web",
                "timezone": "Europe/Copenhagen",
            }
        ],
        "channelData": channel_data,
        "locale": who.locale,
        "localTimezone": "Europe/Copenhagen",
    }


def channel_conversation(who: User, root: str, channel: str = CHANNEL) -> dict[str, Any]:
    return {
        "isGroup": True,
        "conversationType": "channel",
        "tenantId": who.tenant,
        "id": f"{channel};messageid={root}",
    }


def channel_data(who: User, channel: str = CHANNEL, team: str = TEAM) -> dict[str, Any]:
    return {
        "teamsChannelId": channel,
        "teamsTeamId": team,
        "channel": {"id": channel},
        "team": {"id": team},
        "tenant": {"id": who.tenant},
    }


def channel_message(
    fake: FakeTeams,
    who: User,
    text: str,
    *,
    channel: str = CHANNEL,
    mentions: tuple[User, ...] = (),
) -> dict[str, Any]:
    """A new post in a channel that @mentions the bot (and perhaps people) before `text`.

    People to mention are written into `text` as `{name}`-less placeholders `@<n>` replaced
    by `<at>Name</at>`, in the order given."""
    activity = _base(who, fake, {}, channel_data(who, channel))
    activity["conversation"] = channel_conversation(who, activity["id"], channel)
    body = text
    entities = [
        {
            "type": "mention",
            "text": f"<at>{BOT_NAME}</at>",
            "mentioned": {"id": f"28:{APP_ID}", "name": BOT_NAME},
        }
    ]
    for n, person in enumerate(mentions):
        body = body.replace(f"@{n}", f"<at>{person.name}</at>", 1)
        entities.append(
            {
                "type": "mention",
                "text": f"<at>{person.name}</at>",
                "mentioned": {"id": person.id, "name": person.name},
            }
        )
    activity["text"] = f"<at>{BOT_NAME}</at> {body}\n"
    activity["textFormat"] = "plain"
    activity["attachments"] = [{"contentType": "text/html", "content": f"<div>{body}</div>"}]
    activity["entities"] = entities + activity["entities"]
    return activity


def personal_conversation(who: User) -> str:
    return f"a:1personal-{who.id.removeprefix('29:')}"


def personal_message(fake: FakeTeams, who: User, text: str) -> dict[str, Any]:
    conversation = {
        "conversationType": "personal",
        "tenantId": who.tenant,
        "id": personal_conversation(who),
    }
    activity = _base(who, fake, conversation, {"tenant": {"id": who.tenant}})
    activity["text"] = text
    activity["textFormat"] = "plain"
    return activity


def card_submit(
    fake: FakeTeams, who: User, value: dict[str, Any], *, reply_to: str, conversation: str
) -> dict[str, Any]:
    """An Action.Submit on a card the bot posted: a message with `value` and no text."""
    personal = conversation.startswith("a:")
    conv = (
        {"conversationType": "personal", "tenantId": who.tenant, "id": conversation}
        if personal
        else {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": who.tenant,
            "id": conversation,
        }
    )
    data = {"tenant": {"id": who.tenant}} if personal else channel_data(who)
    activity = _base(who, fake, conv, data | {"source": {"name": "message"}})
    activity["replyToId"] = reply_to
    activity["value"] = value
    return activity


def invoke(
    fake: FakeTeams, who: User, name: str, value: dict[str, Any], *, conversation: str = ""
) -> dict[str, Any]:
    """An invoke: `adaptiveCard/action` (Action.Execute), `task/fetch`, `task/submit`."""
    personal = not conversation or conversation.startswith("a:")
    conv = (
        {
            "conversationType": "personal",
            "tenantId": who.tenant,
            "id": conversation or personal_conversation(who),
        }
        if personal
        else {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": who.tenant,
            "id": conversation,
        }
    )
    data = {"tenant": {"id": who.tenant}} if personal else channel_data(who)
    activity = _base(who, fake, conv, data | {"source": {"name": "message"}})
    activity["type"] = "invoke"
    activity["name"] = name
    activity["value"] = value
    return activity


def execute(fake: FakeTeams, who: User, data: dict[str, Any], **kw: Any) -> dict[str, Any]:
    return invoke(
        fake,
        who,
        "adaptiveCard/action",
        {"action": {"type": "Action.Execute", "verb": "pb", "data": data}, "trigger": "manual"},
        **kw,
    )


def file_consent(
    fake: FakeTeams, who: User, consent: dict[str, Any], action: str, *, conversation: str
) -> dict[str, Any]:
    """Allow or Decline pressed on a file-consent card (`consent`, the attachment the bot
    posted): Teams answers with the card's context and, on accept, an upload session."""
    content = consent["content"]
    value: dict[str, Any] = {"type": "fileUpload", "action": action}
    if action == "accept":
        value["context"] = content.get("acceptContext")
        value["uploadInfo"] = fake.upload_info(consent["name"])
    else:
        value["context"] = content.get("declineContext")
    return invoke(fake, who, "fileConsent/invoke", value, conversation=conversation)


def bot_added(fake: FakeTeams, who: User, *, team: str = TEAM) -> dict[str, Any]:
    """The bot installed in a team: a conversationUpdate in the team's General channel."""
    activity = _base(
        who,
        fake,
        {"isGroup": True, "conversationType": "channel", "tenantId": who.tenant, "id": team},
        channel_data(who, team, team) | {"eventType": "teamMemberAdded"},
    )
    activity["type"] = "conversationUpdate"
    activity["membersAdded"] = [{"id": f"28:{APP_ID}"}]
    del activity["entities"]
    return activity


def post_activity(
    url: str, activity: dict[str, Any], token: str | None, *, timeout: float = 20
) -> tuple[int, Any]:
    """POST an activity to the bot's /api/messages, as the connector does."""
    headers = {"Content-Type": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps(activity).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw.strip() else None
    except urllib.error.HTTPError as err:
        raw = err.read()
        try:
            return err.code, json.loads(raw) if raw.strip() else None
        except ValueError:
            return err.code, raw.decode(errors="replace")


def send(url: str, fake: FakeTeams, activity: dict[str, Any], **kw: Any) -> tuple[int, Any]:
    """POST an activity signed as the Bot Framework signs it."""
    return post_activity(url, activity, fake.sign(service_url=activity["serviceUrl"]), **kw)
