"""Load a partnership file's facts into the database. Idempotent: run at every start."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlmodel import Session, select

from config import partnership as conf
from config.partnership import Partnership as Spec
from storage.models import FocusArea, IndicatorDef, Organisation, Partnership

Row = TypeVar("Row", Organisation, FocusArea, IndicatorDef)
Entry = TypeVar("Entry", conf.Organisation, conf.FocusArea, conf.Indicator)

# An indicator's fields copied from the file as they are
INDICATOR_FIELDS = {
    "label_da",
    "label_en",
    "unit",
    "rule",
    "group",
    "baseline",
    "baseline_year",
    "target",
    "comparison",
}


def spec_hash(spec: Spec) -> str:
    return hashlib.sha256(spec.model_dump_json().encode()).hexdigest()


def sync_partnership(session: Session, spec: Spec) -> Partnership:
    """Insert or update the partnership, its organisations, focus areas and indicators.

    Rows no longer in the file are marked inactive, never deleted: history refers to them.
    """
    row = session.exec(select(Partnership).where(Partnership.slug == spec.slug)).first()
    digest = spec_hash(spec)
    if row is not None and row.config_hash == digest:
        return row
    if row is None:
        row = Partnership(
            slug=spec.slug, name=spec.name, timezone=spec.timezone, locale=spec.locale
        )
    row.name, row.timezone, row.locale, row.config_hash = (
        spec.name,
        spec.timezone,
        spec.locale,
        digest,
    )
    session.add(row)
    session.flush()
    pid = row.id
    assert pid is not None

    def organisation(db_org: Organisation, org: conf.Organisation) -> None:
        db_org.name, db_org.kind = org.name, org.kind

    def focus_area(db_area: FocusArea, area: conf.FocusArea) -> None:
        db_area.name_da, db_area.name_en = area.name_da, area.name_en

    def indicator(db_ind: IndicatorDef, ind: conf.Indicator) -> None:
        for name, value in ind.model_dump(include=INDICATOR_FIELDS).items():
            setattr(db_ind, name, value)
        db_ind.baseline_year = ind.baseline_year or (
            spec.period.baseline_year if ind.baseline is not None else None
        )
        db_ind.components = ",".join(ind.components)

    _sync_rows(session, Organisation, pid, "slug", spec.organisations, organisation)
    _sync_rows(session, FocusArea, pid, "slug", spec.focus_areas, focus_area)
    _sync_rows(session, IndicatorDef, pid, "key", spec.indicators, indicator)
    session.flush()
    return row


def _sync_rows(
    session: Session,
    model: type[Row],
    pid: int,
    key: str,
    entries: Iterable[Entry],
    fill: Callable[[Row, Entry], None],
) -> None:
    """One table's rows of the partnership after the file's `entries`, matched by `key`: new ones
    added, known ones filled in again and active, the ones the file no longer has inactive."""
    known = {
        getattr(r, key): r for r in session.exec(select(model).where(model.partnership_id == pid))
    }
    for entry in entries:
        db_row = known.pop(getattr(entry, key), None) or model(
            partnership_id=pid, **{key: getattr(entry, key)}
        )
        fill(db_row, entry)
        db_row.active = True
        session.add(db_row)
    for gone in known.values():
        gone.active = False
        session.add(gone)
