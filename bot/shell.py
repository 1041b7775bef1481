"""The local chat: one message per line from stdin, each reply printed as plain text.

Files a reply carries (PNG, PDF, ICS, CSV) are written to the output directory and their path
printed on its own line as `file: PATH`. Lines starting with `#` are comments (for scripts).
The shell is an adapter like Slack: it calls the same entry (`handle`) and, having no forms
and nothing to acknowledge, gets plain replies; reminders print between replies.
"""

from __future__ import annotations

import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot.adapter import Landed
from commands.engine.context import Context
from commands.engine.reply import Reply
from commands.engine.run import Deferred, OpenForm, handle

if TYPE_CHECKING:
    from bot.runtime import Runtime

_print_lock = threading.Lock()
PROMPT = "wg> "


def shell_context(
    runtime: Runtime, slug: str, user: str | None, *, lang: str | None = None
) -> Context:
    """Who types in the shell: `--user HANDLE` acts as that member (an admin if the handle is
    in PARTNERBOT_ADMINS), no `--user` is the local admin; `--lang` beats every preference."""
    handle = user or "local"
    return Context(
        engine=runtime.engine,
        partnerships=runtime.partnerships,
        platform="shell",
        channel="local",
        user=handle.removeprefix("@").lower(),  # shell handles are case-insensitive
        user_name=handle,
        # case-insensitive like the handle itself: `--user @Root` is the admin `root`
        is_admin=user is None
        or handle.removeprefix("@").lower()
        in {a.removeprefix("@").lower() for a in runtime.settings.admins},
        lang=lang,
        partnership=slug,
        local_files=True,
        command=runtime.settings.command,
    )


def write_files(reply: Reply, out_dir: Path) -> list[Path]:
    written = []
    for item in reply.files:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / Path(item.name).name  # never let a name escape the directory
        path.write_bytes(item.data)
        written.append(path)
    return written


BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def render(reply: Reply, out_dir: Path) -> str:
    """What the console shows: the plain text without the bold markers (a terminal has no
    bold worth the escape codes), the buttons as labels, and where each file was written."""
    lines = [BOLD.sub(r"\1", reply.plain())] if reply.blocks else []
    if reply.buttons:
        lines.append("[" + "] [".join(b.label for b in reply.buttons) + "]")
    lines += [f"file: {path}" for path in write_files(reply, out_dir)]
    return "\n".join(lines)


def answer(text: str, ctx: Context) -> Reply:
    """The shell's outcome is always a reply: it has no forms and answers synchronously."""
    outcome = handle(text, ctx)
    if isinstance(outcome, Deferred):
        return outcome.finish()
    if isinstance(outcome, OpenForm):  # not offered (ctx.caps.forms is off); be safe anyway
        return Reply.error(outcome.form.title)
    return outcome


class ShellAdapter:
    """Reminders in the local console, whatever channel they are bound to."""

    platform = "shell"
    receives_all = True

    def __init__(
        self,
        out: TextIO = sys.stdout,
        out_dir: Path = Path("partnerbot-out"),
        prompt: str = "",
    ) -> None:
        self.out = out
        self.out_dir = out_dir
        self.prompt = prompt  # drawn again after a reminder, which lands where the prompt was

    def post(self, channel: str, reply: Reply) -> None:
        with _print_lock:
            print(f"\n⏰ {render(reply, self.out_dir)}\n", file=self.out, flush=True)
            if self.prompt:
                print(self.prompt, end="", file=self.out, flush=True)

    def post_once(self, channel: str, reply: Reply, *, key: str, look: bool) -> Landed:
        """A console cannot lose an answer: printing is the delivery."""
        self.post(channel, reply)
        return Landed()


def run_shell(
    ctx: Context,
    out_dir: Path,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
    banner: str | None = None,
) -> int:
    interactive = stdin.isatty()
    if interactive and banner:
        print(banner, file=stdout)
    while True:
        if interactive:
            print(PROMPT, end="", file=stdout, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        if interactive and text.lower() in {"quit", "exit", "afslut"}:
            break
        shown = render(answer(text, ctx), out_dir)
        with _print_lock:
            print(shown, file=stdout, flush=True)
            if not interactive:
                print(file=stdout, flush=True)  # a blank line between replies in a transcript
    return 0
