"""The public face: what `escalation_rules` exports is pinned here."""

from __future__ import annotations

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


def test_error_hierarchy() -> None:
    from escalation_rules import EscalationRulesError, HistoryError, PolicyError

    assert issubclass(PolicyError, EscalationRulesError)
    assert issubclass(HistoryError, EscalationRulesError)
    assert issubclass(EscalationRulesError, ValueError)
