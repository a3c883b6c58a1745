"""Benchmark of recognising 300 KB call-details spreadsheets, the size operators mail most.

Recognition reads only the heads of a workbook's sheets (and, where no period is printed,
one column of call dates), never the whole file: a full openpyxl read of the same files
takes 450 ms or more. Each case is rendered by the sandbox, then recognised ``--repeat``
times; the median is printed.

Usage::

    .venv/bin/python bench/spreadsheets.py [--repeat 7]

The last line is one JSON object: per case its size in KB and median milliseconds.
Goal: each case under 50 ms on an idle two-core machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from robots.domain import DocumentFormat, DocumentKind, Operator, Period  # noqa: E402
from robots.recognition.common import Recognition  # noqa: E402
from robots.recognition.sheets import recognise_xls, recognise_xlsx  # noqa: E402
from sandbox.documents import DocumentSpec  # noqa: E402
from sandbox.documents.sheets import render_xls, render_xlsx  # noqa: E402

# (operator, format, numbers, calls per number, account, number prefix): each about 300 KB.
CASES = [
    (Operator.A1, DocumentFormat.XLSX, 3, 2000, "1234567890123", "37529123"),
    (Operator.MTS, DocumentFormat.XLSX, 30, 300, "277012345678", "7916123"),
    (Operator.MTS, DocumentFormat.XLS, 30, 100, "277012345678", "7916123"),
]
FORMATS: dict[
    DocumentFormat, tuple[Callable[[DocumentSpec], bytes], Callable[[bytes], Recognition]]
] = {
    DocumentFormat.XLSX: (render_xlsx, recognise_xlsx),
    DocumentFormat.XLS: (render_xls, recognise_xls),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="recognitions per case")
    args = parser.parse_args()
    figures = {}
    for operator, fmt, count, calls, account, prefix in CASES:
        render, recognise = FORMATS[fmt]
        numbers = tuple(f"{prefix}{i:04d}" for i in range(count))
        spec = DocumentSpec(
            operator, DocumentKind.CALL_DETAILS, fmt, account, Period(year=2026, month=10),
            numbers, calls_per_number=calls,
        )  # fmt: skip
        data = render(spec)
        timings = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            recognise(data)
            timings.append(time.perf_counter() - started)
        name = f"{operator.value}-{fmt.value}"
        figures[name] = {
            "size_kb": round(len(data) / 1024),
            "median_ms": round(statistics.median(timings) * 1000, 1),
        }
        print(f"{name}: {figures[name]['size_kb']} KB in {figures[name]['median_ms']} ms")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
