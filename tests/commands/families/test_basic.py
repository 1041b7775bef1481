"""The core command path on both databases: add, list, update, refuse."""

from __future__ import annotations

from helpers import run, setup_people, table_snapshot


def test_member_activity_update_round_trip(engine, make_ctx):
    make = make_ctx(engine)
    setup_people(engine, make)
    anna = make("anna")
    reply = run(anna, "update PF1 on-track first night walk done")
    assert reply.ok and "Saved: PF1 is on-track" in reply.plain()
    listed = run(anna, "activity list").plain()
    assert "PF1" in listed and "on-track" in listed and "Natteravne" in listed


def test_member_cannot_update_other_organisation(engine, make_ctx):
    make = make_ctx(engine)
    setup_people(engine, make)
    before = table_snapshot(engine)
    reply = run(make("bo", lang=None), "opdater UB2 planmæssig godt")  # bo prefers Danish
    assert not reply.ok
    assert "egen organisation" in reply.plain()
    assert table_snapshot(engine) == before
