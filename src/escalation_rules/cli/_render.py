"""The short, readable answer the command line prints for a person."""

from __future__ import annotations

import datetime as dt

from ..evaluation._result import Evaluation
from ..policy._model import Policy
from ..time._deadlines import show

_STATUS = {
    "open": "open",
    "resolved": "resolved (agreed outcome)",
    "resolved_with_dissent": "resolved with dissent (a decision made, disagreement remains)",
    "withdrawn": "withdrawn",
}


def render_text(policy: Policy, result: Evaluation) -> str:
    cal = policy.working_calendar
    pathway = policy.pathway(result.pathway) or policy.default_pathway

    def by(moment: dt.datetime | None) -> str:
        return "no deadline set" if moment is None else f"by {show(moment, cal)}"

    lines = [
        f"{policy.title}: {pathway.title}",
        f"Status: {_STATUS[result.status]}",
        _stage_line(result.stage.number, len(pathway.stages), pathway.final_referral is not None)
        + f": {result.stage.title} ({result.stage.source})",
        f"Responsible: {result.responsible_role.title}",
    ]
    if result.next_role is not None:
        lines.append(f"If not resolved, next: {result.next_role.title}")
    if result.significant_harm:
        lines.append("Significant harm: identified")
    if result.as_of is not None:
        lines.append(f"As of: {show(result.as_of, cal)}")
    lines.append(f"Deadline: {by(result.deadline)}")
    if result.overdue is not None:
        lines.append(f"Overdue: {'YES' if result.overdue else 'no'}")
    lines.append("Due:" if result.due else "Due: nothing outstanding")
    for item in result.due:
        flag = "  OVERDUE" if item.overdue else ""
        lines.append(
            f"  - [{item.kind}] {item.title}: {item.role.title}, {by(item.deadline)}"
            f" ({item.source}){flag}"
        )
        if item.deadline is None:
            lines.append(f"      {item.why}")
    lines.append("Timeline:")
    for entry in result.timeline:
        met = {None: "", True: ", deadline met", False: ", deadline MISSED"}[entry.met]
        left = f" to {show(entry.left_at, cal)}" if entry.left_at is not None else " (current)"
        lines.append(
            f"  {entry.stage.number}. {entry.stage.title}: {show(entry.entered_at, cal)}{left}; "
            f"{by(entry.deadline)}{met}"
        )
    lines.append("Explanation:")
    for number, step in enumerate(result.explanation, start=1):
        lines.append(f"  {number}. [{step.source}] {step.text}")
    return "\n".join(lines) + "\n"


def _stage_line(number: int, stages: int, has_referral: bool) -> str:
    if number > stages:
        return "Final referral"
    return f"Stage {number} of {stages}" + (", then a final referral" if has_referral else "")
