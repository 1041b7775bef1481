"""The audit trail: every change leaves exactly one event with the values before and after.

Refused and malformed commands leave none. Runs on both databases.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from helpers import CtxFactory, run, setup_people, table_snapshot
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from commands.engine.context import Context
from storage.models import AuditEvent, IndicatorValue

# A fixed clock in Copenhagen time: the event must carry this instant, stored as aware UTC.
NOW = dt.datetime(2027, 3, 2, 13, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))


def events(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.exec(select(AuditEvent).order_by(AuditEvent.id)))


def _json(text: str) -> dict[str, Any] | None:
    return json.loads(text) if text else None


@pytest.fixture
def cast(engine: Engine, make_ctx) -> CtxFactory:
    """The people of setup_people, with a fixed clock."""
    make = make_ctx(engine)
    setup_people(engine, make)

    def ctx(user: str, **extra: object) -> Context:
        return make(user, clock=lambda: NOW, **extra)

    return ctx


def one_event(
    engine: Engine, ctx: Context, line: str, action: str
) -> tuple[AuditEvent, dict[str, Any] | None, dict[str, Any] | None]:
    """Run `line`, which must succeed, and return its one new audit event, parsed."""
    seen = len(events(engine))
    reply = run(ctx, line)
    assert reply.ok, (line, reply.plain())
    new = events(engine)[seen:]
    assert len(new) == 1, [(e.action, e.entity_id) for e in new]
    event = new[0]
    assert event.action == action
    assert event.actor == ctx.user
    assert event.partnership_id is not None
    assert event.at.tzinfo is not None and event.at.utcoffset() == dt.timedelta(0)
    assert event.at == NOW
    return event, _json(event.before), _json(event.after)


def test_setup_leaves_one_event_per_change(engine: Engine, make_ctx) -> None:
    make = make_ctx(engine)
    setup_people(engine, make)
    actions = [e.action for e in events(engine)]
    assert actions == ["member.add"] * 5 + ["activity.add"] * 2
    assert {e.actor for e in events(engine)} == {"root"}


def test_member_add(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(
        engine, cast("sekr"), "member add @carl org=kff role=member lang=da", "member.add"
    )
    assert event.entity == "member"
    assert event.before == "" and before is None
    assert after is not None
    assert after["handle"] == "carl"
    assert after["organisation"] == "kff"
    assert after["roles"] == ["member"]
    assert after["lang"] == "da"
    assert after["active"] is True


def test_member_add_second_role(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(
        engine, cast("chair"), "member add @anna role=steering", "member.add"
    )
    assert before is not None and after is not None
    assert before["roles"] == ["member"]
    assert after["roles"] == ["member", "steering"]
    assert before["organisation"] == after["organisation"] == "sof"
    assert event.entity_id == str(_member_id(engine, "anna"))


def _member_id(engine: Engine, handle: str) -> int:
    first = next(
        e
        for e in events(engine)
        if e.action == "member.add" and (_json(e.after) or {}).get("handle") == handle
    )
    return int(first.entity_id)


def test_member_remove(engine: Engine, cast: CtxFactory) -> None:
    _, before, after = one_event(
        engine, cast("sekr"), "member remove @anna confirm", "member.remove"
    )
    assert before is not None and after is not None
    assert before["active"] is True
    assert after["active"] is False
    assert after["handle"] == "anna"


def test_member_re_add_after_remove(engine: Engine, cast: CtxFactory) -> None:
    one_event(engine, cast("sekr"), "member remove @anna confirm", "member.remove")
    _, before, after = one_event(
        engine, cast("sekr"), "member add @anna org=sof role=steering", "member.add"
    )
    assert before is not None and after is not None
    assert before["active"] is False
    assert after["active"] is True
    assert after["roles"] == ["steering"]  # the old roles ended with the removal


def test_bind(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(engine, cast("chair"), "bind tingbjerg-husum", "channel.bind")
    assert event.entity == "channel_binding"
    assert before is None
    assert after is not None
    assert after["channel"] == "local" and after["platform"] == "shell"
    assert after["partnership_id"] == event.partnership_id


def test_activity_add(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(
        engine,
        cast("sekr"),
        'activity add PF9 "Lektiecafé" area=positive-faellesskaber org=kff '
        'criteria="40 elever om ugen" budget=150.000',
        "activity.add",
    )
    assert event.entity == "activity"
    assert before is None
    assert after is not None
    assert after["code"] == "PF9"
    assert after["name"] == "Lektiecafé"
    assert after["criteria"] == "40 elever om ugen"
    assert after["budget_dkk"] == 150000
    assert str(after["id"]) == event.entity_id


def test_activity_edit(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(
        engine,
        cast("chair"),
        'activity edit PF1 budget=300000 name="Natteravne 2.0"',
        "activity.edit",
    )
    assert event.entity == "activity"
    assert before is not None and after is not None
    assert before["budget_dkk"] == 250000
    assert after["budget_dkk"] == 300000
    assert before["name"] == "Natteravne" and after["name"] == "Natteravne 2.0"
    assert before["code"] == after["code"] == "PF1"


def test_update(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(
        engine,
        cast("anna"),
        'update PF1 at-risk progress="12 af 20" for få ravne',
        "activity.update",
    )
    assert event.entity == "activity_update"
    assert before is None
    assert after is not None
    assert after["status"] == "at-risk"
    assert after["progress"] == "12 af 20"
    assert after["note"] == "for få ravne"
    assert after["actor"] == "anna"


def test_assess(engine: Engine, cast: CtxFactory) -> None:
    event, before, after = one_event(
        engine, cast("sekr"), "vurder PF1 2026 delvist 14 af 20 ravne", "activity.assess"
    )
    assert event.entity == "assessment"
    assert before is None
    assert after is not None
    assert after["year"] == 2026
    assert after["fulfilment"] == "partly"
    assert after["note"] == "14 af 20 ravne"


def test_indicator_set_and_correction(engine: Engine, cast: CtxFactory) -> None:
    sekr = cast("sekr")
    event, before, after = one_event(
        engine, sekr, "indicator set crime.indbrud 2026 131 source=Politiet", "indicator.set"
    )
    assert event.entity == "indicator_value"
    assert event.entity_id == "crime.indbrud:2026"
    assert before is None
    assert after == {"value": 131.0, "source": "Politiet", "revision": 1}

    event, before, after = one_event(
        engine, cast("chair"), "indikator sæt crime.indbrud 2026 128", "indicator.set"
    )
    assert event.entity_id == "crime.indbrud:2026"
    assert before == {"value": 131.0, "source": "Politiet", "revision": 1}
    assert after == {"value": 128.0, "source": "Politiet", "revision": 2}

    with Session(engine) as session:  # both revisions are kept, the newest counts
        values = session.exec(
            select(IndicatorValue.revision, IndicatorValue.value).order_by(IndicatorValue.revision)
        ).all()
    assert [tuple(v) for v in values] == [(1, 131.0), (2, 128.0)]

    snapshot = table_snapshot(engine)  # the same value again is no change: no event
    again = run(sekr, "indicator set crime.indbrud 2026 128")
    assert not again.ok and "already" in again.plain()
    assert table_snapshot(engine) == snapshot


def test_indicator_import_one_event_per_changed_figure(engine: Engine, cast: CtxFactory) -> None:
    sekr = cast("sekr")
    assert run(sekr, "indicator set crime.haervaerk 2026 40").ok
    seen = len(events(engine))
    data = (
        "indikator;år;værdi;kilde\ncrime.indbrud;2026;131;Politiet\n"
        "crime.haervaerk;2026;40;\nsafety.unsafe;2026;18,5;TU 2026\n"
    ).encode()
    reply = run(cast("sekr", attachments=[("tal.csv", data)]), "indicator import")
    assert reply.ok, reply.plain()
    new = events(engine)[seen:]
    assert sorted(e.entity_id for e in new) == ["crime.indbrud:2026", "safety.unsafe:2026"]
    assert all(e.action == "indicator.set" and e.actor == "sekr" and e.at == NOW for e in new)
    unsafe = next(e for e in new if e.entity_id == "safety.unsafe:2026")
    assert _json(unsafe.after) == {"value": 18.5, "source": "TU 2026", "revision": 1}


REFUSED = [
    ("anna", "member add @carl org=kff role=member"),
    ("anna", "member remove @bo"),
    ("styr", "update PF1 on-track"),
    ("bo", "update PF1 on-track not my activity"),
    ("eve", "update PF1 on-track"),
    ("anna", 'activity add PF9 "X" area=tryggere-byliv org=sof'),
    ("anna", "activity edit PF1 budget=1"),
    ("styr", "assess PF1 2026 met"),
    ("bo", "indicator set crime.indbrud 2026 1"),
    ("sekr", "bind tingbjerg-husum"),
    ("eve", "bind tingbjerg-husum"),
]
MALFORMED = [
    ("anna", "update PF1 flying"),
    ("anna", "update PF7 on-track"),
    ("anna", 'update PF1 on-track "unclosed'),
    ("anna", "update PF1 on-track colour=red"),
    ("anna", "update PF1 on-track progress=a progress=b"),
    ("sekr", "indicator set crime.indbrud 2026 -5"),
    ("sekr", "indicator set crime.indbrud 2026 12.5"),
    ("sekr", "indicator set safety.unsafe 2026 140"),
    ("sekr", "indicator set crime.total 2026 500"),
    ("sekr", "indicator set crime.indbrud 1999 100"),
    ("sekr", "indicator set crime.nope 2026 100"),
    ("sekr", "assess PF1 2031 met"),
    ("sekr", "assess PF1 2026 brilliant"),
    ("sekr", 'activity add PF1 "Dublet" area=tryggere-byliv org=sof'),
    ("sekr", 'activity add PF9 "X" area=nowhere org=sof'),
    ("sekr", 'activity add PF9 "X" area=tryggere-byliv org=sof budget=lots'),
    ("sekr", "activity edit PF1"),
    ("sekr", "activity edit PF7 budget=1"),
    ("sekr", "member add @carl org=nope role=member"),
    ("sekr", "member add @carl org=kff role=king"),
    ("sekr", "member add @anna org=sof role=member"),
    ("sekr", "member remove @nobody"),
    ("chair", "bind nowhere"),
    ("root", "frobnicate everything"),
    ("root", "x" * 5000),
]


def test_refused_and_malformed_leave_no_event(engine: Engine, cast: CtxFactory) -> None:
    """One setup for all: none of these may change anything, so they can share a database."""
    seen = len(events(engine))
    snapshot = table_snapshot(engine)
    wrong: list[str] = []
    for who, line in [*REFUSED, *MALFORMED]:
        reply = run(cast(who, admin=who == "root"), line)
        if reply.ok:
            wrong.append(f"{who}: {line[:60]!r} was accepted: {reply.plain()[:200]}")
        if len(events(engine)) != seen:
            wrong.append(f"{who}: {line[:60]!r} left an audit event")
            seen = len(events(engine))
        if table_snapshot(engine) != snapshot:
            wrong.append(f"{who}: {line[:60]!r} changed data")
            snapshot = table_snapshot(engine)
    assert not wrong, "\n".join(wrong)


def test_bad_import_leaves_no_event(engine: Engine, cast: CtxFactory) -> None:
    data = b"indicator,year,value\ncrime.indbrud,2026,131\ncrime.indbrud,2026,x\n"
    seen = len(events(engine))
    snapshot = table_snapshot(engine)
    reply = run(cast("sekr", attachments=[("tal.csv", data)]), "indicator import")
    assert not reply.ok and "Row" in reply.plain()
    assert len(events(engine)) == seen
    assert table_snapshot(engine) == snapshot
