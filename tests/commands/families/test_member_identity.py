"""One person, several platforms: `member link` (`medlem kobl`), one set of roles whichever
platform the person writes from, case-insensitive shell handles. Both databases."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from helpers import SLUG, CtxFactory, run, run_cli, setup_people, table_snapshot
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from commands.engine.context import Context
from commands.engine.reply import Header, Person
from commands.views.home import home
from commands.views.notices import _members_of
from storage.models import AuditEvent, Member, Partnership

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|([^>]*))?>$")


def slack_person(word: str) -> Person | None:
    """A mention as Slack sends it with escaping on: `<@U024BE7LH|anna>`."""
    found = MENTION.match(word)
    return Person("slack", found.group(1), found.group(2) or "") if found else None


@pytest.fixture
def make(engine: Engine, make_ctx) -> CtxFactory:
    factory = make_ctx(engine)
    setup_people(engine, factory)
    return factory


def slack(make: CtxFactory, user: str, **extra: object) -> Context:
    return dataclasses.replace(
        make(user, **extra), platform="slack", channel="C0WG", person=slack_person
    )


def test_a_person_on_two_platforms_keeps_one_set_of_roles(make: CtxFactory) -> None:
    admin = slack(make, "U0ADMIN", admin=True)
    linked = run(admin, "member link anna <@U0ANNA|anna.h>")
    assert linked.ok, linked.plain()
    assert "anna can now also use the bot as anna.h, with the same roles" in linked.plain()

    anna_slack = slack(make, "U0ANNA")
    me = run(anna_slack, "whoami").plain()
    assert "You are anna." in me and "Roles: member" in me and "Socialforvaltningen" in me
    assert run(anna_slack, "update PF1 on-track written in Slack").ok  # her organisation's

    # A role added through one identity is the person's: the shell sees it too.
    assert run(admin, "member add <@U0ANNA|anna.h> role=steering").ok
    shell = run(make("anna"), "whoami").plain()
    assert "member" in shell and "steering" in shell

    listed = run(make("chair"), "member list").plain()
    assert "(5)" in listed  # still five people, not six
    assert "shell: anna, slack: U0ANNA" in listed

    # Removing the person through either identity removes them on both platforms.
    assert run(make("chair"), "member remove @anna confirm").ok
    assert "not registered" in run(anna_slack, "whoami").plain()
    assert "not registered" in run(make("anna"), "whoami").plain()


def test_remove_asks_first(engine: Engine, make: CtxFactory) -> None:
    before = table_snapshot(engine)
    asked = run(make("chair"), "member remove @anna")
    assert asked.ok and "Nothing has changed yet" in asked.plain() and "anna" in asked.plain()
    assert table_snapshot(engine) == before
    (button,) = asked.buttons
    assert button.command == "member remove anna confirm" and button.confirm is not None
    done = run(make("chair"), button.command)
    assert done.ok and done.replace_original and "was removed" in done.plain()
    assert "not registered" in run(make("anna"), "whoami").plain()
    danish = run(make("chair", lang="da"), "medlem fjern @bo")
    assert "`/wg medlem fjern bo bekræft`" in danish.plain()


def test_link_refusals_change_nothing(engine: Engine, make: CtxFactory) -> None:
    before = table_snapshot(engine)
    chair = make("chair")
    taken = run(chair, "member link anna @bo")
    assert not taken.ok
    assert "bo already belongs to bo, who has roles of their own" in taken.plain()
    assert "member remove" in taken.plain()
    again = run(chair, "member link anna @anna")
    assert not again.ok and "already linked to anna" in again.plain()
    unknown = run(chair, "member link nobody @newbie")
    assert not unknown.ok and "nobody is not a member" in unknown.plain()
    usage = run(chair, "member link anna")
    assert not usage.ok and "member link @USER @NEW-USER" in usage.plain()
    refused = run(make("anna"), "member link anna @anna2")
    assert not refused.ok and "needs one of the roles chair or secretariat" in refused.plain()
    assert table_snapshot(engine) == before
    assert "not registered" in run(make("newbie"), "whoami").plain()


def test_link_takes_over_the_identity_of_a_removed_person(engine: Engine, make: CtxFactory) -> None:
    chair = make("chair")
    assert run(chair, "member remove @bo confirm").ok
    assert run(chair, "member link anna @bo").ok
    me = run(make("bo"), "whoami").plain()
    assert "You are anna." in me and "Socialforvaltningen" in me
    with Session(engine) as session:
        event = session.exec(select(AuditEvent).where(AuditEvent.action == "member.link")).one()
    assert event.actor == "chair"
    assert json.loads(event.before)["identities"] == ["shell:anna"]
    after = json.loads(event.after)
    assert after["identities"] == ["shell:anna", "shell:bo"] and after["from"] == "bo"


def test_link_in_danish(make: CtxFactory) -> None:
    reply = run(make("sekr", lang="da"), "medlem kobl @anna @anna.hansen")
    assert reply.ok, reply.plain()
    assert "Koblet: anna kan nu også bruge botten som anna.hansen" in reply.plain()
    assert "Roles: member" in run(make("anna.hansen"), "whoami").plain()
    assert "medlem kobl" in run(make("sekr", lang="da"), "hjælp medlem").plain()


def test_shell_handles_are_case_insensitive(engine: Engine, make: CtxFactory) -> None:
    chair = make("chair")
    assert run(chair, "member add @Mette org=okf role=chair").ok
    assert "Roles: chair" in run(make("mette"), "whoami").plain()
    again = run(chair, "member add @METTE role=member")  # the same person: a second role
    assert again.ok, again.plain()
    assert "chair, member" in run(make("mette"), "whoami").plain()
    assert "(6)" in run(chair, "member list").plain()
    assert run(chair, "member remove @MeTTe confirm").ok
    assert "not registered" in run(make("mette"), "whoami").plain()
    with Session(engine) as session:
        handles = session.exec(select(Member.handle).where(Member.display_name == "Mette")).all()
    assert handles == ["mette"]


def test_the_shell_user_flag_is_case_insensitive(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
    first = run_cli(
        ["shell", "--partnership", SLUG, "--lang", "en"],
        tmp_path,
        "member add @mette org=okf role=chair\n",
        **env,
    )
    assert first.returncode == 0 and "Saved" in first.stdout, first.stdout + first.stderr
    for flag in ("Mette", "@mette", "METTE"):
        out = run_cli(
            ["shell", "--partnership", SLUG, "--lang", "en", "--user", flag],
            tmp_path,
            "whoami\n",
            **env,
        )
        assert "Roles: chair" in out.stdout, (flag, out.stdout, out.stderr)


def test_bind_needs_the_chair_on_this_platform(make: CtxFactory) -> None:
    # The shell's `chair` is not the Slack user who types the same letters.
    refused = run(slack(make, "chair"), "bind tingbjerg-husum")
    assert not refused.ok and "needs an admin or the chair" in refused.plain()
    assert run(slack(make, "U0ADMIN", admin=True), "member link chair <@U0CHAIR|Chair>").ok
    bound = run(slack(make, "U0CHAIR"), "bind tingbjerg-husum")
    assert bound.ok, bound.plain()


def test_reminders_and_app_home_find_people_on_their_platform(
    engine: Engine, make: CtxFactory
) -> None:
    assert run(slack(make, "U0ADMIN", admin=True), "member link anna <@U0ANNA|anna.h>").ok
    with Session(engine) as session:
        pid = session.exec(select(Partnership.id).where(Partnership.slug == SLUG)).one()
        assert _members_of(session, pid, ["sof", "politi"], "slack") == (
            Person("slack", "U0ANNA", "anna"),
        )
        assert _members_of(session, pid, ["sof", "politi"], "shell") == (
            Person("shell", "anna", "anna"),
            Person("shell", "bo", "bo"),
        )
    partnership = Header("Tingbjerg-Husum Partnerskab")
    assert partnership in home(slack(make, "U0ANNA")).blocks
    assert partnership not in home(slack(make, "anna")).blocks


def test_a_bare_name_in_slack_registers_no_one(engine: Engine, make: CtxFactory) -> None:
    """With escaping on, Slack sends people as `<@U…|name>`; a bare `@lise` names no one."""
    admin = slack(make, "U0ADMIN", admin=True)
    before = table_snapshot(engine)
    refused = run(admin, "member add @lise org=sof role=member")
    assert not refused.ok
    assert "'@lise' is not a user" in refused.plain() and "@name" in refused.plain()
    danish = run(slack(make, "U0ADMIN", admin=True, lang="da"), "medlem tilføj @lise org=sof")
    assert "'@lise' er ikke en bruger" in danish.plain()
    assert table_snapshot(engine) == before


def test_member_list_in_slack_names_people_slack_cannot_match(make: CtxFactory) -> None:
    """People registered before escaping (or in the shell) have no Slack account: the list
    names them and how to link them, in the chair's language."""
    chair = slack(make, "U0CHAIR")
    assert run(slack(make, "U0ADMIN", admin=True), "member link chair <@U0CHAIR|mette>").ok
    listed = run(chair, "member list").plain()
    assert "No Slack account yet" in listed
    assert "anna" in listed.split("No Slack account yet")[1]
    assert "chair" not in listed.split("No Slack account yet")[1].split(".")[0]
    assert re.search(r"`/wg member link (styr|sekr|bo|anna) @person`", listed)
    danish = run(slack(make, "U0CHAIR", lang="da"), "medlem liste").plain()
    assert "Ingen Slack-konto endnu" in danish
    assert re.search(r"`/wg medlem kobl (styr|sekr|bo|anna) @person`", danish)
    # The shell has no such accounts to miss.
    assert "Slack" not in run(make("chair"), "member list").plain()
