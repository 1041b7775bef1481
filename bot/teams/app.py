"""The Teams adapter on Microsoft's Teams SDK: messages, card actions, dialogs, proactive posts.

Each handler reads the activity (bot/teams/inbound.py), calls `handle`/`submit` once in a worker
thread (the command core is synchronous; the SDK's loop must not wait on the database), and
renders the outcome: a reply (cards in the conversation it came from), a form (a card whose
button opens the dialog), or an answer at once and the slow work's reply posted afterwards as a
proactive message (Teams waits at most 15 s). Personal answers and refusals asked for in a
channel go to the asker's personal chat with the bot, never to the whole channel.

All SDK calls run on the one event loop the server owns (`bind_loop`); threads outside it (the
reminder dispatcher, slow work) hand their posts to that loop (`call`).
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Coroutine
from typing import Any, TypeVar

from fastapi import FastAPI
from sqlmodel import Session

from bot.adapter import Landed
from bot.pacing import pacer_for
from bot.runtime import Runtime
from bot.teams import cards, dialogs, files
from bot.teams.auth import BotToken
from bot.teams.http import PACE_S, Retrying, make_client
from bot.teams.inbound import GUID, Inbound, Tag, command_text, person_token, read, reader
from bot.teams.refs import Ref, Refs
from bot.teams.sdk import (
    PUBLIC,
    SDK_VARIABLES,
    ActivityContext,
    ApiClientSettings,
    App,
    FastAPIAdapter,
    InvokeResponse,
    MessageActivityInput,
    TokenCredentials,
    quiet_env,
    with_overrides,
)
from bot.teams.settings import TeamsSettings
from bot.work import SlowWork
from commands.engine.context import Capabilities, Context, say
from commands.engine.reply import Person, Reply
from commands.engine.run import Deferred, OpenForm, Outcome, handle, submit
from storage.queries import memberships_of

log = logging.getLogger("partnerbot.teams")
T = TypeVar("T")
CALL_TIMEOUT_S = 60.0
OAUTH_URL = "https://token.botframework.com"


def sdk_app(teams: TeamsSettings, token: BotToken, retrying: Retrying, http: FastAPI) -> App:
    """The SDK's App with everything passed explicitly: credentials (our token provider),
    the key set's location, the HTTP client, the server. Its environment fallbacks are hidden
    while it is built, and checked: an App that took other credentials is refused."""
    cloud = with_overrides(
        PUBLIC, openid_metadata_url=teams.openid_url, login_endpoint=teams.login_url
    )
    with quiet_env(*SDK_VARIABLES), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the SDK's own deprecated parts
        app = App(
            client_id=teams.app_id,
            tenant_id=teams.tenant_id,
            token=token,
            client=make_client(retrying=retrying),
            cloud=cloud,
            service_url=teams.api_url,
            api_client_settings=ApiClientSettings(oauth_url=OAUTH_URL),
            http_server_adapter=FastAPIAdapter(app=http),
            messaging_endpoint="/api/messages",
            dangerously_allow_unauthenticated_requests=False,
            fetch_user_token=False,
            state=False,
            telemetry={"agent365": False},
        )
    if not isinstance(app.credentials, TokenCredentials):
        raise RuntimeError("the Teams SDK did not take Partnerbot's credentials")
    return app


class TeamsAdapter:
    platform = "teams"
    receives_all = False

    def __init__(self, runtime: Runtime, teams: TeamsSettings, *, workers: int = 4) -> None:
        self.runtime = runtime
        self.settings = teams
        self.token = BotToken(teams)
        # about 7 messages a second per conversation, across replicas on PostgreSQL
        self.retrying = Retrying(pacer=pacer_for(runtime.engine, "teams", PACE_S))
        self.http = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
        self.app = sdk_app(teams, self.token, self.retrying, self.http)
        self.refs = Refs(runtime.engine)
        self.downloads = files.Downloads(runtime.engine, runtime.settings.public_url)
        self.work = SlowWork(workers)
        self.loop: asyncio.AbstractEventLoop | None = None
        self._apis: dict[str, Any] = {}
        self.app.on_message(self.on_message)
        self.app.on_invoke(self.on_invoke)
        self.app.on_conversation_update(self.on_conversation_update)

    # --- the loop -------------------------------------------------------------------------
    def bind_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = CALL_TIMEOUT_S) -> T:
        """Run `coro` on the server's loop from another thread and wait for it."""
        if self.loop is None or not self.loop.is_running():
            coro.close()
            raise RuntimeError("Teams is not being served in this process")
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def api(self, service_url: str) -> Any:
        """The SDK's API client for a conversation's service, one per service URL."""
        found = self._apis.get(service_url)
        if found is None:
            with warnings.catch_warnings():  # the SDK warns of its own deprecated parts
                warnings.simplefilter("ignore", DeprecationWarning)
                found = self._apis[service_url] = self.app.api.clone(service_url=service_url)
        return found

    # --- who and where --------------------------------------------------------------------
    def context(
        self, inbound: Inbound, people: dict[str, Person] | None = None, *, forms: bool = False
    ) -> Context:
        personal = inbound.kind == "personal"
        return Context(
            engine=self.runtime.engine,
            partnerships=self.runtime.partnerships,
            platform="teams",
            channel=inbound.channel,
            user=inbound.user,
            user_name=inbound.name or inbound.user,
            is_admin=inbound.user in self.runtime.settings.admins,
            user_locale=inbound.locale,
            partnership=self.home_partnership(inbound.user) if personal else None,
            command=f"@{inbound.bot_name}",
            caps=Capabilities(forms=forms, deferred=True),
            person=reader(people or {}),
        )

    def home_partnership(self, user: str) -> str | None:
        """A personal chat belongs to no channel: the person's partnership, if one."""
        with Session(self.runtime.engine) as session:
            found = memberships_of(session, "teams", user)
        return found[0][1].slug if len(found) == 1 else None

    def remember(self, inbound: Inbound) -> None:
        personal = inbound.kind == "personal"
        self.refs.remember(
            Ref(
                inbound.channel,
                inbound.conversation if personal else inbound.channel,
                inbound.kind,
                inbound.service_url,
                inbound.tenant,
                inbound.team,
                inbound.user if personal else None,
            )
        )

    async def people(self, inbound: Inbound, tags: list[Tag]) -> dict[str, Person]:
        """Mentioned people by their Entra object id and home tenant (the connector's member
        call)."""
        out: dict[str, Person] = {}
        if not tags:
            return out
        api = self.api(inbound.service_url)
        for tag in tags:
            try:
                member = await api.conversations.get_member_by_id(inbound.channel, tag.id)
            except Exception as exc:
                log.warning("could not look up a mentioned person: %s", exc.__class__.__name__)
                continue
            aad = getattr(member, "aad_object_id", None)
            if aad:
                # the person's own tenant (not the channel's): a partner's names their organisation
                tenant = str(getattr(member, "tenant_id", None) or "").lower()
                name = tag.name or member.name or ""
                out[tag.token] = Person("teams", str(aad).lower(), name, tenant)
        return out

    # --- handlers -------------------------------------------------------------------------
    async def on_message(self, ctx: ActivityContext) -> None:  # type: ignore[type-arg]
        activity = ctx.activity.model_dump(by_alias=True, exclude_none=True)
        inbound = read(activity)
        value = activity.get("value")
        if isinstance(value, dict) and isinstance(value.get("pb"), str):
            text, people = value["pb"], {}
        else:
            text, tags = command_text(activity, inbound.bot_id)
            people = await self.people(inbound, tags)
        await self.answer(inbound, text, people)

    async def answer(self, inbound: Inbound, text: str, people: dict[str, Person]) -> None:
        outcome, lang = await asyncio.to_thread(self._run, inbound, text, people)
        if isinstance(outcome, OpenForm):
            prompt = say(lang, "Udfyld formularen.", "Fill in the form.")
            label = say(lang, "Åbn formular", "Open the form")
            launcher = dialogs.launcher(outcome.form, text, prompt, label)
            await self.send(
                inbound.service_url, inbound.conversation, [cards.card_activity(launcher)]
            )
            return
        reply = outcome.ack if isinstance(outcome, Deferred) else outcome
        await self.deliver(inbound, reply, lang)
        if isinstance(outcome, Deferred):
            finish = outcome.finish
            self.work.submit(
                lambda: self.call(self.deliver(inbound, finish(), lang)),
                on_failure=lambda: self.call(self.deliver(inbound, _failed(lang), lang)),
            )

    def _run(self, inbound: Inbound, text: str, people: dict[str, Person]) -> tuple[Outcome, str]:
        self.remember(inbound)
        ctx = self.context(inbound, people, forms=True)
        return handle(text, ctx), ctx.preferred_lang()

    async def on_invoke(self, ctx: ActivityContext) -> InvokeResponse:  # type: ignore[type-arg]
        activity = ctx.activity.model_dump(by_alias=True, exclude_none=True)
        inbound = read(activity)
        name, value = activity.get("name"), activity.get("value") or {}
        if name == "adaptiveCard/action":  # Action.Execute: the same as a submit button
            data = (value.get("action") or {}).get("data") or {}
            if isinstance(data.get("pb"), str):
                await self.answer(inbound, data["pb"], {})
            return InvokeResponse(status=200, body=_execute_done())
        if name == "task/fetch":
            data = value.get("data") or {}
            return InvokeResponse(status=200, body=await self.open_dialog(inbound, data))
        if name == "task/submit":
            data = value.get("data") or {}
            return InvokeResponse(status=200, body=await self.submit_dialog(inbound, data))
        if name == "fileConsent/invoke":
            await self.file_consent(inbound, value)
        return InvokeResponse(status=200)

    async def file_consent(self, inbound: Inbound, value: dict[str, Any]) -> None:
        """The person's answer to a file-consent card: upload on accept, then show the file;
        either way the kept copy is let go."""
        context = value.get("context") or {}
        token = str(context.get("pb_file") or "")
        if not token or context.get("user") != inbound.user:  # not a card of ours for them
            return
        lang = "en" if context.get("lang") == "en" else "da"
        action = getattr(value.get("action"), "value", value.get("action"))
        info = value.get("uploadInfo") or {}
        if action != "accept" or not info.get("uploadUrl"):
            await asyncio.to_thread(self.downloads.discard, token)
            declined = say(lang, "Filen blev ikke sendt.", "The file was not sent.")
            await self.tell(inbound, Reply.text(declined))
            return
        found = await asyncio.to_thread(self.downloads.fetch, token)
        if found is None:
            gone = say(
                lang,
                "Filen findes ikke længere. Bed om den igen.",
                "The file is no longer available. Please ask for it again.",
            )
            await self.tell(inbound, Reply.error(gone))
            return
        try:
            await files.upload(str(info["uploadUrl"]), found.data)
        except Exception as exc:  # the person hears it; the copy stays for another try
            log.warning("file upload failed: %s", exc.__class__.__name__)
            failed = say(
                lang,
                "Filen kunne ikke gemmes i din OneDrive. Prøv igen om lidt.",
                "The file could not be saved in your OneDrive. Please try again in a moment.",
            )
            await self.tell(inbound, Reply.error(failed))
            return
        await asyncio.to_thread(self.downloads.discard, token)
        await self.send(
            inbound.service_url, inbound.conversation, [files.file_info_activity(info, lang)]
        )

    async def open_dialog(self, inbound: Inbound, data: dict[str, Any]) -> dict[str, Any]:
        text = str(data.get("pb_form") or "")
        outcome, _lang = await asyncio.to_thread(self._run, inbound, text, {})
        if isinstance(outcome, OpenForm):
            return dialogs.dialog(outcome.form)
        reply = outcome.ack if isinstance(outcome, Deferred) else outcome
        return dialogs.closed(reply.plain())

    async def submit_dialog(self, inbound: Inbound, data: dict[str, Any]) -> dict[str, Any]:
        form_id = str(data.get("pb_submit") or "")
        picked = [
            Tag(person_token(v.strip().lower()), v.strip(), "")
            for key, value in data.items()
            if not key.startswith("pb_") and isinstance(value, str)
            for v in value.split(",")
            if GUID.match(v.strip())
        ]
        people = await self.people(inbound, picked)  # their names, for `member list`
        result = await asyncio.to_thread(self._submit, inbound, form_id, data, people)
        if isinstance(result, dict):
            return result
        reply, lang = result
        await self.deliver(inbound, reply, lang)
        return dialogs.closed()

    def _submit(
        self, inbound: Inbound, form_id: str, data: dict[str, Any], people: dict[str, Person]
    ) -> dict[str, Any] | tuple[Reply, str]:
        ctx = self.context(inbound, people, forms=True)
        if data.get("pb_partnership") and ctx.partnership is None:
            ctx.partnership = str(data["pb_partnership"])
        opened = handle(form_id, ctx)
        if not isinstance(opened, OpenForm):  # rights changed, or no such form
            reply = opened.ack if isinstance(opened, Deferred) else opened
            return dialogs.closed(reply.plain())
        form = opened.form
        values = dialogs.values(form, data)
        ctx.caps = Capabilities(forms=False, deferred=True)
        reply = submit(form_id, values, ctx)
        if not reply.ok:
            field = reply.field if reply.field in values else ""
            return dialogs.dialog(form, values=values, error=reply.plain(), field=field)
        return reply, ctx.preferred_lang()

    async def on_conversation_update(self, ctx: ActivityContext) -> None:  # type: ignore[type-arg]
        activity = ctx.activity.model_dump(by_alias=True, exclude_none=True)
        inbound = read(activity)
        added = [m.get("id") for m in activity.get("membersAdded") or []]
        if inbound.bot_id not in added:
            return
        await asyncio.to_thread(self.remember, inbound)
        lang = "en" if (inbound.locale or "da").lower().startswith("en") else "da"
        hello = Reply.text(
            say(
                lang,
                "Tak, fordi I tilføjede Partnerbot. En administrator eller formanden knytter "
                "kanalen til partnerskabet med `@{b} tilknyt SLUG`; skriv `@{b} hjælp` for "
                "kommandoerne.",
                "Thank you for adding Partnerbot. An admin or the chair ties the channel to "
                "the partnership with `@{b} bind SLUG`; write `@{b} help` for the commands.",
                b=inbound.bot_name,
            ),
            ephemeral=False,
        )
        conversation = inbound.conversation if inbound.kind == "personal" else inbound.channel
        await self.send(inbound.service_url, conversation, cards.messages(hello))

    # --- posting --------------------------------------------------------------------------
    async def tell(self, inbound: Inbound, reply: Reply) -> None:
        """A short answer where the activity came from (the file-consent outcomes)."""
        await self.send(inbound.service_url, inbound.conversation, cards.messages(reply))

    async def deliver(self, inbound: Inbound, reply: Reply, lang: str) -> None:
        """The reply where it belongs: in the conversation, or (personal answers asked for in
        a channel or group chat) in the asker's personal chat."""
        if reply.ephemeral and inbound.kind != "personal":
            service_url, conversation = await self.personal_chat(inbound)
        else:
            service_url, conversation = inbound.service_url, inbound.conversation
        personal = reply.ephemeral or inbound.kind == "personal"
        rendered = await self.render(reply, lang, to=inbound.user if personal else None)
        await self.send(service_url, conversation, rendered)

    async def render(self, reply: Reply, lang: str, to: str | None = None) -> list[dict[str, Any]]:
        """Messages for `reply`; `to` is the person when it goes to their personal chat, where
        a file is offered for their OneDrive instead of as a link."""
        out = cards.messages(reply) if reply.blocks or reply.buttons or not reply.files else []
        for item in reply.files:
            if item.mime in files.IMAGE_TYPES:
                out.append(await asyncio.to_thread(files.image_activity, item))
            elif to is not None:
                token = await asyncio.to_thread(self.downloads.keep, item)
                out.append(files.consent_activity(item, token, to, lang))
            else:
                url = await asyncio.to_thread(self.downloads.offer, item)
                out.append(files.link_activity(item, url, lang))
        return out

    async def send(
        self, service_url: str, conversation: str, activities: list[dict[str, Any]]
    ) -> list[str]:
        api = self.api(service_url)
        ids = []
        for activity in activities:
            sent = await api.conversations.create_activity(
                conversation, MessageActivityInput.model_validate(activity)
            )
            ids.append(sent.id)
        return ids

    async def personal_chat(self, inbound: Inbound) -> tuple[str, str]:
        """The asker's personal chat with the bot: known, or created (the bot may start one
        with anyone in a team it is installed in)."""
        known = await asyncio.to_thread(self.refs.personal, inbound.user)
        if known is not None:
            return known.service_url, known.conversation_id
        api = self.api(inbound.service_url)
        body = {
            "isGroup": False,
            "bot": {"id": inbound.bot_id},
            "members": [{"id": inbound.user_id}],
            "tenantId": inbound.tenant,
            "channelData": {"tenant": {"id": inbound.tenant}},
        }
        resp = await api.conversations.http.post(
            f"{inbound.service_url.rstrip('/')}/v3/conversations", json=body
        )
        conversation = str(resp.json()["id"])
        ref = Ref(conversation, conversation, "personal", inbound.service_url, inbound.tenant,
                  None, inbound.user)  # fmt: skip
        await asyncio.to_thread(self.refs.remember, ref)
        return inbound.service_url, conversation

    def post(self, channel: str, reply: Reply) -> None:
        """Adapter protocol (reminders): into a bound channel, by its stored reference."""
        # A bound channel, else a person's personal chat (a notice to the chair).
        ref = self.refs.get(channel) or self.refs.personal(channel)
        if ref is None:
            raise LookupError(f"no Teams conversation reference for {channel}")
        lang = "da"
        self.call(self._post(ref, reply, lang))

    def post_once(self, channel: str, reply: Reply, *, key: str, look: bool) -> Landed:
        """Adapter protocol: a reminder. The connector offers no search by key, so the
        per-channel record (storage/reminder_posts.py) is what keeps it from a second post."""
        self.post(channel, reply)
        return Landed()

    async def _post(self, ref: Ref, reply: Reply, lang: str) -> None:
        to = ref.user_id if ref.kind == "personal" else None
        await self.send(ref.service_url, ref.conversation_id, await self.render(reply, lang, to))

    def close(self) -> None:
        self.work.close()


def _failed(lang: str) -> Reply:
    return Reply.error(
        say(
            lang,
            "Det lykkedes ikke at gøre det færdigt. Prøv igen om lidt.",
            "That could not be finished. Please try again in a moment.",
        )
    )


def _execute_done() -> dict[str, Any]:
    """Action.Execute's answer: the card stays; the reply comes as its own message."""
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": ""}
