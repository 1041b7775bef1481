"""`partnerbot export DIR`: every table as one CSV file, for backups and for analysis elsewhere.

One file per table (`members.csv`, `activities.csv`, ..., named after the table), UTF-8, a header
row of column names even when the table is empty, rows in primary-key order. Cells: datetimes as
ISO 8601 with their UTC offset, booleans as `true`/`false`, None as an empty cell, everything else
as its plain text. Rows of every partnership are written: this is the administrator's tool.

Rows are streamed from the database in batches, so a large table never sits in memory. All
tables are read in one read-only transaction, so the files agree with each other (a
consistent snapshot) even while the bot keeps writing. Each file is written next to its final
name and then renamed, so an interrupted export never leaves a half-written CSV under the real
name.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import Table
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table in SQLModel.metadata)

BATCH_ROWS = 1000


def export_all(engine: Engine, out_dir: Path) -> list[Path]:
    """Write one CSV per table into `out_dir` (created if missing); the paths, by table name."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = sorted(SQLModel.metadata.tables.values(), key=lambda t: t.name)
    written: list[Path] = []
    with _snapshot(engine) as conn:
        for table in tables:
            written.append(_write_table(conn, table, out_dir / f"{table.name}.csv"))
    return written


def _snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see the same moment of the database."""
    if engine.dialect.name == "postgresql":
        return engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
    conn = engine.connect()
    if engine.dialect.name == "sqlite":
        # pysqlite opens no transaction for a SELECT; without one, each table would be read at
        # a different moment. The connection's close rolls this (read-only) transaction back.
        conn.exec_driver_sql("BEGIN")
    return conn


def _write_table(conn: Connection, table: Table, path: Path) -> Path:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execute(table.select().order_by(*order).execution_options(yield_per=BATCH_ROWS))
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([column.name for column in table.columns])
            writer.writerows(_cells(row) for row in result)
        os.replace(partial, path)
    except BaseException:
        result.close()
        partial.unlink(missing_ok=True)
        raise
    return path


def _cells(row: Iterable[object]) -> list[str]:
    return [_cell(value) for value in row]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: True is an int too
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # every datetime column stores UTC (storage.types.UTCDateTime)
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
