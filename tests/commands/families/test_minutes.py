"""The minutes of a meeting as files a secretariat uses (issue 11): a PDF and a DOCX that are
opened and read here — who came and who sent apologies by organisation, the previous minutes'
approval, the agenda, the decisions and the follow-up items — and a public version without the
internal items and without anyone's name."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pypdf
import pytest
from helpers import run, setup_people

NOW = dt.datetime(2027, 3, 20, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def chair(engine, make_ctx):
    make = make_ctx(engine)
    setup_people(engine, make)
    return lambda lang="en", user="chair": make(user, clock=lambda: NOW, lang=lang)


def ok(ctx, line: str):
    reply = run(ctx, line)
    assert reply.ok, (line, reply.plain())
    return reply


def set_up(chair) -> None:
    for line in (
        "meeting add 2027-02-09 13:00",
        "minutes approve 1",
        "meeting add 2027-03-09 13:00 place=Bibliotek",
        "attendance 2 @chair @anna apologies @bo",
        "decision add 2 The night walks continue in 2027",
        "decision add 2 internal The budget is discussed again",
        'action add 2 "Send the count of night walks" owner=sof due=2027-04-01',
        'action add 2 internal "Check the light in the tunnel" owner=@bo due=2027-04-15',
    ):
        ok(chair(), line)


def texts(reply) -> tuple[str, str]:
    pdf = next(f for f in reply.files if f.name.endswith(".pdf"))
    word = next(f for f in reply.files if f.name.endswith(".docx"))
    pdf_text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    document = docx.Document(io.BytesIO(word.data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return pdf_text, "\n".join(parts)


def test_the_minutes_as_pdf_and_docx_say_the_same(engine, chair):
    set_up(chair)
    reply = ok(chair(), "minutes 2")
    assert [f.name for f in reply.files] == [
        "minutes-2-2027-03-09.pdf",
        "minutes-2-2027-03-09.docx",
    ]
    for text in texts(reply):
        for words in (
            "Minutes: Working group meeting",
            "Bibliotek",
            "Socialforvaltningen",
            "anna",  # present, by name in the internal minutes
            "bo",  # apologies
            "were approved on",  # meeting 1's minutes
            "The night walks continue in 2027",
            "The budget is discussed again",
            "Send the count of night walks",
            "Check the light in the tunnel",
            "new",
        ):
            assert words in text, (words, text[:400])


def test_the_public_minutes_leave_out_internal_items_and_names(engine, chair):
    set_up(chair)
    reply = ok(chair(), "minutes 2 public")
    assert reply.files[0].name == "minutes-2-2027-03-09-public.pdf"
    for text in texts(reply):
        assert "The night walks continue in 2027" in text and "Send the count" in text
        assert "budget" not in text and "tunnel" not in text
        assert "anna" not in text.lower() and "chair" not in text.lower()
        assert "Socialforvaltningen" in text  # attendance by organisation


def test_danish_minutes_and_the_approval_noted(engine, chair):
    set_up(chair)
    pdf, word = texts(ok(chair("da"), "referat 2 offentlig"))
    for text in (pdf, word):
        assert "Referat: Arbejdsgruppemøde 09.03.2027" in text
        assert "Fremmøde" in text and "Beslutninger" in text and "Opfølgningspunkter" in text
    ok(chair(), "meeting add 2027-03-16 13:00")  # meeting 3, after meeting 2
    assert "er ikke godkendt endnu" in texts(ok(chair("da"), "referat 3"))[1]
    ok(chair("da"), "referat 2 godkend")  # the id first, as DESIGN writes it
    assert "er godkendt 20.03.2027" in texts(ok(chair("da"), "referat 3"))[1]
    again = run(chair("da"), "referat godkend 2")
    assert again.ok and "allerede godkendt" in again.plain()
    refused = run(chair(user="anna"), "minutes approve 2")
    assert not refused.ok and "needs one of the roles chair or secretariat" in refused.plain()


def test_minutes_of_a_meeting_not_yet_held_are_refused(engine, chair):
    ok(chair(), "meeting add 2027-04-20 13:00")
    reply = run(chair(), "minutes 1")
    assert not reply.ok and "has not been held yet" in reply.plain() and not reply.files


def test_the_follow_up_items_as_they_stood_at_the_meeting(engine, make_ctx):
    """Minutes say what was done by the meeting; an item done after it was still open then."""
    make = make_ctx(engine)
    setup_people(engine, make)

    def at(day: int):
        return make("chair", clock=lambda: dt.datetime(2027, 3, day, 10, tzinfo=dt.UTC), lang="en")

    ok(at(10), "meeting add 2027-03-09 13:00")
    ok(at(10), 'action add 1 "Send the count" owner=sof due=2027-04-01')
    ok(at(10), 'action add 1 "Check the light" owner=sof due=2027-04-15')
    ok(at(12), "action done 1")  # between meetings 1 and 2
    ok(at(17), "meeting add 2027-03-16 13:00")  # meeting 2
    ok(at(20), "action done 2")  # after meeting 2
    _, word = texts(ok(at(20), "minutes 2"))
    assert "Send the count\nsof\n2027-04-01\ndone" in word  # done since meeting 1
    assert "Check the light\nsof\n2027-04-15\ncarried over" in word  # open at meeting 2
    _, first = texts(ok(at(20), "minutes 1"))
    assert "Send the count\nsof\n2027-04-01\nnew" in first
    assert "Check the light\nsof\n2027-04-15\nnew" in first
