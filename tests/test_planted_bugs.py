"""The testing kit finds the bugs integrators make: four planted in a small integration.

`tests/case_system.py` is a case-management integration with four bugs that can be switched
on one at a time (a dropped time zone, `>=` at the overdue boundary, an agency mapped to the
wrong type, events read back in insertion order). The property is the one an integrator
writes: the dashboard row agrees with `evaluate` on the same history, as drawn by
`escalation_rules.testing.cases`. Under a fixed seed the property must fail on every bugged
variant within `WITHIN` examples, on every policy the bug can show on, and hold on the
correct variant for as many. `benchmarks/planted_bugs.py` gives the figures over many seeds.
"""

from __future__ import annotations

from typing import Any

import pytest
from case_system import BUGS, check_dashboard, wrong_type
from conftest import bundled
from hypothesis import HealthCheck, Phase, given, seed, settings

from escalation_rules import Policy, bundled_policies
from escalation_rules.testing import Case, cases

WITHIN = 150
"""Examples the kit may take to find a planted bug. Over seeds 1-5 the median is 5 to 7 a bug
and the worst single run took 657 (an agency mapped wrong on Rutland shows only at its stage
3): this seed is fixed, so the count is too (`benchmarks/planted_bugs.py` gives the spread)."""

SEED = 20261127


def examples_until_failure(policy: Policy, bugs: frozenset[str]) -> int | None:
    """How many examples of `cases(policy)` it takes for `check` to fail (None: it holds)."""
    count = 0

    @seed(SEED)
    @settings(
        max_examples=WITHIN,
        phases=[Phase.generate],
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(policy))
    def run(case: Case) -> None:
        nonlocal count
        count += 1
        check_dashboard(policy, bugs, case.events, case.as_of)

    try:
        run()
    except Exception:  # a failed assertion, or the system refusing what evaluate accepts
        return count
    return None


CASES: list[Any] = [
    pytest.param(name, bug, id=f"{bug}-{name}")
    for bug in BUGS
    for name in bundled_policies()
    if bug != "agency_type" or wrong_type(bundled(name)) is not None
]


@pytest.mark.parametrize(("name", "bug"), CASES)
def test_the_kit_finds_the_planted_bug(name: str, bug: str) -> None:
    found = examples_until_failure(bundled(name), frozenset({bug}))
    assert found is not None, f"{bug} not found on {name} within {WITHIN} examples"


@pytest.mark.parametrize("name", bundled_policies())
def test_the_correct_integration_passes(name: str) -> None:
    assert examples_until_failure(bundled(name), frozenset()) is None


def test_an_agency_bug_cannot_show_where_no_two_types_differ() -> None:
    pan_dorset = bundled("pan_dorset")  # names no agency types at all
    assert wrong_type(pan_dorset) is None
    assert wrong_type(bundled("newcastle")) == ("school", "health")
