"""The short, readable answer the command line prints for a person, in the policy's words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .._errors import HistoryProblem, PolicyProblem
from .._text import printable
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
    word = policy.words.stage

    def by(moment: dt.datetime | None) -> str:
        return "no deadline set" if moment is None else f"by {show(moment, cal)}"

    version = f", version {result.policy.version}" if result.policy.version else ""
    lines = [
        f"{policy.title}: {pathway.title}",
        f"Policy: {result.policy.id}{version} (digest {result.policy.digest[:12]})",
        f"Status: {_STATUS[result.status]}",
        _stage_line(
            word, result.stage.number, len(pathway.stages), pathway.final_referral is not None
        )
        + f": {result.stage.title} ({result.stage.source})"
        + (f", route {result.route}" if result.route else ""),
        f"Responsible: {result.responsible_role.title}",
    ]
    if result.status == "open":
        lines.append(
            f"{word} deadline ({result.responsible_role.title}): {by(result.stage_deadline)}"
        )
    if result.next_role is not None:
        lines.append(f"If not resolved, next: {result.next_role.title}")
    if result.significant_harm:
        harm = policy.words.significant_harm
        lines.append(f"{harm[:1].upper()}{harm[1:]}: identified")
    if result.as_of is not None:
        lines.append(f"As of: {show(result.as_of, cal)}")
    earliest = _earliest_owner(result)
    lines.append(f"Earliest deadline: {by(result.deadline)}{earliest}")
    if result.overdue is not None:
        lines.append(f"Overdue: {'YES' if result.overdue else 'no'}")
    else:
        lines.append(
            "Overdue: not judged; without --as-of nothing is compared with a time, so nothing "
            "is overdue or in time (give --as-of to judge)"
        )
    lines.append("Due:" if result.due else "Due: nothing outstanding")
    for item in result.due:
        flag = "  OVERDUE" if item.overdue else ""
        what = word.lower() if item.kind == "stage" else "action"
        lines.append(
            f"  - [{what}] {item.title}: {item.role.title}, {by(item.deadline)}"
            f" ({item.source}){flag}"
        )
        if item.deadline is None:
            lines.append(f"      {item.why}")
        if item.overdue and item.if_missed:
            lines.append(f"      If missed: {item.if_missed}")
    settled = [a for a in result.actions if a.state != "due"]
    if settled:
        lines.append("Actions settled:")
        for action in settled:
            when = action.done_at if action.state == "done" else action.lapsed_at
            met = ""
            if action.met is not None:
                met = ", in time" if action.met else (", late" if action.state == "done" else "")
            lines.append(
                f"  - {action.title}: {action.state} {show(when, cal) if when else ''}{met}"
            )
    if result.warnings:
        lines.append("Warnings:")
        lines.extend(f"  - {warning.code}: {warning.message}" for warning in result.warnings)
    lines.append("Timeline:")
    for entry in result.timeline:
        met = {None: "", True: ", deadline met", False: ", deadline MISSED"}[entry.met]
        left = f" to {show(entry.left_at, cal)}" if entry.left_at is not None else " (current)"
        route = f" [route {entry.route}]" if entry.route else ""
        lines.append(
            f"  {entry.stage.number}. {entry.stage.title}{route}: {show(entry.entered_at, cal)}"
            f"{left}; {by(entry.deadline)}{met}"
        )
        said = [
            f"{label}: {text}"
            for label, text in (
                ("by", entry.entered_by),
                ("reason", entry.entered_reason),
                ("note", entry.entered_note),
            )
            if text
        ]
        if said:
            lines.append(f"      entered ({'; '.join(said)})")
    lines.append("Explanation:")
    for number, step in enumerate(result.explanation, start=1):
        who = f" (by {step.by})" if step.by else ""
        note = f" Note: {step.note}" if step.note else ""
        lines.append(f"  {number}. [{step.source}] {step.text}{who}{note}")
    # Notes, ids and titles are shown escaped: a note holding a line break and "Status: open",
    # or a terminal escape sequence, must not forge a line of the report or reach the terminal.
    return "\n".join(printable(line) for line in lines) + "\n"


def error_json(
    kind: str, problems: Sequence[PolicyProblem | HistoryProblem], source: str | None
) -> dict[str, Any]:
    """The problems of a refused command as one JSON document: `{"error": {...}}`."""
    return {
        "error": {
            "kind": kind,
            "source": source,
            "problems": [_problem_json(p) for p in problems],
        }
    }


def _problem_json(problem: PolicyProblem | HistoryProblem) -> dict[str, Any]:
    if isinstance(problem, PolicyProblem):
        return {
            "code": problem.code,
            "message": problem.message,
            "file": problem.file,
            "line": problem.line,
            "column": problem.column,
            "field": problem.field_path or None,
        }
    return problem.as_json()


def _earliest_owner(result: Evaluation) -> str:
    """Whose the earliest deadline is, since it need not be the responsible role's."""
    if result.deadline is None:
        return ""
    for item in result.due:
        if item.deadline == result.deadline:
            return f" ({item.role.title}: {item.title})"
    return ""


def _stage_line(word: str, number: int, stages: int, has_referral: bool) -> str:
    if number > stages:
        return "Final referral"
    return f"{word} {number} of {stages}" + (", then a final referral" if has_referral else "")
