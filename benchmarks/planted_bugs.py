"""How many examples the testing kit needs to find each bug planted in a small integration.

The integration is `tests/case_system.py`; the property is an integrator's: the dashboard row
the system shows agrees with `evaluate` on the same history, and its last activity is the
latest event. For each planted bug, each bundled policy and each seed, the property runs
against the system with that one bug (generation only, no shrinking, no example database) and
the number of examples drawn up to the first failure is counted (`-` when none of the
`--max-examples` fails).

    python benchmarks/planted_bugs.py [--seeds 5] [--max-examples 1000] [--kit aimed|plain]

`--kit plain` draws a history with `histories(policy)` and `as_of` with `moments(policy,
after=raise)`, as the README's first example does; `--kit aimed` (the default) draws both with
`cases(policy)`, whose `as_of` is aimed at the deadlines of the history it draws. It also
prints, per policy, the share of `as_of` moments within a minute of a deadline.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from case_system import BUGS, check_dashboard, wrong_type

from escalation_rules import Policy, bundled_policies, evaluate, load_policy
from escalation_rules import testing as kit


def at(event: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(event["at"])


def cases(
    policy: Policy, plain: bool
) -> st.SearchStrategy[tuple[list[dict[str, Any]], dt.datetime]]:
    if not plain:
        return kit.cases(policy).map(lambda case: (case.events, case.as_of))
    return kit.histories(policy).flatmap(
        lambda events: st.tuples(st.just(events), kit.moments(policy, after=at(events[0])))
    )


def examples_to_find(
    policy: Policy, bug: str, run_seed: int, limit: int, plain: bool
) -> int | None:
    count = 0

    @seed(run_seed)
    @settings(
        max_examples=limit,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(policy, plain))
    def run(case: tuple[list[dict[str, Any]], dt.datetime]) -> None:
        nonlocal count
        count += 1
        check_dashboard(policy, frozenset({bug}), *case)

    try:
        run()
    except Exception:  # a failed assertion, or the system refusing what evaluate accepts
        return count
    return None


def near_deadline_share(policy: Policy, draws: int, plain: bool) -> float:
    near = total = 0

    @seed(0)
    @settings(
        max_examples=draws,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(policy, plain))
    def run(case: tuple[list[dict[str, Any]], dt.datetime]) -> None:
        nonlocal near, total
        events, now = case
        result = evaluate(policy, events)
        deadlines = [e.deadline for e in result.timeline] + [a.deadline for a in result.actions]
        total += 1
        if any(d is not None and abs(d - now) <= dt.timedelta(minutes=1) for d in deadlines):
            near += 1

    run()
    return near / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--max-examples", type=int, default=1000)
    parser.add_argument("--kit", choices=("aimed", "plain"), default="aimed")
    parser.add_argument("--share-draws", type=int, default=1000)
    args = parser.parse_args()
    plain = args.kit == "plain"
    policies = {name: load_policy(name) for name in bundled_policies()}
    print(f"kit: {args.kit}; seeds 1-{args.seeds}; at most {args.max_examples} examples a run")
    print("bug                 median  found   per policy (examples to find, by seed)")
    for bug in BUGS:
        counts: list[float] = []  # a run that finds nothing counts as more than the limit
        detail = []
        for name, policy in policies.items():
            if bug == "agency_type" and wrong_type(policy) is None:
                detail.append(f"{name}: n/a")
                continue
            found = [
                examples_to_find(policy, bug, s, args.max_examples, plain)
                for s in range(1, args.seeds + 1)
            ]
            counts += [float("inf") if n is None else n for n in found]
            detail.append(f"{name}: " + ",".join("-" if n is None else str(n) for n in found))
        middle = statistics.median(counts) if counts else float("inf")
        median = f">{args.max_examples}" if middle == float("inf") else f"{middle:g}"
        found_in = sum(c != float("inf") for c in counts)
        print(f"{bug:<20}{median:>6}  {found_in:>3}/{len(counts):<3} " + "; ".join(detail))
    print("as_of within a minute of a deadline of the history:")
    for name, policy in policies.items():
        print(f"  {name:<15}{near_deadline_share(policy, args.share_draws, plain):6.1%}")


if __name__ == "__main__":
    main()
