"""The personal overview (Slack's App Home): your partnerships, your organisation's activities
with their last update and its age, and what to do next. Platform-neutral, like a command."""

from __future__ import annotations

from sqlmodel import Session, select

from commands.engine.context import Context, say
from commands.engine.fmt import count, plural
from commands.engine.reply import Button, Header, Note, Reply, Table, Text
from commands.views.meeting_record import org_record
from commands.views.targets import at_a_glance
from commands.views.undelivered import UNDELIVERED_NAME
from commands.vocab import Role, Status
from storage import reminders
from storage.models import Activity, MemberRole, Organisation
from storage.queries import latest_updates, memberships_of

STALE_DAYS = 60  # an activity with no update for two months is worth a nudge


def home(ctx: Context) -> Reply:
    with Session(ctx.engine) as session:
        memberships = memberships_of(session, ctx.platform, ctx.user)
        fallback = ctx.preferred_lang()
        if not memberships:
            return Reply(
                blocks=[
                    Header("Partnerbot"),
                    Text(
                        say(
                            fallback,
                            "Du er ikke registreret i et partnerskab endnu. Bed formanden eller "
                            "sekretariatet om at tilføje dig med `{c} medlem tilføj`.",
                            "You are not registered in a partnership yet. Ask the chair or the "
                            "secretariat to add you with `{c} member add`.",
                            c=ctx.command,
                        )
                    ),
                    Note(
                        say(
                            fallback,
                            "Skriv `{c} hjælp` for alle kommandoer.",
                            "Type `{c} help` for all commands.",
                            c=ctx.command,
                        )
                    ),
                ]
            )
        blocks: list[Header | Text | Note | Table] = []
        buttons: list[Button] = []
        now = ctx.clock()
        for member, partnership in memberships:
            lang = ctx.lang or member.lang or fallback or partnership.locale
            roles = list(
                session.exec(select(MemberRole.role).where(MemberRole.member_id == member.id))
            )
            org = (
                session.get(Organisation, member.organisation_id)
                if member.organisation_id
                else None
            )
            blocks.append(Header(partnership.name + (" — DEMO" if partnership.demo else "")))
            blocks.append(
                Text(
                    say(
                        lang,
                        "**{o}** · {r}",
                        "**{o}** · {r}",
                        o=org.name if org else "-",
                        r=", ".join(Role.label_of(r, lang) for r in sorted(roles)) or "-",
                    )
                )
            )
            summary = at_a_glance(session, partnership.id or 0, lang)
            if summary is not None:
                blocks.append(summary)
            if {Role.CHAIR, Role.SECRETARIAT} & set(roles):
                lost = reminders.undelivered(
                    session, partnership.id or 0, besides=f"{UNDELIVERED_NAME}:"
                )
                if lost:
                    blocks.append(Note(_undelivered(lang, lost, ctx.command)))
            if org is None:
                continue
            blocks += org_record(session, partnership.id or 0, org.id or 0, lang, now)
            acts = session.exec(
                select(Activity)
                .where(
                    Activity.partnership_id == partnership.id, Activity.organisation_id == org.id
                )
                .order_by(Activity.code)
            ).all()
            latest = latest_updates(session, partnership.id or 0, [a.id for a in acts if a.id])
            rows, stale = [], 0
            for act in acts:
                upd = latest.get(act.id or 0)
                if upd is None:
                    rows.append((act.code, act.name, "-", say(lang, "aldrig", "never")))
                    stale += 1
                    continue
                days = (now - upd.created_at).days
                stale += days >= STALE_DAYS
                rows.append(
                    (
                        act.code,
                        act.name,
                        Status.label_of(upd.status, lang),
                        say(
                            lang,
                            "{d} siden",
                            "{d} ago",
                            d=count(lang, days, ("dag", "dage"), ("day", "days")),
                        ),
                    )
                )
            if rows:
                blocks.append(
                    Table(
                        tuple(
                            say(
                                lang,
                                "Kode|Aktivitet|Status|Seneste opdatering",
                                "Code|Activity|Status|Last update",
                            ).split("|")
                        ),
                        tuple(rows),
                    )
                )
                nudge = (
                    say(
                        lang,
                        "{n} af jeres aktiviteter har ikke fået en opdatering i {d} dage. ",
                        "{n} of your activities {h} had no update for {d} days. ",
                        n=stale,
                        h=plural(stale, "has", "have", "en"),
                        d=STALE_DAYS,
                    )
                    if stale
                    else ""
                )
                blocks.append(
                    Note(
                        nudge
                        + say(
                            lang,
                            "Næste skridt: skriv en opdatering med `{c} opdater KODE STATUS NOTE` "
                            "eller knappen.",
                            "Next: post an update with `{c} update CODE STATUS NOTE` "
                            "or the button.",
                            c=ctx.command,
                        )
                    )
                )
                if not buttons:
                    buttons.append(
                        Button(say(lang, "Skriv en opdatering", "Post an update"), "update")
                    )
            else:
                blocks.append(
                    Note(
                        say(
                            lang,
                            "{o} har ingen aktiviteter i tryghedsplanen endnu.",
                            "{o} has no activities in the safety plan yet.",
                            o=org.name,
                        )
                    )
                )
        return Reply(blocks=list(blocks), buttons=buttons)


def _undelivered(lang: str, n: int, command: str) -> str:
    return say(
        lang,
        "⚠ {n} {p} ikke nået frem. Se hvorfor med `{c} møde påmindelser`.",
        "⚠ {n} {p} not reached people. See why with `{c} meeting reminders`.",
        n=n,
        p=say(
            lang,
            plural(n, "påmindelse er", "påmindelser er", "da"),
            plural(n, "reminder has", "reminders have", "en"),
        ),
        c=command,
    )
