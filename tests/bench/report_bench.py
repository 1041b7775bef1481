"""The annual report (DESIGN section 7: ≤ 1.5 s in a running server): `report 2019` on the demo
partnership, the whole command, in a warm process (imports, fonts and Typst's compiler
loaded by a first run, as in a server after its first report), median and worst of the runs;
and the PDF's part of it (charts drawn as SVG, Typst compiling) on the same report data."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from common import demo_context  # noqa: E402
from sqlmodel import Session  # noqa: E402

import charts.report as report  # noqa: E402
from commands.engine.caller import resolve  # noqa: E402
from commands.engine.run import run_command  # noqa: E402
from commands.families.report import build  # noqa: E402

RUNS = 7


def _timed(fn: Any, runs: int = RUNS) -> tuple[float, float]:
    fn()  # warm-up: imports, fonts, the compiler
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples), max(samples)


def main(runs: int = RUNS) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = demo_context(f"sqlite:///{Path(tmp) / 'r.db'}")
        whole, worst = _timed(lambda: run_command("report 2019", ctx), runs)
        with Session(ctx.engine) as session:  # the command's content, to time the PDF alone
            data, _ = build(resolve(session, ctx, "da"), 2019)
        render = report.report_pdf
        seen = [data]
        pdf, pdf_worst = _timed(lambda: render(seen[-1]), runs)
        docx, _ = _timed(lambda: run_command("report 2019 format=docx", ctx), 3)
        size = len(render(seen[-1])) / 1024
        print(f"annual report `report 2019`, demo data, warm process (median of {runs}):")
        print(f"  whole command, PDF:  {whole:.0f} ms (worst {worst:.0f} ms; goal ≤ 1500 ms)")
        print(f"  of which the PDF:    {pdf:.0f} ms (worst {pdf_worst:.0f} ms), {size:.0f} KiB")
        if hasattr(report, "report_document"):  # the Typst route: charts, then compiling
            from charts.report_pdf import compile_pdf

            charts, _ = _timed(lambda: report.report_document(seen[-1]), runs)
            document, images = report.report_document(seen[-1])
            typst, _ = _timed(lambda: compile_pdf(document, images), runs)
            print(f"    charts as SVG:     {charts:.0f} ms")
            print(f"    Typst (PDF/UA-1):  {typst:.0f} ms")
        print(f"  whole command, DOCX: {docx:.0f} ms")


if __name__ == "__main__":
    main()
