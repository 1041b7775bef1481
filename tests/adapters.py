"""One harness over the three adapters, so that a command behaviour test reads the same for
the local shell, Slack and Teams: "this person types this line here" and "this is what they
see", as plain text. A difference between platforms is then a failing test.

Each chat goes through its real adapter, with what the platform really sends:
- **shell**: `bot.shell.run_shell` in process, a line on its stdin, its stdout read back;
  the person is `--user HANDLE` (`shell_context`), their language `--lang`.
- **Slack**: the Bolt app (`tests/slack_app.py`) with signed slash commands; replies are the
  command's acknowledgement plus whatever reached the fake Web API (`tests/fake_slack.py`)
  that the person can see (ephemerals for them, the channel's messages, their DM).
- **Teams**: the HTTP endpoint (`bot.teams.server`) with signed Bot Framework activities
  (`tests/teams_activities.py`) against the fake connector (`tests/fake_teams.py`); replies
  are the activities sent to the channel (any thread) and to the person's personal chat.

People are written in command lines as `{name}` and become each platform's own reference: a
shell handle `@anna`, a Slack mention `<@U0ANNA|anna>`, a Teams `<at>Anna</at>` with its
mention entity. Places: `wg` (the partnership's bound channel), `other` (a channel bound to
nothing) and `personal` (a direct chat with the bot). The shell has no channels: it serves the
one partnership wherever "here" is (DESIGN 3).

Markup is read away (`**`, `*`, backticks, HTML entities), so tests compare words and figures.
"""

from __future__ import annotations

import html
import io
import json
import re
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fake_slack import FakeSlack
from fake_slack_world import BOT as SLACK_BOT
from fake_teams import FakeTeams
from helpers import SLUG
from slack_app import ADMIN as SLACK_ADMIN
from slack_app import SlackBot, slack_runtime
from teams_activities import User as TeamsUser
from teams_activities import channel_message, personal_message, send, user

from bot.runtime import Runtime, start
from bot.shell import run_shell, shell_context
from bot.teams.app import TeamsAdapter
from bot.teams.server import TeamsServer
from bot.teams.settings import load_teams_settings
from bot.work import SlowWork
from config.settings import load_settings

PLATFORMS = ("shell", "slack", "teams")
PLACES = ("wg", "other", "personal")
WAIT_S = 30.0


@dataclass(frozen=True)
class Someone:
    """A person of the cast: their handle, number (for platform ids) and language."""

    name: str
    n: int
    lang: str  # "da" or "en": the shell's --lang, the Slack and Teams locale


CAST = {
    p.name: p
    for p in (
        Someone("admin", 1, "da"),  # PARTNERBOT_ADMINS on each platform (the shell: no --user)
        Someone("mette", 2, "da"),
        Someone("anna", 3, "da"),
        Someone("erik", 4, "en"),
        Someone("lise", 5, "da"),  # never registered
    )
}
PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_MARKUP = re.compile(r"\*\*|\*|`")


def plain(text: str) -> str:
    """Text as a reader takes it in: entities decoded, bold and code marks gone, runs of
    spaces as one (line breaks kept)."""
    text = _MARKUP.sub("", html.unescape(text)).replace("\xa0", " ")
    return "\n".join(" ".join(line.split()) for line in text.splitlines() if line.strip())


@dataclass
class Seen:
    """The answer to one line, as the person who typed it sees it."""

    text: str  # everything shown to them, plain (markup read away)
    # what everyone else in the channel sees of it; None in the shell, which has no one else
    public: str | None
    where: tuple[str, ...]  # where it was shown: "here" (where they typed), "personal"
    form: str = ""  # a form that opened instead (its title), "" if none

    def __contains__(self, words: str) -> bool:
        return words.lower() in self.text.lower()


def _idle(work: SlowWork, owners: tuple[str, ...], timeout: float = WAIT_S) -> None:
    """Until the slow work the answer queued (charts, posts after the ack) is done."""
    deadline = time.monotonic() + timeout
    while any(work.in_flight(o) for o in owners):
        assert time.monotonic() < deadline, "slow work did not finish"
        time.sleep(0.01)


class Chat(ABC):
    """A platform with the partnership's channel bound by the admin (through the adapter)."""

    platform: str
    prefix: str  # how commands are written on the platform: "/wg" or "@Partnerbot"

    @abstractmethod
    def say(self, who: str, line: str, where: str = "wg") -> Seen:
        """What `who` sees after typing `line` in `where` ("wg": the bound channel)."""

    @abstractmethod
    def close(self) -> None: ...

    @property
    @abstractmethod
    def runtime(self) -> Runtime: ...

    def written(self, line: str) -> str:
        """A command line as `help` writes it on this platform (`/wg x`, `@Partnerbot x`)."""
        return f"{self.prefix} {line}"

    def _people(self, line: str, refer: Callable[[Someone], str]) -> str:
        return PLACEHOLDER.sub(lambda m: refer(CAST[m.group(1)]), line)


# --- the shell -----------------------------------------------------------------------------


class ShellChat(Chat):
    platform = "shell"
    prefix = "/wg"

    def __init__(self, tmp: Path) -> None:
        settings = load_settings({})
        self._runtime = start(settings, database_url=f"sqlite:///{tmp / 'shell.db'}")
        self.out = tmp / "out"

    @property
    def runtime(self) -> Runtime:
        return self._runtime

    def say(self, who: str, line: str, where: str = "wg") -> Seen:
        person = CAST[who]
        handle = None if who == "admin" else person.name  # the local admin is no --user
        ctx = shell_context(self._runtime, SLUG, handle, lang=person.lang)
        text = self._people(line, lambda p: f"@{p.name}")
        stdout = io.StringIO()
        assert run_shell(ctx, self.out, stdin=io.StringIO(text + "\n"), stdout=stdout) == 0
        return Seen(plain(stdout.getvalue()), None, ("here",))

    def close(self) -> None:
        self._runtime.engine.dispose()


# --- Slack ---------------------------------------------------------------------------------


def slack_id(p: Someone) -> str:
    return SLACK_ADMIN if p.name == "admin" else f"U0{p.name.upper()}"


def _slack_text(message: dict[str, Any] | None, text: str = "", blocks: Any = None) -> str:
    """The readable text of a Slack message: its blocks where it has them, else its text."""
    if message is not None:
        text, blocks = message.get("text") or "", message.get("blocks")
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return "\n".join(_block_texts(blocks)) if blocks else text


def _block_texts(node: Any) -> list[str]:
    """Every `text` string in Block Kit, in order (section, context, header, button)."""
    if isinstance(node, dict):
        return [
            t
            for key, value in node.items()
            for t in ([value] if key == "text" and isinstance(value, str) else _block_texts(value))
        ]
    if isinstance(node, list):
        return [t for item in node for t in _block_texts(item)]
    return []


class SlackChat(Chat):
    platform = "slack"
    prefix = "/wg"

    def __init__(self, tmp: Path) -> None:
        everyone = {SLACK_BOT, *(slack_id(p) for p in CAST.values())}
        channels = {"C0WG": set(everyone), "C0OTHER": set(everyone)}
        locales = {slack_id(p): "da-DK" if p.lang == "da" else "en-GB" for p in CAST.values()}
        self.fake = FakeSlack(locales=locales, channels=channels).start()
        self._runtime = slack_runtime(self.fake, f"sqlite:///{tmp / 'slack.db'}")
        self.bot = SlackBot.build(self.fake, self._runtime)
        for p in CAST.values():
            self.fake.world.add_person(slack_id(p), p.name)
            self.bot.knows_locale(slack_id(p))

    @property
    def runtime(self) -> Runtime:
        return self._runtime

    def say(self, who: str, line: str, where: str = "wg") -> Seen:
        uid = slack_id(CAST[who])
        channel = {"wg": "C0WG", "other": "C0OTHER"}.get(where) or self.fake.world.dm(uid)
        text = self._people(line, lambda p: f"<@{slack_id(p)}|{p.name}>")
        posted, views = len(self.fake.posted()), len(self.fake.calls("views.open"))
        answer = self.bot.command(text, user=uid, channel=channel)
        assert answer.status == 200, answer
        _idle(self.bot.adapter.work, (uid, ""))
        shown: list[str] = []
        public: list[str] = []
        where_shown: list[str] = []
        if answer.body.get("text") or answer.body.get("blocks"):
            shown.append(_slack_text(answer.body))
            where_shown.append("here")
            if answer.body.get("response_type") == "in_channel":
                public.append(shown[-1])
        dm = self.fake.world.dms.get(uid)
        for p in self.fake.posted()[posted:]:
            if p.only_for not in (None, uid):
                continue
            text_ = _slack_text(None, p.text, p.blocks)
            shown.append(text_)
            where_shown.append("personal" if p.channel == dm and channel != dm else "here")
            if p.only_for is None and p.channel == channel and channel != dm:
                public.append(text_)
        form = ""
        for call in self.fake.calls("views.open")[views:]:
            view = call.arg("view")
            view = json.loads(view) if isinstance(view, str) else view
            form = view["title"]["text"]
            shown.append(form)
            where_shown.append("here")
        return Seen(
            plain("\n".join(shown)),
            plain("\n".join(public)),
            tuple(dict.fromkeys(where_shown)),
            form,
        )

    def close(self) -> None:
        self.bot.close()
        self.fake.stop()
        self._runtime.engine.dispose()


# --- Teams ---------------------------------------------------------------------------------

TEAMS_WG = "19:wg-tingbjerg@thread.tacv2"  # as teams_activities.CHANNEL
TEAMS_OTHER = "19:other-channel@thread.tacv2"


def teams_user(p: Someone) -> TeamsUser:
    # One word, as the shell's handle capitalised, so names read alike on every platform.
    return user(100 + p.n, p.name.capitalize(), locale="da-DK" if p.lang == "da" else "en-GB")


class TeamsChat(Chat):
    platform = "teams"
    prefix = "@Partnerbot"

    def __init__(self, tmp: Path) -> None:
        self.fake = FakeTeams().start()
        admin = teams_user(CAST["admin"])
        settings = load_settings(
            {"PARTNERBOT_ADMINS": admin.aad, "PARTNERBOT_PUBLIC_URL": "https://bot.example.dk"}
        )
        self._runtime = start(settings, database_url=f"sqlite:///{tmp / 'teams.db'}")
        self.adapter = TeamsAdapter(self._runtime, load_teams_settings(self.fake.settings_env()))
        self.server = TeamsServer(self.adapter, host="127.0.0.1", port=0).start()
        for p in CAST.values():
            u = teams_user(p)
            self.fake.add_member(u.id, u.aad, u.name, u.tenant)

    @property
    def runtime(self) -> Runtime:
        return self._runtime

    def say(self, who: str, line: str, where: str = "wg") -> Seen:
        asker = teams_user(CAST[who])
        mentioned: list[TeamsUser] = []

        def refer(p: Someone) -> str:
            mentioned.append(teams_user(p))
            return f"@{len(mentioned) - 1}"

        text = self._people(line, refer)
        if where == "personal":
            assert not mentioned, "the harness mentions people in channels only"
            activity = personal_message(self.fake, asker, text)
        else:
            channel = TEAMS_WG if where == "wg" else TEAMS_OTHER
            activity = channel_message(
                self.fake, asker, text, channel=channel, mentions=tuple(mentioned)
            )
        posted = len(self.fake.posted())
        status, _ = send(f"{self.server.url}/api/messages", self.fake, activity)
        assert status == 200, status
        _idle(self.adapter.work, ("",))
        here = activity["conversation"]["id"].split(";", 1)[0]
        mine = asker.id.removeprefix("29:")
        shown: list[str] = []
        public: list[str] = []
        where_shown: list[str] = []
        for rec in self.fake.posted()[posted:]:
            conversation = rec.conversation
            if conversation.startswith("a:") and mine in conversation:
                place = "here" if where == "personal" else "personal"
            elif where != "personal" and conversation.startswith(here):
                place = "here"
                public.append(rec.text)
            else:
                continue  # someone else's chat, another channel
            shown.append(rec.text)
            where_shown.append(place)
        launcher = next((t for t in shown if "Open the form" in t or "Åbn formular" in t), "")
        return Seen(
            plain("\n".join(shown)),
            plain("\n".join(public)) if where != "personal" else "",
            tuple(dict.fromkeys(where_shown)),
            plain(launcher),
        )

    def close(self) -> None:
        self.server.stop()
        self.fake.stop()
        self._runtime.engine.dispose()


def open_chat(platform: str, tmp: Path) -> Chat:
    chat: Chat = {"shell": ShellChat, "slack": SlackChat, "teams": TeamsChat}[platform](tmp)
    return chat


SETUP = (
    "member add {mette} org=okf role=chair",
    "member add {anna} org=sof role=member",
    "member add {erik} org=bif role=member",
    'activity add PF1 "Natteravne" area=tryggere-byliv org=sof',
    'activity add UB2 "Jobcafé" area=uddannelse-beskaeftigelse org=bif',
)


def set_up(chat: Chat) -> None:
    """The partnership's channel bound (the shell needs no binding) and a small cast, each
    step typed by the admin through the adapter: chair Mette (okf), members Anna (sof, Danish)
    and Erik (bif, English), activities PF1 (sof) and UB2 (bif). Lise is never registered."""
    if chat.platform != "shell":
        bound = chat.say("admin", f"bind {SLUG}")
        assert "Tingbjerg-Husum" in bound, bound
    for line in SETUP:
        seen = chat.say("admin", line)
        assert "Gemt" in seen, (line, seen)
