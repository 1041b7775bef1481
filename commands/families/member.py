"""`member add|list|remove` (`medlem tilføj|liste|fjern`): who is who in the partnership."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import lookup
from commands.engine.context import Call
from commands.engine.options import keys, opt
from commands.engine.parse import Args
from commands.engine.registry import Right, Sub, family
from commands.engine.reply import Reply, Table, Text
from commands.vocab import ROLE_WORDS, role_label
from storage.models import Member, MemberRole, Organisation

FAM = family(
    "member",
    "medlem",
    "who is who: add, list, remove members",
    "hvem er hvem: tilføj, vis og fjern medlemmer",
)


def _parse_role(call: Call, word: str) -> str:
    role = ROLE_WORDS.get(word.lower())
    if role is None:
        raise call.fail(
            "Ukendt rolle '{r}'. Vælg medlem, formand, sekretariat eller styregruppe.",
            "Unknown role '{r}'. Choose member, chair, secretariat or steering.",
            r=word[:30],
        )
    return role


def add(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.fail(
            "Angiv præcis én bruger: `{c} medlem tilføj @navn org=ORG rolle=ROLLE`.",
            "Give exactly one user: `{c} member add @name org=ORG role=ROLE`.",
            c=call.ctx.command,
        )
    handle, display = lookup.parse_user(call, args.words[0])
    role_word = opt(args, "role", "rolle")
    org_word = opt(args, "org", "organisation")
    lang = opt(args, "lang", "sprog")
    if not role_word:
        raise call.fail(
            "Angiv rolle=medlem, formand, sekretariat eller styregruppe.",
            "Give role=member, chair, secretariat or steering.",
        )
    role = _parse_role(call, role_word)
    if lang is not None and lang.lower() not in {"da", "en"}:
        raise call.fail("Sprog skal være da eller en.", "Language must be da or en.")
    org = lookup.organisation(call, org_word) if org_word else None
    existing = lookup.member_by_handle(call, handle, active_only=False)
    if existing is None and org is None:
        raise call.fail(
            "Angiv medlemmets organisation med org=ORG.",
            "Give the member's organisation with org=ORG.",
        )
    before = None
    old_roles: set[str] = set()
    if existing is not None:
        before = lookup_snapshot(call, existing)
        old_roles = set(
            call.session.exec(select(MemberRole.role).where(MemberRole.member_id == existing.id))
        )
        if not existing.active:
            old_roles = set()
            for stale in call.session.exec(
                select(MemberRole).where(MemberRole.member_id == existing.id)
            ):
                call.session.delete(stale)
        elif (
            role in old_roles
            and (org is None or org.id == existing.organisation_id)
            and (lang is None or lang.lower() == existing.lang)
        ):
            raise call.fail(
                "{h} er allerede {r}. Intet er ændret.",
                "{h} is already {r}. Nothing was changed.",
                h=existing.display_name or handle,
                r=role_label(role, call.lang),
            )
        member = existing
    else:
        member = Member(partnership_id=call.pid, handle=handle, display_name=display or handle)
    member.active = True
    if org is not None:
        member.organisation_id = org.id
    if lang is not None:
        member.lang = lang.lower()
    if display and not member.display_name:
        member.display_name = display
    call.session.add(member)
    call.session.flush()
    if role not in old_roles:
        call.session.add(MemberRole(partnership_id=call.pid, member_id=member.id, role=role))
        call.session.flush()
    call.audit("member.add", "member", member.id, before, lookup_snapshot(call, member))
    org_row = call.session.get(Organisation, member.organisation_id)
    return Reply.text(
        call.t(
            "Gemt: {h} er {r} for {o}.",
            "Saved: {h} is {r} for {o}.",
            h=member.display_name or handle,
            r=role_label(role, call.lang),
            o=org_row.name if org_row else "-",
        ),
        ephemeral=False,
    )


def lookup_snapshot(call: Call, member: Member) -> dict[str, object]:
    roles = sorted(
        call.session.exec(select(MemberRole.role).where(MemberRole.member_id == member.id))
    )
    org = call.session.get(Organisation, member.organisation_id) if member.organisation_id else None
    return {
        "handle": member.handle,
        "display_name": member.display_name,
        "organisation": org.slug if org else None,
        "roles": roles,
        "lang": member.lang,
        "active": member.active,
    }


def list_(call: Call, args: Args) -> Reply:
    if args.words:
        raise call.fail(
            "`medlem liste` tager ingen argumenter.", "`member list` takes no arguments."
        )
    rows = call.session.exec(
        select(Member, Organisation)
        .join(Organisation, isouter=True, onclause=Member.organisation_id == Organisation.id)
        .where(Member.partnership_id == call.pid, Member.active == True)
        .order_by(Organisation.slug, Member.handle)
    ).all()
    roles: dict[int, list[str]] = {}
    for member_id, role in call.session.exec(
        select(MemberRole.member_id, MemberRole.role).where(MemberRole.partnership_id == call.pid)
    ):
        roles.setdefault(member_id, []).append(role_label(role, call.lang))
    if not rows:
        return Reply.text(
            call.t(
                "Ingen medlemmer endnu. Tilføj med `{c} medlem tilføj`.",
                "No members yet. Add one with `{c} member add`.",
                c=call.ctx.command,
            )
        )
    table = Table(
        headers=tuple(
            call.t("Bruger|Organisation|Roller|Sprog", "User|Organisation|Roles|Lang").split("|")
        ),
        rows=tuple(
            (
                m.handle if m.display_name in {"", m.handle} else f"{m.display_name} (@{m.handle})",
                o.name if o else "-",
                ", ".join(sorted(roles.get(m.id or 0, []))),
                m.lang or "-",
            )
            for m, o in rows
        ),
    )
    return Reply(
        blocks=[
            Text(
                call.t(
                    "Medlemmer af {p} ({n}):",
                    "Members of {p} ({n}):",
                    n=len(rows),
                    p=call.partnership.name if call.partnership else "",
                )
            ),
            table,
        ]
    )


def remove(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.fail(
            "Angiv præcis én bruger: `{c} medlem fjern @navn`.",
            "Give exactly one user: `{c} member remove @name`.",
            c=call.ctx.command,
        )
    handle, _ = lookup.parse_user(call, args.words[0])
    member = lookup.member_by_handle(call, handle)
    if member is None:
        raise call.fail(
            "{h} er ikke medlem. Se `{c} medlem liste`.",
            "{h} is not a member. See `{c} member list`.",
            h=handle,
            c=call.ctx.command,
        )
    before = lookup_snapshot(call, member)
    member.active = False  # kept for history: updates and audit refer to the member
    call.session.add(member)
    call.session.flush()
    call.audit("member.remove", "member", member.id, before, lookup_snapshot(call, member))
    return Reply.text(
        call.t(
            "{h} er fjernet fra partnerskabet.",
            "{h} was removed from the partnership.",
            h=member.display_name or handle,
        ),
        ephemeral=False,
    )


FAM.add(
    Sub(
        "add",
        "tilføj",
        Right.MANAGER,
        add,
        "member add @USER org=ORG role=member|chair|secretariat|steering [lang=da|en]",
        "medlem tilføj @BRUGER org=ORG rolle=medlem|formand|sekretariat|styregruppe [sprog=da|en]",
        "member add @anna org=sof role=member lang=da",
        "medlem tilføj @anna org=sof rolle=medlem",
        keys("org", "organisation", "role", "rolle", "lang", "sprog"),
    )
)
FAM.add(
    Sub(
        "list",
        "liste",
        Right.REGISTERED,  # DESIGN section 3: who is who is for everyone registered
        list_,
        "member list",
        "medlem liste",
        "member list",
        "medlem liste",
    )
)
FAM.add(
    Sub(
        "remove",
        "fjern",
        Right.MANAGER,
        remove,
        "member remove @USER",
        "medlem fjern @BRUGER",
        "member remove @anna",
        "medlem fjern @anna",
    )
)
