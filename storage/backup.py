"""`partnerbot backup FILE` / `partnerbot restore FILE`: everything, across SQLite and PostgreSQL.

The file is JSON lines (gzip-compressed when its name ends in `.gz`): a header with the format,
the schema revision and when it was made; then each table (every table of the schema, the audit
trail included) as a line naming its columns followed by one line per row in primary-key order;
last, a SHA-256 over the revision and every table and row line. Two backups of the same content
therefore carry the same checksum, whatever database they came from. Values are JSON: times as
ISO 8601 in UTC, binary data as base64.

Restore loads into an empty database (one that holds nothing but the partnership files' own
facts counts as empty; `force` replaces whatever is there), at the backup's schema revision, and
then upgrades to the code's, so an older backup comes back under the newer schema.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Date as SADate
from sqlalchemy import DateTime, LargeBinary, MetaData, Table, inspect, text
from sqlalchemy.engine import Connection, Engine

from storage import migrate
from storage.export import BATCH_ROWS, snapshot

FORMAT = "partnerbot-backup"
VERSION = 1
# What syncing the partnership files writes at start-up: not data a restore would overwrite.
CONFIG_TABLES = {"partnerships", "organisations", "focus_areas", "indicators"}


class BackupProblem(Exception):
    """A backup that cannot be restored here, in Danish and English."""

    def __init__(self, da: str, en: str) -> None:
        super().__init__(en)
        self.da, self.en = da, en


def _open(path: Path, mode: str, *, gz: bool) -> IO[str]:
    if gz:
        return io.TextIOWrapper(gzip.GzipFile(path, mode + "b"), encoding="utf-8", newline="\n")
    return path.open(mode, encoding="utf-8", newline="\n")


def _json(value: object) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # every datetime column stores UTC (storage.types.UTCDateTime)
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _line(item: object) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def backup(engine: Engine, path: Path) -> tuple[str, int]:
    """Write every table to `path`; (checksum, rows written)."""
    revision = migrate.current_revision(engine)
    digest = hashlib.sha256()
    rows = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".partial")
    try:
        with _open(part, "w", gz=path.name.endswith(".gz")) as out, snapshot(engine) as conn:
            made = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            out.write(_line({"format": FORMAT, "version": VERSION, "made": made}) + "\n")
            for line in _content(conn, revision):
                digest.update(line.encode() + b"\n")
                out.write(line + "\n")
                rows += line.startswith("[")
            out.write(_line({"checksum": digest.hexdigest(), "rows": rows}) + "\n")
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), rows


def _content(conn: Connection, revision: str | None) -> Iterator[str]:
    # The tables as the database has them (not as the models say), so a database at an older
    # revision backs up too; columns by name, since migrations on the two backends may have
    # added them in different places.
    meta = MetaData()
    meta.reflect(conn)
    yield _line({"revision": revision})
    for table in sorted(meta.tables.values(), key=lambda t: t.name):
        if table.name == migrate.VERSION_TABLE:
            continue
        columns = sorted(table.columns, key=lambda c: c.name)
        yield _line({"table": table.name, "columns": [c.name for c in columns]})
        order = list(table.primary_key.columns) or columns
        result = conn.execute(
            table.select()
            .with_only_columns(*columns)
            .order_by(*order)
            .execution_options(yield_per=BATCH_ROWS)
        )
        for row in result:
            yield _line([_json(v) for v in row])


def read(path: Path) -> tuple[str | None, dict[str, tuple[list[str], list[list[Any]]]]]:
    """The revision and the tables of a backup whose checksum holds."""
    digest = hashlib.sha256()
    revision: str | None = None
    tables: dict[str, tuple[list[str], list[list[Any]]]] = {}
    current: list[list[Any]] = []
    checksum: str | None = None
    try:
        with _open(path, "r", gz=path.name.endswith(".gz")) as handle:
            header = json.loads(handle.readline() or "null")
            if not isinstance(header, dict) or header.get("format") != FORMAT:
                raise _not_a_backup(path)
            for raw in handle:
                item = json.loads(raw)
                if isinstance(item, dict) and "checksum" in item:
                    checksum = item["checksum"]
                    break
                digest.update(raw.encode())
                if isinstance(item, list):
                    current.append(item)
                elif "revision" in item:
                    revision = item["revision"]
                else:
                    current = []
                    tables[item["table"]] = (item["columns"], current)
    except (OSError, ValueError, KeyError, TypeError, EOFError) as exc:
        raise _not_a_backup(path) from exc
    if checksum != digest.hexdigest():
        raise BackupProblem(
            f"{path}: kontrolsummen passer ikke; filen er ufuldstændig eller ændret. "
            "Intet er indlæst.",
            f"{path}: the checksum does not match; the file is incomplete or was changed. "
            "Nothing was restored.",
        )
    return revision, tables


def _not_a_backup(path: Path) -> BackupProblem:
    return BackupProblem(
        f"{path} er ikke en backup fra partnerbot. Intet er indlæst.",
        f"{path} is not a partnerbot backup. Nothing was restored.",
    )


def holds_data(engine: Engine) -> bool:
    """Whether any table beyond the partnership files' facts has a row."""
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names()) - {migrate.VERSION_TABLE} - CONFIG_TABLES
        return any(
            conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first() is not None
            for name in sorted(names)
        )


def restore(engine: Engine, path: Path, *, force: bool = False) -> int:
    """Load a backup into `engine`'s database; the rows loaded. Raises BackupProblem."""
    revision, tables = read(path)
    known = migrate.known_revisions()
    if revision not in known:
        raise BackupProblem(
            f"{path} har skemaversion {revision}, som denne version af partnerbot ikke kender "
            "(en nyere?). Intet er indlæst.",
            f"{path} has schema revision {revision}, which this version of partnerbot does not "
            "know (a newer one?). Nothing was restored.",
        )
    if holds_data(engine) and not force:
        raise BackupProblem(
            "Databasen har allerede data; restore indlæser kun i en tom database "
            "(eller brug --force for at erstatte alt). Intet er indlæst.",
            "The database already holds data; restore loads only into an empty database "
            "(or use --force to replace everything). Nothing was restored.",
        )
    at = migrate.current_revision(engine)
    with engine.connect() as conn:
        schema = set(inspect(conn).get_table_names()) - {migrate.VERSION_TABLE}
    if not schema:
        migrate.upgrade(engine, revision or "head")
    elif at != revision:
        raise BackupProblem(
            f"Databasen har skemaversion {at}, backuppen {revision}: indlæs i en ny, tom "
            "database. Intet er indlæst.",
            f"The database is at schema revision {at}, the backup at {revision}: restore into "
            "a new, empty database. Nothing was restored.",
        )
    loaded = _load(engine, tables)
    migrate.upgrade(engine)  # an older backup now gets the code's schema
    return loaded


def _load(engine: Engine, tables: dict[str, tuple[list[str], list[list[Any]]]]) -> int:
    meta = MetaData()
    meta.reflect(engine)  # the schema as it is at the backup's revision, not the models'
    ordered = [t for t in meta.sorted_tables if t.name != migrate.VERSION_TABLE]
    loaded = 0
    with engine.begin() as conn:
        for table in reversed(ordered):  # children first
            conn.execute(table.delete())
        for table in ordered:
            if table.name not in tables:
                continue
            columns, rows = tables[table.name]
            for start in range(0, len(rows), BATCH_ROWS):
                batch = [_row(table, columns, row) for row in rows[start : start + BATCH_ROWS]]
                conn.execute(table.insert(), batch)
            loaded += len(rows)
        if engine.dialect.name == "postgresql":
            for table in ordered:
                if "id" in table.c:  # the next new row must not take a restored id
                    conn.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'COALESCE((SELECT MAX(id) FROM "{table.name}"), 0) + 1, false)'
                        )
                    )
    return loaded


def _row(table: Table, columns: list[str], values: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in zip(columns, values, strict=True):
        if name not in table.c:
            continue
        kind = table.c[name].type
        if value is not None and isinstance(kind, DateTime):
            value = dt.datetime.fromisoformat(value)
        elif value is not None and isinstance(kind, SADate):
            value = dt.date.fromisoformat(value)
        elif value is not None and isinstance(kind, LargeBinary):
            value = base64.b64decode(value)
        out[name] = value
    return out
