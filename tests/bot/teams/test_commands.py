"""Commands in Teams as people use them: @mention in a channel, a personal chat, card buttons,
slow work answered at once and finished proactively; each over real HTTP between the adapter
and the fake Bot Framework, with signed activities."""

from __future__ import annotations

import base64
import io

import PIL.Image
import pytest
from conftest import Bot
from fake_teams import Fault
from sqlmodel import Session, select
from teams_activities import (
    ADMIN,
    ANNA,
    CHANNEL,
    TEAM,
    bot_added,
    card_submit,
    personal_conversation,
    user,
)

from storage.models import ChannelBinding, ConversationRef, MemberIdentity

BO = user(3, "Bo Politi", tenant="22222222-2222-4222-8222-222222222222")


def thread(bot: Bot) -> str:
    """The conversation of the last post the bot answered in the channel."""
    return bot.fake.posted()[-1].conversation


def setup(bot: Bot) -> None:
    """Bind the channel and register Anna (sof) and Bo (politi, another tenant)."""
    for person in (ANNA, BO):
        bot.fake.add_member(person.id, person.aad, person.name, person.tenant)
    lines = [
        ("bind tingbjerg-husum", ()),
        ("member add @0 org=sof role=member", (ANNA,)),
        ("member add @0 org=politi role=member", (BO,)),
        ('activity add PF1 "Natteravne" area=tryggere-byliv org=sof', ()),
        ('activity add UB2 "Jobcafé" area=uddannelse-beskaeftigelse org=bif', ()),
    ]
    for n, (text, mentions) in enumerate(lines, start=1):
        status, _ = bot.say(ADMIN, text, mentions=mentions)
        assert status == 200
        bot.fake.wait_posted(n)
    bot.fake.reset()


def rows(bot: Bot, model):  # type: ignore[no-untyped-def]
    with Session(bot.adapter.runtime.engine) as session:
        return list(session.exec(select(model)))


def test_bind_in_a_channel_stores_the_binding_and_the_reference(bot: Bot) -> None:
    status, _ = bot.say(ADMIN, "tilknyt tingbjerg-husum")
    assert status == 200
    posted = bot.fake.wait_posted(1)[0]
    assert posted.conversation.startswith(CHANNEL + ";messageid=")  # answered in the thread
    assert "Tingbjerg" in posted.text
    (binding,) = rows(bot, ChannelBinding)
    assert (binding.platform, binding.channel_id) == ("teams", CHANNEL)
    ref = next(r for r in rows(bot, ConversationRef) if r.channel_id == CHANNEL)
    assert ref.service_url == bot.fake.service_url and ref.conversation_id == CHANNEL
    assert ref.tenant_id == ADMIN.tenant and ref.team_id == TEAM


def test_members_from_two_tenants_are_added_by_mention(bot: Bot) -> None:
    setup(bot)
    identities = {(i.platform, i.external_id) for i in rows(bot, MemberIdentity)}
    assert {("teams", ANNA.aad), ("teams", BO.aad)} <= identities
    bot.say(BO, "hvemerjeg")
    reply = bot.fake.wait_posted(1)[0]
    assert "Københavns Politi" in reply.text
    # a personal answer asked for in the channel goes to the asker's personal chat
    assert reply.conversation.startswith("a:") and BO.id in reply.conversation
    create = bot.fake.calls("create")[0]
    assert create.body["members"] == [{"id": BO.id}] and create.body["tenantId"] == BO.tenant


def test_an_update_is_saved_and_told_in_the_thread(bot: Bot) -> None:
    setup(bot)
    status, _ = bot.say(ANNA, "opdater PF1 planmæssig første gåtur holdt")
    assert status == 200
    reply = bot.fake.wait_posted(1)[0]
    assert reply.conversation.startswith(CHANNEL + ";messageid=")
    assert "PF1" in reply.text
    card = reply.body["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["version"] == "1.5"


def test_a_refusal_reaches_only_the_asker_and_changes_nothing(bot: Bot) -> None:
    setup(bot)
    bot.say(ANNA, "update UB2 on-track not mine")
    reply = bot.fake.wait_posted(1)[0]
    assert reply.conversation.startswith("a:")
    assert not any(c.conversation.startswith(CHANNEL) for c in bot.fake.posted())
    from storage.models import ActivityUpdate

    assert rows(bot, ActivityUpdate) == []


def test_a_personal_chat_finds_the_persons_partnership(bot: Bot) -> None:
    setup(bot)
    bot.dm(ANNA, "whoami")
    reply = bot.fake.wait_posted(1)[0]
    assert reply.conversation == personal_conversation(ANNA)
    assert "Socialforvaltningen" in reply.text


def test_an_english_locale_answers_in_english(bot: Bot) -> None:
    setup(bot)
    erik = user(4, "Erik", locale="en-GB")
    bot.dm(erik, "help")
    assert "Commands" in bot.fake.wait_posted(1)[0].text or "help" in bot.fake.posted()[0].text


def test_a_card_button_runs_its_command(bot: Bot) -> None:
    setup(bot)
    bot.say(ANNA, "aktivitet vis PF1")
    card = bot.fake.wait_posted(1)[0]
    actions = [
        a
        for element in card.body["attachments"][0]["content"]["body"]
        if element["type"] == "ActionSet"
        for a in element["actions"]
    ]
    (button,) = [a for a in actions if a["type"] == "Action.Submit"]
    assert button["data"] == {"pb": "update PF1"}
    # The button opens the update form: a card with the dialog's launcher comes back.
    status, _ = bot.activity(
        card_submit(bot.fake, ANNA, button["data"], reply_to="1", conversation=card.conversation)
    )
    assert status == 200
    launcher = bot.fake.wait_posted(2)[-1]
    data = launcher.body["attachments"][0]["content"]["body"][-1]["actions"][0]["data"]
    assert data["msteams"] == {"type": "task/fetch"} and data["pb_form"] == "update PF1"


def test_slow_work_is_answered_at_once_and_finished_proactively(bot: Bot) -> None:
    setup(bot)
    bot.say(ADMIN, "indikator sæt crime.indbrud 2020 130")
    bot.fake.wait_posted(1)
    bot.say(ANNA, "status kriminalitet")

    def images(posted: list) -> list:  # type: ignore[type-arg]
        return [
            a
            for p in posted
            for a in p.body.get("attachments", [])
            if a["contentType"] in {"image/png", "image/jpeg"}
        ]

    posted = bot.fake.wait_until(lambda posted: images(posted), timeout=30)
    assert "øjeblik" in posted[1].text.lower()  # the answer at once, before the charts
    assert images(posted[1:2]) == []
    picture = images(posted)[0]
    png = base64.b64decode(picture["contentUrl"].split(",", 1)[1])
    assert len(png) <= 1_000_000
    assert max(PIL.Image.open(io.BytesIO(png)).size) <= 1024


def test_rate_limits_and_gateway_errors_are_retried(bot: Bot) -> None:
    setup(bot)
    bot.fake.inject("send", Fault(status=429, retry_after=0.2), Fault(status=502))
    status, _ = bot.say(ANNA, "opdater PF1 planmæssig endnu en tur")
    assert status == 200
    sends = [c.status for c in bot.fake.calls("send")]
    assert sends == [429, 502, 201]
    assert "PF1" in bot.fake.posted()[-1].text


def test_a_timeout_is_retried(bot: Bot) -> None:
    bot.adapter.retrying.base = 0.05
    bot.fake.inject("send", Fault(delay=11))  # longer than the client's 10 s timeout
    bot.dm(ADMIN, "whoami")
    assert [c.status for c in bot.fake.wait_posted(1, timeout=30)] == [201]


def test_the_bot_added_to_a_team_remembers_it_and_says_how_to_bind(bot: Bot) -> None:
    status, _ = bot.activity(bot_added(bot.fake, ADMIN))
    assert status == 200
    hello = bot.fake.wait_posted(1)[0]
    assert hello.conversation == TEAM and "tilknyt" in hello.text
    assert any(r.channel_id == TEAM for r in rows(bot, ConversationRef))


def test_a_reminder_is_posted_proactively_to_the_bound_channel(bot: Bot) -> None:
    setup(bot)
    from commands.engine.reply import Person, Reply, Text

    reply = Reply(blocks=[Text("Husk mødet", mentions=(Person("teams", ANNA.aad, "Anna"),))])
    bot.adapter.post(CHANNEL, reply)
    posted = bot.fake.wait_posted(1)[0]
    assert posted.conversation == CHANNEL  # a new post in the channel, not a thread
    content = posted.body["attachments"][0]["content"]
    assert "<at>Anna</at>" in posted.text
    assert content["msteams"]["entities"][0]["mentioned"]["id"] == ANNA.aad


def test_a_channel_never_heard_from_cannot_be_posted_to(bot: Bot) -> None:
    from commands.engine.reply import Reply

    with pytest.raises(LookupError):
        bot.adapter.post("19:unknown@thread.tacv2", Reply.text("x"))
