"""What the fake Slack knows of its workspace: people, channels, who is in them, what was posted.

The real Web API refuses what our first fake accepted, and the product must be tested against
the refusals (issue 9): a bot may post only into channels it was invited to (`not_in_channel`),
a DM between two people is invisible to it (`channel_not_found`), a view with an empty select or
101 options is `invalid_arguments`, a `trigger_id` works once. This module holds that state and
those rules; tests/fake_slack.py serves them over HTTP.

The rules follow Slack's documented limits (api.slack.com/reference/block-kit, methods' error
lists); where Slack is vaguer than a rule here, the stricter reading is taken.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

BOT = "UBOT"


@dataclass
class Posted:
    """A message as people see it: where, what, for whom (ephemeral), and its metadata."""

    channel: str
    ts: str
    text: str
    blocks: list[dict]
    metadata: dict | None = None
    only_for: str | None = None  # an ephemeral message's one reader
    via: str = "chat.postMessage"
    thread_ts: str | None = None
    files: list[str] = field(default_factory=list)


def _default_channels() -> dict[str, set[str]]:
    # C0WG, C0OTHER and C1 are channels the bot was invited to; C0NONE exists without it.
    people = {"U0ANNA", "U0ERIK", "U0BO", "U0LISE", "U0METTE"}
    return {"C0WG": {BOT, *people}, "C0OTHER": {BOT, *people}, "C1": {BOT, *people},
            "C0NONE": set(people)}  # fmt: skip


class Workspace:
    """Channels and their members, people, and every message posted (for assertions)."""

    def __init__(self, channels: dict[str, set[str]] | None = None) -> None:
        self.channels = _default_channels() if channels is None else channels
        self.people: dict[str, dict[str, str]] = {}  # id -> {"name", "real_name"}
        self.posted: list[Posted] = []
        self._dm_ids = itertools.count(1)
        self.dms: dict[str, str] = {}  # user -> the bot's DM channel with them
        self.used_triggers: set[str] = set()
        self.expired_triggers: set[str] = set()

    # --- set-up by tests ------------------------------------------------------------------

    def add_person(self, uid: str, name: str, real_name: str = "") -> None:
        self.people[uid] = {"name": name, "real_name": real_name or name.title()}

    def invite(self, channel: str, *users: str) -> None:
        self.channels.setdefault(channel, set()).update(users or (BOT,))

    def remove(self, channel: str, *users: str) -> None:
        self.channels.get(channel, set()).difference_update(users or (BOT,))

    # --- rules ----------------------------------------------------------------------------

    def dm(self, user: str) -> str:
        """The bot's own DM with `user` (conversations.open, or posting to a user id)."""
        if user not in self.dms:
            self.dms[user] = f"D{next(self._dm_ids):07d}"
            self.channels[self.dms[user]] = {BOT, user}
        return self.dms[user]

    def resolve(self, channel: str) -> str:
        """Slack accepts a user id as `channel` for the bot's DM with that person."""
        return self.dm(channel) if channel.startswith(("U", "W")) else channel

    def post_error(self, channel: str, *, ephemeral_to: str | None = None) -> str | None:
        """Why the bot may not post here, as Slack's error code, or None."""
        members = self.channels.get(channel)
        if members is None or (channel.startswith("D") and BOT not in members):
            return "channel_not_found"  # unknown, or a DM between two other people
        if BOT not in members:
            return "not_in_channel"
        if ephemeral_to is not None and ephemeral_to not in members:
            return "user_not_in_channel"
        return None

    def trigger_error(self, trigger_id: str) -> str | None:
        if trigger_id in self.expired_triggers:
            return "expired_trigger_id"
        if trigger_id in self.used_triggers:
            return "exchanged_trigger_id"
        self.used_triggers.add(trigger_id)
        return None

    def history(self, channel: str) -> list[Posted]:
        """Channel messages newest first, as conversations.history returns them."""
        found = [p for p in self.posted if p.channel == channel and p.only_for is None]
        return sorted(found, key=lambda p: p.ts, reverse=True)

    def seen_by(self, user: str, channel: str | None = None) -> list[Posted]:
        """What `user` can read (in `channel`): channel messages and ephemerals for them."""
        return [
            p
            for p in self.posted
            if (channel is None or p.channel == channel)
            and (p.only_for in (None, user))
            and user in self.channels.get(p.channel, set())
        ]


# --- Block Kit validation (what Slack answers with invalid_blocks / invalid_arguments) ---------


def _text_len(obj: Any) -> int:
    return len(obj.get("text", "")) if isinstance(obj, dict) else 0


def _element_errors(element: dict) -> list[str]:
    kind = element.get("type")
    errors = []
    if kind in ("static_select", "multi_static_select"):
        options = element.get("options")
        groups = element.get("option_groups")
        if options is not None and not 1 <= len(options) <= 100:
            errors.append(f"{kind} needs 1 to 100 options, got {len(options)}")
        if options is None and groups is None:
            errors.append(f"{kind} without options")
        for option in options or []:
            if _text_len(option.get("text")) > 75 or len(option.get("value", "")) > 150:
                errors.append("option text over 75 or value over 150 characters")
    long_button = _text_len(element.get("text")) > 75 or len(element.get("value", "")) > 2000
    if kind == "button" and long_button:
        errors.append("button text over 75 or value over 2000 characters")
    if len(element.get("action_id", "")) > 255:
        errors.append("action_id over 255 characters")
    return errors


def block_errors(blocks: list[dict], *, limit: int) -> list[str]:
    """Every reason Slack would refuse these blocks (empty when they are valid)."""
    errors = [f"{len(blocks)} blocks, at most {limit}"] if len(blocks) > limit else []
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    if len(ids) != len(set(ids)):
        errors.append("duplicate block_id")
    for block in blocks:
        kind = block.get("type")
        if kind == "section" and _text_len(block.get("text")) > 3000:
            errors.append("section text over 3000 characters")
        if kind == "section" and any(_text_len(f) > 2000 for f in block.get("fields", [])):
            errors.append("section field over 2000 characters")
        if kind == "header" and _text_len(block.get("text")) > 150:
            errors.append("header text over 150 characters")
        if kind == "input":
            if "label" not in block or "element" not in block:
                errors.append("input block without label or element")
            else:
                errors += _element_errors(block["element"])
        for element in block.get("elements", []) if kind == "actions" else []:
            errors += _element_errors(element)
        if kind == "section" and isinstance(block.get("accessory"), dict):
            errors += _element_errors(block["accessory"])
    return errors


def view_errors(view: dict) -> list[str]:
    """Why views.open/update/publish would refuse `view`."""
    errors = block_errors(view.get("blocks", []), limit=100)
    if view.get("type") == "modal":
        if not view.get("title") or _text_len(view.get("title")) > 24:
            errors.append("modal title missing or over 24 characters")
        if _text_len(view.get("submit")) > 24 or _text_len(view.get("close")) > 24:
            errors.append("submit/close over 24 characters")
        inputs = any(b.get("type") == "input" for b in view.get("blocks", []))
        if inputs and not view.get("submit"):
            errors.append("a modal with inputs needs a submit button")
    if len(view.get("private_metadata", "")) > 3000:
        errors.append("private_metadata over 3000 characters")
    if len(view.get("callback_id", "")) > 255:
        errors.append("callback_id over 255 characters")
    return errors
