"""Forms as Teams dialogs: a typed command that wants a form gets a card that opens it
(task/fetch); a refused submission comes back as the dialog with the reason and the values
kept (task/submit); an accepted one closes it and the reply is posted."""

from __future__ import annotations

from conftest import Bot
from sqlmodel import Session, select
from teams_activities import ADMIN, ANNA, CHANNEL, invoke, user
from test_commands import setup

from storage.models import ActivityUpdate, Member, MemberIdentity


def _inputs(answer: dict) -> dict[str, dict]:
    content = answer["task"]["value"]["card"]["content"]
    return {e["id"]: e for e in content["body"] if e.get("id")}


def test_an_update_by_dialog_shows_refusals_and_then_saves(bot: Bot) -> None:
    setup(bot)
    bot.say(ANNA, "opdater")
    launcher = bot.fake.wait_posted(1)[0]
    data = launcher.body["attachments"][0]["content"]["body"][-1]["actions"][0]["data"]
    where = launcher.conversation
    status, answer = bot.activity(invoke(bot.fake, ANNA, "task/fetch", {"data": data},
                                         conversation=where))  # fmt: skip
    assert status == 200 and answer["task"]["type"] == "continue"
    inputs = _inputs(answer)
    assert [c["value"] for c in inputs["activity"]["choices"]] == ["PF1"]  # her own only
    assert inputs["status"]["isRequired"] and not inputs["note"]["isRequired"]
    submit = answer["task"]["value"]["card"]["content"]["actions"][0]["data"]
    assert submit["pb_submit"] == "update"
    # a crafted submission for another organisation's activity: refused in the dialog
    bad = submit | {"activity": "UB2", "status": "on-track", "note": "ikke min"}
    status, again = bot.activity(invoke(bot.fake, ANNA, "task/submit", {"data": bad},
                                        conversation=where))  # fmt: skip
    assert again["task"]["type"] == "continue"
    shown = again["task"]["value"]["card"]["content"]["body"]
    assert shown[0]["color"] == "Attention" and "UB2" in shown[0]["text"]
    assert _inputs(again)["note"]["value"] == "ikke min"  # what she typed is kept
    good = submit | {"activity": "PF1", "status": "on-track", "note": "tur holdt"}
    status, closed = bot.activity(invoke(bot.fake, ANNA, "task/submit", {"data": good},
                                         conversation=where))  # fmt: skip
    assert status == 200 and not closed
    assert "PF1" in bot.fake.wait_posted(2)[-1].text
    with Session(bot.adapter.runtime.engine) as session:
        assert [u.note for u in session.exec(select(ActivityUpdate))] == ["tur holdt"]


def test_member_add_by_dialog_takes_the_picked_person(bot: Bot) -> None:
    setup(bot)
    karen = user(7, "Karen Kultur")
    bot.fake.add_member(karen.id, karen.aad, karen.name)
    where = f"{CHANNEL};messageid=1"
    status, answer = bot.activity(invoke(bot.fake, ADMIN, "task/fetch",
                                         {"data": {"pb_form": "medlem tilføj"}},
                                         conversation=where))  # fmt: skip
    picker = _inputs(answer)["user"]
    assert picker["choices.data"] == {"type": "Data.Query", "dataset": "graph.microsoft.com/users"}
    submit = answer["task"]["value"]["card"]["content"]["actions"][0]["data"]
    values = submit | {"user": karen.aad, "org": "kff", "role": "member"}
    status, closed = bot.activity(invoke(bot.fake, ADMIN, "task/submit", {"data": values},
                                         conversation=where))  # fmt: skip
    assert status == 200 and not closed
    with Session(bot.adapter.runtime.engine) as session:
        identity = session.exec(
            select(MemberIdentity).where(MemberIdentity.external_id == karen.aad)
        ).one()
        member = session.get(Member, identity.member_id)
    assert identity.platform == "teams" and member is not None
    assert "Karen" in (member.display_name or member.handle)
