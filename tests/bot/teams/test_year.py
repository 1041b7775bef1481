"""A whole partnership year in Teams, as the people of a partnership live it: the channel bound,
the chair and members from the city's and the police's tenants registered by @mention, the year's
meetings planned and confirmed, activity updates typed and given in a dialog, a reminder that
arrives exactly once although the bot restarts in between, status with charts, the annual report
as a download link (fetched: a real PDF) and the calendar, offered in a personal chat and saved
to the person's OneDrive (the uploaded file parsed: every meeting).

Everything goes over real HTTP: signed activities into the adapter, the adapter's posts into the
fake Bot Framework, the download links back out of the bot's own server. Assertions are on what
people see: the texts of the cards posted and the files behind the links.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import socket
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import icalendar
import PIL.Image
import pypdf
import pytest
import time_machine
from conftest import Bot
from fake_teams import FakeTeams, Recorded
from teams_activities import (
    ADMIN,
    CHANNEL,
    User,
    card_submit,
    file_consent,
    invoke,
    user,
)

from bot.dispatcher import Dispatcher
from bot.reminders import router
from bot.runtime import start
from bot.teams.app import TeamsAdapter
from bot.teams.server import TeamsServer
from bot.teams.settings import load_teams_settings
from config.settings import load_settings

POLICE = "22222222-2222-4222-8222-222222222222"  # Københavns Politi's own tenant
METTE = user(5, "Mette Formand")
ANNA = user(2, "Anna Jensen")
BO = user(3, "Bo Betjent", tenant=POLICE, locale="en-GB")
TODAY = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
# Meeting 1 of 2027 is on Tuesday 19 January at 13:00 (12:00 UTC): its reminder 14 days
# before, and the 2-day one, which would fall on Sunday, on Friday 15 January at 13:00.
FOURTEEN_DAYS = dt.datetime(2027, 1, 5, 12, 0, 30, tzinfo=dt.UTC)
TWO_DAYS = dt.datetime(2027, 1, 15, 12, 0, 30, tzinfo=dt.UTC)


def free_port() -> int:
    """A port for the bot that stays the same across its restart, so the download links
    (PARTNERBOT_PUBLIC_URL) it posts point at it before and after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Year:
    """The bot as deployed: a runtime on one SQLite file and the adapter served on one port;
    `restart` stops both and starts new ones on the same file, as a redeploy does."""

    def __init__(self, fake: FakeTeams, db: Path) -> None:
        self.fake, self.db, self.port = fake, db, free_port()
        self.bot = self._start()

    def _start(self) -> Bot:
        settings = load_settings(
            {
                "PARTNERBOT_ADMINS": ADMIN.aad,
                "PARTNERBOT_PUBLIC_URL": f"http://127.0.0.1:{self.port}",
            }
        )
        runtime = start(settings, database_url=f"sqlite:///{self.db}")
        adapter = TeamsAdapter(runtime, load_teams_settings(self.fake.settings_env()))
        server = TeamsServer(adapter, host="127.0.0.1", port=self.port).start()
        return Bot(self.fake, server, adapter)

    def restart(self) -> None:
        self.bot.server.stop()
        self.bot.adapter.runtime.engine.dispose()
        self.bot = self._start()

    def stop(self) -> None:
        self.bot.server.stop()

    def dispatcher(self, worker: str, at: dt.datetime) -> Dispatcher:
        runtime = self.bot.adapter.runtime
        send = router(runtime, {"teams": self.bot.adapter})
        return Dispatcher(runtime.engine, send, worker=worker, clock=lambda: at)

    # --- what people do and see -----------------------------------------------------------
    def say(
        self, who: User, text: str, *, mentions: tuple[User, ...] = (), posts: int = 1
    ) -> list[Recorded]:
        """@mention the bot in the channel; the `posts` activities it sends in answer."""
        return self.answered(lambda: self.bot.say(who, text, mentions=mentions), posts)

    def click(self, who: User, posted: Recorded, command: str, *, posts: int = 1) -> list[Recorded]:
        """Press the card's button (or a confirmation's yes) that runs `command`."""
        data = next(a["data"] for a in submits(posted) if a["data"].get("pb") == command)
        activity = card_submit(self.fake, who, data, reply_to="1", conversation=posted.conversation)
        return self.answered(lambda: self.bot.activity(activity), posts)

    def answered(self, act: Callable[[], tuple[int, Any]], posts: int) -> list[Recorded]:
        """Post an activity (accepted: 200) and the next `posts` activities the bot sends."""
        before = len(self.fake.posted())
        status, _ = act()
        assert status == 200
        return self.fake.wait_posted(before + posts, timeout=60)[before:]

    def until(
        self, check: Callable[[list[Recorded]], bool], act: Callable[[], Any]
    ) -> list[Recorded]:
        """Act, then wait until what was posted since satisfies `check` (slow work)."""
        before = len(self.fake.posted())
        act()
        return self.fake.wait_until(lambda posted: check(posted[before:]), timeout=60)[before:]


def elements(node: Any) -> Iterator[dict[str, Any]]:
    """Every card element and action of an activity, hidden confirmations included."""
    if isinstance(node, dict):
        if "type" in node:
            yield node
        for value in node.values():
            yield from elements(value)
    elif isinstance(node, list):
        for item in node:
            yield from elements(item)


def submits(posted: Recorded) -> list[dict[str, Any]]:
    return [e for e in elements(posted.body) if e["type"] == "Action.Submit"]


def links(posted: list[Recorded]) -> list[str]:
    return [e["url"] for p in posted for e in elements(p.body) if e["type"] == "Action.OpenUrl"]


def images(posted: list[Recorded]) -> list[tuple[Recorded, dict[str, Any]]]:
    return [
        (p, a)
        for p in posted
        for a in p.body.get("attachments", [])
        if a["contentType"] in {"image/png", "image/jpeg"}
    ]


def consents(posted: list[Recorded]) -> list[dict[str, Any]]:
    return [
        a
        for p in posted
        for a in p.body.get("attachments", [])
        if a["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    ]


def download(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=30) as resp:
        return resp.headers["Content-Type"], resp.read()


@pytest.fixture
def year(fake: FakeTeams, tmp_path: Path) -> Iterator[Year]:
    # December, when the chair plans next year and the report on this one is due; the clock
    # runs on (tokens expire, links are dated) but the years stay those the test names.
    with time_machine.travel(TODAY, tick=True):
        deployed = Year(fake, tmp_path / "partnerbot.db")
        try:
            yield deployed
        finally:
            deployed.stop()


def test_a_partnership_year_in_teams(year: Year) -> None:
    fake = year.fake
    for person in (METTE, ANNA, BO):
        fake.add_member(person.id, person.aad, person.name, person.tenant)

    # --- the admin binds the channel and registers the chair; the chair the members -------
    (bound,) = year.say(ADMIN, "tilknyt tingbjerg-husum")
    assert bound.conversation.startswith(CHANNEL + ";messageid=")
    assert "Tingbjerg-Husum Partnerskab" in bound.text
    (chair,) = year.say(ADMIN, "medlem tilføj @0 org=okf rolle=formand", mentions=(METTE,))
    assert "Mette Formand" in chair.text and "Økonomiforvaltningen" in chair.text
    (anna,) = year.say(METTE, "medlem tilføj @0 org=sof rolle=medlem", mentions=(ANNA,))
    assert "Anna Jensen" in anna.text and "Socialforvaltningen" in anna.text
    (bo,) = year.say(METTE, "medlem tilføj @0 org=politi rolle=medlem", mentions=(BO,))
    assert "Bo Betjent" in bo.text and "Københavns Politi" in bo.text
    # the police officer, from the police's tenant, is known and answered in his language
    (who,) = year.say(BO, "whoami")
    assert who.conversation.startswith("a:")  # a personal answer, in his chat with the bot
    assert "You are Bo Betjent" in who.text and "Organisation: Københavns Politi" in who.text
    (listed,) = year.say(METTE, "medlem liste")
    assert all(name in listed.text for name in ("Mette Formand", "Anna Jensen", "Bo Betjent"))

    # --- the Tryghedsplan's activities ----------------------------------------------------
    year.say(METTE, 'aktivitet tilføj PF1 "Natteravne" area=tryggere-byliv org=sof')
    year.say(METTE, 'aktivitet tilføj PF2 "Tryghedsvandring" area=tryggere-byliv org=politi')

    # --- the year's meetings: proposed, then confirmed with the card's button ---------------
    (proposal,) = year.say(METTE, "møde planlæg 2027")
    assert "Forslag til 2027: 8 møder (7 arbejdsgruppemøder og 1 styregruppemøde)." in proposal.text
    assert "19.01.2027 13:00" in proposal.text and "Styregruppens årlige status" in proposal.text
    (created,) = year.click(METTE, proposal, "meeting plan 2027 confirm")
    assert "Oprettet: 8 møder i 2027 med påmindelser" in created.text
    (listing,) = year.say(ANNA, "møde liste 2027")
    assert listing.text.count("planlagt") == 8

    # --- activity updates: Anna types hers, Bo gives his in the dialog ---------------------
    (typed,) = year.say(ANNA, "opdater PF1 planmæssig første gåtur holdt")
    assert typed.conversation.startswith(CHANNEL) and "PF1" in typed.text
    (launcher,) = year.say(BO, "update")
    assert "Fill in the form" in launcher.text
    opener = next(e for e in elements(launcher.body) if e.get("data", {}).get("pb_form"))
    where = launcher.conversation
    status, dialog = year.bot.activity(
        invoke(fake, BO, "task/fetch", {"data": opener["data"]}, conversation=where)
    )
    assert status == 200 and dialog["task"]["type"] == "continue"
    form = dialog["task"]["value"]["card"]["content"]
    choices = next(e for e in form["body"] if e.get("id") == "activity")["choices"]
    assert [c["value"] for c in choices] == ["PF2"]  # the police's own activity only
    values = form["actions"][0]["data"] | {
        "activity": "PF2",
        "status": "at-risk",
        "note": "walk moved to March",
    }
    done = year.until(
        lambda posted: any("PF2" in p.text for p in posted),
        lambda: year.bot.activity(
            invoke(fake, BO, "task/submit", {"data": values}, conversation=where)
        ),
    )
    assert any("Saved: PF2 is at-risk" in p.text for p in done)  # the dialog closed, told
    (shown,) = year.say(ANNA, "aktivitet vis PF2")
    assert "walk moved to March" in shown.text

    # --- a reminder: sent once, and not again by the dispatcher of the restarted bot --------
    before = len(fake.posted())
    assert year.dispatcher("before-restart", FOURTEEN_DAYS).tick() == 1
    (reminder,) = fake.posted()[before:]
    assert reminder.conversation == CHANNEL  # a new post in the channel
    assert "Arbejdsgruppemøde 1/7 — 19.01.2027 kl. 13.00" in reminder.text
    assert "Om 14 dage" in reminder.text and "Jeg kommer" in reminder.text
    answers = [a["data"]["pb"] for a in submits(reminder)]
    assert any(a.endswith(" yes") for a in answers)
    sent = len(fake.posted())
    year.restart()
    assert year.dispatcher("after-restart", FOURTEEN_DAYS).tick() == 0
    assert len(fake.posted()) == sent
    # the restarted bot still knows where the channel is: the next reminder arrives, once
    assert year.dispatcher("after-restart", TWO_DAYS).tick() == 1
    (second,) = fake.wait_posted(sent + 1)[sent:]
    assert second.conversation == CHANNEL and "Om 4 dage" in second.text
    assert year.dispatcher("again", TWO_DAYS).tick() == 0
    yes = next(a for a in answers if a.endswith(" yes"))
    (rsvp,) = year.click(ANNA, reminder, yes)
    # the card posted before the restart still answers; the RSVP is told to Anna alone
    assert rsvp.conversation.startswith("a:") and "Gemt: ja til møde 1" in rsvp.text

    # --- status with charts ----------------------------------------------------------------
    for line in ("indikator sæt crime.indbrud 2020 130", "indikator sæt crime.indbrud 2026 96"):
        year.say(METTE, line)
    status_posts = year.until(
        lambda posted: bool(images(posted)), lambda: year.bot.say(ANNA, "status kriminalitet")
    )
    ack = status_posts[0]  # answered at once, to the asker only; the charts follow for all
    assert "øjeblik" in ack.text.lower() and ack.conversation.startswith("a:")
    verdict = next(p for p in status_posts if "indbrud" in p.text.lower() and not images([p]))
    assert verdict.conversation.startswith(CHANNEL)
    chart, picture = images(status_posts)[0]
    assert chart.conversation.startswith(CHANNEL) and chart.text.strip()  # title and alt text
    png = base64.b64decode(picture["contentUrl"].split(",", 1)[1])
    assert len(png) <= 1_000_000 and max(PIL.Image.open(io.BytesIO(png)).size) <= 1024

    # --- the annual report: a link in the channel to a real PDF ----------------------------
    report_posts = year.until(
        lambda posted: bool(links(posted)), lambda: year.bot.say(METTE, "rapport 2026")
    )
    assert any("Årlig statusrapport for 2026" in p.text for p in report_posts)
    (url,) = links(report_posts)
    assert url.startswith(f"http://127.0.0.1:{year.port}/files/")
    report = [p for p in report_posts if "øjeblik" not in p.text.lower()]
    assert report and all(p.conversation.startswith(CHANNEL) for p in report)
    kind, pdf = download(url)
    assert kind == "application/pdf" and pdf.startswith(b"%PDF")
    document = pypdf.PdfReader(io.BytesIO(pdf))
    assert "Tingbjerg-Husum" in "".join(page.extract_text() for page in document.pages)

    # --- the calendar: asked for in the channel, offered in her own chat for her OneDrive ---
    cal_posts = year.until(
        lambda posted: bool(consents(posted)), lambda: year.bot.say(ANNA, "møde ics")
    )
    assert any("Kalender med 8 møder" in p.text for p in cal_posts)
    chat = cal_posts[0].conversation
    assert chat.startswith("a:") and all(p.conversation == chat for p in cal_posts)
    (consent,) = consents(cal_posts)
    assert consent["name"] == "tingbjerg-husum-meetings.ics"
    allowed = file_consent(fake, ANNA, consent, "accept", conversation=chat)
    (saved,) = year.answered(lambda: year.bot.activity(allowed), 1)
    assert "Filen er gemt i din OneDrive" in saved.text
    (ics,) = fake.uploads.values()
    calendar = icalendar.Calendar.from_ical(ics)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert len(events) == 8 and len({str(e["UID"]) for e in events}) == 8
    first = events[0].decoded("DTSTART")
    assert (first.date(), first.hour, str(first.tzinfo)) == (dt.date(2027, 1, 19), 13,
                                                             "Europe/Copenhagen")  # fmt: skip
    assert calendar.walk("VTIMEZONE")
