"""`bind`: a channel bound to one partnership is taken over only by an admin or that
channel's own chair, and only after a confirmation (issue 9)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import CtxFactory, run, setup_people, table_snapshot
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from storage.models import AuditEvent, ChannelBinding, Partnership
from storage.sync import sync_partnership

CHANNEL = "C-th"


@pytest.fixture
def make(engine: Engine, make_ctx, specs) -> CtxFactory:
    """Two partnerships (Tingbjerg-Husum and a copy, Amager); CHANNEL bound to the first."""
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
    for line in ("member add @achair org=okf role=chair", "member add @both org=okf role=chair"):
        assert run(admin_amager, line).ok
    assert run(ctx("root", admin=True), "member add @both org=okf role=chair").ok
    assert run(in_channel(ctx("root", admin=True)), "bind tingbjerg-husum").ok
    return ctx  # type: ignore[return-value]


def in_channel(ctx):  # type: ignore[no-untyped-def]
    return replace(ctx, channel=CHANNEL, partnership=None)


def bound_to(engine: Engine) -> str:
    with Session(engine) as session:
        return session.exec(
            select(Partnership.slug)
            .join(ChannelBinding, ChannelBinding.partnership_id == Partnership.id)
            .where(ChannelBinding.channel_id == CHANNEL)
        ).one()


def test_another_partnerships_chair_cannot_take_the_channel(engine: Engine, make) -> None:
    before = table_snapshot(engine)
    for line in ("bind amager", "bind amager confirm"):
        reply = run(in_channel(make("achair")), line)
        assert not reply.ok, reply.plain()
        assert "bound to Tingbjerg-Husum Partnerskab" in reply.plain()
        assert "Only an admin or the chair of Tingbjerg-Husum" in reply.plain()
        assert "Nothing was changed" in reply.plain()
    danish = run(in_channel(make("achair", lang="da")), "tilknyt amager")
    assert "Kun en administrator eller formanden for Tingbjerg-Husum" in danish.plain()
    assert table_snapshot(engine) == before and bound_to(engine) == "tingbjerg-husum"


def test_the_channels_own_chair_rebinds_after_a_confirmation(engine: Engine, make) -> None:
    before = table_snapshot(engine)
    asked = run(in_channel(make("both")), "bind amager")
    assert asked.ok and "bound to Tingbjerg-Husum Partnerskab" in asked.plain()
    assert "Nothing has changed yet" in asked.plain() and table_snapshot(engine) == before
    (button,) = asked.buttons
    assert button.command == "bind amager confirm" and button.confirm is not None
    done = run(in_channel(make("both")), button.command)
    assert done.ok and done.replace_original and "now bound to Amager" in done.plain()
    assert bound_to(engine) == "amager"
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "channel.bind")).all()
    assert len(event) == 2 and '"partnership_id"' in event[-1].before  # what it was bound to


def test_an_admin_rebinds_after_a_confirmation(engine: Engine, make) -> None:
    admin = in_channel(make("root", admin=True))
    asked = run(admin, "bind amager")
    assert asked.ok and asked.buttons and bound_to(engine) == "tingbjerg-husum"
    assert run(admin, "bind amager confirm").ok and bound_to(engine) == "amager"


def test_a_chair_of_the_bound_partnership_alone_cannot_move_it(engine: Engine, make) -> None:
    """Still the rule of the named partnership: its chair (or an admin) binds to it."""
    reply = run(in_channel(make("chair")), "bind amager confirm")
    assert not reply.ok and "needs an admin or the chair of Amager" in reply.plain()
    assert bound_to(engine) == "tingbjerg-husum"
