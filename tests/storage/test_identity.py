"""The identities migration on SQLite and PostgreSQL: today's members become people with one
platform identity each, nobody loses a role, and shell handles that differ only by case
become one person."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from helpers import SLUG, run
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage import migrate
from storage.models import (
    Activity,
    ActivityUpdate,
    AuditEvent,
    FocusArea,
    Meeting,
    Member,
    MemberIdentity,
    MemberRole,
    Organisation,
    Partnership,
    Rsvp,
)

BEFORE = "cef66df6ca02"  # the revision before member_identities
T0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)


def _at(days: int) -> dt.datetime:
    return T0 + dt.timedelta(days=days)


@pytest.fixture
def old_engine(engine: Engine) -> Iterator[Engine]:
    """The test database taken back to the revision before identities (and up again after)."""
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, BEFORE)
    try:
        yield engine
    finally:
        migrate.upgrade(engine)  # the PostgreSQL database is shared by the whole run


def _old_members(engine: Engine) -> dict[str, int]:
    """Members as the bot stored them before identities: handle = Slack id or shell handle."""
    ids: dict[str, int] = {}
    with Session(engine) as session:
        pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
        orgs = dict(
            session.exec(
                select(Organisation.slug, Organisation.id).where(Organisation.partnership_id == pid)
            ).all()
        )
        people = [
            # handle, display name, org, roles, active, age in days
            ("U024BE7LH", "Anna Slack", "sof", ["chair"], True, 0),
            ("W0ABC12", "Ole Enterprise", "okf", ["secretariat"], True, 1),
            ("Mette", "Mette Old", "sof", ["member"], True, 2),
            ("mette", "Mette New", "okf", ["chair", "member"], True, 5),
            ("Ux", "Ux", "ssp", ["member"], True, 3),  # too short for a Slack id: shell
            ("bo", "Bo", "politi", ["member"], False, 4),
            ("Kim", "Kim Removed", "fsb", ["steering"], False, 6),
            ("KIM", "Kim Back", "politi", ["member"], True, 7),
        ]
        for handle, name, org, roles, active, age in people:
            # the columns members had then (the ORM would write later ones: `left_at`)
            member_id = session.execute(
                Member.__table__.insert().values(  # type: ignore[attr-defined]
                    partnership_id=pid,
                    handle=handle,
                    display_name=name,
                    organisation_id=orgs[org],
                    active=active,
                    created_at=_at(age),
                )
            ).inserted_primary_key[0]
            ids[handle] = member_id
            session.add_all(
                MemberRole(partnership_id=pid, member_id=member_id, role=r) for r in roles
            )
        area = session.exec(select(FocusArea.id).where(FocusArea.partnership_id == pid)).first()
        # the columns activities had then, as for meetings below
        session.execute(
            text(
                "INSERT INTO activities (partnership_id, code, name, focus_area_id,"
                " organisation_id, criteria, created_at) VALUES (:p, 'PF1', 'X', :a, :o, '', :t)"
            ),
            {"p": pid, "a": area, "o": orgs["sof"], "t": _at(0)},
        )
        act_id = session.exec(
            select(Activity.id).where(Activity.partnership_id == pid, Activity.code == "PF1")
        ).one()
        for n in (0, 1):  # the columns meetings had then (the ORM would write later ones)
            result = session.execute(
                Meeting.__table__.insert().values(  # type: ignore[attr-defined]
                    partnership_id=pid, starts_at=_at(30 + n), created_by="x", kind="wg",
                    title="", duration_minutes=120, place="", status="planned",
                    created_at=_at(0),
                )
            )  # fmt: skip
            ids[f"m{n + 1}"] = int(result.inserted_primary_key[0])
        session.add(
            ActivityUpdate(
                partnership_id=pid,
                activity_id=act_id,
                member_id=ids["mette"],
                actor="mette",
                status="on-track",
            )
        )
        for meeting, who, answer in (
            ("m1", "Mette", "yes"),
            ("m1", "mette", "no"),
            ("m2", "mette", "maybe"),
        ):
            session.add(
                Rsvp(partnership_id=pid, meeting_id=ids[meeting], member_id=ids[who], answer=answer)
            )
        session.commit()
    return ids


def _roles(session: Session, member_id: int) -> set[str]:
    return set(session.exec(select(MemberRole.role).where(MemberRole.member_id == member_id)))


def test_upgrade_moves_members_to_identities_without_loss(old_engine: Engine, make_ctx) -> None:
    assert "member_identities" not in inspect(old_engine).get_table_names()
    ids = _old_members(old_engine)
    migrate.upgrade(old_engine)
    assert migrate.current_revision(old_engine) == migrate.head_revision()

    with Session(old_engine) as session:
        found = {
            (i.platform, i.external_id): i.member_id for i in session.exec(select(MemberIdentity))
        }
        assert found == {
            ("slack", "U024BE7LH"): ids["U024BE7LH"],
            ("slack", "W0ABC12"): ids["W0ABC12"],
            ("shell", "mette"): ids["Mette"],  # the older of the two keeps the identity
            ("shell", "ux"): ids["Ux"],
            ("shell", "bo"): ids["bo"],
            ("shell", "kim"): ids["Kim"],
        }
        members = {m.id: m for m in session.exec(select(Member))}
        # display handles and names stay as they were
        assert members[ids["Mette"]].handle == "Mette"
        assert members[ids["mette"]].display_name == "Mette New"
        # one person, every role either row had; the newer row stays for history, inactive
        assert _roles(session, ids["Mette"]) == {"member", "chair"}
        assert members[ids["Mette"]].active and not members[ids["mette"]].active
        assert _roles(session, ids["U024BE7LH"]) == {"chair"}
        assert not members[ids["bo"]].active and _roles(session, ids["bo"]) == {"member"}
        # removed Kim comes back as the Kim who was active: politi, member (not steering)
        kim = members[ids["Kim"]]
        assert kim.active and not members[ids["KIM"]].active
        assert _roles(session, ids["Kim"]) == {"member"}
        assert kim.organisation_id == members[ids["KIM"]].organisation_id
        # history moves with the person; the older answer for a meeting wins
        update = session.exec(select(ActivityUpdate)).one()
        assert update.member_id == ids["Mette"]
        answers = {(r.meeting_id, r.member_id): r.answer for r in session.exec(select(Rsvp))}
        assert answers[(ids["m1"], ids["Mette"])] == "yes"
        assert answers[(ids["m2"], ids["Mette"])] == "maybe"
        assert answers[(ids["m1"], ids["mette"])] == "no"  # kept, not lost
        merges = list(session.exec(select(AuditEvent).where(AuditEvent.action == "member.merge")))
        assert sorted(int(e.entity_id) for e in merges) == sorted([ids["Mette"], ids["Kim"]])
        mette = next(e for e in merges if int(e.entity_id) == ids["Mette"])
        assert {row["handle"] for row in json.loads(mette.before)} == {"Mette", "mette"}
        assert json.loads(mette.after)["merged"] == [ids["mette"]]
        assert all(e.actor == "migration" for e in merges)

    # The moved people are found as callers, by platform and id.
    make = make_ctx(old_engine)
    shell = run(make("mette"), "whoami").plain()
    assert "Mette Old" in shell and "chair" in shell and "member" in shell
    slack = dataclasses.replace(make("U024BE7LH"), platform="slack", partnership=SLUG)
    assert "Anna Slack" in run(slack, "whoami").plain()
    # a Slack id typed into the shell is not the Slack person
    assert "not registered" in run(make("U024BE7LH"), "whoami").plain()
    assert "not registered" in run(make("bo"), "whoami").plain()  # removed stays removed


def test_identity_of_old_handles() -> None:
    module = ScriptDirectory.from_config(migrate._config()).get_revision("d7665aa5713e").module
    assert module.identity_of("U024BE7LH") == ("slack", "U024BE7LH")
    assert module.identity_of("W0ABC12") == ("slack", "W0ABC12")
    assert module.identity_of("U1") == ("shell", "u1")
    assert module.identity_of("Ulla") == ("shell", "ulla")
    assert module.identity_of("u024be7lh") == ("shell", "u024be7lh")
