"""The Bolt app: `/wg`, buttons, modals and the App Home, on top of the command core.

Ack first (DESIGN section 6): the app runs with `process_before_response=True`, so a fast
command (all of the foundation's) is parsed, checked, written, committed and acknowledged in
the request thread — an update is acknowledged "saved" only after its commit, and no 10 ms ack
polling is paid. Slow work (subcommands marked `slow`: charts, reports, files) is acknowledged
at once and done on a worker thread, which posts the result or, on failure, tells the user.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.runtime import Runtime
from bot.slack import modals
from bot.slack.client import Pacer
from bot.slack.render import messages, parse_action_id, view_blocks
from commands.engine.context import Context
from commands.engine.parse import ParseError
from commands.engine.reply import Reply
from commands.engine.run import Plan, plan, run_command, run_plan
from commands.views.forms import form_data
from commands.views.home import home
from storage.models import ChannelBinding, InboundEvent, Member, Partnership

log = logging.getLogger("partnerbot.slack")
LOCALE_CACHE_S = 3600


class SlackAdapter:
    """Turns Slack requests into command contexts and replies into Slack messages."""

    def __init__(self, runtime: Runtime, client: WebClient, *, workers: int = 4) -> None:
        self.runtime = runtime
        self.client = client
        self.pacer = Pacer()
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack-work")
        self._locales: dict[str, tuple[str, float]] = {}  # user -> (locale, looked up at)
        self._lock = threading.Lock()
        self.command = runtime.settings.command

    # --- identity -------------------------------------------------------------------------
    def _locale(self, user: str) -> str | None:
        """The user's Slack locale, cached for an hour (one users.info per user, not per
        command); only asked when the member has not chosen a language."""
        with self._lock:
            cached = self._locales.get(user)
        if cached is not None and time.monotonic() - cached[1] < LOCALE_CACHE_S:
            return cached[0] or None
        try:
            info = self.client.users_info(user=user, include_locale=True)
            locale = str((info.get("user") or {}).get("locale") or "")
        except SlackApiError:
            locale = ""
        with self._lock:
            self._locales[user] = (locale, time.monotonic())
        return locale or None

    def context(
        self, user: str, channel: str, *, partnership: str | None = None, user_name: str = ""
    ) -> Context:
        return Context(
            engine=self.runtime.engine,
            partnerships=self.runtime.partnerships,
            platform="slack",
            channel=channel,
            user=user,
            user_name=user_name or user,
            is_admin=user in self.runtime.settings.admins,
            locale_fn=lambda: self._locale(user),
            partnership=partnership,
            command=self.command,
        )

    # --- background work ------------------------------------------------------------------
    def submit(self, job: Callable[[], None], *, user: str, channel: str, lang: str) -> None:
        def run() -> None:
            try:
                job()
            except Exception:
                log.exception("background work failed")
                self._tell(
                    user,
                    channel,
                    lang,
                    "Det lykkedes ikke at gøre det færdigt. Prøv igen om lidt.",
                    "That could not be finished. Please try again in a moment.",
                )

        self.executor.submit(run)

    def _tell(self, user: str, channel: str, lang: str, da: str, en: str) -> None:
        text = da if lang == "da" else en
        try:
            if channel:
                self.client.chat_postEphemeral(channel=channel, user=user, text=text)
            else:
                self.client.chat_postMessage(channel=user, text=text)
        except SlackApiError:
            log.warning("could not tell %s about a failure", user)

    def post_reply(
        self, reply: Reply, *, channel: str, user: str, skip_first: bool = False
    ) -> None:
        """Post a reply's messages and upload its files (files_upload_v2 needs a channel id)."""
        for n, message in enumerate(messages(reply)):
            if skip_first and n == 0:
                continue
            if reply.ephemeral and channel:
                self.client.chat_postEphemeral(channel=channel, user=user, **message)
            else:
                target = channel or user
                self.pacer.wait(target)
                self.client.chat_postMessage(channel=target, **message)
        for item in reply.files:
            target = channel or user
            self.pacer.wait(target)
            self.client.files_upload_v2(
                channel=target, content=item.data, filename=item.name, title=item.title or item.name
            )

    # --- listeners ------------------------------------------------------------------------
    def on_command(self, ack: Ack, body: dict[str, Any]) -> None:
        user, channel = body.get("user_id", ""), body.get("channel_id", "")
        text = body.get("text", "") or ""
        ctx = self.context(user, channel, user_name=body.get("user_name", ""))
        try:
            planned: Plan | None = plan(text, self.command)
        except ParseError:
            planned = None  # run_command words the refusal
        form = _wants_form(planned)
        if form is not None and body.get("trigger_id"):
            data = form_data(ctx, *form)
            if data.refusal is None and data.partnership is not None:
                # trigger_id lives 3 s: open the form before anything else.
                view = modals.build_view(*form, data, channel=channel)
                self.client.views_open(trigger_id=body["trigger_id"], view=view)
                ack()
                return
        if planned is not None and planned.sub is not None and planned.sub.slow:
            ack(
                response_type="ephemeral",
                text="Et øjeblik …" if ctx.preferred_lang() == "da" else "Working on it …",
            )
            self.submit(
                lambda: self.post_reply(run_plan(planned, ctx), channel=channel, user=user),
                user=user,
                channel=channel,
                lang=ctx.preferred_lang(),
            )
            return
        reply = run_plan(planned, ctx) if planned is not None else run_command(text, ctx)
        parts = messages(reply)
        ack(response_type="ephemeral" if reply.ephemeral else "in_channel", **parts[0])
        if len(parts) > 1 or reply.files:
            self.submit(
                lambda: self.post_reply(reply, channel=channel, user=user, skip_first=True),
                user=user,
                channel=channel,
                lang=ctx.preferred_lang(),
            )

    def on_action(self, ack: Ack, body: dict[str, Any]) -> None:
        ack()
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id", "")
        action = (body.get("actions") or [{}])[0]
        name = parse_action_id(action.get("action_id", ""))
        partnership = None if channel else self.home_partnership(user)
        ctx = self.context(user, channel, partnership=partnership)
        value = str(action.get("value") or "")
        if name in {"rsvp", "plan-confirm"}:
            # The button stands for a command; running it keeps rights and audit the same.
            text = (
                f"meeting rsvp {value.replace(':', ' ')}"
                if name == "rsvp"
                else f"meeting plan {value.split(' ', 1)[0]} confirm "
                + " ".join(value.split(" ")[1:])
            )
            self.submit(
                lambda: self.post_reply(run_command(text, ctx), channel=channel, user=user),
                user=user,
                channel=channel,
                lang=ctx.preferred_lang(),
            )
            return
        if name != "update":
            return
        data = form_data(ctx, "update", "")
        if data.refusal is not None or data.partnership is None:
            self._tell(
                user,
                channel,
                data.lang,
                data.refusal or "Du er ikke medlem af et partnerskab her.",
                data.refusal or "You are not a member of a partnership here.",
            )
            return
        view = modals.build_view(
            "update", "", data, channel=channel, initial=action.get("value") or None
        )
        self.client.views_open(trigger_id=body["trigger_id"], view=view)

    def on_view(self, ack: Ack, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        user = (body.get("user") or {}).get("id", "")
        meta = modals.metadata(view)
        channel = meta.get("channel", "")
        ctx = self.context(user, channel, partnership=meta.get("partnership"))
        planned, block = modals.plan_from_submission(view.get("callback_id", ""), view)
        reply = run_plan(planned, ctx)
        if not reply.ok:
            ack(response_action="errors", errors={block: _short(reply.plain())})
            return
        ack()
        target = channel or self.bound_channel(meta.get("partnership")) or ""
        self.submit(
            lambda: self.post_reply(reply, channel=target, user=user),
            user=user,
            channel=target,
            lang=ctx.preferred_lang(),
        )

    def on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        if not self.claim_event(body.get("event_id", "")):
            return
        user = event.get("user", "")

        def publish() -> None:
            reply = home(self.context(user, ""))
            self.client.views_publish(
                user_id=user, view={"type": "home", "blocks": view_blocks(reply)}
            )

        self.submit(publish, user=user, channel="", lang="da")

    # --- storage helpers ------------------------------------------------------------------
    def claim_event(self, event_id: str) -> bool:
        """True the first time an event id is seen (by any replica): Slack retries events."""
        if not event_id:
            return True
        try:
            with Session(self.runtime.engine) as session:
                session.add(InboundEvent(source="slack", event_id=event_id))
                session.commit()
            return True
        except IntegrityError:
            return False

    def bound_channel(self, slug: str | None) -> str | None:
        if not slug:
            return None
        with Session(self.runtime.engine) as session:
            return session.exec(
                select(ChannelBinding.channel_id)
                .join(Partnership, Partnership.id == ChannelBinding.partnership_id)
                .where(Partnership.slug == slug, ChannelBinding.platform == "slack")
            ).first()

    def home_partnership(self, user: str) -> str | None:
        with Session(self.runtime.engine) as session:
            return session.exec(
                select(Partnership.slug)
                .join(Member, Member.partnership_id == Partnership.id)
                .where(Member.handle == user, Member.active == True)
                .order_by(Partnership.name)
            ).first()

    def close(self) -> None:
        """Finish the work in progress (SIGTERM): nothing acknowledged is dropped."""
        self.executor.shutdown(wait=True)


def _wants_form(planned: Plan | None) -> tuple[str, str] | None:
    if planned is None or planned.family is None or planned.sub is None:
        return None
    key = (planned.family.name, planned.sub.name)
    if key in modals.FORMS and not planned.args.words and not planned.args.options:
        return key
    return None


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_app(
    runtime: Runtime, client: WebClient, *, socket_mode: bool = False
) -> tuple[App, SlackAdapter]:
    settings = runtime.settings
    app = App(
        client=client,
        signing_secret=settings.slack_signing_secret,
        process_before_response=True,
        request_verification_enabled=not socket_mode,
        token_verification_enabled=True,
        logger=logging.getLogger("partnerbot.bolt"),
    )
    adapter = SlackAdapter(runtime, client)
    app.command(settings.command)(adapter.on_command)
    app.action(re.compile(r"^pb:"))(adapter.on_action)
    app.view(re.compile(r"^pb_"))(adapter.on_view)
    app.event("app_home_opened")(adapter.on_home)
    return app, adapter
