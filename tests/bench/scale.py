"""Scale benchmark (DESIGN section 7): 50 partnerships, 200 activities each, 200,000 updates,
20 years of figures. Measures the data work behind a status reply (queries, evaluation,
frames — not the drawing) for every partnership, and the peak memory of a process doing it.

Run: `python tests/bench/scale.py [DATABASE_URL]` (default: a temporary SQLite file).
"""

from __future__ import annotations

import datetime as dt
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bot.runtime import prepare_database  # noqa: E402
from commands.rules.evaluate import evaluate  # noqa: E402
from commands.views import targets  # noqa: E402
from config.partnership import load_all  # noqa: E402
from config.settings import SHIPPED_CONFIG_DIR  # noqa: E402
from storage.db import make_engine  # noqa: E402
from storage.models import (  # noqa: E402
    Activity,
    ActivityUpdate,
    Assessment,
    FocusArea,
    IndicatorDef,
    IndicatorValue,
    Organisation,
    Partnership,
)
from storage.sync import sync_partnership  # noqa: E402

PARTNERSHIPS, ACTIVITIES, UPDATES, YEARS = 50, 200, 200_000, range(2001, 2021)


def seed(url: str) -> None:
    engine = make_engine(url)
    prepare_database(engine)
    base = load_all(SHIPPED_CONFIG_DIR)["tingbjerg-husum"]
    rng = random.Random(7)
    now = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
    with Session(engine) as session:
        for n in range(PARTNERSHIPS):
            spec = base.model_copy(update={"slug": f"p{n:02d}", "name": f"Partnerskab {n}"})
            sync_partnership(session, spec)
        session.commit()
        pids = list(session.exec(select(Partnership.id)))
        acts, values, assessments = [], [], []
        for pid in pids:
            orgs = list(
                session.exec(select(Organisation.id).where(Organisation.partnership_id == pid))
            )
            areas = list(session.exec(select(FocusArea.id).where(FocusArea.partnership_id == pid)))
            inds = session.exec(select(IndicatorDef).where(IndicatorDef.partnership_id == pid))
            for a in range(ACTIVITIES):
                acts.append(
                    {
                        "partnership_id": pid,
                        "code": f"A{a}",
                        "name": f"Aktivitet {a}",
                        "focus_area_id": areas[a % len(areas)],
                        "organisation_id": orgs[a % len(orgs)],
                        "criteria": "",
                        "created_at": now,
                    }
                )
            for ind in inds:
                if ind.components:
                    continue
                for year in YEARS:
                    high = 100 if ind.unit == "percent" else 400
                    values.append(
                        {
                            "partnership_id": pid,
                            "indicator_id": ind.id,
                            "year": year,
                            "value": float(rng.randint(1, high)),
                            "revision": 1,
                            "source": "bench",
                            "actor": "bench",
                            "created_at": now,
                        }
                    )
        session.execute(insert(Activity), acts)
        session.execute(insert(IndicatorValue), values)
        session.commit()
        act_rows = session.exec(select(Activity.id, Activity.partnership_id)).all()
        updates = [
            {
                "partnership_id": p,
                "activity_id": a,
                "actor": "bench",
                "status": rng.choice(("on-track", "at-risk", "delayed", "done")),
                "progress": "",
                "note": "note",
                "created_at": now - dt.timedelta(minutes=UPDATES - i),
            }
            for i, (a, p) in enumerate(rng.choice(act_rows) for _ in range(UPDATES))
        ]
        for chunk in range(0, len(updates), 20_000):
            session.execute(insert(ActivityUpdate), updates[chunk : chunk + 20_000])
        for a, p in act_rows:
            for year in (2018, 2019, 2020):
                assessments.append(
                    {
                        "partnership_id": p,
                        "activity_id": a,
                        "year": year,
                        "fulfilment": rng.choice(("met", "partly", "not-met")),
                        "note": "",
                        "actor": "bench",
                        "created_at": now,
                    }
                )
        session.execute(insert(Assessment), assessments)
        session.commit()
    engine.dispose()


def data_work(url: str) -> None:
    """Child process: the data behind `status all` for every partnership; prints timings."""
    engine = make_engine(url)
    times = []
    with Session(engine) as session:
        pids = list(session.exec(select(Partnership.id)))
    for pid in pids * 2:  # second round: warm caches, as a running bot has them
        began = time.perf_counter()
        with Session(engine) as session:
            fig = targets.load_figures(session, pid, {})
            for ind in fig.indicators:
                evaluate(ind.target, fig.series)
            targets.crime_frames(fig, "da", range(2000, 2027))
            targets.safety_frame(fig, "da", range(2000, 2027))
            targets.activity_frames(session, pid, "da", range(2000, 2027))
        times.append((time.perf_counter() - began) * 1000)
    warm = sorted(times[len(pids) :])
    peak = _peak_mb()
    print(
        f"  status data work per partnership: p50 {statistics.median(warm):.1f} ms, "
        f"p99 {warm[min(len(warm) - 1, round(0.99 * (len(warm) - 1)))]:.1f} ms, "
        f"max {warm[-1]:.1f} ms (goal ≤ 100 ms)"
    )
    print(f"  peak memory of that process: {peak:.0f} MB (goal < 300 MB)")


def _peak_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: on Linux ru_maxrss carries
    the parent's peak across fork+exec, which would charge the seeding to this process."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        data_work(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[1] if len(sys.argv) > 1 else f"sqlite:///{Path(tmp) / 'scale.db'}"
        began = time.perf_counter()
        seed(url)
        print(
            f"scale: {PARTNERSHIPS} partnerships × {ACTIVITIES} activities, {UPDATES:,} "
            f"updates, {len(YEARS)} years of figures (seeded in "
            f"{time.perf_counter() - began:.0f} s)"
        )
        subprocess.run([sys.executable, __file__, "--child", url], check=True)


if __name__ == "__main__":
    main()
