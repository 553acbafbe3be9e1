"""Where the time of `evaluate` goes, for 1,000 six-event Newcastle histories.

    python benchmarks/profile_evaluation.py [--top 25]

Prints the time per history of the whole call and of its parts, each timed alone on the same
histories (reading the events, the fold over them, making the result's headline), and of the
whole call followed by reading a field made when first read, or by dumping JSON text; then the
functions that take the most time of their own under cProfile (which slows every call, so read
its figures as shares, not as times).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import six_event_histories

from escalation_rules import evaluate, load_policy
from escalation_rules.evaluation._evaluator import _conclude, _fold
from escalation_rules.evaluation._state import Context
from escalation_rules.history._reading import parse_events
from escalation_rules.time._calendar import instant


def best_of(rounds: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=25, help="functions to list (default 25)")
    args = parser.parse_args()
    policy = load_policy("newcastle")
    cases = six_event_histories(1000, seed=20261127)
    ctx = Context(policy, policy.working_calendar, policy.roles_by_id)
    # The same steps `evaluate` takes, stopped after each, so each part is timed alone.
    ordered = []
    for events, as_of in cases:
        parsed = parse_events(events)
        order = sorted(range(len(parsed)), key=lambda i: instant(parsed[i].at))
        ordered.append([(i, parsed[i]) for i in order if instant(parsed[i].at) <= as_of])
    states = [_fold(ctx, included) for included in ordered]

    def each(make: Callable[[Any], object], items: list[Any]) -> Callable[[], None]:
        # Each answer dropped at once, as a dashboard drops it: kept in a list, a thousand
        # results would make every pass of the collector longer, and be timed with it.
        def run() -> None:
            for item in items:
                make(item)

        return run

    parts = {
        "evaluate, whole": each(lambda case: evaluate(policy, case[0], as_of=case[1]), cases),
        "reading the events": each(lambda case: parse_events(case[0]), cases),
        "the fold": each(lambda included: _fold(ctx, included), ordered),
        "making the headline": each(
            lambda pair: _conclude(ctx, pair[0], pair[1][1]), list(zip(states, cases, strict=True))
        ),
        # Whole again, each time on fresh results: a result's sentences, once made, are kept.
        "evaluate, then read `due`": each(
            lambda case: evaluate(policy, case[0], as_of=case[1]).due, cases
        ),
        "evaluate, then dump JSON": each(
            lambda case: evaluate(policy, case[0], as_of=case[1]).model_dump_json(), cases
        ),
    }
    print(f"microseconds per six-event history (best of 5 rounds of {len(cases):,})")
    for name, run in parts.items():
        print(f"  {name:<24}{best_of(5, run) / len(cases) * 1e6:>8.0f}")
    profiler = cProfile.Profile()
    profiler.runcall(parts["evaluate, whole"])
    print()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
