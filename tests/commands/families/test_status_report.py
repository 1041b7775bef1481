"""`status` and `report` as a person runs them in the shell: real PNG and PDF files, opened."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from helpers import run, run_cli, setup_people
from matplotlib.image import imread
from pypdf import PdfReader


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    done = run_cli(["shell", "--demo", "--out", str(out)], out, "whoami\n")
    assert done.returncode == 0, done.stderr
    return out


def shell(demo: Path, text: str, *args: str) -> tuple[str, list[Path]]:
    done = run_cli(
        ["shell", "--demo", "--out", str(demo), *args],
        demo,
        text,
        DATABASE_URL=f"sqlite:///{demo / 'demo.db'}",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    files = [
        Path(line.removeprefix("file: "))
        for line in done.stdout.splitlines()
        if line.startswith("file: ")
    ]
    return done.stdout, files


@pytest.mark.e2e
def test_status_all_gives_verdicts_and_four_charts(demo: Path) -> None:
    out, files = shell(demo, "status alle\n")
    assert "Indbrud" in out and "Andel utrygge borgere" in out
    assert any(word in out for word in ("opfyldt", "ikke opfyldt"))
    assert any(word in out for word in ("nærmer sig", "nærmer sig ikke", "på niveau"))
    assert "DEMODATA" in out
    names = sorted(p.name for p in files)
    assert names == sorted(
        f"tingbjerg-husum-status-{n}.png" for n in ("crime", "total", "safety", "activities")
    )
    for path in files:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        height, width = imread(io.BytesIO(path.read_bytes()), format="png").shape[:2]
        assert width >= 1000 and height >= 600


@pytest.mark.e2e
def test_status_in_english_for_one_section_and_years(demo: Path) -> None:
    out, files = shell(demo, "status crime from=2017 to=2019\n", "--lang", "en")
    assert "Burglary" in out and ("met" in out or "not met" in out)
    assert [p.name for p in files] == [
        "tingbjerg-husum-status-crime.png",
        "tingbjerg-husum-status-total.png",
    ]


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("status foo\n", "Unknown section 'foo'"),
        ("status safty\n", "Did you mean 'safety'"),
        ("status crime from=2020 to=2015\n", "The year in from=2020 is after to=2015"),
        ("status crime from=1990 to=1995\n", "There are no figures for 1990–1995"),
        ("report 2010\n", "nothing to report"),
        ("report 1999\n", "The year must be between 2000"),
        ("report\n", "Use: `/wg report YEAR [format=pdf|docx]"),
    ],
)
def test_bad_status_and_report_requests_get_clear_replies(
    demo: Path, text: str, expected: str
) -> None:
    out, files = shell(demo, text, "--lang", "en")
    assert expected in out and files == []


@pytest.mark.e2e
def test_report_2019_is_a_steering_group_pdf(demo: Path) -> None:
    _out, files = shell(demo, "rapport 2019\n")
    assert [p.suffix for p in files] == [".pdf"]
    reader = PdfReader(str(files[0]))
    # words as a reader sees them (a long title wraps; no-break spaces are spaces)
    text = " ".join("\n".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) >= 4
    for heading in (
        "Status for Tingbjerg-Husum Partnerskab 2019",
        "Overordnede mål",
        "Indsatsens navn",
        "Forvaltning",
        "Indfrielse af succeskriterier",
        "Kilder",
        "DEMODATA",
    ):
        assert heading in text, heading
    assert "Natteravne i Tingbjerg" in text and "Socialforvaltningen" in text


@pytest.mark.e2e
def test_cli_report_writes_the_file(demo: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "status-2019.pdf"
    done = run_cli(
        ["report", "2019", "--out", str(target), "--lang", "en"],
        demo,
        DATABASE_URL=f"sqlite:///{demo / 'demo.db'}",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"file: {target}"
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(str(target)).pages).split())
    assert "Status for Tingbjerg-Husum Partnerskab 2019" in text and "Sources" in text
    missing = run_cli(
        ["report", "2010", "--out", str(tmp_path / "x.pdf")],
        demo,
        DATABASE_URL=f"sqlite:///{demo / 'demo.db'}",
    )
    assert missing.returncode == 1 and not (tmp_path / "x.pdf").exists()


def test_no_figures_yet_says_what_is_missing_and_who_enters_it(engine, make_ctx) -> None:
    make = make_ctx(engine)
    setup_people(engine, make)
    reply = run(make("anna"), "status crime")
    assert not reply.ok and not reply.files
    text = reply.plain()
    assert (
        "crime.indbrud" in text and "indicator set" in text and "chair or the secretariat" in text
    )
    run(make("root", admin=True), "indicator set crime.indbrud 2019 130")
    reply = run(make("anna"), "status crime")
    assert reply.ok and [f.name for f in reply.files] == ["tingbjerg-husum-status-crime.png"]
    assert "Missing:" in reply.plain()  # the other categories are still named


def test_charts_for_unchanged_data_are_not_drawn_again(
    sqlite_engine, make_ctx, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    from charts import status as charts

    drawn: list[str] = []
    real = charts.crime_chart

    @functools.wraps(real)
    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        drawn.append("crime")
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "crime_chart", counting)
    make = make_ctx(sqlite_engine)
    setup_people(sqlite_engine, make)
    run(make("root", admin=True), "indicator set crime.indbrud 2019 131")
    first = run(make("anna"), "status crime")
    again = run(make("anna"), "status crime")
    assert drawn == ["crime"] and first.files[0].data == again.files[0].data
    run(make("root", admin=True), "indicator set crime.indbrud 2020 120")
    changed = run(make("anna"), "status crime")
    assert drawn == ["crime", "crime"] and changed.files[0].data != first.files[0].data
    assert "120 (2020)" in changed.files[0].alt
