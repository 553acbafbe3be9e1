"""`evaluate` and the JSON path in two checkouts of the library, interleaved, as ratios.

    git worktree add ../before <commit>
    python benchmarks/compare_trees.py ../before . [--rounds 5]

For measuring a change on a machine whose speed drifts from minute to minute: each round runs
both checkouts in turn, each in a fresh interpreter importing the library from its own `src`,
on the same 1,000 six-event Newcastle histories (`run.six_event_histories`), and takes the
best of three passes; the medians of the rounds are compared. Prints microseconds per history
of `evaluate` on dict events and of JSON text in to JSON text out, and the ratios of the
second checkout's times to the first's (below 1: the second is faster).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent

ONE_ROUND = """
import json, sys, time
sys.path[:0] = [{src!r}, {benchmarks!r}]
from run import six_event_histories
from escalation_rules import evaluate, history_from_json, load_policy
policy = load_policy("newcastle")
cases = six_event_histories(1000, seed=20261127)
texts = [(json.dumps(events), as_of.isoformat()) for events, as_of in cases]

def dicts():
    for events, as_of in cases:
        evaluate(policy, events, as_of=as_of)

def json_path():
    for text, as_of in texts:
        evaluate(policy, history_from_json(text), as_of=as_of).model_dump_json()

def best(run):
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) / len(cases) * 1e6

print(json.dumps([best(dicts), best(json_path)]))
"""


def one_round(tree: Path) -> tuple[float, float]:
    code = ONE_ROUND.format(src=str(tree / "src"), benchmarks=str(BENCHMARKS))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{tree}: {done.stderr.strip()}")
    dicts, json_path = json.loads(done.stdout)
    return dicts, json_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", type=Path, help="a checkout of the library (the reference)")
    parser.add_argument("second", type=Path, help="another checkout (the change)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    args = parser.parse_args()
    trees = [args.first.resolve(), args.second.resolve()]
    times: dict[Path, list[tuple[float, float]]] = {tree: [] for tree in trees}
    for _ in range(args.rounds):
        for tree in trees:
            times[tree].append(one_round(tree))
    medians = {
        tree: tuple(statistics.median(row[i] for row in rows) for i in (0, 1))
        for tree, rows in times.items()
    }
    print(f"microseconds per six-event history, median of {args.rounds} rounds")
    print(f"  {'':<40}{'evaluate, dicts':>16}{'JSON in and out':>17}")
    for tree in trees:
        dicts, json_path = medians[tree]
        print(f"  {tree!s:<40}{dicts:>16.0f}{json_path:>17.0f}")
    (d1, j1), (d2, j2) = medians[trees[0]], medians[trees[1]]
    print(f"  {'second / first':<40}{d2 / d1:>15.2f}x{j2 / j1:>16.2f}x")


if __name__ == "__main__":
    main()
