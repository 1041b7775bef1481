"""The daily retention job (issue 13; storage.retention does the work): in the scheduler that
ticks the reminder dispatcher, every hour, each partnership once per local day — the first tick
of the day on whichever replica gets there first. In memory like every tick (DESIGN section
5): the database, not a job store, knows whether the day's run is done.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping

from sqlalchemy.engine import Engine
from sqlmodel import select

from commands.engine.privacy import retention_reason
from config.partnership import Partnership as Spec
from storage import retention
from storage.db import transaction
from storage.models import Partnership
from storage.types import utcnow

log = logging.getLogger(__name__)

EVERY = dt.timedelta(hours=1)
FIRST_AFTER = dt.timedelta(minutes=5)  # not in the way of a starting process (or a test)


def run_once(
    engine: Engine, specs: Mapping[str, Spec], now: dt.datetime | None = None
) -> dict[str, retention.Outcome | None]:
    """Today's run for every served partnership: its outcome, or None where it had run."""
    now = now or utcnow()
    with transaction(engine) as session:
        rows = session.exec(select(Partnership.id, Partnership.slug)).all()
    outcomes: dict[str, retention.Outcome | None] = {}
    for pid, slug in rows:
        spec = specs.get(slug)
        if spec is None or pid is None:
            continue  # its file is gone: not served, nothing decided for it
        rules = spec.retention
        with transaction(engine, immediate=True) as session:
            outcomes[slug] = retention.run(
                session,
                pid,
                day=now.astimezone(spec.tz).date(),
                now=now,
                audit_years=rules.audit_years,
                former_members_months=rules.former_members_months,
                reason=retention_reason(spec.locale, rules.former_members_months),
            )
        if outcomes[slug] is not None:
            log.info("retention %s: %s", slug, outcomes[slug])
    return outcomes


def job(
    engine: Engine, specs: Mapping[str, Spec], clock: Callable[[], dt.datetime] = utcnow
) -> Callable[[], None]:
    """The scheduler's callable: never raises (a failed run is tried again next hour)."""

    def tick() -> None:
        try:
            run_once(engine, specs, clock())
        except Exception:
            log.exception("retention run failed; tried again at the next tick")

    return tick
