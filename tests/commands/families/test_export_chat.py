"""`export` in chat (issue 13): the chair or secretariat gets their partnership's data as a
workbook, for them alone; nobody else's rows are in it, members cannot take it, and the audit
trail says who took it."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from helpers import CtxFactory, run, setup_people, table_snapshot
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.export import EXPORTED
from storage.models import AuditEvent
from storage.sync import sync_partnership


@pytest.fixture
def make(engine: Engine, make_ctx, specs) -> CtxFactory:
    """Tingbjerg-Husum with the small cast, and a second partnership (Amager) with its own
    chair and member."""
    amager = specs["tingbjerg-husum"].model_copy(update={"slug": "amager", "name": "Amager"})
    with Session(engine) as session:
        sync_partnership(session, amager)
        session.commit()
    base = make_ctx(engine)
    setup_people(engine, base)

    def ctx(user: str, **extra: object) -> object:
        made = base(user, **extra)
        return replace(made, partnerships={**made.partnerships, "amager": amager})

    admin_amager = replace(ctx("root", admin=True), partnership="amager")
    for line in (
        "member add @amagerchair org=okf role=chair",
        'activity add AM1 "Amagers natteravne" area=tryggere-byliv org=sof',
    ):
        assert run(admin_amager, line).ok
    return ctx  # type: ignore[return-value]


def sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}


@pytest.mark.parametrize("who", ["chair", "sekr"])
def test_the_chair_and_secretariat_get_their_partnerships_workbook(make, who: str) -> None:
    reply = run(make(who, lang="da"), "eksport")
    assert reply.ok and reply.ephemeral, reply.plain()  # for the asker alone
    assert "kun sendt til dig" in reply.plain()
    (file,) = reply.files
    assert file.name.startswith("tingbjerg-husum-eksport-") and file.name.endswith(".xlsx")
    book = sheets(file.data)
    assert set(book) == set(EXPORTED)
    members = book["members"]
    assert members[0][0] == "partnership"
    handles = {row[members[0].index("handle")] for row in members[1:]}
    assert {"chair", "sekr", "anna", "bo", "styr"} <= handles
    assert "amagerchair" not in handles  # another partnership's people are not in it
    activities = book["activities"]
    codes = {row[activities[0].index("code")] for row in activities[1:]}
    assert codes == {"PF1", "UB2"}
    assert {row[0] for row in members[1:] + activities[1:]} == {"tingbjerg-husum"}


def test_a_member_cannot_take_the_export(engine: Engine, make) -> None:
    before = table_snapshot(engine)
    reply = run(make("anna"), "export")
    assert not reply.ok and not reply.files
    assert "chair" in reply.plain()
    assert table_snapshot(engine) == before


def test_the_audit_trail_says_who_took_the_export(engine: Engine, make) -> None:
    assert run(make("sekr"), "export").ok
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.actor, e.entity) for e in events] == [("sekr", "partnership")]
