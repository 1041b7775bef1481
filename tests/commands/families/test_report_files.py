"""The annual report as the city files it (issue 12, first part): an editable Word document with
the same content as the PDF (targets, activities, meetings, attendance, sources, charts with alt
text), the case fields on the cover, and a report for the working year that says which figures
are not published yet."""

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
    root = make("root", admin=True, clock=lambda: NOW)
    for line in (
        "indicator set crime.indbrud 2015 145",
        "indicator set crime.indbrud 2026 131",
        "meeting add 2026-11-10 13:00",
        "attendance 1 @chair @anna",
        "meeting add 2027-02-09 13:00",
    ):
        assert run(root, line).ok, line
    return lambda lang="en": make("chair", clock=lambda: NOW, lang=lang)


def words_of(data: bytes) -> tuple[str, list[str]]:
    document = docx.Document(io.BytesIO(data))
    text = [p.text for p in document.paragraphs]
    text += [c.text for t in document.tables for row in t.rows for c in row.cells]
    alts = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    return "\n".join(text), alts


def test_the_report_as_a_word_document_with_the_case_fields(engine, chair):
    reply = run(chair(), "report 2026 format=docx case=2026-0012345 appendix=3")
    assert reply.ok, reply.plain()
    [file] = reply.files
    assert file.name == "tingbjerg-husum-status-report-2026.docx"
    text, alts = words_of(file.data)
    for words in ("Status for", "Case no.: 2026-0012345", "Appendix: 3", "Crime", "Burglary",
                  "131", "145 (2015", "Activities", "Natteravne", "Meetings in 2026",
                  "2 present", "Attendance per organisation 2026", "Socialforvaltningen",
                  "1 of 1 meetings", "Sources"):  # fmt: skip
        assert words in text, (words, text[:500])
    assert alts and all(a and "131" in a for a in alts[:1])  # alt text made from the figures
    pdf = run(chair(), "report 2026 case=2026-0012345")
    first = pypdf.PdfReader(io.BytesIO(pdf.files[0].data)).pages[0].extract_text()
    assert "Case no.: 2026-0012345" in first


def test_the_working_year_is_reported_with_what_exists(engine, chair):
    reply = run(chair(lang="da"), "rapport 2027")
    assert reply.ok and "Tallene for 2027 er ikke offentliggjort endnu" in reply.plain()
    refused = run(chair(), "report 2027 format=xls")
    assert not refused.ok and "Format must be pdf or docx" in refused.plain()


def test_a_summary_on_the_first_page_made_from_the_verdicts(engine, chair):
    reply = run(chair(), "report 2026")
    first = pypdf.PdfReader(io.BytesIO(reply.files[0].data)).pages[0].extract_text()
    assert "Summary" in first
    assert "1 of 1 target for police reports is met in 2026." in first  # 131 ≤ 145
    assert "1 meeting held in 2026." in first
    danish = run(chair("da"), "rapport 2026 format=docx")
    text, _ = words_of(danish.files[0].data)
    assert "Sammenfatning" in text and "1 af 1 mål for anmeldelser er opfyldt i 2026." in text


def test_every_year_from_the_baseline_with_the_missing_ones_shown(engine, chair):
    reply = run(chair(), "report 2026")
    pdf = pypdf.PdfReader(io.BytesIO(reply.files[0].data))
    pages = [p.extract_text() for p in pdf.pages]
    page = next((t for t in pages if "year by year" in t and "Contents" not in t), "\n".join(pages))
    assert "Police reports year by year" in page
    lines = page.splitlines()
    assert any(line.startswith("2015") and "145" in line for line in lines)
    assert any(line.startswith("2020") and "–" in line for line in lines)  # no figure that year
    assert any(line.startswith("2026") and "131" in line for line in lines)
    assert "since 2015" in page and "-14" in page and "\nVerdict met" in page
    text, _ = words_of(run(chair(), "report 2026 format=docx").files[0].data)
    assert "Police reports year by year" in text and "Change since 2015" in text
