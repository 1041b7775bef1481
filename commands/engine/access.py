"""Rights: the table of DESIGN section 3 applied before any subcommand runs."""

from __future__ import annotations

from commands.engine.context import Call, say
from commands.engine.registry import FAMILIES, Right, Sub
from commands.vocab import Role
from storage.queries import names_with_roles

NEEDED = {
    Right.REGISTERED: None,
    Right.UPDATER: {Role.MEMBER, Role.CHAIR, Role.SECRETARIAT},
    Right.MANAGER: {Role.CHAIR, Role.SECRETARIAT},
}


def check(call: Call, sub: Sub) -> str | None:
    """None when the caller may run `sub`; else the refusal text."""
    ctx = call.ctx
    if sub.right in (Right.EVERYONE, Right.BINDER):
        return None  # `bind` checks the chair of the partnership it names, not of this channel
    if call.partnership is None:
        if not sub.needs_partnership:
            return None
        return unbound(call)
    if ctx.is_admin:
        return None
    if call.member is None:
        return not_registered(call)
    needed = NEEDED[sub.right]
    if needed is None or call.roles & needed:
        return None
    labels = [Role.label_of(r, call.lang) for r in sorted(needed)]
    need = (
        labels[0]
        if len(labels) == 1
        else call.t("en af rollerne {r}", "one of the roles {r}", r=_listed(call, labels))
    )
    have = ", ".join(Role.label_of(r, call.lang) for r in sorted(call.roles)) or "-"
    name = call.t(sub.da, sub.name)
    return call.t(
        "`{cmd}` kræver {need}; du har: {have}. Intet er ændret.",
        "`{cmd}` needs {need}; you have: {have}. Nothing was changed.",
        cmd=f"{_family_of(sub, call.lang)} {name}".strip(),
        need=need if len(labels) > 1 else call.t("rollen {r}", "the role {r}", r=need),
        have=have,
    )


def _listed(call: Call, words: list[str]) -> str:
    """ "formand, medlem eller sekretariat" / "chair, member or secretariat"."""
    return ", ".join(words[:-1]) + call.t(" eller ", " or ") + words[-1]


def unbound(call: Call) -> str:
    """What a channel bound to no partnership answers: how to bind it, and to what."""
    return call.t(
        "Denne kanal er ikke knyttet til et partnerskab. En administrator eller formanden "
        "knytter den med `{c} tilknyt SLUG` (en af: {n}).",
        "This channel is not bound to a partnership. An admin or the chair binds it with "
        "`{c} bind SLUG` (one of: {n}).",
        c=call.ctx.command,
        n=", ".join(sorted(call.ctx.partnerships)),
    )


def _family_of(sub: Sub, lang: str) -> str:
    for fam in FAMILIES.values():
        if sub in fam.subs.values():
            return say(lang, fam.da, fam.name)
    return ""


def not_registered(call: Call) -> str:
    assert call.partnership is not None
    who = ", ".join(
        names_with_roles(call.session, call.partnership.id, (Role.CHAIR, Role.SECRETARIAT))
    )
    if not who:  # nobody to ask yet: the set-up's next step is the admin's
        return call.t(
            "Du er ikke registreret i {p}, og der er ingen formand eller sekretariat endnu. En "
            "administrator registrerer formanden med `{c} medlem tilføj @PERSON org=ORG "
            "rolle=formand`; formanden registrerer så de andre.",
            "You are not registered in {p}, and it has no chair or secretariat yet. An admin "
            "registers the chair with `{c} member add @PERSON org=ORG role=chair`; the chair "
            "then registers everyone else.",
            p=call.partnership.name,
            c=call.ctx.command,
        )
    return call.t(
        "Du er ikke registreret i {p}. Formanden eller sekretariatet kan registrere dig{who} "
        "med `{c} medlem tilføj DIT-NAVN org=ORG rolle=medlem`.",
        "You are not registered in {p}. The chair or the secretariat can register you{who} "
        "with `{c} member add YOUR-NAME org=ORG role=member`.",
        p=call.partnership.name,
        c=call.ctx.command,
        who=f" ({who})",
    )
