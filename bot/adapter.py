"""What every chat adapter offers the shared orchestration (DESIGN section 4).

An adapter turns its platform's requests into a `Context` and text (or a form's values) for
`commands.engine.run.handle`/`submit`, renders the outcome, and implements this small protocol
for what the bot sends on its own: reminders and the results of slow work. Adding a platform
means a package under `bot/` implementing it, and nothing in `commands/`.
"""

from __future__ import annotations

from typing import Protocol

from commands.engine.reply import Reply


class Adapter(Protocol):
    platform: str  # the `channel_bindings.platform` value whose channels this adapter posts to
    # True for the local shell: it shows every reminder, bound channel or not.
    receives_all: bool

    def post(self, channel: str, reply: Reply) -> None:
        """Post a reply (messages and files) into a channel; raises when it cannot."""
        ...
