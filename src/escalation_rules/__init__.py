"""escalation_rules: safeguarding partnerships' disagreement procedures as YAML policies.

    from escalation_rules import load_policy, evaluate
    policy = load_policy("newcastle")
    result = evaluate(policy, events, as_of=now)

Everything importable from here is the stable public API; modules whose names start with an
underscore are private.
"""

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
