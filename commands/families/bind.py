"""`bind SLUG` (`tilknyt`): ties the current channel to a partnership.

An admin or the chair of the partnership named binds a channel that is not bound. A channel
bound to another partnership is its chair's: it is rebound only by an admin or that chair
(who must be the named partnership's chair too), and only after a confirmation
(commands.engine.confirm), since the channel then stops seeing its own partnership.
"""

from __future__ import annotations

from sqlmodel import select

from commands.engine import confirm
from commands.engine.context import Call, PartnershipInfo
from commands.engine.messages import hint
from commands.engine.parse import Args
from commands.engine.registry import Right, family
from commands.engine.reply import Reply
from commands.vocab import Role
from storage.models import ChannelBinding, Member, MemberIdentity, MemberRole, Partnership

FAM = family(
    "bind", "tilknyt", "tie this channel to a partnership", "knyt denne kanal til et partnerskab"
)


def _is_chair(call: Call, partnership_id: int | None) -> bool:
    return (
        call.session.exec(
            select(MemberRole.id)
            .join(Member, Member.id == MemberRole.member_id)
            .join(MemberIdentity, MemberIdentity.member_id == Member.id)
            .where(
                MemberIdentity.partnership_id == partnership_id,
                MemberIdentity.platform == call.ctx.platform,
                MemberIdentity.external_id == call.ctx.user,
                Member.active == True,
                MemberRole.role == Role.CHAIR,
            )
        ).first()
        is not None
    )


def bind(call: Call, args: Args) -> Reply:
    slugs = sorted(call.ctx.partnerships)
    words, confirmed = confirm.confirmed(args.words)
    if len(words) != 1:
        raise call.usage("Vælg en af: {s}.", "Choose one of: {s}.", s=", ".join(slugs))
    slug = words[0].lower()
    target = call.session.exec(select(Partnership).where(Partnership.slug == slug)).first()
    if target is None or slug not in call.ctx.partnerships:
        raise call.fail(
            "Ukendt partnerskab '{w}'.{h} Vælg en af: {s}.",
            "Unknown partnership '{w}'.{h} Choose one of: {s}.",
            w=slug[:40],
            s=", ".join(slugs),
            h=hint(call, slug, slugs),
        )
    if not call.ctx.is_admin and not _is_chair(call, target.id):
        raise call.fail(
            "`tilknyt` kræver, at du er administrator eller formand for {p}. Intet er ændret.",
            "`bind` needs an admin or the chair of {p}. Nothing was changed.",
            p=target.name,
        )
    binding = call.session.exec(
        select(ChannelBinding).where(
            ChannelBinding.platform == call.ctx.platform,
            ChannelBinding.channel_id == call.ctx.channel,
        )
    ).first()
    if binding is not None and binding.partnership_id == target.id:
        raise call.fail(
            "Kanalen er allerede knyttet til {p}. Intet er ændret.",
            "This channel is already bound to {p}. Nothing was changed.",
            p=target.name,
        )
    if binding is not None:
        owner = call.session.get(Partnership, binding.partnership_id)
        owner_name = owner.name if owner else "-"
        if not call.ctx.is_admin and not _is_chair(call, binding.partnership_id):
            raise call.fail(
                "Kanalen er knyttet til {o}. Kun en administrator eller formanden for {o} kan "
                "knytte den til et andet partnerskab. Intet er ændret.",
                "This channel is bound to {o}. Only an admin or the chair of {o} can bind it "
                "to another partnership. Nothing was changed.",
                o=owner_name,
            )
        if not confirmed:
            return confirm.ask(
                call,
                call.t(
                    "Kanalen er knyttet til {o}. Skal den i stedet knyttes til {p}? Så viser "
                    "den kun {p}s data, og {o}s påmindelser kommer ikke længere her.",
                    "This channel is bound to {o}. Bind it to {p} instead? It then shows only "
                    "{p}'s data, and {o}'s reminders no longer come here.",
                    o=owner_name,
                    p=target.name,
                ),
                label=call.t("Knyt til {p}", "Bind to {p}", p=target.name[:50]),
                line=f"bind {target.slug}",
                line_da=f"tilknyt {target.slug}",
            )
    before = None
    if binding is None:
        binding = ChannelBinding(
            partnership_id=target.id or 0,
            platform=call.ctx.platform,
            channel_id=call.ctx.channel,
            bound_by=call.actor,
            bound_at=call.now,
        )
    else:
        before = {"partnership_id": binding.partnership_id, "channel": binding.channel_id}
    binding.partnership_id, binding.bound_by, binding.bound_at = (
        target.id or 0,
        call.actor,
        call.now,
    )
    call.session.add(binding)
    call.session.flush()
    call.partnership = PartnershipInfo(
        target.id or 0, target.slug, target.name, target.timezone, target.locale, target.demo
    )
    call.audit(
        "channel.bind",
        "channel_binding",
        binding.id,
        before,
        {"partnership_id": target.id, "platform": binding.platform, "channel": binding.channel_id},
    )
    done = call.t(
        "Kanalen er nu knyttet til {p}.", "This channel is now bound to {p}.", p=target.name
    )
    return confirm.answer(Reply.text(done, ephemeral=False))


FAM.subcommand(
    "",
    "",
    Right.BINDER,
    bind,
    "SLUG [confirm]",
    "SLUG [bekræft]",
    "tingbjerg-husum",
    "tingbjerg-husum",
    needs_partnership=False,
)
