"""The status charts: real PNG files of the Slack size, opened and checked."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from chart_data import (
    CHARTS,
    crime_frame,
    fulfilment_frame,
    meta,
    pixels,
    review,
    safety_frame,
    status_frame,
)

from charts.status import activities_chart, crime_chart, crime_size_px, safety_chart, total_chart
from charts.style import DEMO_RED


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_is_a_png_of_the_slack_size(name: str, lang: str) -> None:
    png = CHARTS[name](meta(lang))
    review(f"{name}-{lang}.png", png)
    image = pixels(png)
    assert image.shape[:2] == (750, 1200)  # 8 x 5 in at 150 dpi
    assert image.std() > 0.05  # something was drawn


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_demo_data_is_stamped(name: str) -> None:
    demo = pixels(CHARTS[name](meta(demo=True)))
    real = pixels(CHARTS[name](meta(demo=False)))
    assert not np.array_equal(demo, real)
    red = np.array([int(DEMO_RED[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    assert np.allclose(demo[5, 100, :3], red, atol=0.02)  # the band across the top
    assert not np.allclose(real[5, 100, :3], red, atol=0.02)


def test_languages_differ() -> None:
    for name, draw in CHARTS.items():
        assert not np.array_equal(pixels(draw(meta("da"))), pixels(draw(meta("en")))), name


def test_empty_frames_raise_no_data() -> None:
    empty = pd.DataFrame()
    for draw in (crime_chart, total_chart, safety_chart):
        with pytest.raises(ValueError, match="no data"):
            draw(empty, meta())
    with pytest.raises(ValueError, match="no data"):
        activities_chart(empty, empty, meta())
    no_values = crime_frame().assign(value=math.nan)
    with pytest.raises(ValueError, match="no data"):
        crime_chart(no_values, meta())
    no_survey = safety_frame().assign(area=math.nan, city=math.nan)
    with pytest.raises(ValueError, match="no data"):
        safety_chart(no_survey, meta())


def test_one_sided_activities_still_render() -> None:
    only_status = activities_chart(status_frame(), pd.DataFrame(), meta())
    only_fulfilment = activities_chart(pd.DataFrame(), fulfilment_frame(), meta())
    assert pixels(only_status).shape[:2] == pixels(only_fulfilment).shape[:2] == (750, 1200)


def test_a_big_plan_falls_back_to_counts() -> None:
    big = pd.concat(
        [status_frame().assign(code=lambda d, i=i: d["code"] + f".{i}") for i in range(10)]
    )
    png = activities_chart(big, fulfilment_frame(), meta())
    review("activities-200-da.png", png)
    assert pixels(png).shape[:2] == (750, 1200)


def test_edge_frames_render() -> None:
    """One year, one category, a lone monitored category, one safety pair: no crash."""
    frame = crime_frame()
    one_year = frame[frame["year"] == 2019]
    one_category = frame[frame["key"] == "crime.indbrud"]
    monitored = frame[frame["key"] == "crime.narkotika"]
    for part in (one_year, one_category, monitored):
        assert pixels(crime_chart(part, meta())).shape[:2] == (750, 1200)
    total = crime_frame(total=True)
    assert pixels(total_chart(total[total["year"] == 2020], meta())).shape[:2] == (750, 1200)
    day = safety_frame()[lambda d: d["pair"] == "day"]
    assert pixels(safety_chart(day, meta("en"))).shape[:2] == (750, 1200)


def test_crime_chart_grows_with_more_panel_rows() -> None:
    assert crime_size_px(crime_frame()) == (1200, 750)
    many = pd.concat(
        [crime_frame().assign(key=lambda d, i=i: d["key"] + f".{i}") for i in range(3)]
    )
    width, height = crime_size_px(many)
    assert (width, height) == (1200, 750 + 300 * 3)  # 12 targets + 6 monitored: 5 rows of 4
    assert pixels(crime_chart(many, meta())).shape[:2] == (height, width)
