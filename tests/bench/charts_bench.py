"""Chart benchmarks (DESIGN section 7): a status chart against a bare matplotlib figure of the
same size in the same run (goal: ratio ≤ 2), on the demo partnership's data. The annual report
has its own benchmark (report_bench.py)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bot.runtime import start  # noqa: E402
from charts import status as charts  # noqa: E402
from charts.layout import bare_png  # noqa: E402
from commands.views import targets  # noqa: E402
from config.settings import load_settings  # noqa: E402
from storage.demo import ensure_demo  # noqa: E402


def timed(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm-up: fonts and caches
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runtime = start(load_settings({}), database_url=f"sqlite:///{Path(tmp) / 'c.db'}")
        slug = "tingbjerg-husum"
        ensure_demo(runtime.engine, runtime.partnerships[slug])
        from sqlmodel import Session

        from charts.style import ChartMeta

        with Session(runtime.engine) as session:
            fig = targets.load_figures(session, 1, {})
            crime, total = targets.crime_frames(fig, "da", range(2000, 2030))
            safety = targets.safety_frame(fig, "da", range(2000, 2030))
            status, fulfilment = targets.activity_frames(session, 1, "da", range(2000, 2030))
        meta = ChartMeta(
            lang="da",
            partnership="Tingbjerg-Husum",
            source="bench",
            as_of=fig.as_of.date() if fig.as_of else None,
            demo=True,
        )
        print("charts (median of 7, same process):")
        for name, fn in (
            ("crime", lambda: charts.crime_chart(crime, meta)),
            ("total", lambda: charts.total_chart(total, meta)),
            ("safety", lambda: charts.safety_chart(safety, meta)),
            ("activities", lambda: charts.activities_chart(status, fulfilment, meta)),
        ):
            png = fn()
            import io

            from matplotlib.image import imread

            height, width = imread(io.BytesIO(png), format="png").shape[:2]
            ours = timed(fn)
            bare = timed(lambda w=width, h=height: bare_png(w, h))
            print(
                f"  {name:<10} {width}×{height}: {ours:.0f} ms vs bare figure {bare:.0f} ms "
                f"→ ratio {ours / bare:.2f} (goal ≤ 2)"
            )


if __name__ == "__main__":
    main()
