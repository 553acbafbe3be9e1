"""escalation_rules: safeguarding partnerships' disagreement procedures as YAML policies.

    from escalation_rules import load_policy, evaluate
    policy = load_policy("newcastle")
    result = evaluate(policy, events, as_of=now)

Everything importable from here is the stable public API; modules whose names start with an
underscore are private.

Importing the package loads none of it: each name is loaded from its module when first used
(PEP 562), so a command that only checks policies never builds the evaluation's models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._errors import (
        EscalationRulesError,
        HistoryError,
        HistoryProblem,
        PolicyError,
        PolicyProblem,
    )
    from .batch._records import read_csv, read_json_lines
    from .batch._run import BatchResult, evaluate_many
    from .evaluation._evaluator import evaluate
    from .evaluation._result import (
        ActionEntry,
        DueItem,
        Evaluation,
        EvaluationWarning,
        ExplanationStep,
        PolicyRef,
        RoleRef,
        StageRef,
        TimelineEntry,
    )
    from .evaluation._story import explain
    from .history._events import (
        ActionAgreed,
        ActionDone,
        Escalated,
        Event,
        Raised,
        Resolved,
        ResolvedWithDissent,
        SignificantHarm,
        TimescaleAgreed,
        Withdrawn,
    )
    from .history._json import history_from_json
    from .policy._loader import bundled_policies, load_policy, load_policy_text
    from .policy._model import Policy
    from .policy._schema import policy_schema
    from .time._calendar import OutsideCalendar, WorkingCalendar

_HOMES = {
    "EscalationRulesError": "_errors",
    "HistoryError": "_errors",
    "HistoryProblem": "_errors",
    "PolicyError": "_errors",
    "PolicyProblem": "_errors",
    "read_csv": "batch._records",
    "read_json_lines": "batch._records",
    "BatchResult": "batch._run",
    "evaluate_many": "batch._run",
    "evaluate": "evaluation._evaluator",
    "ActionEntry": "evaluation._result",
    "DueItem": "evaluation._result",
    "Evaluation": "evaluation._result",
    "EvaluationWarning": "evaluation._result",
    "ExplanationStep": "evaluation._result",
    "PolicyRef": "evaluation._result",
    "RoleRef": "evaluation._result",
    "StageRef": "evaluation._result",
    "TimelineEntry": "evaluation._result",
    "explain": "evaluation._story",
    "ActionAgreed": "history._events",
    "ActionDone": "history._events",
    "Escalated": "history._events",
    "Event": "history._events",
    "Raised": "history._events",
    "Resolved": "history._events",
    "ResolvedWithDissent": "history._events",
    "SignificantHarm": "history._events",
    "TimescaleAgreed": "history._events",
    "Withdrawn": "history._events",
    "history_from_json": "history._json",
    "bundled_policies": "policy._loader",
    "load_policy": "policy._loader",
    "load_policy_text": "policy._loader",
    "Policy": "policy._model",
    "policy_schema": "policy._schema",
    "OutsideCalendar": "time._calendar",
    "WorkingCalendar": "time._calendar",
}
"""Where each public name is defined, relative to this package."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value  # once loaded, found without this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0"

__all__ = [
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
