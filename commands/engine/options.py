"""Reading `key=value` options that have English and Danish spellings."""

from __future__ import annotations

from commands.engine.parse import Args


def opt(args: Args, *names: str) -> str | None:
    """The value of the first of `names` given (e.g. opt(args, "area", "område"))."""
    for name in names:
        if name in args.options:
            return args.options[name].strip()
    return None


def keys(*names: str) -> frozenset[str]:
    return frozenset(names)
