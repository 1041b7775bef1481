"""A refused `update` offers the form where the platform has forms (issue 9), instead of
leaving the person with usage text; without forms (the shell) the refusal stays text."""

from __future__ import annotations

from dataclasses import replace

import pytest
from helpers import CtxFactory, run, setup_people, table_snapshot
from sqlalchemy.engine import Engine

from commands.engine.context import Capabilities
from commands.engine.run import OpenForm, handle


@pytest.fixture
def make(engine: Engine, make_ctx) -> CtxFactory:
    factory = make_ctx(engine)
    setup_people(engine, factory)
    return factory


def with_forms(ctx):  # type: ignore[no-untyped-def]
    return replace(ctx, caps=Capabilities(forms=True, deferred=True))


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("update PF1 progress=12", "Use: `/wg update"),
        ("update PF1 walked the estate", "Unknown status 'walked'"),
    ],
)
def test_a_refused_update_offers_the_form(engine: Engine, make, line: str, says: str) -> None:
    before = table_snapshot(engine)
    anna = with_forms(make("anna"))
    reply = run(anna, line)
    assert not reply.ok and says in reply.plain(), reply.plain()
    (button,) = reply.buttons
    assert button.command == "update PF1" and button.label == "Use the form"
    assert table_snapshot(engine) == before
    opened = handle(button.command, anna)  # the button's line opens the form, PF1 chosen
    assert isinstance(opened, OpenForm) and opened.form.fields[0].default == "PF1"
    danish = run(with_forms(make("anna", lang="da")), line)
    assert danish.buttons[0].label == "Skriv den i formularen"


def test_without_forms_the_refusal_is_text(make) -> None:
    reply = run(make("anna"), "update PF1 progress=12")
    assert not reply.ok and "Use: `/wg update" in reply.plain() and not reply.buttons
