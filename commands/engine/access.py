"""Rights: the table of DESIGN section 3 applied before any subcommand runs."""

from __future__ import annotations

from sqlmodel import select

from commands.engine.context import Call
from commands.engine.registry import FAMILIES, Right, Sub
from commands.vocab import role_label
from storage.models import Member, MemberRole

NEEDED = {
    Right.REGISTERED: None,
    Right.UPDATER: {"member", "chair", "secretariat"},
    Right.MANAGER: {"chair", "secretariat"},
}


def check(call: Call, sub: Sub) -> str | None:
    """None when the caller may run `sub`; else the refusal text."""
    ctx = call.ctx
    if sub.right in (Right.EVERYONE, Right.BINDER):
        return None  # `bind` checks the chair of the partnership it names, not of this channel
    if call.partnership is None:
        if not sub.needs_partnership:
            return None
        names = ", ".join(sorted(ctx.partnerships))
        return call.t(
            "Denne kanal er ikke knyttet til et partnerskab. En administrator eller formanden "
            "knytter den med `{c} tilknyt SLUG` (en af: {n}).",
            "This channel is not bound to a partnership. An admin or the chair binds it with "
            "`{c} bind SLUG` (one of: {n}).",
            c=ctx.command,
            n=names,
        )
    if ctx.is_admin:
        return None
    if call.member is None:
        return not_registered(call)
    needed = NEEDED[sub.right]
    if needed is None or call.roles & needed:
        return None
    need = call.t(" eller ", " or ").join(role_label(r, call.lang) for r in sorted(needed))
    have = ", ".join(role_label(r, call.lang) for r in sorted(call.roles)) or "-"
    name = sub.da if call.lang == "da" else sub.name
    return call.t(
        "`{cmd}` kræver rollen {need}; du har: {have}. Intet er ændret.",
        "`{cmd}` needs the role {need}; you have: {have}. Nothing was changed.",
        cmd=f"{_family_of(sub, call.lang)} {name}".strip(),
        need=need,
        have=have,
    )


def _family_of(sub: Sub, lang: str) -> str:
    for fam in FAMILIES.values():
        if sub in fam.subs.values():
            return fam.da if lang == "da" else fam.name
    return ""


def not_registered(call: Call) -> str:
    assert call.partnership is not None
    managers = call.session.exec(
        select(Member.handle, Member.display_name)
        .join(MemberRole, MemberRole.member_id == Member.id)
        .where(
            Member.partnership_id == call.partnership.id,
            Member.active == True,
            MemberRole.role.in_(("chair", "secretariat")),
        )
    ).all()
    who = ", ".join(sorted({name or handle for handle, name in managers}))
    return call.t(
        "Du er ikke registreret i {p}. Formanden eller sekretariatet kan registrere dig{who} "
        "med `{c} medlem tilføj DIT-NAVN org=ORG rolle=medlem`.",
        "You are not registered in {p}. The chair or the secretariat can register you{who} "
        "with `{c} member add YOUR-NAME org=ORG role=member`.",
        p=call.partnership.name,
        c=call.ctx.command,
        who=f" ({who})" if who else "",
    )
