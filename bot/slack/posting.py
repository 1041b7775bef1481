"""Posting replies into Slack, and what reaches the person where Slack refuses the bot.

A reply's messages are posted at the channel's pace and its files uploaded (text and charts as
one message where they can be). Where the bot may not post — not invited, a DM between two
people — the answer goes through the command's `response_url`, else into the person's DM with
the bot (bot/slack/reach.py has the rules and the words).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.pacing import Pacer
from bot.slack import reach
from bot.slack.render import comment_text, messages
from commands.engine.reply import FileOut, Note, Reply

log = logging.getLogger("partnerbot.slack")


@dataclass(frozen=True)
class Where:
    """Where a reply goes, and what reaches the person when the channel refuses the bot."""

    channel: str
    user: str
    lang: str
    response_url: str = ""
    placeholder: bool = False  # the ack said "Et øjeblik …": the answer replaces it


def _with_note(reply: Reply, text: str) -> Reply:
    return replace(reply, blocks=[*reply.blocks, Note(text)])


def _files(reply: Reply, files: list[FileOut]) -> Reply:
    return replace(reply, files=files)


class Poster:
    """Posts replies for the adapter: messages, files, and the ways round a refusing channel."""

    def __init__(self, client: WebClient, pacer: Pacer) -> None:
        self.client = client
        self.pacer = pacer
        self.responses = reach.ResponseUrls()

    def deliver(
        self,
        reply: Reply,
        *,
        channel: str,
        user: str,
        skip_first: bool = False,
        lang: str = "da",
        response_url: str = "",
        placeholder: bool = False,
    ) -> None:
        """Post a reply's messages and upload its files (files_upload_v2 needs a channel id).

        Where the bot may not post (not invited, a DM between two people), the person who
        asked still gets the answer: through `response_url`, else in a DM with the bot
        (`bot.slack.reach`). `placeholder`: the acknowledgement said "Et øjeblik …", and the
        answer replaces it."""
        where = Where(channel, user, lang, response_url, placeholder)
        if user and not skip_first:  # else the first part went in the ack, already shaped
            reply = self.shaped(reply, lang)
        payloads = messages(reply)[1:] if skip_first else messages(reply)
        comment = comment_text(reply) if reply.files and not skip_first else None
        if comment is not None and not reply.ephemeral and channel:
            # Text and charts as one message, in one upload: no per-message pace to wait for.
            try:
                self._upload_together(channel, reply.files, comment)
            except SlackApiError as exc:
                if not (reach.unreachable(exc) and user):
                    raise
                self._elsewhere(where, payloads, reply, over_placeholder=placeholder)
            return
        sent = 0
        try:
            for message in payloads:
                if reply.ephemeral and channel and user:
                    self.client.chat_postEphemeral(channel=channel, user=user, **message)
                else:
                    target = channel or user
                    self.pacer.wait(target)
                    self.client.chat_postMessage(channel=target, **message)
                sent += 1
        except SlackApiError as exc:
            if not (reach.unreachable(exc) and user):
                raise
            # A personal reply's files go to the DM anyway; a channel's cannot follow its text.
            shared = [] if reply.ephemeral else reply.files
            first = placeholder and sent == 0
            self._elsewhere(where, payloads[sent:], _files(reply, shared), over_placeholder=first)
            if not reply.ephemeral:
                return
        self._upload(reply, where)

    def shaped(self, reply: Reply, lang: str) -> Reply:
        """What Slack's posting rules change in a reply: a personal reply's files go to the
        person's DM, and the reply says so."""
        if reply.files and reply.ephemeral:
            return _with_note(reply, reach.sent_to_dm(lang))
        return reply

    def _upload(self, reply: Reply, where: Where) -> None:
        if not reply.files:
            return
        if reply.ephemeral and where.user:
            # A personal request's file is the person's alone (the text was ephemeral too).
            target = self.client.conversations_open(users=where.user)["channel"]["id"]
        else:
            target = where.channel or where.user
        for n, item in enumerate(reply.files):
            self.pacer.wait(target)
            try:
                self._upload_one(target, item)
            except SlackApiError as exc:
                if not (reach.unreachable(exc) and where.user) or target != where.channel:
                    raise
                rest = _files(reply, reply.files[n:])
                self._elsewhere(where, [], rest, over_placeholder=False)
                return

    def _upload_together(self, target: str, files: list[FileOut], comment: str) -> None:
        self.pacer.wait(target)
        self.client.files_upload_v2(
            channel=target,
            initial_comment=comment,
            file_uploads=[
                {
                    "content": item.data,
                    "filename": item.name,
                    "title": item.title or item.name,
                    "alt_txt": item.alt or None,
                }
                for item in files
            ],
        )

    def _upload_one(self, target: str, item: FileOut) -> None:
        self.client.files_upload_v2(
            channel=target,
            content=item.data,
            filename=item.name,
            title=item.title or item.name,
            alt_txt=item.alt or None,
        )

    def _elsewhere(
        self,
        where: Where,
        payloads: list[dict[str, Any]],
        reply: Reply,
        *,
        over_placeholder: bool,
    ) -> None:
        """The channel refused the bot: answer through response_url (files cannot go that way:
        say how to get them), else in the person's DM with the bot (files included)."""
        kind = "ephemeral" if reply.ephemeral else "in_channel"
        answers = [{**m, "response_type": kind} for m in payloads]
        if reply.files:
            hint = reach.files_hint(where.lang, where.channel)
            answers.append({"text": hint, "response_type": "ephemeral"})
        if answers and over_placeholder:
            answers[0]["replace_original"] = True
        done = 0
        if self.responses.left(where.response_url) >= len(answers):
            try:
                for answer in answers:
                    self.responses.send(where.response_url, answer)
                    done += 1
                return
            except (reach.ResponseUrlFailed, OSError) as exc:
                log.warning("response_url failed: %s", exc)
        rest = payloads[done:]
        files = reply.files if done <= len(payloads) else []
        if not rest and not files:
            return
        log.info("answering %s in a DM: the channel and response_url refused", where.user)
        self.client.chat_postMessage(channel=where.user, text=reach.not_here_hint(where.lang))
        for message in rest:
            self.pacer.wait(where.user)
            self.client.chat_postMessage(channel=where.user, **message)
        if files:
            dm = self.client.conversations_open(users=where.user)["channel"]["id"]
            for item in files:
                self.pacer.wait(dm)
                self._upload_one(dm, item)

    def tell(self, user: str, channel: str, text: str, response_url: str = "") -> None:
        """A short notice for the person alone: ephemeral where they are, else through
        response_url, else in their DM with the bot."""
        ways = []
        if channel:
            ways.append(
                lambda: self.client.chat_postEphemeral(channel=channel, user=user, text=text)
            )
        if self.responses.left(response_url):
            ways.append(
                lambda: self.responses.send(
                    response_url, {"text": text, "response_type": "ephemeral"}
                )
            )
        ways.append(lambda: self.client.chat_postMessage(channel=user, text=text))
        for way in ways:
            try:
                way()
                return
            except (SlackApiError, reach.ResponseUrlFailed, OSError) as exc:
                log.info("telling %s one way failed: %s", user, exc)
        log.warning("could not tell %s about a failure", user)
