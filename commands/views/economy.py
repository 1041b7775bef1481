"""The partnership's money in a year: granted and spent per focus area and activity, against the
yearly frame of the partnership file (`[budget] activities_dkk`, DESIGN section 2).

One computation for `budget [YEAR]` in chat and the annual report's economy section, so the two
can never disagree. Activities without funding from the partnership are listed, marked, and
left out of the sums (their money is not the partnership's).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from charts.report_data import EconomyTable
from commands.engine import fmt
from commands.engine.context import say
from config.partnership import Partnership as Spec
from storage.models import ActivityBudget
from storage.queries import plan_query

UNFUNDED_MARK = "†"


@dataclass(frozen=True)
class Line:
    code: str
    name: str
    organisation: str
    area: str
    granted: int | None
    spent: int | None
    funded: bool


@dataclass(frozen=True)
class Area:
    name: str
    lines: tuple[Line, ...]

    @property
    def granted(self) -> int:
        return sum(x.granted or 0 for x in self.lines if x.funded)

    @property
    def spent(self) -> int:
        return sum(x.spent or 0 for x in self.lines if x.funded)


def areas(session: Session, pid: int, year: int, lang: str) -> list[Area]:
    """Every activity of the partnership with its money in the year, by focus area, code order."""
    rows = session.exec(plan_query(pid)).all()
    money = {
        b.activity_id: b
        for b in session.exec(
            select(ActivityBudget).where(
                ActivityBudget.partnership_id == pid, ActivityBudget.year == year
            )
        )
    }
    out: dict[str, list[Line]] = {}
    for act, area, org in rows:
        b = money.get(act.id or 0)
        name = area.name_da if lang == "da" else area.name_en
        out.setdefault(name, []).append(
            Line(
                act.code,
                act.name,
                org.name,
                name,
                b.granted_dkk if b else None,
                b.spent_dkk if b else None,
                act.funded,
            )
        )
    return [Area(name, tuple(lines)) for name, lines in out.items()]


def frame_of(spec: Spec | None) -> tuple[int | None, int | None]:
    """The partnership file's yearly frame: (activities, secretariat), in whole kroner."""
    return (spec.budget.activities_dkk, spec.budget.secretariat_dkk) if spec else (None, None)


def frame_sentence(
    groups: list[Area], year: int, frame: int | None, secretariat: int | None, lang: str
) -> str:
    """ "Rammen for 2019 er 1.800.000 kr. til aktiviteter og 300.000 kr. til sekretariatet.
    Bevilget: 1.650.000 kr. (92 %), forbrugt: 1.200.000 kr. (67 %)." — and what is over."""
    granted = sum(a.granted for a in groups)
    spent = sum(a.spent for a in groups)

    def share(amount: int) -> str:
        return f" ({fmt.percent(100 * amount / frame, lang, 0)})" if frame else ""

    text = ""
    if frame is not None:
        text = say(
            lang,
            "Rammen for {y} er {a} til aktiviteter og {s} til sekretariatet. ",
            "The frame for {y} is {a} for activities and {s} for the secretariat. ",
            y=year,
            a=fmt.money(frame, lang),
            s=fmt.money(secretariat or 0, lang),
        )
    text += say(
        lang,
        "Bevilget: {g}{gs}, forbrugt: {f}{fs}.",
        "Granted: {g}{gs}, spent: {f}{fs}.",
        g=fmt.money(granted, lang),
        gs=share(granted),
        f=fmt.money(spent, lang),
        fs=share(spent),
    )
    if frame is not None and granted > frame:
        text += " " + say(
            lang,
            "Der er bevilget {d} mere end rammen.",
            "{d} more than the frame has been granted.",
            d=fmt.money(granted - frame, lang),
        )
    return text


def _cell(amount: int | None, lang: str) -> str:
    return fmt.NONE if amount is None else fmt.money(amount, lang)


def table(
    groups: list[Area], year: int, frame: int | None, secretariat: int | None, lang: str
) -> EconomyTable:
    """The economy as the report shows it: an area row with its sums, then its activities."""
    rows: list[tuple[str, ...]] = []
    area_rows: list[int] = []
    for group in groups:
        area_rows.append(len(rows))
        rows.append((group.name, "", fmt.money(group.granted, lang), fmt.money(group.spent, lang)))
        for x in group.lines:
            mark = "" if x.funded else f" {UNFUNDED_MARK}"
            rows.append(
                (
                    f"{x.code} {x.name}{mark}",
                    x.organisation,
                    _cell(x.granted, lang),
                    _cell(x.spent, lang),
                )
            )
    total = (
        say(lang, "I alt", "Total"),
        "",
        fmt.money(sum(a.granted for a in groups), lang),
        fmt.money(sum(a.spent for a in groups), lang),
    )
    notes: tuple[str, ...] = ()
    if any(not x.funded for a in groups for x in a.lines):
        notes = (
            say(
                lang,
                "{m} Uden finansiering fra partnerskabet; indgår ikke i summerne.",
                "{m} Without funding from the partnership; not in the sums.",
                m=UNFUNDED_MARK,
            ),
        )
    return EconomyTable(
        title=say(lang, "Økonomi {y}", "Economy {y}", y=year),
        frame=frame_sentence(groups, year, frame, secretariat, lang),
        headers=(
            say(lang, "Indsats", "Activity"),
            say(lang, "Forvaltning", "Administration"),
            say(lang, "Bevilget", "Granted"),
            say(lang, "Forbrugt", "Spent"),
        ),
        rows=(*rows, total),
        area_rows=tuple(area_rows),
        total_row=len(rows),
        notes=notes,
    )
