"""`partnerbot backup` / `restore`: everything comes back, on either database, or nothing does.

A SQLite install with the demo year plus reminders, deliveries, a download link (binary) and
audit events is backed up, restored into PostgreSQL, and backed up again: the same content,
checked by the checksum and line by line, and PostgreSQL goes on numbering new rows after the
restored ones. A non-empty database is refused unless forced, a damaged file changes nothing,
and a backup from an older schema revision comes back under the current one."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from helpers import SLUG, run, table_snapshot
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage import migrate
from storage.backup import BackupProblem, backup, restore
from storage.db import make_engine
from storage.demo import ensure_demo
from storage.models import DownloadLink, Meeting, Reminder, ReminderDelivery


def content(path: Path) -> list[str]:
    """The backup's lines but the header (which says when it was made)."""
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return handle.read().splitlines()[1:]


def fill(engine: Engine, make, specs) -> None:
    """The demo year, and a year of reminders, deliveries, a download and audit events."""
    ensure_demo(engine, specs[SLUG])
    chair = make("mette.okf")
    year = dt.date.today().year + 1
    assert run(chair, f"meeting add 2.3.{year} 13:00 place=Tingbjerg").ok
    with Session(engine) as session:
        reminder = session.exec(select(Reminder)).first()
        assert reminder is not None, "a meeting ahead has reminder rows"
        session.add(
            ReminderDelivery(
                partnership_id=reminder.partnership_id,
                reminder_id=reminder.id or 0,
                idempotency_key=reminder.idempotency_key,
                worker="w1",
            )
        )
        session.add(
            DownloadLink(
                token="t" * 40,
                partnership_id=reminder.partnership_id,
                name="rapport æøå.pdf",
                mime="application/pdf",
                data=bytes(range(256)) * 4,
                expires_at=dt.datetime(year, 1, 1, tzinfo=dt.UTC),
            )
        )
        session.commit()


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back_gives_the_same_content(
    sqlite_engine, pg_engine, make_ctx, specs, tmp_path
):
    fill(sqlite_engine, make_ctx(sqlite_engine), specs)
    first = tmp_path / "first.jsonl.gz"
    checksum, rows = backup(sqlite_engine, first)
    assert rows > 500  # the demo year and more

    assert restore(pg_engine, first) == rows  # holds only the partnership files: counts as empty
    second = tmp_path / "second.jsonl"
    assert backup(pg_engine, second) == (checksum, rows)
    assert content(second) == content(first)
    tables = {
        line.split('"table":"')[1].split('"')[0] for line in content(first) if '"table"' in line
    }
    assert {"audit_events", "reminders", "reminder_deliveries", "download_links"} <= tables

    with Session(pg_engine) as session:
        link = session.exec(select(DownloadLink)).one()
        assert link.data == bytes(range(256)) * 4 and link.name == "rapport æøå.pdf"
        meeting = session.exec(select(Meeting).order_by(Meeting.id.desc())).first()  # type: ignore[union-attr]
        assert meeting is not None and meeting.starts_at.tzinfo is not None
    # new rows are numbered after the restored ones
    assert run(make_ctx(pg_engine)("mette.okf"), "member add @ny org=sof role=member").ok


def test_restore_refuses_a_database_with_data_unless_forced(engine, make_ctx, specs, tmp_path):
    fill(engine, make_ctx(engine), specs)
    path = tmp_path / "b.jsonl"
    checksum, rows = backup(engine, path)
    before = table_snapshot(engine)
    with pytest.raises(BackupProblem) as refused:
        restore(engine, path)
    assert "tom database" in refused.value.da and "--force" in refused.value.en
    assert table_snapshot(engine) == before
    assert restore(engine, path, force=True) == rows
    assert backup(engine, tmp_path / "again.jsonl")[0] == checksum


def test_a_damaged_backup_changes_nothing(sqlite_engine, make_ctx, specs, tmp_path):
    fill(sqlite_engine, make_ctx(sqlite_engine), specs)
    path = tmp_path / "b.jsonl"
    backup(sqlite_engine, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    changed = max(i for i, line in enumerate(lines) if line.startswith("[") and "1" in line)
    lines[changed] = lines[changed].replace("1", "2", 1)  # one changed digit in one row
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(BackupProblem) as damaged:
        restore(target, path)
    assert "kontrolsummen passer ikke" in damaged.value.da
    with target.connect() as conn:
        assert conn.execute(text("select name from sqlite_master where type='table'")).all() == []
    (tmp_path / "not.jsonl").write_text("indicator,year,value\n", encoding="utf-8")
    with pytest.raises(BackupProblem, match="not a partnerbot backup"):
        restore(target, tmp_path / "not.jsonl")
    target.dispose()


def test_a_backup_from_an_older_revision_is_upgraded_on_restore(tmp_path):
    head = migrate.head_revision()
    older = "b8d2f3e4a5c6"  # the revision before the meetings' record (attendance, decisions)
    assert head != older
    old = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(old, older)
    with old.begin() as conn:
        conn.execute(
            text(
                "insert into partnerships (id, slug, name, timezone, locale, demo, config_hash, "
                "synced_at) values (1, 'old-town', 'Gamle By', 'Europe/Copenhagen', 'da', 0, '', "
                "'2020-01-01 10:00:00')"
            )
        )
        conn.execute(
            text(
                "insert into members (id, partnership_id, handle, display_name, active, "
                "created_at) values (1, 1, 'ida', 'Ida', 1, '2020-01-02 10:00:00')"
            )
        )
    path = tmp_path / "old.jsonl"
    backup(old, path)
    old.dispose()
    assert '{"revision":"b8d2f3e4a5c6"}' in content(path)

    new = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert restore(new, path) >= 2
    assert migrate.current_revision(new) == head
    with new.connect() as conn:
        assert conn.execute(text("select handle from members")).scalars().all() == ["ida"]
        conn.execute(text("select count(*) from decisions")).one()  # the newer schema's table
    new.dispose()
