"""A person's own data (issue 13): `member export USER` gives the chair or secretariat one
workbook with everything the bot holds about the person; `member forget USER reason=TEXT`
pseudonymises them everywhere — no trace of their name, handle or platform ids in any text
column of any table, every table keeping its rows — and refuses the partnership's last chair."""

from __future__ import annotations

import datetime as dt
import io
import json
import time
from dataclasses import replace

import pytest
from helpers import SLUG, cast_at, run, table_snapshot
from openpyxl import load_workbook
from sqlalchemy import String, func, inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from commands.engine.context import Context
from storage.models import (
    ActionItem,
    ActivityUpdate,
    Attendance,
    AuditEvent,
    ConversationRef,
    Erasure,
    Member,
    MemberIdentity,
    Organisation,
    Partnership,
    UserLocale,
)
from storage.personal import was_erased
from storage.sync import sync_partnership

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
SLACK_ID = "U0ANNA123"
TRACES = ("Anna Hansen", "anna", SLACK_ID)  # her display name, handle (and shell id), Slack id


def _slack(ctx: Context) -> Context:
    """Anna on Slack, in the partnership by slug."""
    return replace(ctx, platform="slack", user=SLACK_ID, user_name="Anna Hansen", is_admin=False)


@pytest.fixture
def world(engine: Engine, make_ctx):
    """The small cast; anna (sof) is also on Slack and leaves traces everywhere."""
    ctx = cast_at(engine, make_ctx, NOW)
    with Session(engine) as session:
        pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
        anna = session.exec(select(Member).where(Member.handle == "anna")).one()
        anna.display_name = "Anna Hansen"
        session.add(anna)
        session.add(
            MemberIdentity(
                partnership_id=pid, member_id=anna.id or 0, platform="slack", external_id=SLACK_ID
            )
        )
        session.add(UserLocale(platform="slack", user_id=SLACK_ID, locale="da-DK"))
        session.add(
            ConversationRef(
                platform="slack", channel_id="D0ANNA", conversation_id="D0ANNA", kind="personal",
                service_url="", user_id=SLACK_ID,
            )
        )  # fmt: skip
        session.commit()
    root = ctx("root", admin=True)
    for who, line in (
        (root, "meeting add 2026-11-03 13:00"),
        (root, "meeting add 2027-03-02 13:00"),
        (ctx("anna"), "update PF1 on-track Anna Hansen and <@U0ANNA123|anna> walked"),
        (_slack(ctx("anna")), "update PF1 at-risk rain, said anna"),
        (_slack(ctx("anna")), "meeting rsvp 2 yes"),
        (ctx("anna"), "agenda add Anna Hansen: Annas walks"),
        (ctx("chair"), "attendance 1 @chair @anna apologies @bo"),
        (ctx("chair"), "decision add 1 The walks go on, as anna proposed"),
        (ctx("chair"), 'action add 1 "Send the walk list" owner=@anna due=2027-04-01'),
        (ctx("chair"), "action done 1 anna sent it"),
        (ctx("chair"), 'action add 1 "Count the walkers" owner=@anna due=2027-04-02'),
        (ctx("sekr"), "member link @anna @annahansen"),
    ):
        reply = run(who, line)
        assert reply.ok, (line, reply.plain())
    return ctx


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in SQLModel.metadata.sorted_tables
        }


def _traces_left(engine: Engine, traces: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Every text column of every table (as the database has them), any trace, any case."""
    found = []
    inspector = inspect(engine)
    with engine.connect() as conn:
        for table in inspector.get_table_names():
            for column in inspector.get_columns(table):
                if not isinstance(column["type"], String):
                    continue
                name = column["name"]
                for trace in traces:
                    hits = conn.execute(
                        text(f'SELECT "{name}" FROM "{table}" WHERE lower("{name}") LIKE :t'),
                        {"t": f"%{trace.lower()}%"},
                    ).scalars()
                    found += [(table, name, value) for value in hits]
    return found


def test_forget_leaves_no_trace_and_every_table_its_rows(engine: Engine, world) -> None:
    assert _traces_left(engine, TRACES)  # she is everywhere now
    with Session(engine) as session:
        anna = session.exec(select(Member).where(Member.handle == "anna")).one()
        anna_id, sof = anna.id, anna.organisation_id
        updates_of_sof = session.exec(select(func.count()).select_from(ActivityUpdate)).one()
    counts = _counts(engine)

    before = table_snapshot(engine)
    asked = run(world("chair"), 'member forget @anna reason="asked to be erased"')
    assert asked.ok and asked.buttons and "cannot be undone" in asked.plain(), asked.plain()
    assert table_snapshot(engine) == before  # asking changes nothing
    assert asked.buttons[0].command.endswith("confirm")

    started = time.perf_counter()
    done = run(world("chair"), asked.buttons[0].command)
    took = time.perf_counter() - started
    assert done.ok, done.plain()
    assert "glemt-" in done.plain() and "anna" not in done.plain().lower()
    assert took < 5, took

    assert _traces_left(engine, TRACES) == []
    after = _counts(engine)
    assert {t: n - counts[t] for t, n in after.items() if n != counts[t]} == {
        "erasures": 1,
        "audit_events": 1,
    }
    with Session(engine) as session:
        row = session.get(Member, anna_id)
        assert row is not None and row.handle.startswith("glemt-") and not row.active
        assert row.display_name == row.handle and row.organisation_id == sof
        # the records stay true: her organisation's updates, attendance and items
        updates = session.exec(select(func.count()).select_from(ActivityUpdate)).one()
        assert updates == updates_of_sof
        (present,) = session.exec(select(Attendance).where(Attendance.member_id == anna_id)).all()
        assert present.state == "present" and present.organisation_id == sof
        items = session.exec(select(ActionItem).where(ActionItem.member_id == anna_id)).all()
        assert len(items) == 2
        erasure = session.exec(select(Erasure)).one()
        assert erasure.pseudonym == row.handle and erasure.reason == "asked to be erased"
        assert erasure.requested_by == "chair" and erasure.member_id == anna_id
        # her old accounts can be checked against the salted hashes, never read from them
        assert was_erased(erasure, "slack", SLACK_ID) and was_erased(erasure, "shell", "anna")
        assert not was_erased(erasure, "slack", "U0SOMEONE")
        assert json.loads(erasure.rows)["activity_updates"] == 2
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "member.forget")).one()
        assert event.actor == "chair" and json.loads(event.after)["reason"] == "asked to be erased"
        org = session.get(Organisation, sof)
        assert org is not None and org.slug == "sof"


def test_the_same_account_later_is_a_new_person(engine: Engine, world) -> None:
    assert run(world("chair"), 'member forget @anna reason="left the job" confirm').ok
    slack = _slack(world("anna"))
    refused = run(slack, "update PF1 on-track back again")
    assert not refused.ok and "not registered" in refused.plain()
    assert not run(world("anna"), "activity list").ok  # nor by her shell handle
    assert run(world("chair"), "member add @anna org=sof role=member").ok
    with Session(engine) as session:
        new = session.exec(select(Member).where(Member.handle == "anna")).one()
        old = session.exec(select(Member).where(Member.handle.startswith("glemt-"))).one()  # type: ignore[attr-defined]
        assert new.id != old.id and new.active and not old.active
        assert new.display_name == "anna"  # nothing of the forgotten one came back


def test_the_last_chair_cannot_be_forgotten(engine: Engine, world) -> None:
    before = table_snapshot(engine)
    for lang, expected in (("en", "only chair"), ("da", "eneste formand")):
        reply = run(world("sekr", lang=lang), "member forget @chair reason=x confirm")
        assert not reply.ok and expected in reply.plain(), reply.plain()
    assert table_snapshot(engine) == before
    # with a second chair, the first may go
    assert run(world("root", admin=True), "member add @sekr org=okf role=chair").ok
    assert run(world("sekr"), "member forget @chair reason=x confirm").ok


@pytest.mark.parametrize(
    ("who", "line", "expected"),
    [
        ("anna", "member forget @bo reason=x confirm", "needs one of the roles"),
        ("bo", "medlem glem @anna grund=x bekræft", "kræver en af rollerne"),
        ("anna", "member export @bo", "needs one of the roles"),
        ("styr", "member export @anna", "needs one of the roles"),
        ("chair", "member forget @anna confirm", "Give the reason"),
        ("chair", "member forget @nobody reason=x confirm", "not a member"),
    ],
)
def test_refusals_change_nothing(engine: Engine, world, who: str, line: str, expected: str) -> None:
    before = table_snapshot(engine)
    reply = run(world(who, lang="da" if line.startswith("medlem") else "en"), line)
    assert not reply.ok and expected in reply.plain(), reply.plain()
    assert table_snapshot(engine) == before


def test_a_forgotten_person_is_not_forgotten_twice(engine: Engine, world) -> None:
    assert run(world("chair"), "member forget @anna reason=x confirm").ok
    with Session(engine) as session:
        pseudonym = session.exec(select(Erasure.pseudonym)).one()
    reply = run(world("chair"), f"member forget {pseudonym} reason=x confirm")
    assert not reply.ok and "already been forgotten" in reply.plain()


def _sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


def test_export_holds_everything_about_the_person(engine: Engine, world) -> None:
    reply = run(world("sekr", lang="da"), "medlem eksport @anna")
    assert reply.ok and reply.ephemeral, reply.plain()
    assert "kun sendt til dig" in reply.plain()
    (file,) = reply.files
    assert file.name.startswith("tingbjerg-husum-persondata-") and file.name.endswith(".xlsx")
    book = _sheets(file.data)
    assert list(book) == [
        "Person", "Konti", "Roller", "Opdateringer", "Vurderinger", "Mødesvar", "Fremmøde",
        "Opfølgningspunkter", "Dagsordenspunkter", "Beslutninger", "Log",
    ]  # fmt: skip
    person = dict(book["Person"][1:])
    assert person["Navn"] == "Anna Hansen" and person["Organisation"] == "Socialforvaltningen"
    assert {row[:2] for row in book["Konti"][1:]} == {
        ("shell", "anna"), ("slack", SLACK_ID), ("shell", "annahansen"),
    }  # fmt: skip
    assert book["Roller"][1:] == [("medlem",)]
    updates = book["Opdateringer"]
    assert updates[0] == ("Tidspunkt", "Aktivitet", "Status", "Fremdrift", "Note")
    assert [(r[1], r[2]) for r in updates[1:]] == [("PF1", "planmæssig"), ("PF1", "udfordret")]
    assert str(updates[1][0]).endswith("+01:00")  # Copenhagen's winter time
    assert [r[2] for r in book["Mødesvar"][1:]] == ["ja"]
    assert [(r[0], r[2]) for r in book["Fremmøde"][1:]] == [(1, "til stede")]
    assert [(r[2], r[4]) for r in book["Opfølgningspunkter"][1:]] == [
        ("Send the walk list", "udført"), ("Count the walkers", "åben"),
    ]  # fmt: skip
    assert [r[3] for r in book["Dagsordenspunkter"][1:]] == ["Anna Hansen: Annas walks"]
    actions = {r[2] for r in book["Log"][1:]}
    assert {"member.add", "member.link"} <= actions
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "member.export")).one()
    assert (event.actor, event.entity) == ("sekr", "member")


def test_export_of_someone_else_holds_nothing_of_anna(engine: Engine, world) -> None:
    reply = run(world("chair"), "member export @styr")
    assert reply.ok
    book = _sheets(reply.files[0].data)
    flat = " ".join(str(c) for rows in book.values() for row in rows for c in row)
    assert "Anna" not in flat and SLACK_ID not in flat


def test_forgetting_oneself_leaves_no_trace_either(engine: Engine, world) -> None:
    assert run(world("root", admin=True), "member add @sekr org=okf role=chair").ok
    reply = run(world("sekr"), 'member forget @sekr reason="my own wish" confirm')
    assert reply.ok, reply.plain()
    assert _traces_left(engine, ("sekr",)) == []
    with Session(engine) as session:
        erasure = session.exec(select(Erasure)).one()
        assert erasure.requested_by == erasure.pseudonym


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("anna", "glemt-1"),
        (" Anna ", "glemt-1"),
        ("met Anna Hansen and anna.", "met glemt-1 and glemt-1."),
        ("<@U0ANNA123|anna>", "<@glemt-1|glemt-1>"),
        ("slack:U0ANNA123", "slack:glemt-1"),
        ("Annas café, Anna's idea", "glemt-1s café, glemt-1's idea"),  # genitives
        ("anna.hansen; annabel; @anna-b", "anna.hansen; annabel; @anna-b"),  # other people
        ("bo", "glemt-1"),  # a short handle: only as the whole value
        ("bolig for bo", "bolig for bo"),
    ],
)
def test_a_trace_is_replaced_where_it_stands_alone(value: str, expected: str) -> None:
    from storage.personal import Rewriter, Traces

    rewriter = Rewriter(Traces(("Anna Hansen", "U0ANNA123", "anna", "bo"), ()), "glemt-1")
    assert rewriter.text(value) == expected
    doc = json.dumps({"handle": value, "roles": ["member"]}, sort_keys=True)
    assert json.loads(rewriter.json(doc))["handle"] == expected
    untouched = '{"b": 1,  "a": "x"}'  # nothing to replace: kept as written
    assert rewriter.json(untouched) == untouched


def test_another_partnerships_person_stays_reachable(engine: Engine, world, specs) -> None:
    """anna's Slack account is in Amager too: forgotten here, she is still Amager's member
    (her identity, her locale, her personal chat), and nothing of hers is left here."""
    amager = specs[SLUG].model_copy(update={"slug": "amager", "name": "Amager"})
    with Session(engine) as session:
        sync_partnership(session, amager)
        session.commit()
        amager_id = session.exec(select(Partnership.id).where(Partnership.slug == "amager")).one()
    admin = replace(world("root", admin=True), partnership="amager",
                    partnerships={**world("root").partnerships, "amager": amager})  # fmt: skip
    assert run(admin, "member add @annaamager org=sof role=member").ok
    with Session(engine) as session:
        theirs = session.exec(select(Member).where(Member.handle == "annaamager")).one()
        session.add(
            MemberIdentity(partnership_id=amager_id, member_id=theirs.id or 0,
                           platform="slack", external_id=SLACK_ID)
        )  # fmt: skip
        session.commit()
    assert run(world("chair"), "member forget @anna reason=x confirm").ok
    with Session(engine) as session:
        assert session.exec(select(UserLocale.user_id)).all() == [SLACK_ID]
        assert session.exec(select(ConversationRef.channel_id)).all() == ["D0ANNA"]
        kept = session.exec(
            select(MemberIdentity).where(MemberIdentity.partnership_id == amager_id)
        ).all()
        assert {(i.platform, i.external_id) for i in kept} >= {("slack", SLACK_ID)}
    amager_anna = replace(
        _slack(world("anna")), partnership="amager", partnerships=admin.partnerships
    )
    assert run(amager_anna, "activity list").ok  # still a member there
    shared = {"user_locales", "conversation_refs", "member_identities"}
    assert {t for t, _, _ in _traces_left(engine, (SLACK_ID,))} <= shared


def test_a_former_member_can_be_exported_and_forgotten(engine: Engine, world) -> None:
    assert run(world("chair"), "member remove @anna confirm").ok
    exported = run(world("chair"), "member export @anna")
    assert exported.ok and len(_sheets(exported.files[0].data)["Opdateringer"]) == 3
    assert run(world("chair"), "member forget @anna reason=x confirm").ok
    assert _traces_left(engine, TRACES) == []
    with Session(engine) as session:
        erasure = session.exec(select(Erasure)).one()
        row = session.get(Member, erasure.member_id)
        assert row is not None and row.left_at is not None  # kept from the removal
