"""The public face: what `escalation_rules` exports is pinned here."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import escalation_rules


def test_all_is_pinned_and_sorted() -> None:
    assert escalation_rules.__all__ == [
        "ActionAgreed",
        "ActionDone",
        "ActionEntry",
        "BatchResult",
        "DueItem",
        "Escalated",
        "EscalationRulesError",
        "Evaluation",
        "EvaluationWarning",
        "Event",
        "ExplanationStep",
        "HistoryError",
        "HistoryProblem",
        "OutsideCalendar",
        "Policy",
        "PolicyError",
        "PolicyProblem",
        "PolicyRef",
        "Raised",
        "Resolved",
        "ResolvedWithDissent",
        "RoleRef",
        "SignificantHarm",
        "StageRef",
        "TimelineEntry",
        "TimescaleAgreed",
        "Withdrawn",
        "WorkingCalendar",
        "__version__",
        "bundled_policies",
        "evaluate",
        "evaluate_many",
        "explain",
        "history_from_json",
        "load_policy",
        "load_policy_text",
        "policy_schema",
        "read_csv",
        "read_json_lines",
    ]
    assert escalation_rules.__all__ == sorted(escalation_rules.__all__, key=str)
    for name in escalation_rules.__all__:
        assert hasattr(escalation_rules, name)


def test_every_name_is_defined_where_its_home_says() -> None:
    # Names load when first used (PEP 562); each must be the object its module defines.
    from escalation_rules import _HOMES

    assert set(_HOMES) == set(escalation_rules.__all__) - {"__version__"}
    for name, home in _HOMES.items():
        module = importlib.import_module(f"escalation_rules.{home}")
        assert getattr(escalation_rules, name) is getattr(module, name)
    assert set(escalation_rules.__all__) <= set(dir(escalation_rules))


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'evaluat'"):
        escalation_rules.evaluat  # noqa: B018


def _loaded_after(code: str) -> set[str]:
    shown = subprocess.run(
        [sys.executable, "-c", f"{code}; import sys; print(*sorted(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {name for name in shown if name.startswith("escalation_rules")}


def test_importing_the_package_loads_nothing_until_a_name_is_used() -> None:
    assert _loaded_after("import escalation_rules") == {"escalation_rules"}
    policy_only = _loaded_after("from escalation_rules import load_policy")
    assert "escalation_rules.policy._loader" in policy_only
    assert not any(name.startswith("escalation_rules.evaluation") for name in policy_only)
    everything = _loaded_after("from escalation_rules import *")
    assert {"escalation_rules.evaluation._evaluator", "escalation_rules.batch._run"} <= everything


def test_validate_loads_neither_the_evaluation_nor_the_tools() -> None:
    loaded = _loaded_after(
        "from escalation_rules.cli import run; import io; "
        "run(['validate', 'newcastle'], io.StringIO(), io.StringIO())"
    )
    for layer in ("evaluation", "history", "batch", "authoring", "scenarios", "testing"):
        assert not any(name.startswith(f"escalation_rules.{layer}") for name in loaded), layer


def test_error_hierarchy() -> None:
    from escalation_rules import EscalationRulesError, HistoryError, PolicyError

    assert issubclass(PolicyError, EscalationRulesError)
    assert issubclass(HistoryError, EscalationRulesError)
    assert issubclass(EscalationRulesError, ValueError)
