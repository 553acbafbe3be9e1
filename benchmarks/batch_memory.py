"""Peak memory of `escalation-rules evaluate-many` for 10,000 and for 1,000,000 escalations.

    python benchmarks/batch_memory.py [--counts 10000 1000000] [--jobs 1]

Each count's JSON Lines file is written to a temporary folder (one Newcastle escalation of
two events a line), then evaluated by the command in a fresh process with its output thrown
away, and that process's peak resident memory (`ru_maxrss`) is printed with the ratio to the
first count's: with `--jobs N`, the largest of the command's processes, workers included.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS = [
    {"type": "raised", "at": "2026-12-14T10:00:00+00:00", "agency": "school"},
    {"type": "escalated", "at": "2026-12-18T10:00:00+00:00"},
]

# Run in a child so that its peak is its own: ru_maxrss of RUSAGE_CHILDREN is the largest of
# the children waited for, so each count gets a fresh parent too.
CHILD = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def write(path: Path, count: int) -> None:
    line = json.dumps({"id": 0, "events": EVENTS})
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(line.replace('"id": 0', f'"id": {n}', 1) + "\n")


def peak(path: Path, jobs: int) -> tuple[int, float]:
    command = [
        sys.executable,
        "-m",
        "escalation_rules",
        "evaluate-many",
        "newcastle",
        str(path),
        "--as-of",
        "2026-12-22T12:00:00+00:00",
        "--jobs",
        str(jobs),
    ]
    start = time.perf_counter()
    printed = subprocess.run(
        [sys.executable, "-c", CHILD, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    if printed[1] != "0":
        raise SystemExit(f"evaluate-many exited {printed[1]}")
    return int(printed[0]), time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    first = None
    with tempfile.TemporaryDirectory() as folder:
        for count in args.counts:
            path = Path(folder) / f"{count}.jsonl"
            write(path, count)
            kib, seconds = peak(path, args.jobs)
            path.unlink()
            first = first or kib
            print(
                f"{count:>10,} escalations: peak RSS {kib / 1024:7.1f} MiB "
                f"({kib / first:.2f}x the first), {seconds:6.1f} s, "
                f"{count / seconds:,.0f} escalations/s"
            )


if __name__ == "__main__":
    main()
