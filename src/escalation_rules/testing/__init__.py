"""Hypothesis strategies for property-testing a system against escalation_rules.

Needs the `testing` extra: ``pip install 'escalation_rules[testing]'`` (it brings Hypothesis).

    from hypothesis import given, strategies as st
    from escalation_rules import evaluate, load_policy
    from escalation_rules.testing import histories

    newcastle = load_policy("newcastle")

    @given(histories(newcastle))
    def test_my_dashboard_shows_every_escalation(events):
        result = evaluate(newcastle, events)
        ...

The strategies, each derived from the policy object you pass (its pathways, stages, skipping
and significant-harm rules, required actions, agreed timescales and calendar):

- `histories(policy, pathway=None, ...)`: valid event histories, as JSON-like dicts (or
  `Event` objects), that `evaluate` accepts;
- `invalid_histories(policy, pathway=None, ...)`: histories broken in one named way each,
  as `InvalidHistory` records saying the way, the problem code `HistoryError` reports and
  the index of the event it names;
- `policies()`: valid `Policy` objects of shapes nobody has written yet;
- `moments(policy, after=None, ...)`: aware times on weekends, bank holidays, clock changes
  and around close of business, in assorted UTC offsets.
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
