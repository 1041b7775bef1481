"""What every chat adapter offers the shared orchestration (DESIGN section 4).

An adapter turns its platform's requests into a `Context` and text (or a form's values) for
`commands.engine.run.handle`/`submit`, renders the outcome, and implements this small protocol
for what the bot sends on its own: reminders and the results of slow work. Adding a platform
means a package under `bot/` implementing it, and nothing in `commands/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from commands.engine.reply import Reply


@dataclass(frozen=True)
class Landed:
    """A reminder that reached a channel: the platform's id of the message (where it gives
    one), and whether it was found there from an earlier attempt instead of posted now."""

    ref: str = ""
    found: bool = False


class Adapter(Protocol):
    platform: str  # the `channel_bindings.platform` value whose channels this adapter posts to
    # True for the local shell: it shows every reminder, bound channel or not.
    receives_all: bool

    def post(self, channel: str, reply: Reply) -> None:
        """Post a reply (messages and files) into a channel; raises when it cannot."""
        ...

    def post_once(self, channel: str, reply: Reply, *, key: str, look: bool) -> Landed:
        """Post a reminder carrying its idempotency key. `look`: an earlier attempt may have
        reached the platform (a timeout, a crash after posting): look for `key` in the channel
        first where the platform allows it, and post only what is not there."""
        ...
