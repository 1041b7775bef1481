"""Load a partnership file's facts into the database. Idempotent: run at every start."""

from __future__ import annotations

import hashlib

from sqlmodel import Session, select

from config.partnership import Partnership as Spec
from storage.models import FocusArea, IndicatorDef, Organisation, Partnership


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

    orgs = {
        o.slug: o
        for o in session.exec(select(Organisation).where(Organisation.partnership_id == pid))
    }
    for org in spec.organisations:
        db_org = orgs.pop(org.slug, None) or Organisation(
            partnership_id=pid, slug=org.slug, name=org.name
        )
        db_org.name, db_org.kind, db_org.active = org.name, org.kind, True
        session.add(db_org)
    for gone in orgs.values():
        gone.active = False
        session.add(gone)

    areas = {
        a.slug: a for a in session.exec(select(FocusArea).where(FocusArea.partnership_id == pid))
    }
    for area in spec.focus_areas:
        db_area = areas.pop(area.slug, None) or FocusArea(
            partnership_id=pid, slug=area.slug, name_da=area.name_da, name_en=area.name_en
        )
        db_area.name_da, db_area.name_en, db_area.active = area.name_da, area.name_en, True
        session.add(db_area)
    for gone_area in areas.values():
        gone_area.active = False
        session.add(gone_area)

    inds = {
        i.key: i
        for i in session.exec(select(IndicatorDef).where(IndicatorDef.partnership_id == pid))
    }
    for ind in spec.indicators:
        db_ind = inds.pop(ind.key, None) or IndicatorDef(
            partnership_id=pid,
            key=ind.key,
            label_da=ind.label_da,
            label_en=ind.label_en,
            unit=ind.unit,
            rule=ind.rule,
            group=ind.group,
        )
        values = ind.model_dump(
            include={
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
        )
        for name, value in values.items():
            setattr(db_ind, name, value)
        db_ind.baseline_year = ind.baseline_year or (
            spec.period.baseline_year if ind.baseline is not None else None
        )
        db_ind.components = ",".join(ind.components)
        db_ind.active = True
        session.add(db_ind)
    for gone_ind in inds.values():
        gone_ind.active = False
        session.add(gone_ind)
    session.flush()
    return row
