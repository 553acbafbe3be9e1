"""Hypothesis strategies for property-testing a system against escalation_rules.

Needs the `testing` extra: ``pip install 'escalation_rules[testing]'`` (it brings Hypothesis).

    from hypothesis import given
    from escalation_rules import evaluate, load_policy
    from escalation_rules.testing import cases

    newcastle = load_policy("newcastle")

    @given(cases(newcastle))
    def test_my_dashboard_agrees(case):
        result = evaluate(newcastle, case.events, as_of=case.as_of)
        ...

The strategies, each derived from the policy object you pass (its pathways, stages, skipping
and significant-harm rules, required actions, agreed timescales and calendar):

- `histories(policy, pathway=None, ...)`: valid event histories, as JSON-like dicts (or
  `Event` objects), that `evaluate` accepts, aimed where the options say (a stage, an
  outcome, significant harm, an agency, ties, fractions of a second, dates, agreed actions,
  routes, events out of time order);
- `cases(policy, ...)`: a history and an `as_of`, mostly at or beside one of its deadlines;
- `deadline_moments(result)`: moments at, a microsecond and a minute either side of, the
  deadlines of an evaluation;
- `invalid_histories(policy, pathway=None, ...)`: histories broken in one named way each,
  as `InvalidHistory` records saying the way, the problem code `HistoryError` reports and
  the index of the event it names;
- `policies()`: valid `Policy` objects of shapes nobody has written yet;
- `moments(policy, after=None, ...)`: aware times on weekends, bank holidays, clock changes
  and around close of business, in assorted UTC offsets.

`profiles` holds Hypothesis settings to run them under: `fast` for CI, `thorough` for a
nightly run. docs/testing.md is the guide: a worked example, the invariants that hold on every
policy and on some, the ordering contract, and how to aim the strategies at a case.
"""

from __future__ import annotations

try:
    import hypothesis as _hypothesis
except ModuleNotFoundError as error:  # tested in tests/test_properties_errors.py
    raise ModuleNotFoundError(
        "escalation_rules.testing needs Hypothesis, which comes with the package's `testing` "
        "extra: pip install 'escalation_rules[testing]'",
        name=error.name,
    ) from error

from . import profiles
from ._cases import Case, cases, deadline_moments, deadlines_of
from ._histories import histories
from ._invalid import INVALID_WAYS, InvalidHistory, InvalidWay, invalid_histories
from ._moments import moments
from ._policies import policies

del _hypothesis

__all__ = [
    "INVALID_WAYS",
    "Case",
    "InvalidHistory",
    "InvalidWay",
    "cases",
    "deadline_moments",
    "deadlines_of",
    "histories",
    "invalid_histories",
    "moments",
    "policies",
    "profiles",
]
