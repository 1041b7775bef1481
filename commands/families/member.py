"""`member add|list|remove|link` (`medlem tilføj|liste|fjern|kobl`): who is who.

A member is a person of one partnership with one set of roles, known on one or more platforms
by their identities (`member_identities`: a chat platform's user id, a shell handle).
`members.handle` is the person's display handle, what lists and the audit show."""

from __future__ import annotations

from sqlmodel import select

from commands.engine import confirm, lookup
from commands.engine.context import Call
from commands.engine.messages import parse_word
from commands.engine.options import keys, opt
from commands.engine.parse import Args
from commands.engine.registry import Right, family
from commands.engine.reply import Person, Reply, Table, Text
from commands.vocab import Role
from storage.models import Member, MemberIdentity, MemberRole, Organisation
from storage.queries import identities_of

FAM = family(
    "member",
    "medlem",
    "who is who: add, list, remove members",
    "hvem er hvem: tilføj, vis og fjern medlemmer",
)


def add(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.usage("Angiv præcis én bruger.", "Give exactly one user.")
    person = lookup.parse_user(call, args.words[0])
    display = person.name or person.id
    role_word = opt(args, "role", "rolle")
    org_word = opt(args, "org", "organisation")
    lang = opt(args, "lang", "sprog")
    if not role_word:
        raise call.usage("Angiv rollen.", "Give the role.")
    role = parse_word(call, Role, role_word, "rolle", "role")
    if lang is not None and lang.lower() not in {"da", "en"}:
        raise call.fail("Sprog skal være da eller en.", "Language must be da or en.")
    org = lookup.organisation(call, org_word) if org_word else None
    # the same identity again is the same person: the role is added to theirs
    existing = lookup.member_by_identity(call, person, active_only=False)
    mapped = _org_of_tenant(call, person) if existing is None and org is None else None
    org = org or mapped
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
                h=existing.display_name or existing.handle,
                r=role_noun(role, call.lang),
            )
        member = existing
    else:
        member = Member(
            partnership_id=call.pid, handle=_free_handle(call, person), display_name=display
        )
    member.active = True
    member.left_at = None
    if org is not None:
        member.organisation_id = org.id
    if lang is not None:
        member.lang = lang.lower()
    if display and not member.display_name:
        member.display_name = display
    call.session.add(member)
    call.session.flush()
    if existing is None:
        call.session.add(_identity(call, member, person))
    if role not in old_roles:
        call.session.add(MemberRole(partnership_id=call.pid, member_id=member.id, role=role.value))
        call.session.flush()
    call.audit("member.add", "member", member.id, before, lookup_snapshot(call, member))
    org_row = call.session.get(Organisation, member.organisation_id)
    saved = call.announce(
        "Gemt: {h} er {r} for {o}.",
        "Saved: {h} is {r} for {o}.",
        h=member.display_name or member.handle,
        r=role_noun(role, call.lang),
        o=org_row.name if org_row else "-",
    )
    if mapped is None:
        return saved
    # say where the organisation came from, and how to correct it, as no one typed it
    return call.announce(
        "{s} Organisationen er valgt ud fra personens {p}-konto, som hører til {o}. "
        "Er det forkert, så ret det med `{c} medlem tilføj @{h} org=ORG rolle={r}`.",
        "{s} The organisation was chosen from the person's {p} account, which belongs to "
        "{o}. If that is wrong, correct it with `{c} member add @{h} org=ORG role={r}`.",
        s=saved.plain(),
        p=PLATFORM_NAMES.get(person.platform, person.platform),
        o=org_row.name if org_row else "-",
        c=call.ctx.command,
        h=member.display_name or member.handle,
        r=role.label(call.lang),
    )


# a role as it stands after "er" / "is": "bo er styregruppemedlem", "anna is a member"
ROLE_NOUNS = {
    Role.MEMBER: ("medlem", "a member"),
    Role.CHAIR: ("formand", "the chair"),
    Role.SECRETARIAT: ("sekretariat", "the secretariat"),
    Role.STEERING: ("styregruppemedlem", "a steering-group member"),
}


def role_noun(role: Role, lang: str) -> str:
    da, en = ROLE_NOUNS[role]
    return da if lang == "da" else en


def _org_of_tenant(call: Call, person: Person) -> Organisation | None:
    """The active organisation the partnership file names for the person's home tenant."""
    spec = call.spec.organisation_of_tenant(person.tenant) if call.spec else None
    if spec is None:
        return None
    return call.session.exec(
        select(Organisation).where(
            Organisation.partnership_id == call.pid,
            Organisation.slug == spec.slug,
            Organisation.active == True,
        )
    ).first()


def _free_handle(call: Call, person: Person) -> str:
    """A new person's display handle: the id they were added with, or, when another person
    (known on another platform) already shows that, the id with its platform in front."""
    handle, n = person.id[:80], 1
    while call.session.exec(
        select(Member.id).where(Member.partnership_id == call.pid, Member.handle == handle)
    ).first():
        handle, n = f"{person.platform}{n if n > 1 else ''}:{person.id}"[:80], n + 1
    return handle


def _identity(call: Call, member: Member, person: Person) -> MemberIdentity:
    return MemberIdentity(
        partnership_id=call.pid,
        member_id=member.id or 0,
        platform=person.platform,
        external_id=person.id,
        created_at=call.now,
    )


def _existing(call: Call, word: str) -> Member:
    """An active person named by a mention/handle here or by the handle `member list` shows."""
    member = lookup.member(call, word)
    if member is None:
        raise lookup.missing(
            call, "member list", "{h} er ikke medlem.", "{h} is not a member.", h=word[:40]
        )
    return member


def lookup_snapshot(call: Call, member: Member) -> dict[str, object]:
    roles = sorted(
        call.session.exec(select(MemberRole.role).where(MemberRole.member_id == member.id))
    )
    org = call.session.get(Organisation, member.organisation_id) if member.organisation_id else None
    return {
        "handle": member.handle,
        "display_name": member.display_name,
        "identities": sorted(
            f"{i.platform}:{i.external_id}"
            for i in call.session.exec(
                select(MemberIdentity).where(MemberIdentity.member_id == member.id)
            )
        ),
        "organisation": org.slug if org else None,
        "roles": roles,
        "lang": member.lang,
        "active": member.active,
    }


def list_(call: Call, args: Args) -> Reply:
    if args.words:
        raise call.usage("Listen tager ingen argumenter.", "The list takes no arguments.")
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
        roles.setdefault(member_id, []).append(Role.label_of(role, call.lang))
    accounts = identities_of(call.session, call.pid)
    if not rows:
        return call.reply(
            "Ingen medlemmer endnu. Tilføj med `{c} medlem tilføj`.",
            "No members yet. Add one with `{c} member add`.",
            c=call.ctx.command,
        )
    table = Table(
        headers=tuple(
            call.t(
                "Bruger|Organisation|Roller|Sprog|Konti", "User|Organisation|Roles|Lang|Accounts"
            ).split("|")
        ),
        rows=tuple(
            (
                m.handle if m.display_name in {"", m.handle} else f"{m.display_name} (@{m.handle})",
                o.name if o else "-",
                ", ".join(sorted(roles.get(m.id or 0, []))),
                m.lang or "-",
                ", ".join(f"{i.platform}: {i.external_id}" for i in accounts.get(m.id or 0, []))
                or "-",
            )
            for m, o in rows
        ),
    )
    blocks = [
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
    unmatched = _without_account(call, [m for m, _ in rows], accounts)
    if unmatched is not None:
        blocks.append(unmatched)
    return Reply(blocks=blocks)


PLATFORM_NAMES = {"slack": "Slack", "teams": "Teams"}


def _without_account(
    call: Call, members: list[Member], accounts: dict[int, list[MemberIdentity]]
) -> Text | None:
    """On a chat platform: the people it cannot recognise yet (registered in the shell, on
    another platform, or as a bare name before Slack escaped mentions), and how to link them."""
    platform = PLATFORM_NAMES.get(call.ctx.platform)
    if platform is None:
        return None
    missing = [
        m.handle
        for m in members
        if not any(i.platform == call.ctx.platform for i in accounts.get(m.id or 0, []))
    ]
    if not missing:
        return None
    return Text(
        call.t(
            "Ingen {p}-konto endnu, så {p} kan ikke genkende dem: {names}. "
            "Kobl en person med `{c} medlem kobl {first} @person`.",
            "No {p} account yet, so {p} cannot recognise them: {names}. "
            "Link a person with `{c} member link {first} @person`.",
            p=platform,
            names=", ".join(missing),
            first=missing[0],
            c=call.ctx.command,
        )
    )


def remove(call: Call, args: Args) -> Reply:
    """Asks first; `member remove USER confirm` removes (commands.engine.confirm)."""
    words, confirmed = confirm.confirmed(args.words)
    if len(words) != 1:
        raise call.usage("Angiv præcis én bruger.", "Give exactly one user.")
    member = _existing(call, words[0])
    name = member.display_name or member.handle
    if not confirmed:
        return confirm.ask(
            call,
            call.t(
                "Skal {h} fjernes fra partnerskabet? Personen mister sine roller; "
                "opdateringer og historik bevares.",
                "Remove {h} from the partnership? They lose their roles; their updates and "
                "history are kept.",
                h=name,
            ),
            label=call.t("Fjern {h}", "Remove {h}", h=name[:40]),
            line=f"member remove {member.handle}",
            line_da=f"medlem fjern {member.handle}",
        )
    before = lookup_snapshot(call, member)
    member.active = False  # kept for history: updates and audit refer to the member
    member.left_at = call.now  # the retention clock of a former member's details (issue 13)
    call.save(member, "member.remove", "member", before, lookup_snapshot(call, member))
    done = call.t(
        "{h} er fjernet fra partnerskabet.", "{h} was removed from the partnership.", h=name
    )
    return confirm.answer(Reply.text(done, ephemeral=False))


def link(call: Call, args: Args) -> Reply:
    """A second platform identity for a person, who keeps one set of roles. The new identity
    is written as this platform writes people, so a link is made on the new platform."""
    if len(args.words) != 2:
        raise call.usage("Angiv personen og den nye bruger.", "Give the person and the new user.")
    member = _existing(call, args.words[0])
    person = lookup.parse_user(call, args.words[1])
    owner = lookup.member_by_identity(call, person, active_only=False)
    name = member.display_name or member.handle
    if owner is not None and owner.id == member.id:
        raise call.fail(
            "{u} er allerede koblet til {h}. Intet er ændret.",
            "{u} is already linked to {h}. Nothing was changed.",
            u=person.label,
            h=name,
        )
    if owner is not None and owner.active:
        raise call.fail(
            "{u} tilhører allerede {o}, som har sine egne roller. Intet er ændret. Er det samme "
            "person, så fjern først {o} med `{c} medlem fjern` og kobl igen.",
            "{u} already belongs to {o}, who has roles of their own. Nothing was changed. If it "
            "is the same person, first remove {o} with `{c} member remove` and link again.",
            u=person.label,
            o=owner.display_name or owner.handle,
            c=call.ctx.command,
        )
    before = lookup_snapshot(call, member)
    if owner is None:
        call.session.add(_identity(call, member, person))
    else:  # a removed person's identity moves; their history stays with them
        identity = call.session.exec(
            select(MemberIdentity).where(
                MemberIdentity.member_id == owner.id,
                MemberIdentity.platform == person.platform,
                MemberIdentity.external_id == person.id,
            )
        ).one()
        identity.member_id = member.id or 0
        call.session.add(identity)
    call.session.flush()
    after = lookup_snapshot(call, member) | ({"from": owner.handle} if owner else {})
    call.audit("member.link", "member", member.id, before, after)
    return call.announce(
        "Koblet: {h} kan nu også bruge botten som {u}, med de samme roller.",
        "Linked: {h} can now also use the bot as {u}, with the same roles.",
        u=person.label,
        h=name,
    )


FAM.subcommand(
    "add",
    "tilføj",
    Right.MANAGER,
    add,
    f"@USER org=ORG role={Role.choices('en')} [lang=da|en]",
    f"@BRUGER org=ORG rolle={Role.choices('da')} [sprog=da|en]",
    "@anna org=sof role=member lang=da",
    "@anna org=sof rolle=medlem",
    keys("org", "organisation", "role", "rolle", "lang", "sprog"),
)
# DESIGN section 3: who is who is for everyone registered
FAM.subcommand("list", "liste", Right.REGISTERED, list_)
FAM.subcommand(
    "remove",
    "fjern",
    Right.MANAGER,
    remove,
    "@USER [confirm]",
    "@BRUGER [bekræft]",
    "@anna",
    "@anna",
)
FAM.subcommand(
    "link",
    "kobl",
    Right.MANAGER,
    link,
    "@USER @NEW-USER",
    "@BRUGER @NY-BRUGER",
    "@anna @anna.hansen",
    "@anna @anna.hansen",
)
