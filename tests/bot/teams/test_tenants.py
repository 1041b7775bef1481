"""Organisations by tenant: a partner that works in its own Microsoft 365 tenant (the police)
lists it in the partnership file, and `member add @person` without `org=` registers a person
from that tenant as that organisation, saying so in the reply (Danish and English). A person
from a tenant the file does not name still needs `org=`, and a typed `org=` always wins."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Bot
from fake_teams import FakeTeams
from teams_activities import ADMIN, ANNA, User, user

from bot.runtime import start
from bot.teams.app import TeamsAdapter
from bot.teams.server import TeamsServer
from bot.teams.settings import load_teams_settings
from config.settings import SHIPPED_CONFIG_DIR, load_settings

POLICE = "22222222-2222-4222-8222-22222222ABCD"  # as an admin copies it from Entra
BO = user(3, "Bo Betjent", tenant=POLICE.lower())  # as Teams sends it
LIS = user(6, "Lis Larsen", tenant=POLICE.lower())
ERIK = user(4, "Erik Admin", locale="en-GB")


@pytest.fixture
def bot(fake: FakeTeams, tmp_path: Path) -> Iterator[Bot]:
    """The shipped partnership with the police's tenant named, as README describes."""
    shipped = (SHIPPED_CONFIG_DIR / "tingbjerg-husum.toml").read_text(encoding="utf-8")
    example = '# tenants = ["00000000-0000-0000-0000-000000000000"]'
    assert example in shipped
    config = tmp_path / "partnerships"
    config.mkdir()
    (config / "tingbjerg-husum.toml").write_text(
        shipped.replace(example, f'tenants = ["{POLICE}"]'), encoding="utf-8"
    )
    settings = load_settings({"PARTNERBOT_ADMINS": f"{ADMIN.aad},{ERIK.aad}"})
    runtime = start(settings, database_url=f"sqlite:///{tmp_path / 'bot.db'}", config_dir=config)
    adapter = TeamsAdapter(runtime, load_teams_settings(fake.settings_env()))
    server = TeamsServer(adapter, host="127.0.0.1", port=0).start()
    for person in (ANNA, BO, LIS):
        fake.add_member(person.id, person.aad, person.name, person.tenant)
    try:
        served = Bot(fake, server, adapter)
        served.say(ADMIN, "tilknyt tingbjerg-husum")
        fake.wait_posted(1)
        fake.reset()
        yield served
    finally:
        server.stop()


def ask(bot: Bot, who: User, text: str, *mentions: User) -> str:
    before = len(bot.fake.posted())
    status, _ = bot.say(who, text, mentions=mentions)
    assert status == 200
    return bot.fake.wait_posted(before + 1)[-1].text


def test_a_person_from_the_police_tenant_is_registered_as_the_police(bot: Bot) -> None:
    said = ask(bot, ADMIN, "medlem tilføj @0 rolle=medlem", BO)
    assert said.startswith("Gemt: Bo Betjent er medlem for Københavns Politi.")
    assert "valgt ud fra personens Teams-konto, som hører til Københavns Politi" in said
    assert "medlem tilføj @Bo Betjent org=ORG rolle=medlem" in said  # how to correct it
    assert "Organisation: Københavns Politi" in ask(bot, BO, "hvemerjeg")
    # and he may report on the police's activities
    ask(bot, ADMIN, 'aktivitet tilføj PF2 "Tryghedsvandring" area=tryggere-byliv org=politi')
    assert "Gemt: PF2 er planmæssig" in ask(bot, BO, "opdater PF2 planmæssig første tur")


def test_in_english_the_reply_says_the_same(bot: Bot) -> None:
    said = ask(bot, ERIK, "member add @0 role=member", LIS)
    assert said.startswith("Saved: Lis Larsen is a member for Københavns Politi.")
    assert "chosen from the person's Teams account, which belongs to Københavns Politi" in said
    assert "member add @Lis Larsen org=ORG role=member" in said


def test_a_tenant_the_file_does_not_name_still_needs_org(bot: Bot) -> None:
    said = ask(bot, ADMIN, "medlem tilføj @0 rolle=medlem", ANNA)  # the city's own tenant
    assert "Angiv medlemmets organisation med org=ORG." in said
    assert "Anna Jensen" not in ask(bot, ADMIN, "medlem liste")  # nobody was registered


def test_a_typed_organisation_wins_over_the_tenant(bot: Bot) -> None:
    said = ask(bot, ADMIN, "medlem tilføj @0 org=ssp rolle=medlem", BO)  # seconded to SSP
    assert said == "Gemt: Bo Betjent er medlem for SSP København."
    # registered once, the tenant no longer decides: a new role keeps his organisation
    said = ask(bot, ADMIN, "medlem tilføj @0 rolle=styregruppe", BO)
    assert said == "Gemt: Bo Betjent er styregruppemedlem for SSP København."
