"""The reminder store: the database is the truth for what is due, who is sending it and what went
out (DESIGN section 5). No chat and no command code here; the dispatcher (bot/dispatcher.py)
drives these functions and a sender posts.

Life of a row (`reminders.status`):

    pending --claim--> claimed --complete--> sent        (one `reminder_deliveries` row)
                          |  \\--miss------> missed      (its meeting had already begun)
                          |   \\-fail------> failed      (lease_until = the earliest retry)
                          |                  \\--------> missed      (no retry before the meeting)
                          |                   \\-------> failed, lease_until None (no meeting:
                          |                              given up a day after its time)
                          \\-- lease runs out: claimable again (the holder crashed or hung)
    pending/claimed/failed --cancel_for_meeting--> cancelled

`lease_until` means "nobody else may take this row before": the end of the lease while claimed,
the earliest retry while failed. A failed row whose `lease_until` is None has been given up on
and is shown to the chair (`overview`). A failing reminder is retried for as long as it can still
help: until its meeting begins, or a day after its time when it has no meeting; a Slack outage of
minutes or hours delays it, never drops it. `last_error` NO_CHANNEL marks one that had something
to say and no bound channel to say it in.

Exactly once. `claim` hands each due row to one worker (PostgreSQL: FOR UPDATE SKIP LOCKED, so
any number of replicas can claim side by side; SQLite: BEGIN IMMEDIATE, one writer at a time).
`complete` marks the row sent and writes the delivery log in one transaction, and only if the
row is still claimed by the caller; the log's unique idempotency key makes a second delivery an
IntegrityError, never a quiet second row. For a sink inside the database (the `deliver`
callback) that is exactly once. For an external post (Slack) one window remains: the process
dies, or stalls longer than the lease, after the platform accepted the post and before
`complete` committed. The row is then claimed again after the lease and posted a second time.
`renew` narrows the stall case (the dispatcher renews the lease right before each send, so a
row is never re-claimed while a healthy holder is about to post it) and leaves the crash case at
one HTTP round trip; `Due.reclaimed` tells the sender that an earlier attempt may have reached
the platform, so a Slack sender can look for the key in the channel's recent messages (message
metadata) before posting again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, true, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.db import transaction
from storage.models import Meeting, Reminder, ReminderDelivery

# States in which a reminder may still go out; cancelling a meeting stops these.
OPEN_STATES = ("pending", "claimed", "failed")
# States nobody changes any more: an upsert with the same key leaves them alone.
FINAL_STATES = ("sent", "cancelled", "missed")
ERROR_LIMIT = 2000  # characters of `last_error` kept; a traceback is not needed in the table
NO_CHANNEL = "no-channel"  # `last_error` of a reminder no bound channel could take
WITHOUT_MEETING = dt.timedelta(days=1)  # how long a reminder without a meeting is retried


@dataclass(frozen=True)
class Due:
    """One claimed reminder, as the dispatcher and the sender see it (no ORM object: it crosses
    threads and outlives the claim transaction).

    `late`: the dispatcher sets it when the reminder is sent more than the grace period after its
    due time, so the message can say so. `reclaimed`: an earlier attempt may already have reached
    the chat platform (the row was taken over after a lease ran out, or is a retry after an
    error); a non-idempotent sender should check before posting again.
    """

    id: int
    partnership_id: int
    meeting_id: int | None
    kind: str
    key: str
    due_at: dt.datetime
    attempts: int
    late: bool
    reclaimed: bool = False


def upsert(
    session: Session,
    *,
    partnership_id: int,
    meeting_id: int | None,
    kind: str,
    key: str,
    due_at: dt.datetime,
) -> Reminder:
    """Create the reminder for `key`, or bring an existing one up to date (a moved meeting).

    Idempotent by key. A sent, cancelled or missed reminder is left alone: the key says "this
    reminder", and it has had its turn (a meeting moved after its reminder went out needs a new
    key, e.g. one that includes the new start, if it should be reminded of again). A pending or
    failed one gets the new due time and a fresh start (pending, no attempts); a claimed one,
    being sent right now, only gets the new due time: the send in flight finishes as it is.
    The caller commits.
    """
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware (UTC)")
    row = session.exec(
        select(Reminder).where(Reminder.idempotency_key == key).with_for_update()
    ).first()
    if row is None:
        row = Reminder(
            partnership_id=partnership_id,
            meeting_id=meeting_id,
            kind=kind,
            idempotency_key=key,
            due_at=due_at,
        )
        session.add(row)
        session.flush()
        return row
    if row.status in FINAL_STATES:
        return row
    row.partnership_id, row.meeting_id, row.kind, row.due_at = (
        partnership_id,
        meeting_id,
        kind,
        due_at,
    )
    if row.status == "failed":
        row.status, row.attempts, row.lease_until, row.last_error = "pending", 0, None, ""
    session.add(row)
    session.flush()
    return row


def cancel_for_meeting(session: Session, meeting_id: int) -> int:
    """Cancel the meeting's reminders that may still go out; returns how many. A claimed one is
    cancelled too: its sender's `complete` then finds the row no longer its own and writes
    nothing (the post may still go out if it was already under way). The caller commits."""
    result = session.execute(
        update(Reminder)
        .where(Reminder.meeting_id == meeting_id, Reminder.status.in_(OPEN_STATES))
        .values(status="cancelled", lease_until=None)
    )
    return int(result.rowcount or 0)


def cancel_keys(session: Session, keys: list[str]) -> int:
    """Cancel these reminders where they may still go out (a follow-up item done). The caller
    commits."""
    result = session.execute(
        update(Reminder)
        .where(Reminder.idempotency_key.in_(keys), Reminder.status.in_(OPEN_STATES))
        .values(status="cancelled", lease_until=None)
    )
    return int(result.rowcount or 0)


def _claimable(now: dt.datetime):
    return and_(
        Reminder.due_at <= now,
        or_(
            Reminder.status == "pending",
            and_(Reminder.status == "claimed", Reminder.lease_until < now),
            and_(
                Reminder.status == "failed",
                Reminder.lease_until.is_not(None),
                Reminder.lease_until <= now,
            ),
        ),
    )


def claim(
    engine: Engine, worker: str, now: dt.datetime, *, lease: dt.timedelta, limit: int = 50
) -> list[Due]:
    """Take up to `limit` due reminders for `worker`, oldest due first, in one transaction.

    Due: pending ones, claimed ones whose lease ran out (the holder died or hung) and failed
    ones whose retry time has come. PostgreSQL skips rows another worker is claiming right now
    (SKIP LOCKED), so replicas never wait for each other nor take the same row; SQLite
    serialises claimers with BEGIN IMMEDIATE. A lock-free look comes first, so the idle
    once-a-second tick does not take SQLite's write lock away from the commands.
    """
    query = (
        select(
            Reminder.id,
            Reminder.partnership_id,
            Reminder.meeting_id,
            Reminder.kind,
            Reminder.idempotency_key,
            Reminder.due_at,
            Reminder.attempts,
            Reminder.status,
        )
        .where(_claimable(now))
        .order_by(Reminder.due_at, Reminder.id)
        .limit(limit)
    )
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    with engine.connect() as conn:  # most ticks find nothing: no write lock for those
        if conn.execute(select(Reminder.id).where(_claimable(now)).limit(1)).first() is None:
            return []
    with transaction(engine, immediate=True) as session:
        rows = session.execute(query).all()
        if not rows:
            return []
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_([r.id for r in rows]))
            .values(status="claimed", claimed_by=worker, lease_until=now + lease)
        )
    return [
        Due(
            id=r.id,
            partnership_id=r.partnership_id,
            meeting_id=r.meeting_id,
            kind=r.kind,
            key=r.idempotency_key,
            due_at=r.due_at,
            attempts=r.attempts,
            late=False,
            reclaimed=r.status != "pending",
        )
        for r in rows
    ]


def _mine(due: Due, worker: str):
    return and_(Reminder.id == due.id, Reminder.status == "claimed", Reminder.claimed_by == worker)


def renew(engine: Engine, due: Due, worker: str, now: dt.datetime, *, lease: dt.timedelta) -> bool:
    """Extend the lease to `now + lease` if the row is still claimed by `worker`.

    The dispatcher calls this right before each send: True means nobody else can take the row
    for a full lease, so a slow batch (Slack's per-channel pace) never lets a second worker
    post a reminder this one is about to post. False: the row is gone (taken over, cancelled)
    and must not be sent.
    """
    with transaction(engine, immediate=True) as session:
        result = session.execute(
            update(Reminder).where(_mine(due, worker)).values(lease_until=now + lease)
        )
        return bool(result.rowcount)


def complete(
    engine: Engine,
    due: Due,
    worker: str,
    now: dt.datetime,
    *,
    deliver: Callable[[Session], None] | None = None,
    late: bool = False,
) -> bool:
    """Mark the reminder sent and log the delivery, if it is still claimed by `worker`.

    False, with nothing written, when another worker took it over after the lease or it was
    cancelled meanwhile. The conditional UPDATE comes first, so it holds the row lock (and on
    SQLite the write lock) while the log row is written and `deliver(session)` runs: anything
    `deliver` writes commits together with the mark, or not at all.
    """
    with transaction(engine, immediate=True) as session:
        result = session.execute(
            update(Reminder)
            .where(_mine(due, worker))
            .values(status="sent", sent_at=now, late=late, lease_until=None)
        )
        if not result.rowcount:
            session.rollback()
            return False
        session.add(
            ReminderDelivery(
                partnership_id=due.partnership_id,
                reminder_id=due.id,
                idempotency_key=due.key,
                worker=worker,
                delivered_at=now,
            )
        )
        session.flush()  # a duplicate key fails here, inside this transaction
        if deliver is not None:
            deliver(session)
    return True


def retry_until(due: Due, meeting_start: dt.datetime | None) -> dt.datetime:
    """The last moment a failing reminder is still worth sending: its meeting's start, or a
    day after its due time when it has no meeting."""
    return meeting_start if meeting_start is not None else due.due_at + WITHOUT_MEETING


def fail(
    engine: Engine,
    due: Due,
    worker: str,
    now: dt.datetime,
    error: str,
    *,
    until: dt.datetime,
    backoff: Callable[[int], dt.timedelta],
) -> str:
    """Record a failed send. Returns "retry" (status failed, claimable again at
    `now + backoff(attempts)`), "missed" (a meeting's reminder whose next try would come after
    the meeting began: marked missed, for the chair to see), "failed" (no meeting, and `until`
    passed: given up) or "lost" (no longer this worker's row; nothing written)."""
    with transaction(engine, immediate=True) as session:
        row = session.execute(
            select(Reminder.attempts).where(_mine(due, worker)).with_for_update()
        ).first()
        if row is None:
            return "lost"
        attempts = row.attempts + 1
        retry = now + backoff(attempts)
        outcome = "retry" if retry < until else "missed" if due.meeting_id else "failed"
        session.execute(
            update(Reminder)
            .where(Reminder.id == due.id)
            .values(
                status="missed" if outcome == "missed" else "failed",
                attempts=attempts,
                last_error=error[:ERROR_LIMIT],
                lease_until=retry if outcome == "retry" else None,
            )
        )
        return outcome


def miss(engine: Engine, due: Due, worker: str, now: dt.datetime) -> None:
    """The meeting has already begun: the reminder is marked missed and never sent (a reminder
    for a meeting in the past only confuses). Nothing happens if the row is no longer ours."""
    with transaction(engine, immediate=True) as session:
        session.execute(
            update(Reminder).where(_mine(due, worker)).values(status="missed", lease_until=None)
        )


def meeting_starts_at(session: Session, meeting_id: int) -> dt.datetime | None:
    """The meeting's start (UTC) as stored, or None when there is no such meeting."""
    return session.execute(
        select(Meeting.starts_at).where(Meeting.id == meeting_id)
    ).scalar_one_or_none()


def overview(session: Session, partnership_id: int) -> dict[str, list[Reminder]]:
    """What `/wg meeting reminders` shows the chair, each list oldest due first:

    - pending: still to go out (waiting, or being sent);
    - retrying: failed so far and tried again soon (`last_error` says why: Slack down, a
      channel the bot was removed from, NO_CHANNEL);
    - late: sent, but more than the grace period after their due time (the bot was down);
    - failed: given up (no meeting, a day after their time);
    - missed: never sent because their meeting had begun.
    """
    rows = session.exec(
        select(Reminder)
        .where(Reminder.partnership_id == partnership_id)
        .order_by(Reminder.due_at, Reminder.id)
    ).all()
    out: dict[str, list[Reminder]] = {
        "pending": [], "retrying": [], "late": [], "failed": [], "missed": []
    }  # fmt: skip
    for row in rows:
        if row.status in ("pending", "claimed"):
            out["pending"].append(row)
        elif row.status == "failed" and row.lease_until is not None:
            out["retrying"].append(row)
        elif row.status == "sent" and row.late:
            out["late"].append(row)
        elif row.status == "failed":
            out["failed"].append(row)
        elif row.status == "missed":
            out["missed"].append(row)
    return out


def undelivered(session: Session, partnership_id: int, *, besides: str = "") -> int:
    """How many of the partnership's reminders have not reached people: failing now, given up
    or missed (the App Home tells the chair and the secretariat). `besides`: a kind prefix not
    counted (the notices about such reminders are not news of their own)."""
    return int(
        session.execute(
            select(func.count())
            .select_from(Reminder)
            .where(
                Reminder.partnership_id == partnership_id,
                Reminder.status.in_(("failed", "missed")),
                ~Reminder.kind.startswith(besides) if besides else true(),
            )
        ).scalar_one()
    )
