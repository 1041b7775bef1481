"""The meetings calendar (commands/rules/calendar.py): the raw text, and parsed back with
`icalendar`."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from commands.rules.calendar import CalEvent, calendar

CPH = ZoneInfo("Europe/Copenhagen")
SLUG = "tingbjerg-husum"
STAMP = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
LONG_DA = (
    "Dagsorden for arbejdsgruppens møde i Tingbjerg: opfølgning på tryghedsvandringen ved "
    "Ruten, status på lektiecaféen i Husum, økonomi for året, næste års tryghedsplan og "
    "evaluering af sommerens aktiviteter for unge. Bemærk: mødet holdes på Tingbjerg "
    "Bibliotek, 1. sal — husk adgangskort. Æble, østers og ål på menuen!"
)
SPECIAL = "Punkt 1; punkt 2, punkt 3 \\ sti C:\\mappe\nNy linje\r\nog én til, slut;"


def event(uid: str = "meeting-1", **changes: object) -> CalEvent:
    base = CalEvent(
        uid_key=uid,
        starts_at=datetime(2025, 6, 10, 11, 0, tzinfo=UTC),  # 13:00 CEST
        duration_minutes=120,
        summary="Arbejdsgruppemøde 4/7",
        location="Tingbjerg Bibliotek, Ruten 1",
        description="",
        cancelled=False,
        sequence=0,
        updated_at=STAMP,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


EVENTS = [
    event("meeting-1"),
    event(
        "meeting-2",
        starts_at=datetime(2025, 12, 2, 12, 0, tzinfo=UTC),  # 13:00 CET
        summary="Styregruppens årlige status",
        description=LONG_DA,
        sequence=3,
    ),
    event("meeting-3", starts_at=datetime(2025, 9, 2, 11, tzinfo=UTC), cancelled=True),
    event("meeting-4", starts_at=datetime(2026, 1, 20, 12, tzinfo=UTC), summary=SPECIAL),
]


def render(events: list[CalEvent] = EVENTS, tz: ZoneInfo = CPH) -> bytes:
    return calendar(events, name="Tingbjerg-Husum: møder", slug=SLUG, tz=tz)


def vevents(data: bytes) -> dict[str, object]:
    cal = Calendar.from_ical(data)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def unfold(data: bytes) -> bytes:
    return data.replace(b"\r\n ", b"")


def test_parses_with_one_vevent_per_meeting_and_stable_uids() -> None:
    cal = Calendar.from_ical(render())
    assert str(cal["VERSION"]) == "2.0"
    assert str(cal["CALSCALE"]) == "GREGORIAN"
    assert str(cal["METHOD"]) == "PUBLISH"
    assert str(cal["PRODID"]).startswith("-//Partnerbot//")
    assert str(cal["X-WR-CALNAME"]) == "Tingbjerg-Husum: møder"
    uids = [str(ev["UID"]) for ev in cal.walk("VEVENT")]
    assert sorted(uids) == [f"meeting-{n}@{SLUG}.partnerbot" for n in range(1, 5)]
    # The same meeting keeps its UID whatever else is in the file.
    alone = vevents(render([EVENTS[1]]))
    assert list(alone) == [f"meeting-2@{SLUG}.partnerbot"]


@pytest.mark.parametrize(
    ("uid", "utc", "local_hour"),
    [
        ("meeting-1", datetime(2025, 6, 10, 11, tzinfo=UTC), 13),  # summer, +02:00
        ("meeting-2", datetime(2025, 12, 2, 12, tzinfo=UTC), 13),  # winter, +01:00
    ],
)
def test_dtstart_has_tzid_and_the_right_instant(uid: str, utc: datetime, local_hour: int) -> None:
    ev = vevents(render())[f"{uid}@{SLUG}.partnerbot"]
    assert ev["DTSTART"].params["TZID"] == "Europe/Copenhagen"
    assert ev["DTEND"].params["TZID"] == "Europe/Copenhagen"
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert start.hour == local_hour
    assert start.astimezone(UTC) == utc
    assert end - start == timedelta(minutes=120)
    raw = unfold(render()).decode()
    assert f"DTSTART;TZID=Europe/Copenhagen:{utc.astimezone(CPH):%Y%m%dT%H%M%S}\r\n" in raw


def test_vtimezone_defines_the_zone() -> None:
    data = render()
    cal = Calendar.from_ical(data)
    (vtz,) = cal.walk("VTIMEZONE")
    assert str(vtz["TZID"]) == "Europe/Copenhagen"
    standard, daylight = vtz.walk("STANDARD"), vtz.walk("DAYLIGHT")
    assert len(standard) == len(daylight) == 1
    assert str(standard[0]["TZNAME"]) == "CET" and str(daylight[0]["TZNAME"]) == "CEST"
    text = data.decode()
    # The usual yearly pair, as Outlook and Google write it themselves; no RDATE lists, which
    # Outlook does not read. Onsets are wall-clock times in TZOFFSETFROM: 02:00 and 03:00.
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10" in text
    assert "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3" in text
    assert "RDATE" not in text
    assert daylight[0].decoded("DTSTART").time() == time(2, 0)
    assert standard[0].decoded("DTSTART").time() == time(3, 0)
    assert "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200" in text
    assert "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100" in text
    # The VTIMEZONE alone (not the TZID name) must give Copenhagen's offsets: Outlook uses it.
    own = vtz.to_tz(lookup_tzid=False)
    for moment in (
        datetime(2025, 3, 30, 0, 59, tzinfo=UTC),
        datetime(2025, 3, 30, 1, 0, tzinfo=UTC),
        datetime(2025, 10, 26, 0, 59, tzinfo=UTC),
        datetime(2025, 10, 26, 1, 0, tzinfo=UTC),
        datetime(2026, 1, 20, 12, tzinfo=UTC),
        datetime(2026, 7, 1, 12, tzinfo=UTC),
        datetime(2030, 7, 1, 12, tzinfo=UTC),  # the rule runs on past the events
    ):
        assert moment.astimezone(own).utcoffset() == moment.astimezone(CPH).utcoffset(), moment


@pytest.mark.parametrize(
    ("zone", "years"),
    [
        ("America/New_York", (2025, 2026)),
        ("Australia/Sydney", (2025,)),
        ("Asia/Tokyo", (2025,)),
        ("America/Sao_Paulo", (2018, 2020)),  # Brazil dropped DST in 2019: no single rule
        ("Europe/Copenhagen", (1995, 1997)),  # summer time ended in September until 1995
    ],
)
def test_vtimezone_is_generic(zone: str, years: tuple[int, ...]) -> None:
    tz = ZoneInfo(zone)
    events = [
        event(f"m-{y}-{month}", starts_at=datetime(y, month, 10, 12, tzinfo=UTC))
        for y in years
        for month in (1, 4, 7, 10)
    ]
    cal = Calendar.from_ical(render(events, tz))
    (vtz,) = cal.walk("VTIMEZONE")
    own = vtz.to_tz(lookup_tzid=False)
    for ev in cal.walk("VEVENT"):
        start = ev["DTSTART"].dt
        wall = start.replace(tzinfo=None)
        assert wall.replace(tzinfo=own).astimezone(UTC) == start.astimezone(UTC), ev["UID"]
        assert start.astimezone(UTC).year in years


def test_cancelled_event() -> None:
    events = vevents(render())
    assert str(events[f"meeting-3@{SLUG}.partnerbot"]["STATUS"]) == "CANCELLED"
    assert str(events[f"meeting-1@{SLUG}.partnerbot"]["STATUS"]) == "CONFIRMED"
    assert str(Calendar.from_ical(render())["METHOD"]) == "PUBLISH"


def test_sequence_and_stamps() -> None:
    ev = vevents(render())[f"meeting-2@{SLUG}.partnerbot"]
    assert int(ev["SEQUENCE"]) == 3
    assert ev.decoded("DTSTAMP") == STAMP
    assert ev.decoded("LAST-MODIFIED") == STAMP
    assert "DTSTAMP:20250501T080000Z\r\n" in render().decode()


def test_long_danish_description_is_folded_and_unfolds_exactly() -> None:
    data = render()
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert data.count(b"\n") == data.count(b"\r\n"), "bare LF"
    assert b"\r" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # no line ends inside a multi-byte character
    assert any(line.startswith(b" ") for line in lines), "the long description was not folded"
    ev = vevents(data)[f"meeting-2@{SLUG}.partnerbot"]
    assert str(ev["DESCRIPTION"]) == LONG_DA
    unfolded = unfold(data).decode()
    assert "DESCRIPTION:" + LONG_DA.replace(",", "\\,") + "\r\n" in unfolded


def raw_lines(data: bytes, prop: str) -> list[bytes]:
    """The physical lines of the first `prop` content line: its first line and its folds."""
    lines = data.split(b"\r\n")
    start = next(n for n, line in enumerate(lines) if line.startswith(prop.encode() + b":"))
    parts = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith(b" "):
            break
        parts.append(line)
    return parts


@pytest.mark.parametrize("text", ["æ" * 200, "a" + "ø" * 100, "ab" * 80 + "€𝄞" * 30, "x" * 74])
def test_fold_never_splits_a_character(text: str) -> None:
    parts = raw_lines(render([event(description=text)]), "DESCRIPTION")
    assert all(len(p) <= 75 for p in parts)
    assert all(p.startswith(b" ") for p in parts[1:])
    decoded = [p.decode("utf-8") for p in parts]
    assert decoded[0] + "".join(p[1:] for p in decoded[1:]) == f"DESCRIPTION:{text}"


@pytest.mark.parametrize("before", range(56, 66))  # the escape lands on either side of a fold
def test_fold_keeps_escapes_whole(before: int) -> None:
    parts = raw_lines(render([event(description="a" * before + ";" + "b" * 20)]), "DESCRIPTION")
    assert len(parts) == 2
    assert any(b"\\;" in p for p in parts), parts


def test_special_characters_round_trip() -> None:
    ev = vevents(render())[f"meeting-4@{SLUG}.partnerbot"]
    assert str(ev["SUMMARY"]) == SPECIAL.replace("\r\n", "\n")
    assert str(vevents(render())[f"meeting-1@{SLUG}.partnerbot"]["LOCATION"]) == (
        "Tingbjerg Bibliotek, Ruten 1"
    )
    raw = unfold(render([event(summary="a;b,c\\d\ne")])).decode()
    assert "SUMMARY:a\\;b\\,c\\\\d\\ne\r\n" in raw
    # Control characters are not allowed in TEXT: dropped, tab kept.
    data = render([event(summary="bell\x07 tab\t")])
    assert "SUMMARY:bell tab\t\r\n" in data.decode()
    assert str(vevents(data)[f"meeting-1@{SLUG}.partnerbot"]["SUMMARY"]) == "bell tab\t"


def test_output_is_stable() -> None:
    first = render()
    assert render() == first
    assert render(list(reversed(EVENTS))) == first
    assert render([replace(e) for e in EVENTS]) == first
    # A move changes that event's block (new time, SEQUENCE bumped) and nothing else.
    later = EVENTS[3].starts_at + timedelta(days=7)
    moved = [*EVENTS[:3], replace(EVENTS[3], starts_at=later, sequence=1)]
    before, after = first.split(b"BEGIN:VEVENT"), render(moved).split(b"BEGIN:VEVENT")
    assert before[:-1] == after[:-1]
    changed = set(after[-1].split(b"\r\n")) - set(before[-1].split(b"\r\n"))
    assert changed == {
        b"DTSTART;TZID=Europe/Copenhagen:20260127T130000",
        b"DTEND;TZID=Europe/Copenhagen:20260127T150000",
        b"SEQUENCE:1",
    }


def test_second_pass_of_the_repeated_hour_is_written_in_utc() -> None:
    second = datetime(2025, 10, 26, 1, 30, tzinfo=UTC)  # 02:30 CET, the second 02:30
    first = datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # 02:30 CEST
    data = unfold(render([event("a", starts_at=first), event("b", starts_at=second)])).decode()
    assert "DTSTART;TZID=Europe/Copenhagen:20251026T023000\r\n" in data
    assert "DTSTART:20251026T013000Z\r\n" in data
    events = vevents(render([event("a", starts_at=first), event("b", starts_at=second)]))
    assert events[f"b@{SLUG}.partnerbot"].decoded("DTSTART") == second
    assert events[f"a@{SLUG}.partnerbot"].decoded("DTSTART").astimezone(UTC) == first


def test_empty_calendar_and_naive_times() -> None:
    cal = Calendar.from_ical(render([]))
    assert cal.walk("VEVENT") == []
    with pytest.raises(ValueError, match="aware"):
        render([event(starts_at=datetime(2025, 6, 10, 13))])


def test_no_empty_optional_properties() -> None:
    data = render([event(location="", description="")]).decode()
    assert "LOCATION" not in data and "DESCRIPTION" not in data
    assert re.search(r"^SUMMARY:Arbejdsgruppemøde 4/7\r$", data, re.M)
