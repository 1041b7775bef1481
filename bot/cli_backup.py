"""`partnerbot backup FILE` and `partnerbot restore FILE` (storage.backup does the work)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.runtime import StartupError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from config.settings import Settings

Say = Callable[[argparse.Namespace, str, str], str]
Where = Callable[["Engine"], str]


def run_backup(args: argparse.Namespace, engine: Engine, *, say: Say, where: Where) -> int:
    from sqlalchemy import inspect

    from storage.backup import backup

    if not inspect(engine).get_table_names():
        raise StartupError(
            say(
                args,
                f"DATABASE_URL: {where(engine)} har ingen tabeller; der er intet at tage backup af",
                f"DATABASE_URL: {where(engine)} has no tables; there is nothing to back up",
            )
        )
    try:
        checksum, rows = backup(engine, args.file)
    except OSError as exc:
        raise StartupError(f"FILE: cannot write {args.file}: {exc.strerror or exc}") from exc
    print(f"file: {args.file}")
    print(
        say(
            args,
            f"Backup af {where(engine)}: {rows} rækker, kontrolsum sha256 {checksum}.",
            f"Backup of {where(engine)}: {rows} rows, checksum sha256 {checksum}.",
        )
    )
    return 0


def run_restore(args: argparse.Namespace, settings: Settings, *, say: Say, where: Where) -> int:
    # Not through bot.runtime.start: it would sync the partnership files and upgrade the schema
    # first, and a backup must come back at its own revision before it is upgraded.
    from storage.backup import BackupProblem, restore
    from storage.db import make_engine

    if not args.file.is_file():
        raise StartupError(
            say(args, f"FILE: {args.file} findes ikke", f"FILE: {args.file} does not exist")
        )
    engine = make_engine(settings.database_url)
    try:
        rows = restore(engine, args.file, force=args.force)
    except BackupProblem as problem:
        print(say(args, problem.da, problem.en), file=sys.stderr)
        print(f"Database: {where(engine)}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(
        say(
            args,
            f"Indlæst i {where(engine)}: {rows} rækker fra {args.file}.",
            f"Restored into {where(engine)}: {rows} rows from {args.file}.",
        )
    )
    return 0
