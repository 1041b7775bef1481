"""Helpers the tests share (imported as `helpers`; fixtures stay in conftest.py)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from commands.engine.context import Context
from commands.engine.reply import Reply
from commands.engine.run import run_command
from config.partnership import Partnership as Spec
from config.settings import SettingsError

SLUG = "tingbjerg-husum"
# The partnership file's organisations, in its order
ORGS = ("okf", "sof", "buf", "tmf", "bif", "suf", "kff", "politi", "ssp", "fsb", "sab-kab", "aab")
REPO = Path(__file__).resolve().parents[1]

# Files every `partnerbot export` writes, among others
EXPORT_FILES = {
    "members.csv",
    "activities.csv",
    "activity_updates.csv",
    "assessments.csv",
    "indicator_values.csv",
    "meetings.csv",
    "audit_events.csv",
}

CtxFactory = Callable[..., Context]


def clean_env(**settings: str) -> dict[str, str]:
    """The environment for a child process of ours: this one's without any bot setting
    (PARTNERBOT_*, SLACK_*, DATABASE_URL, PORT), our code on PYTHONPATH, then `settings`."""
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PARTNERBOT_", "SLACK_", "DATABASE_URL", "PORT"))
    }
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), environ.get("PYTHONPATH")]))
    return environ | settings


def run_cli(
    args: list[str], cwd: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """`partnerbot ARGS` as a user runs it: a real process, settings only from `env`."""
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        text=True,
        capture_output=True,
        cwd=cwd,
        env=clean_env(**env),
        timeout=120,
        check=False,
    )


def shell_ctx(
    engine: Engine,
    specs: dict[str, Spec],
    user: str = "local",
    *,
    admin: bool = False,
    lang: str | None = "en",
    local_files: bool = True,
    **extra: object,
) -> Context:
    """A caller in the shell, in the test partnership."""
    return Context(
        engine=engine,
        partnerships=specs,
        platform="shell",
        channel="local",
        user=user,
        user_name=user,
        is_admin=admin,
        lang=lang,
        partnership=SLUG,
        local_files=local_files,
        **extra,
    )  # type: ignore[arg-type]


def assert_setting_refused(
    load: Callable[[dict[str, str]], object], env: dict[str, str], name: str
) -> None:
    """A bad setting stops `load` with one line that starts with the variable's name."""
    with pytest.raises(SettingsError) as err:
        load(env)
    assert str(err.value).startswith(f"{name}:") and "\n" not in str(err.value)


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


def cast_at(engine: Engine, make_ctx: Callable[[Engine], CtxFactory], now: dt.datetime):
    """The small cast (setup_people) and a maker of their contexts at `now` (or `clock=`):
    `ctx("anna")`, `ctx(lang="da")`, `ctx(clock=earlier)`."""
    make = make_ctx(engine)
    setup_people(engine, make)

    def ctx(user: str = "chair", clock: dt.datetime = now, **extra: object) -> Context:
        return make(user, clock=lambda: clock, **extra)

    return ctx
