"""The one exception a command raises to refuse: its text is the reply, nothing is saved."""

from __future__ import annotations


class CommandError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
