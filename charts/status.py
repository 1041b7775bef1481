"""The status charts of `/wg status`: crime per category, total crime, safety, activities.

Each public `*_chart` function takes long-format frames (one row per indicator-year; a missing
year is simply absent and is never drawn as zero) plus a `ChartMeta`, and returns PNG bytes of
1200 x 750 px (the crime chart grows by 300 px per extra row of panels when a partnership has
more than two rows' worth of categories). An empty frame raises `ValueError("no data")`, so the
command can say which figures are missing instead of posting an empty chart.

The matching `draw_*` functions draw the same chart into any figure or sub-figure; the annual
report uses them to put vector charts (searchable text, sharp print) on its A4 pages. Layout is
computed in inches, not fractions, so tick labels keep their room at either size.

Each chart lives in its own module (`charts.crime`, `charts.total`, `charts.safety`,
`charts.activities`, with what they share in `charts.common`); this module gathers them under
the one name the commands use.
"""

from __future__ import annotations

from charts.activities import activities_chart, draw_activities
from charts.common import CRIME_COLUMNS, FULFILMENT_COLUMNS, SAFETY_COLUMNS, STATUS_COLUMNS
from charts.crime import crime_chart, crime_size_px, draw_crime
from charts.safety import draw_safety, safety_chart
from charts.total import draw_total, total_chart

__all__ = [
    "CRIME_COLUMNS",
    "FULFILMENT_COLUMNS",
    "SAFETY_COLUMNS",
    "STATUS_COLUMNS",
    "activities_chart",
    "crime_chart",
    "crime_size_px",
    "draw_activities",
    "draw_crime",
    "draw_safety",
    "draw_total",
    "safety_chart",
    "total_chart",
]
