"""`whoami` (`hvemerjeg`): your partnership, organisation and roles."""

from __future__ import annotations

from commands.engine.access import not_registered, unbound
from commands.engine.context import Call
from commands.engine.parse import Args
from commands.engine.registry import Right, family
from commands.engine.reply import Reply
from commands.vocab import Role

FAM = family(
    "whoami",
    "hvemerjeg",
    "your partnership, organisation and roles",
    "dit partnerskab, din organisation og dine roller",
)


def whoami(call: Call, args: Args) -> Reply:
    lines: list[str] = []
    if call.partnership is None:
        lines.append(unbound(call))
    elif call.member is None:
        if not call.ctx.is_admin:
            lines.append(not_registered(call))
        else:
            lines.append(call.t("Partnerskab: {p}", "Partnership: {p}", p=call.partnership.name))
    else:
        roles = ", ".join(Role.label_of(r, call.lang) for r in sorted(call.roles)) or "-"
        lines += [
            call.t("Du er {n}.", "You are {n}.", n=call.member.display_name or call.member.handle),
            call.t("Partnerskab: {p}", "Partnership: {p}", p=call.partnership.name),
            call.t(
                "Organisation: {o}",
                "Organisation: {o}",
                o=call.organisation.name if call.organisation else "-",
            ),
            call.t("Roller: {r}", "Roles: {r}", r=roles),
            call.t("Sprog: {l}", "Language: {l}", l=call.lang),
        ]
    if call.ctx.is_admin:
        lines.append(
            call.t("Du er administrator (alle rettigheder).", "You are an admin (all rights).")
        )
    return Reply.text(*lines)


FAM.subcommand("", "", Right.EVERYONE, whoami, needs_partnership=False)
