"""The Bolt app: `/wg`, buttons, modals and the App Home, on the neutral command core.

Each listener turns the Slack request into a `Context` and text (a button's value is the
command line it stands for), calls `handle`/`submit` once, and renders the outcome: a reply
(in the acknowledgement), a form (a modal, opened before the ack: `trigger_id` lives 3 s), or
an acknowledgement now and the slow work's reply posted when it is ready.

Ack first (DESIGN section 6): the app runs with `process_before_response=True`, so a fast
command is parsed, checked, written, committed and acknowledged in the request thread — an
update is acknowledged "saved" only after its commit — and nothing before the ack waits on the
Web API except `views.open`, which must (on its own client: 2 s, no retries). A button is
acknowledged before anything else and runs after (a Bolt lazy listener). Whatever talks to
Slack afterwards (more messages, files, the user's locale) runs on the shared slow-work pool.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.error import URLError

from slack_bolt import Ack, App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from bot.adapter import Landed
from bot.pacing import pacer_for
from bot.runtime import Runtime
from bot.slack import keyed, modals
from bot.slack.client import views_client
from bot.slack.locale import Locales
from bot.slack.posting import Poster
from bot.slack.render import is_our_action, messages, view_blocks
from bot.slack.settings import SlackSettings
from bot.work import SlowWork
from commands.engine.context import Capabilities, Context, say
from commands.engine.registry import usage
from commands.engine.reply import Person, Reply
from commands.engine.run import Deferred, OpenForm, handle, plan, submit
from commands.views.home import home
from storage.models import ChannelBinding, InboundEvent, Partnership
from storage.queries import memberships_of

log = logging.getLogger("partnerbot.slack")
# What Bolt raises when auth.test answers but refuses the token (for the CLI's one line).
TokenRefused = BoltError
MENTION = re.compile(r"^<@([UW][A-Z0-9]{1,40})(?:\|([^>]{0,200}))?>$")


def read_person(word: str) -> Person | None:
    """A person as Slack sends a mention with escaping on: `<@U024BE7LH|anna>`."""
    found = MENTION.match(word)
    return Person("slack", found.group(1), found.group(2) or "") if found else None


class SlackAdapter:
    """Turns Slack requests into command contexts and replies into Slack messages."""

    platform = "slack"
    receives_all = False

    def __init__(self, runtime: Runtime, client: WebClient, *, workers: int = 4) -> None:
        self.runtime = runtime
        self.client = client
        self.views = views_client(client)
        self.pacer = pacer_for(runtime.engine, "slack")
        self.keyed = keyed.keyed_client(client)
        self.poster = Poster(client, self.pacer)
        self.responses = self.poster.responses
        self.work = SlowWork(workers)
        self.locales = Locales(runtime.engine, client, self.work)
        self.command = runtime.settings.command

    # --- identity -------------------------------------------------------------------------
    def _known_locale(self, user: str) -> str | None:
        return self.locales.known(user)

    def learn_locale(self, user: str) -> None:
        """The user's Slack locale, looked up after the ack for their next commands."""
        self.locales.learn(user)

    def context(
        self,
        user: str,
        channel: str,
        *,
        partnership: str | None = None,
        user_name: str = "",
        forms: bool = False,
    ) -> Context:
        return Context(
            engine=self.runtime.engine,
            partnerships=self.runtime.partnerships,
            platform="slack",
            channel=channel,
            user=user,
            user_name=user_name or user,
            is_admin=user in self.runtime.settings.admins,
            user_locale=self._known_locale(user) or None,
            partnership=partnership,
            command=self.command,
            caps=Capabilities(forms=forms, deferred=True),
            person=read_person,
        )

    # --- posting --------------------------------------------------------------------------
    def post(self, channel: str, reply: Reply) -> None:
        """Adapter protocol: into a channel (reminders, slow work for the channel)."""
        self.deliver(reply, channel=channel, user="")

    def post_once(self, channel: str, reply: Reply, *, key: str, look: bool) -> Landed:
        """Adapter protocol: a reminder, keyed, looked for before a repeat (bot.slack.keyed)."""
        return keyed.post_once(self.keyed, self.pacer, channel, reply, key=key, look=look)

    def deliver(self, reply: Reply, *, channel: str, user: str, **kw: Any) -> None:
        """Post a reply (bot.slack.posting): where Slack refuses, it still reaches `user`."""
        self.poster.deliver(reply, channel=channel, user=user, **kw)

    def later(
        self,
        reply: Reply,
        *,
        channel: str,
        user: str,
        lang: str,
        response_url: str = "",
        **kw: Any,
    ) -> None:
        """Post on the slow-work pool; a failure is told to the user."""
        self.work.submit(
            lambda: self.deliver(
                reply, channel=channel, user=user, lang=lang, response_url=response_url, **kw
            ),
            on_failure=lambda: self._tell_failure(user, channel, lang, response_url),
            owner=user,
        )

    def _tell_failure(self, user: str, channel: str, lang: str, response_url: str = "") -> None:
        self.poster.tell(
            user,
            channel,
            say(
                lang,
                "Det lykkedes ikke at gøre det færdigt. Prøv igen om lidt.",
                "That could not be finished. Please try again in a moment.",
            ),
            response_url,
        )

    def _finish(
        self, outcome: Deferred, *, channel: str, user: str, lang: str, response_url: str = ""
    ) -> str | None:
        """Queue the slow work (fairly, at most `work.per_owner` per person); None when
        queued, else the refusal to answer with instead of the placeholder."""
        busy = self.work.admit(
            lambda: self.deliver(
                outcome.finish(),
                channel=channel,
                user=user,
                lang=lang,
                response_url=response_url,
                placeholder=True,
            ),
            on_failure=lambda: self._tell_failure(user, channel, lang, response_url),
            owner=user,
        )
        if not busy:
            return None
        return say(
            lang,
            "Du har allerede {n} forespørgsler i gang. Vent, til de er færdige, og prøv så igen.",
            "You already have {n} requests in progress. Wait for them to finish, then try again.",
            n=busy,
        )

    def _open(
        self, trigger_id: str, outcome: OpenForm, channel: str, lang: str, response_url: str = ""
    ) -> str | None:
        """Open the modal; None when it opened, else what to tell the user. The command's
        response_url travels in the modal, for answering where the bot may not post."""
        view = modals.view(outcome.form, channel=channel, response_url=response_url)
        try:
            self.views.views_open(trigger_id=trigger_id, view=view)
            return None
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "")
            log.warning("views.open failed: %s %s", error, exc.response.get("response_metadata"))
            late = error in ("expired_trigger_id", "exchanged_trigger_id")
        except Exception as exc:  # a timeout or a dropped connection: never an HTTP 500
            log.warning("views.open failed: %r", exc)
            late = isinstance(exc, TimeoutError | URLError) or "timed out" in str(exc)
        planned = plan(outcome.form.id, self.command)
        line = usage(planned.sub, lang, self.command) if planned.sub else f"`{self.command}`"
        if late:
            return say(
                lang,
                "Formularen nåede ikke at åbne i tide. Prøv igen, eller skriv det hele på én "
                "linje: {u}",
                "The form did not open in time. Try again, or type it all on one line: {u}",
                u=line,
            )
        return say(
            lang,
            "Formularen kunne ikke åbnes. Skriv det hele på én linje i stedet: {u}",
            "The form could not be opened. Type it all on one line instead: {u}",
            u=line,
        )

    # --- listeners ------------------------------------------------------------------------
    def on_command(self, ack: Ack, body: dict[str, Any]) -> None:
        user, channel = body.get("user_id", ""), body.get("channel_id", "")
        trigger = body.get("trigger_id") or ""
        url = body.get("response_url") or ""
        # A DM is bound to no partnership: there the person's own partnership answers.
        home = self.home_partnership(user) if channel.startswith("D") else None
        ctx = self.context(
            user,
            channel,
            partnership=home,
            user_name=body.get("user_name", ""),
            forms=bool(trigger),
        )
        lang = ctx.preferred_lang()
        outcome = handle(body.get("text", "") or "", ctx)
        if isinstance(outcome, OpenForm):
            problem = self._open(trigger, outcome, channel, lang, url)
            ack() if problem is None else ack(response_type="ephemeral", text=problem)
        elif isinstance(outcome, Deferred):
            busy = self._finish(outcome, channel=channel, user=user, lang=lang, response_url=url)
            if busy is None:
                ack(response_type="ephemeral", **messages(outcome.ack)[0])
            else:
                ack(response_type="ephemeral", text=busy)
        else:
            outcome = self.poster.shaped(outcome, lang)
            parts = messages(outcome)
            ack(response_type="ephemeral" if outcome.ephemeral else "in_channel", **parts[0])
            if len(parts) > 1 or outcome.files:
                self.later(
                    outcome,
                    channel=channel,
                    user=user,
                    lang=lang,
                    response_url=url,
                    skip_first=True,
                )
        self.learn_locale(user)

    @staticmethod
    def ack_action(ack: Ack) -> None:
        """A click is acknowledged before anything else (Bolt runs `on_action` after it)."""
        ack()

    def on_action(self, body: dict[str, Any]) -> None:
        """A button, after its acknowledgement (a Bolt lazy listener): the command it stands
        for, a form to open (its trigger_id lives 3 s from the click, ack or not), or the
        slow work's reply."""
        user = (body.get("user") or {}).get("id", "")
        channel = (body.get("channel") or {}).get("id", "")
        action = (body.get("actions") or [{}])[0]
        trigger = body.get("trigger_id") or ""
        if not is_our_action(action.get("action_id", "")):
            return
        partnership = None if channel else self.home_partnership(user)
        ctx = self.context(user, channel, partnership=partnership, forms=bool(trigger))
        lang = ctx.preferred_lang()
        url = body.get("response_url") or ""
        # The button stands for a command line: the same path as typed text.
        outcome = handle(str(action.get("value") or ""), ctx)
        if isinstance(outcome, OpenForm):
            problem = self._open(trigger, outcome, channel, lang, url)
            if problem is not None:
                self.poster.tell(user, channel, problem, url)
        elif isinstance(outcome, Deferred):
            busy = self._finish(outcome, channel=channel, user=user, lang=lang, response_url=url)
            if busy is not None:
                self.poster.tell(user, channel, busy, url)
        else:
            self.later(
                outcome,
                channel=channel,
                user=user,
                lang=lang,
                response_url=url,
                placeholder=outcome.replace_original,
            )

    def on_options(self, ack: Ack, body: dict[str, Any]) -> None:
        """Type-ahead for a choice longer than a static select holds."""
        user = (body.get("user") or {}).get("id", "")
        view = body.get("view") or {}
        meta = modals.metadata(view)
        ctx = self.context(
            user, meta.get("channel", ""), partnership=meta.get("partnership"), forms=True
        )
        outcome = handle(modals.form_id(view.get("callback_id", "")), ctx)
        field = (
            next((f for f in outcome.form.fields if f.name == body.get("block_id")), None)
            if isinstance(outcome, OpenForm)
            else None
        )
        ack(options=modals.suggest(field, body.get("value", "")) if field else [])

    def on_view(self, ack: Ack, body: dict[str, Any]) -> None:
        view = body.get("view") or {}
        user = (body.get("user") or {}).get("id", "")
        meta = modals.metadata(view)
        channel = meta.get("channel", "")
        ctx = self.context(user, channel, partnership=meta.get("partnership"))
        values = modals.values(view)
        reply = submit(modals.form_id(view.get("callback_id", "")), values, ctx)
        if not reply.ok:
            block = reply.field if reply.field in values else next(iter(values), "")
            ack(response_action="errors", errors={block: _short(reply.plain())})
            return
        ack()
        target = channel or self.bound_channel(meta.get("partnership")) or ""
        url = meta.get("response_url", "")
        self.later(reply, channel=target, user=user, lang=ctx.preferred_lang(), response_url=url)

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

        self.work.submit(publish, on_failure=lambda: None, owner=user)
        self.learn_locale(user)

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
            found = memberships_of(session, "slack", user)
        return found[0][1].slug if found else None

    def close(self) -> None:
        """Finish the work in progress (SIGTERM): nothing acknowledged is dropped."""
        self.work.close()


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_app(
    runtime: Runtime, client: WebClient, *, slack: SlackSettings, socket_mode: bool = False
) -> tuple[App, SlackAdapter]:
    settings = runtime.settings
    app = App(
        client=client,
        signing_secret=slack.signing_secret,
        process_before_response=True,
        request_verification_enabled=not socket_mode,
        token_verification_enabled=True,
        logger=logging.getLogger("partnerbot.bolt"),
    )
    adapter = SlackAdapter(runtime, client)
    app.command(settings.command)(adapter.on_command)
    # Every click is acknowledged first, whatever it asks for; the work runs after (lazy).
    app.action(re.compile(r".*"))(ack=adapter.ack_action, lazy=[adapter.on_action])
    app.options(re.compile(r".*"))(adapter.on_options)
    app.view(re.compile(r"^pb_"))(adapter.on_view)
    app.event("app_home_opened")(adapter.on_home)
    return app, adapter
