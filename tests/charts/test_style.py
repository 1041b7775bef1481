"""The house style: number and date formats, text wrapping, the figure size, and that the
charts package stays pure (no commands, chat or storage).
"""

from __future__ import annotations

import ast
import datetime as dt
import math

import pytest
from chart_data import meta, pixels
from helpers import REPO

from charts.layout import bare_png, wrap
from charts.style import fmt_date, fmt_number, fmt_percent, fmt_points


def test_numbers_in_danish_and_english() -> None:
    assert fmt_number(1234.5, "da", 1) == "1.234,5"
    assert fmt_number(1234.5, "en", 1) == "1,234.5"
    assert fmt_number(596, "da") == "596"
    assert fmt_number(1234567, "da") == "1.234.567"
    assert fmt_number(-15.94, "da", 1) == "-15,9"
    assert fmt_number(-0.04, "en", 1) == "0.0"  # no "-0.0"
    assert fmt_number(math.nan, "da") == "–"
    assert fmt_percent(18.5, "da") == "18,5 %"
    assert fmt_percent(18.5, "en") == "18.5%"
    assert fmt_points(7, "da") == "7,0 procentpoint"
    assert fmt_points(7, "en") == "7.0 percentage points"
    assert fmt_date(dt.date(2020, 6, 5), "da") == "5.6.2020"
    assert fmt_date(dt.date(2020, 6, 5), "en") == "2020-06-05"


def test_wrap_breaks_at_words_then_slashes_and_hyphens() -> None:
    assert wrap("Beskæftigelses- og Integrationsforvaltningen", 2.0, 9.5) == [
        "Beskæftigelses- og",
        "Integrationsforvaltningen",
    ]
    assert wrap("Baseline/sammenligning", 1.3, 9.5, bold=True) == ["Baseline/", "sammenligning"]


def test_meta_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="lang"):
        meta("de")


def test_bare_figure_has_the_same_size() -> None:
    assert pixels(bare_png(1200, 750)).shape[:2] == (750, 1200)


def test_charts_import_nothing_from_commands_bot_or_storage() -> None:
    for path in REPO.joinpath("charts").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] not in {"commands", "bot", "storage"}, (path, name)
