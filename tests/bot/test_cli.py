"""Start-up stays light (DESIGN section 7: a CLI command that draws nothing answers in
0.5 s): a real process, its imports listed by PYTHONPROFILEIMPORTTIME."""

from __future__ import annotations

import re

from helpers import run_cli

DRAWING = ("matplotlib", "pandas")
IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \| +([\w.]+)$", re.MULTILINE)


def _modules(stderr: str) -> set[str]:
    names = {name.split(".")[0] for name in IMPORTED.findall(stderr)}
    assert "argparse" in names, "no import profile read"  # the check below is not vacuous
    return names


def test_help_loads_neither_pydantic_nor_the_database_layer(tmp_path):
    done = run_cli(["--help"], tmp_path, PYTHONPROFILEIMPORTTIME="1")
    assert done.returncode == 0 and "shell" in done.stdout
    assert not _modules(done.stderr) & {*DRAWING, "sqlalchemy", "pydantic", "alembic"}


def test_shell_whoami_and_import_draw_nothing_nor_run_alembic_at_head(tmp_path):
    db = f"sqlite:///{tmp_path / 'wg.db'}"
    first = run_cli(["shell"], tmp_path, "whoami\n", DATABASE_URL=db)
    assert first.returncode == 0, first.stderr  # creates the schema (Alembic runs once)
    again = run_cli(
        ["shell"], tmp_path, "hvemerjeg\n", DATABASE_URL=db, PYTHONPROFILEIMPORTTIME="1"
    )
    assert "administrator" in again.stdout
    assert not _modules(again.stderr) & {*DRAWING, "alembic"}
    values = tmp_path / "tal.csv"
    values.write_text("indicator,year,value\ncrime.indbrud,2018,100\n", encoding="utf-8")
    imported = run_cli(
        ["import", str(values)], tmp_path, DATABASE_URL=db, PYTHONPROFILEIMPORTTIME="1"
    )
    assert imported.returncode == 0 and "1 tal gemt" in imported.stdout
    assert not _modules(imported.stderr) & {*DRAWING, "alembic"}
