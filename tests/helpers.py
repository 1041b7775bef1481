"""Helpers the tests share (imported as `helpers`; fixtures stay in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from commands.engine.context import Context
from commands.engine.reply import Reply
from commands.engine.run import run_command

SLUG = "tingbjerg-husum"
REPO = Path(__file__).resolve().parents[1]

CtxFactory = Callable[..., Context]


def run_cli(
    args: list[str], cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """`partnerbot ARGS` as a user runs it: a real process, settings only from `env`."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PARTNERBOT_", "SLACK_", "DATABASE_URL", "PORT"))
    }
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environ.get("PYTHONPATH")]))
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=cwd,
        env=environ,
        timeout=120,
        check=False,
    )


def run(ctx: Context, text_: str) -> Reply:
    return run_command(text_, ctx)


def table_snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table: equal snapshots mean nothing changed."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            rows = conn.execute(table.select().order_by(*table.primary_key.columns)).all()
            out[table.name] = [tuple(r) for r in rows]
    return out


def setup_people(engine: Engine, make: CtxFactory) -> None:
    """A small cast: chair (okf), secretariat (okf), members of sof and politi, steering (fsb)."""
    admin = make("root", admin=True)
    for line in (
        "member add @chair org=okf role=chair",
        "member add @sekr org=okf role=secretariat",
        "member add @anna org=sof role=member",
        "member add @bo org=politi role=member lang=da",
        "member add @styr org=fsb role=steering",
        'activity add PF1 "Natteravne" area=tryggere-byliv org=sof criteria="20 ravne" '
        "budget=250000",
        'activity add UB2 "Jobcafé" area=uddannelse-beskaeftigelse org=bif',
    ):
        reply = run_command(line, admin)
        assert reply.ok, (line, reply.plain())
