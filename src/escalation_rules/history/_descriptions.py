"""What each event field means where the event models do not say it themselves: the `type`
of each event, in the words an editor shows (see `_json_schema.py`)."""

from __future__ import annotations

_TYPES = {
    "Raised": ("raised", "the disagreement is raised; every history starts with one"),
    "Escalated": ("escalated", "the matter moves to the next stage, or to `to_stage`"),
    "SignificantHarm": (
        "significant_harm",
        "a child is identified as at risk of significant harm",
    ),
    "TimescaleAgreed": (
        "timescale_agreed",
        "the parties agree another deadline for the current stage",
    ),
    "ActionAgreed": ("action_agreed", "the parties agree a task, with its deadline"),
    "ActionDone": ("action_done", "a required or agreed action is done"),
    "Resolved": ("resolved", "the disagreement is resolved"),
    "ResolvedWithDissent": (
        "resolved_with_dissent",
        "a decision is reached that one party still disagrees with",
    ),
    "Withdrawn": ("withdrawn", "the disagreement is withdrawn"),
}

EVENT_DESCRIPTIONS: dict[str, str] = {
    f"{model}.type": f"`{type_}`: {meaning}." for model, (type_, meaning) in _TYPES.items()
}
