"""What the meetings' record adds to other views (issue 11): the `status` section on meetings
(attendance per organisation over the year, overdue follow-up items per organisation), the
open follow-up items on the next agenda and in its 2-day reminder, and the organisations absent
from the last two meetings, named in the next call for agenda items."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, select

from commands.engine.context import say
from commands.engine.fmt import count
from commands.engine.reply import Block, Note, Person, Table, Text
from commands.vocab import Role
from storage import records
from storage.models import ActionItem, Member, Organisation
from storage.queries import reachable

MEETINGS_DA, MEETINGS_EN = ("møde", "møder"), ("meeting", "meetings")


def status_blocks(
    session: Session, pid: int, year: int, lang: str, now: dt.datetime
) -> list[Block]:
    """Attendance per organisation for `year` and overdue follow-up items, or one line saying
    nothing is recorded yet."""
    blocks: list[Block] = []
    rows = records.by_organisation(session, pid, year, now)
    recorded = rows[0].recorded if rows else 0
    if recorded:
        blocks.append(
            Text(
                say(
                    lang,
                    "**Fremmøde {y}** (ved {n} med fremmøde skrevet):",
                    "**Attendance {y}** (at {n} with attendance recorded):",
                    y=year,
                    n=count(lang, recorded, MEETINGS_DA, MEETINGS_EN),
                )
            )
        )
        head = say(lang, "Organisation|Repræsenteret", "Organisation|Represented").split("|")
        blocks.append(
            Table(
                tuple(head),
                tuple((r.name, f"{r.represented}/{r.recorded}") for r in rows),
            )
        )
    else:
        blocks.append(
            Note(
                say(lang, "Intet fremmøde skrevet i {y}.", "No attendance recorded in {y}.", y=year)
            )
        )
    overdue = records.overdue_by_org(session, pid, now.date())
    open_count = records.count_open(session, pid)
    if open_count:
        late = ", ".join(f"{slug} {n}" for slug, n in overdue.items())
        blocks.append(
            Text(
                say(
                    lang,
                    "**Opfølgningspunkter:** {o} åbne, {l} overskredet{d}.",
                    "**Follow-up items:** {o} open, {l} overdue{d}.",
                    o=open_count,
                    l=sum(overdue.values()),
                    d=f" ({late})" if late else "",
                )
            )
        )
    return blocks


def open_items_text(session: Session, pid: int, lang: str, *, public: bool = False) -> str:
    """The open follow-up items as agenda lines ("" when there are none)."""
    items = [a for a in records.actions(session, pid) if not (public and a.internal)]
    if not items:
        return ""
    owners = _owner_names(session, pid, items)
    fmt_date = say(lang, "%d.%m.%Y", "%Y-%m-%d")
    lines = [
        f"{a.id}. {a.text} — {owners.get(a.id or 0, '-')}, "
        + say(lang, "frist {d}", "due {d}", d=a.due.strftime(fmt_date))
        for a in items
    ]
    head = say(lang, "Opfølgningspunkter (åbne):", "Follow-up items (open):")
    return head + "\n" + "\n".join(lines)


def _owner_names(session: Session, pid: int, items: list[ActionItem]) -> dict[int, str]:
    orgs = dict(
        session.exec(
            select(Organisation.id, Organisation.slug).where(Organisation.partnership_id == pid)
        ).all()
    )
    people = {
        m.id: m.display_name or m.handle
        for m in session.exec(select(Member).where(Member.partnership_id == pid))
    }
    return {
        a.id or 0: people.get(a.member_id, "-") if a.member_id else orgs.get(a.organisation_id, "-")
        for a in items
    }


def absent_block(
    session: Session, pid: int, now: dt.datetime, lang: str, platform: str
) -> Text | None:
    """The organisations nobody came for at the last two meetings, their people mentioned."""
    orgs = records.absent_twice(session, pid, now)
    if not orgs:
        return None
    slugs = [o.slug for o in orgs]
    people = reachable(session, pid, platform, slugs, Role.MEMBER)
    return Text(
        say(
            lang,
            "Ikke repræsenteret ved de to seneste møder: {o}. Aftalen forudsætter, at alle "
            "forvaltninger og parter er med i arbejdsgruppen.",
            "Not represented at the last two meetings: {o}. The agreement expects every "
            "administration and party in the working group.",
            o=", ".join(o.name for o in orgs),
        ),
        mentions=tuple(Person(platform, external, name) for external, name in people),
    )


def org_record(session: Session, pid: int, org_id: int, lang: str, now: dt.datetime) -> list[Block]:
    """For the App Home of an organisation's people: its open follow-up items, and at how many
    of this year's meetings it was represented."""
    blocks: list[Block] = []
    items = records.actions(session, pid, organisation_id=org_id)
    if items:
        fmt_date = say(lang, "%d.%m.%Y", "%Y-%m-%d")
        today = now.date()
        lines = [
            f"{a.id}. {a.text} — "
            + say(lang, "frist {d}", "due {d}", d=a.due.strftime(fmt_date))
            + (say(lang, " (overskredet)", " (overdue)") if a.due < today else "")
            for a in items
        ]
        head = say(
            lang, "**Jeres åbne opfølgningspunkter:**", "**Your organisation's open items:**"
        )
        blocks.append(Text(head + "\n" + "\n".join(lines)))
    slug = _slug(session, org_id)
    rows = records.by_organisation(session, pid, now.year, now)
    mine = next((r for r in rows if r.recorded and r.slug == slug), None)
    if mine is not None:
        blocks.append(
            Note(
                say(
                    lang,
                    "Fremmøde {y}: repræsenteret ved {r} af {n}.",
                    "Attendance {y}: represented at {r} of {n}.",
                    y=now.year,
                    r=mine.represented,
                    n=count(lang, mine.recorded, MEETINGS_DA, MEETINGS_EN),
                )
            )
        )
    return blocks


def _slug(session: Session, org_id: int) -> str:
    org = session.get(Organisation, org_id)
    return org.slug if org else ""
