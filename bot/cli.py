"""The `partnerbot` command: shell, serve, teams-package, db upgrade, import, export, report."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot import logs
from bot.runtime import Runtime, StartupError, start

# Nothing heavy at module level: `--help` answers without loading pydantic or the database
# layer, and each command imports what it uses (DESIGN section 7: a CLI command that draws
# nothing answers in 0.5 s).
if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from commands.engine.context import Context
    from config.settings import Settings


DEFAULT_OUT = Path("partnerbot-out")
DEMO_DB = "demo.db"
DEMO_HELP = "use the demo database `partnerbot shell --demo` made"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnerbot", description="Partnerbot: the safety partnership's coordination bot."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    shell = sub.add_parser("shell", help="the local chat (no Slack needed)")
    shell.add_argument("--partnership", metavar="SLUG")
    shell.add_argument("--user", metavar="HANDLE", help="act as this registered member")
    shell.add_argument("--lang", choices=("da", "en"))
    shell.add_argument(
        "--demo", action="store_true", help="use a demo database filled with synthetic data"
    )
    shell.add_argument(
        "--out",
        metavar="DIR",
        default="partnerbot-out",
        type=Path,
        help="where files are written (default ./partnerbot-out)",
    )

    serve = sub.add_parser(
        "serve", help="run in Slack (SLACK_BOT_TOKEN) and/or Microsoft Teams (TEAMS_APP_ID)"
    )
    serve.add_argument("--host", default="0.0.0.0", help="HTTP: address to listen on")

    package = sub.add_parser("teams-package", help="write the Teams app package to upload")
    package.add_argument("--out", metavar="FILE.zip", type=Path, required=True)

    db = sub.add_parser("db", help="database maintenance")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply schema migrations")

    imp = sub.add_parser("import", help="import indicator values from a CSV/XLSX file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--partnership", metavar="SLUG")
    imp.add_argument("--lang", choices=("da", "en"))
    imp.add_argument("--demo", action="store_true", help=DEMO_HELP)

    rep = sub.add_parser("report", help="write the annual status report as PDF or DOCX")
    rep.add_argument("year", type=int)
    rep.add_argument(
        "--out", metavar="FILE.pdf|FILE.docx", type=Path, required=True,
        help="a .docx name writes the editable Word document",
    )  # fmt: skip
    rep.add_argument("--partnership", metavar="SLUG")
    rep.add_argument("--lang", choices=("da", "en"))
    rep.add_argument("--demo", action="store_true", help=DEMO_HELP)

    exp = sub.add_parser(
        "export", help="write all data as CSV files (one per table) or as one XLSX workbook"
    )
    exp.add_argument("dir", metavar="DIR|FILE.xlsx", type=Path)
    exp.add_argument(
        "--excel-da",
        action="store_true",
        help="CSV separated by ';' with decimal commas, as Danish Excel opens it",
    )
    exp.add_argument("--lang", choices=("da", "en"))
    exp.add_argument("--demo", action="store_true", help=DEMO_HELP)

    bak = sub.add_parser("backup", help="write everything (every table, the schema) to one file")
    bak.add_argument("file", metavar="FILE", type=Path)
    bak.add_argument("--lang", choices=("da", "en"))
    bak.add_argument("--demo", action="store_true", help=DEMO_HELP)

    res = sub.add_parser("restore", help="load a backup into an empty database")
    res.add_argument("file", metavar="FILE", type=Path)
    res.add_argument("--force", action="store_true", help="replace the data already there")
    res.add_argument("--lang", choices=("da", "en"))
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from config.partnership import PartnershipConfigError
    from config.settings import SettingsError, load_settings

    logs.setup(os.environ.get("LOG_LEVEL", "WARNING"))
    try:
        settings = load_settings()
        return _dispatch(args, settings)
    except (SettingsError, StartupError, PartnershipConfigError) as exc:
        print(f"partnerbot: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader stopped (`| head`): not our error. Point stdout at /dev/null so Python's
        # final flush does not fail again (as the signal module's documentation advises).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "shell":
        return _shell(args, settings)
    if args.command == "serve":
        return _serve(args, settings)
    if args.command == "teams-package":
        return _teams_package(args, settings)
    if args.command == "db":
        from storage import migrate
        from storage.db import make_engine

        engine = make_engine(settings.database_url)
        migrate.upgrade(engine)
        print(f"{where(engine)}: database at schema {migrate.current_revision(engine)}")
        return 0
    if args.command == "import":
        return _import(args, settings)
    if args.command == "report":
        return _report(args, settings)
    if args.command == "export":
        return _export(args, settings)
    if args.command in ("backup", "restore"):
        from bot.cli_backup import run_backup, run_restore

        if args.command == "backup":
            # Not through start() unless --demo: a database behind the code's schema is backed
            # up as it is (the backup to take before `partnerbot db upgrade`).
            from storage.db import make_engine

            engine = (
                _cli_runtime(args, settings).engine
                if args.demo
                else make_engine(settings.database_url)
            )
            return run_backup(args, engine, say=_say, where=where)
        return run_restore(args, settings, say=_say, where=where)
    return 2


def _say(args: argparse.Namespace, da: str, en: str) -> str:
    """The CLI's own words: English with `--lang en`, else Danish (the partnerships' language)."""
    return en if getattr(args, "lang", None) == "en" else da


def where(engine: Engine) -> str:
    """The database as the operator would name it: a SQLite file's path, else the URL without
    its password."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return str(Path(url.database).resolve()) if url.database else ":memory:"
    return url.render_as_string(hide_password=True)


def _cli_runtime(args: argparse.Namespace, settings: Settings) -> Runtime:
    """The runtime of a CLI command; with `--demo` on the database the shell's `--demo` filled:
    DATABASE_URL when set (the shell puts its demo there too), else ./partnerbot-out/demo.db."""
    from config.settings import DEFAULT_DATABASE_URL

    if not getattr(args, "demo", False):
        return start(settings)
    url = None
    if settings.database_url == DEFAULT_DATABASE_URL:
        path = (DEFAULT_OUT / DEMO_DB).resolve()
        if not path.is_file():  # never make an empty one: that is the silent case
            raise StartupError(
                _say(
                    args,
                    f"--demo: der er ingen demodatabase i {path}. Kør `partnerbot shell --demo` "
                    "(eller `make demo`) i denne mappe først.",
                    f"--demo: there is no demo database at {path}. Run `partnerbot shell --demo` "
                    "(or `make demo`) in this folder first.",
                )
            )
        url = f"sqlite:///{path}"
    runtime = start(settings, database_url=url)
    if not _holds_demo(runtime.engine):
        raise StartupError(
            _say(
                args,
                f"--demo: databasen {where(runtime.engine)} har ingen demodata.",
                f"--demo: the database {where(runtime.engine)} holds no demo data.",
            )
        )
    return runtime


def _holds_demo(engine: Engine) -> bool:
    from sqlmodel import Session, select

    from storage.models import Partnership

    with Session(engine) as session:
        return session.exec(select(Partnership).where(Partnership.demo == True)).first() is not None


def _no_data(args: argparse.Namespace, engine: Engine) -> str:
    return _say(
        args,
        f"Databasen {where(engine)} har ingen data ud over partnerskabsfilerne "
        "(medlemmer, aktiviteter, tal, møder)." + _demo_hint(args, da=True),
        f"The database {where(engine)} holds no data beyond the partnership files "
        "(members, activities, figures, meetings)." + _demo_hint(args, da=False),
    )


def _demo_hint(args: argparse.Namespace, *, da: bool) -> str:
    if getattr(args, "demo", False):
        return ""
    return " Demodata: tilføj --demo." if da else " For the demo data add --demo."


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from commands.views.exports import export_labels
    from storage.export import export_all, has_data

    runtime = _cli_runtime(args, settings)
    try:
        written = export_all(
            runtime.engine, args.dir, excel_da=args.excel_da, labels=export_labels()
        )
    except OSError as exc:
        raise StartupError(
            f"DIR|FILE.xlsx: cannot write to {args.dir}: {exc.strerror or exc}"
        ) from exc
    for path in written:
        print(f"file: {path}")
    if not has_data(runtime.engine):
        print(_no_data(args, runtime.engine), file=sys.stderr)
    return 0


def _pick_partnership(runtime: Runtime, slug: str | None) -> str:
    if slug is None:
        if len(runtime.partnerships) == 1:
            return next(iter(runtime.partnerships))
        raise StartupError(
            "--partnership: several partnerships are configured; name one of "
            + ", ".join(sorted(runtime.partnerships))
        )
    if slug not in runtime.partnerships:
        raise StartupError(
            f"--partnership: unknown partnership {slug!r}; one of "
            + ", ".join(sorted(runtime.partnerships))
        )
    return slug


def _shell(args: argparse.Namespace, settings: Settings) -> int:
    from bot.shell import run_shell, shell_context
    from config.settings import DEFAULT_DATABASE_URL

    url = None
    if args.demo and settings.database_url == DEFAULT_DATABASE_URL:
        # Demo data never goes into the real default database.
        args.out.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{(args.out / 'demo.db').resolve()}"
    runtime = start(settings, database_url=url)
    slug = _pick_partnership(runtime, args.partnership)
    if args.demo:
        from storage.demo import DemoRefused, ensure_demo

        try:
            ensure_demo(runtime.engine, runtime.partnerships[slug])
        except DemoRefused as exc:
            raise StartupError(str(exc)) from exc
    ctx = shell_context(runtime, slug, args.user, lang=args.lang)
    from bot.reminders import router, start_dispatcher
    from bot.shell import PROMPT, ShellAdapter
    from commands.engine.context import say

    spec = runtime.partnerships[slug]
    banner = say(
        args.lang or spec.locale,
        "Partnerbot — {p}{d}. Skriv `hjælp` (eller `help`); afslut med Ctrl-D. Filer lægges i "
        "{o}/\nDatabase: {w}",
        "Partnerbot — {p}{d}. Type `help` (or `hjælp`); end with Ctrl-D. Files go to {o}/\n"
        "Database: {w}",
        p=spec.name,
        d=say(args.lang or spec.locale, " — DEMODATA", " — DEMO DATA") if args.demo else "",
        o=args.out,
        w=where(runtime.engine),
    )
    # Reminders print in the shell as they fall due, between replies; the prompt is redrawn.
    shell = ShellAdapter(out_dir=args.out, prompt=PROMPT if sys.stdin.isatty() else "")
    dispatcher = start_dispatcher(runtime, router(runtime, {"shell": shell}, lang=args.lang))
    try:
        return run_shell(ctx, args.out, banner=banner)
    finally:
        dispatcher.stop()


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.serving import serve

    return serve(settings, host=args.host)


def _teams_package(args: argparse.Namespace, settings: Settings) -> int:
    from bot.teams.package import write_package
    from bot.teams.settings import load_teams_settings

    teams = load_teams_settings()
    if not teams.app_id:
        from config.settings import SettingsError

        raise SettingsError("TEAMS_APP_ID: needed for the app package (the bot's app id)")
    try:
        write_package(args.out, app_id=teams.app_id, public_url=settings.public_url)
    except OSError as exc:
        raise StartupError(f"--out: cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"file: {args.out}")
    return 0


def _cli_context(args: argparse.Namespace, settings: Settings, channel: str) -> Context:
    """The operator at the command line: an admin of the partnership named (or the only one)."""
    from commands.engine.context import Context

    runtime = _cli_runtime(args, settings)
    return Context(
        engine=runtime.engine,
        partnerships=runtime.partnerships,
        platform="cli",
        channel=channel,
        user="cli",
        is_admin=True,
        lang=args.lang,
        partnership=_pick_partnership(runtime, args.partnership),
        command=settings.command,
    )


def _report(args: argparse.Namespace, settings: Settings) -> int:
    from commands.engine.run import run_command

    ctx = _cli_context(args, settings, "report")
    kind = "docx" if args.out.suffix.lower() == ".docx" else "pdf"
    reply = run_command(f"report {args.year} format={kind}", ctx)
    if not reply.ok or not reply.files:
        from storage.export import has_data

        print(reply.plain(), file=sys.stderr)
        if not has_data(ctx.engine):
            print(_no_data(args, ctx.engine), file=sys.stderr)
        else:
            print(f"Database: {where(ctx.engine)}", file=sys.stderr)
        return 1
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(reply.files[0].data)
    except OSError as exc:
        raise StartupError(f"--out: cannot write {args.out}: {exc.strerror or exc}") from exc
    print(f"file: {args.out}")
    return 0


def _import(args: argparse.Namespace, settings: Settings) -> int:
    from commands.engine.run import run_command

    if not args.file.is_file():
        raise StartupError(f"FILE: {args.file} does not exist")
    ctx = _cli_context(args, settings, "import")
    ctx.attachments = [(args.file.name, args.file.read_bytes())]
    reply = run_command("indicator import", ctx)
    print(reply.plain())
    print(f"Database: {where(ctx.engine)}")
    return 0 if reply.ok else 1


if __name__ == "__main__":
    sys.exit(main())
