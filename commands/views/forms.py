"""What a form (Slack modal) for a subcommand offers the caller: choices in their language,
checked for rights first, so a refused user gets the refusal instead of a form."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from commands.engine import access
from commands.engine.context import Context
from commands.engine.registry import find_family
from commands.engine.run import resolve
from commands.vocab import ROLE_NAMES, STATUS
from storage.models import Activity, FocusArea, Organisation

MAX_OPTIONS = 100  # Slack's static select holds at most 100 options


@dataclass
class FormData:
    lang: str
    partnership: str | None = None
    refusal: str | None = None
    activities: list[tuple[str, str]] = field(default_factory=list)  # own organisation first
    statuses: list[tuple[str, str]] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)
    focus_areas: list[tuple[str, str]] = field(default_factory=list)
    roles: list[tuple[str, str]] = field(default_factory=list)


def form_data(ctx: Context, family: str, sub: str = "") -> FormData:
    fam = find_family(family)
    assert fam is not None and sub in fam.subs, (family, sub)
    fallback = ctx.preferred_lang()
    with Session(ctx.engine) as session:
        call = resolve(session, ctx, fallback)
        data = FormData(lang=call.lang)
        data.refusal = access.check(call, fam.subs[sub])
        if data.refusal is not None or call.partnership is None:
            return data
        data.partnership = call.partnership.slug
        pid = call.partnership.id
        da = call.lang == "da"
        acts = session.exec(
            select(Activity).where(Activity.partnership_id == pid).order_by(Activity.code)
        ).all()
        own = call.member.organisation_id if call.member else None
        mine = [a for a in acts if a.organisation_id == own]
        others = [a for a in acts if a.organisation_id != own] if call.is_manager else []
        data.activities = [(a.code, a.name) for a in mine + others][:MAX_OPTIONS]
        data.statuses = [(key, pair[0] if da else pair[1]) for key, pair in STATUS.items()]
        data.organisations = [
            (o.slug, o.name)
            for o in session.exec(
                select(Organisation)
                .where(Organisation.partnership_id == pid, Organisation.active == True)
                .order_by(Organisation.id)
            )
        ][:MAX_OPTIONS]
        data.focus_areas = [
            (a.slug, a.name_da if da else a.name_en)
            for a in session.exec(
                select(FocusArea)
                .where(FocusArea.partnership_id == pid, FocusArea.active == True)
                .order_by(FocusArea.id)
            )
        ][:MAX_OPTIONS]
        data.roles = [(key, pair[0] if da else pair[1]) for key, pair in ROLE_NAMES.items()]
        return data
