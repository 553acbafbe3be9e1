"""Every invalid history raises HistoryError naming the problem, and never another exception.

`escalation_rules.testing.invalid_histories` breaks a valid history in one known way; the
error must carry that way's problem code against the event it names, whether the history is
given as Python objects or as JSON text.
"""

from __future__ import annotations

import importlib
import json
import sys

import pytest
from conftest import bundled
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from escalation_rules import HistoryError, Policy, bundled_policies, evaluate, history_from_json
from escalation_rules.testing import INVALID_WAYS, InvalidHistory, invalid_histories, policies


def problems(error: HistoryError) -> set[tuple[str, int | None]]:
    return {(p.code, p.index) for p in error.problems}


@settings(max_examples=settings.default.max_examples * 3)
@given(data=st.data())
def test_every_invalid_history_raises_history_error(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy = data.draw(policy_strategy, label="policy")
    broken = data.draw(invalid_histories(policy), label="broken")
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, broken.events, as_of=broken.as_of)
    assert (broken.code, broken.index) in problems(caught.value), broken.way
    if isinstance(broken.events, (bytes, str)):
        return
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, history_from_json(json.dumps(broken.events)), as_of=broken.as_of)
    assert broken.code in {code for code, _ in problems(caught.value)}, broken.way


def any_policy() -> st.SearchStrategy[Policy]:
    return st.one_of(st.sampled_from([bundled(name) for name in bundled_policies()]), policies())


@pytest.mark.parametrize("way", INVALID_WAYS)
def test_every_way_of_breaking_a_history_is_drawn(way: str) -> None:
    """Each way applies to some policy, bundled or generated, and breaks it as it says."""
    applies = INVALID_WAYS[way].applies_to
    found: InvalidHistory = find(
        any_policy().filter(applies).flatmap(lambda policy: invalid_histories(policy, ways=[way])),
        lambda broken: True,
        settings=settings(
            database=None,
            max_examples=500,
            phases=[Phase.generate],  # the first found will do: no shrinking
            suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
        ),
    )
    assert found.way == way


def test_the_testing_module_names_its_extra_when_hypothesis_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [n for n in sys.modules if n.startswith("escalation_rules.testing")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    with pytest.raises(ModuleNotFoundError, match=r"pip install 'escalation_rules\[testing\]'"):
        importlib.import_module("escalation_rules.testing")


def test_strategies_refuse_what_the_policy_does_not_have() -> None:
    newcastle = bundled(bundled_policies()[0])
    with pytest.raises(ValueError, match="no pathway"):
        invalid_histories(newcastle, "no_such_pathway")
    with pytest.raises(ValueError, match="unknown ways"):
        invalid_histories(newcastle, ways=["no_such_way"])
