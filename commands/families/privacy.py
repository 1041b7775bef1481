"""`member export USER` and `member forget USER reason=TEXT` (`medlem eksport|glem`): a
person's own data, and its erasure (issue 13, GDPR articles 15 and 17 as a Danish municipality
applies them). Chair, secretariat and admins; both are audited.

`forget` pseudonymises (storage.personal): the person's name, handle and platform ids become
`glemt-7f3a` in every table, while the organisation and every count stay, so the partnership's
records stay true. It asks first, refuses for the partnership's last chair, and records the
reason, who asked and when — never the old name or ids. Former members are forgotten the same
way by the retention job (storage.retention) once the partnership file's time has passed.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import select

from commands.engine import audit, confirm, fmt, lookup
from commands.engine.context import Call
from commands.engine.options import keys, opt
from commands.engine.parse import Args, command_line
from commands.engine.registry import Right
from commands.engine.reply import FileOut, Reply, Text
from commands.families.export import XLSX
from commands.families.member import FAM
from commands.views.person_file import person_workbook
from commands.vocab import Role
from storage import personal
from storage.models import Member, MemberRole

MAX_REASON = 500


def _person(call: Call, word: str) -> Member:
    """Anyone who is or was a member here (a former member's data is theirs too)."""
    member = lookup.member(call, word, active_only=False)
    if member is None:
        raise lookup.missing(
            call, "member list", "{h} er ikke medlem.", "{h} is not a member.", h=word[:40]
        )
    return member


def export_person(call: Call, args: Args) -> Reply:
    if len(args.words) != 1:
        raise call.usage("Angiv præcis én bruger.", "Give exactly one user.")
    member = _person(call, args.words[0])
    assert call.partnership is not None
    lang = call.partnership.locale  # the file is the partnership's record: its language
    zone = call.spec.tz if call.spec else dt.UTC
    data, counts = person_workbook(
        call.session,
        member,
        lang=lang,
        zone=zone,
        partnership=call.partnership.name,
    )
    today = call.now.astimezone(zone).date()
    # named by the member's number, not the handle: the audit keeps the file name
    name = (
        f"{call.partnership.slug}-{call.t('persondata', 'personal-data')}-{member.id}-"
        f"{today:%Y-%m-%d}.xlsx"
    )
    call.audit("member.export", "member", member.id, None, {"file": name, "rows": counts})
    text = call.t(
        "Alle oplysninger, partnerskabet har om {h}, pr. {d} som regneark: {n} (ét ark pr. "
        "type oplysning). Filen indeholder personoplysninger og er kun sendt til dig; giv den "
        "videre til personen på sikker vis (fx Digital Post eller sikker mail).",
        "Everything the partnership holds about {h} as of {d}, as a spreadsheet: {n} (one "
        "sheet per kind). The file holds personal data and has been sent to you only; pass it "
        "on to the person securely (e.g. Digital Post or secure email).",
        h=member.display_name or member.handle,
        d=fmt.date(today, call.lang, long=True),
        n=call.t("{r} rækker", "{r} rows", r=fmt.number(sum(counts.values()), call.lang)),
    )
    return Reply(
        blocks=[Text(text)],
        files=[FileOut(name, data, XLSX, call.t("Persondata", "Personal data"))],
        ephemeral=True,
    )


def _last_chair(call: Call, member: Member) -> bool:
    if not member.active:
        return False
    chairs = set(
        call.session.exec(
            select(MemberRole.member_id)
            .join(Member, Member.id == MemberRole.member_id)
            .where(
                MemberRole.partnership_id == call.pid,
                MemberRole.role == Role.CHAIR.value,
                Member.active == True,
            )
        )
    )
    return chairs == {member.id}


def forget(call: Call, args: Args) -> Reply:
    """Asks first; `member forget USER reason=TEXT confirm` erases (commands.engine.confirm)."""
    words, confirmed = confirm.confirmed(args.words)
    if len(words) != 1:
        raise call.usage("Angiv præcis én bruger.", "Give exactly one user.")
    reason = opt(args, "reason", "grund") or ""
    if not reason:
        raise call.usage(
            'Angiv grunden med grund=TEKST (fx grund="anmodning om sletning").',
            'Give the reason with reason=TEXT (e.g. reason="asked to be erased").',
        )
    if len(reason) > MAX_REASON:
        raise call.fail(
            "Grunden er for lang (højst {n} tegn).",
            "The reason is too long (at most {n}).",
            n=MAX_REASON,
        )
    member = _person(call, words[0])
    name = member.display_name or member.handle
    if personal.is_forgotten(member):
        raise call.fail(
            "{h} er allerede glemt. Intet er ændret.",
            "{h} has already been forgotten. Nothing was changed.",
            h=member.handle,
        )
    if _last_chair(call, member):
        raise call.fail(
            "{h} er partnerskabets eneste formand og kan ikke glemmes, for så er der ingen til "
            "at lede arbejdsgruppen. Udpeg først en ny formand med `{c} medlem tilføj @PERSON "
            "org=ORG rolle=formand`. Intet er ændret.",
            "{h} is the partnership's only chair and cannot be forgotten, as nobody would be "
            "left to lead the work. First appoint a new chair with `{c} member add @PERSON "
            "org=ORG role=chair`. Nothing was changed.",
            h=name,
            c=call.ctx.command,
        )
    if not confirmed:
        return confirm.ask(
            call,
            call.t(
                "Skal {h} glemmes? Navn, brugernavn og konti erstattes overalt af et "
                "pseudonym (fx glemt-7f3a), og personen fjernes fra partnerskabet. "
                "Organisationen og alle optællinger bevares. Det kan ikke fortrydes.",
                "Forget {h}? Their name, handle and accounts are replaced everywhere by a "
                "pseudonym (e.g. glemt-7f3a), and they are removed from the partnership. The "
                "organisation and all counts are kept. This cannot be undone.",
                h=name,
            ),
            label=call.t("Glem {h}", "Forget {h}", h=name[:40]),
            line=command_line("member", "forget", member.handle, options={"reason": reason}),
            line_da=command_line("medlem", "glem", member.handle, options={"grund": reason}),
        )
    own = call.member is not None and call.member.id == member.id
    erasure = personal.forget(
        call.session, member, reason=reason, requested_by=call.actor, at=call.now
    )
    actor = erasure.pseudonym if own else call.actor  # forgetting oneself leaves no trace either
    if own:
        erasure.requested_by = actor
        call.session.add(erasure)
    rows = json.loads(erasure.rows)
    audit.record(
        call.session,
        partnership_id=call.pid,
        actor=actor,
        action="member.forget",
        entity="member",
        entity_id=member.id,
        before=None,
        after={
            "pseudonym": erasure.pseudonym,
            "reason": erasure.reason,
            "erasure": erasure.id,
            "rows": rows,
        },
        at=call.now,
    )
    done = call.t(
        "Personen er glemt og hedder nu {p} i alle partnerskabets data ({n} rækker i {t} "
        "tabeller). Organisationen og optællingerne er bevaret. Grunden, hvem der bad om det, "
        "og hvornår, er registreret.",
        "The person has been forgotten and is now {p} in all of the partnership's data ({n} "
        "rows in {t} tables). The organisation and the counts are kept. The reason, who asked "
        "and when are recorded.",
        p=erasure.pseudonym,
        n=fmt.number(sum(rows.values()), call.lang),
        t=fmt.number(len(rows), call.lang),
    )
    return confirm.answer(Reply.text(done))


FAM.subcommand(
    "export",
    "eksport",
    Right.MANAGER,
    export_person,
    "@USER",
    "@BRUGER",
    "@anna",
    "@anna",
    slow=True,
)
FAM.subcommand(
    "forget",
    "glem",
    Right.MANAGER,
    forget,
    "@USER reason=TEXT [confirm]",
    "@BRUGER grund=TEKST [bekræft]",
    '@anna reason="asked to be erased"',
    '@anna grund="anmodning om sletning"',
    keys("reason", "grund"),
    slow=True,  # it rewrites every table: chat acknowledges first
)
