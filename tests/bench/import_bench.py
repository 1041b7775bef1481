"""Workbook bombs against the importer (issue 13): how long a refusal takes and how much memory
the process needs, each in a fresh child process (its peak resident memory is the figure).
Field before: a 320 KB file took 61 s and 484 MB before being refused; a 4.8 MB one ran past
150 s and 826 MB."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

from workbooks import rows_xml, workbook_with_sheet  # noqa: E402

CHILD = """
import sys, time
from commands.rules.tabular import FileProblem, read_rows
data = open(sys.argv[1], "rb").read()
began = time.perf_counter()
try:
    rows = read_rows("bomb.xlsx", data)
    said = f"read {len(rows)} rows"
except FileProblem as problem:
    said = problem.en
print(f"{(time.perf_counter() - began) * 1000:.0f} ms to the answer: {said}")
# the peak of this process's own memory (VmHWM: reset at exec, unlike ru_maxrss after fork)
print(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")))
"""


def _measure(label: str, data: bytes, tmp: Path) -> None:
    path = tmp / "bomb.xlsx"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, cwd=ROOT
    )
    *said, peak = (done.stdout or done.stderr).strip().splitlines()
    peak_mb = int(peak.split()[1]) / 1024  # "VmHWM:  123456 kB"
    print(
        f"import of {label} ({len(data) / 1e3:.0f} KB on the wire): {said[-1]} (the process's "
        f"peak memory {peak_mb:.0f} MB)"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        bomb = workbook_with_sheet(rows_xml(8_000_000, None))
        _measure("a bomb: 8 M rows, no dimension", bomb, tmp)
        _measure(
            "a sheet under the unpacked limit, 200,000 rows, dimension A1:C2",
            workbook_with_sheet(rows_xml(200_000, "A1:C2")),
            tmp,
        )


if __name__ == "__main__":
    main()
