"""What each field of a scenario file means, in the words an editor shows its author (see
`_json_schema.py`); the event fields are described by the history's own table."""

from __future__ import annotations

from .._json_schema import ROOT

_EXPECTED_TIME = "The deadline expected, with its offset; null checks that there is none."
_ROLE = "The id of the role expected."
_MET = "Whether the deadline is expected to have been met (null: still open, or no deadline)."

SCENARIO_DESCRIPTIONS: dict[str, str] = {
    f"{ROOT}.oneOf[1].scenarios": "The scenarios of the file, each checked on its own.",
    "Scenario.note": "What the scenario checks, in a sentence; reports name it.",
    "Scenario.source": 'The paragraph of the document the scenario checks, e.g. "5.1.II".',
    "Scenario.policy": (
        "The policy to check: a bundled name, or a path from this file. Left out, the file's "
        "`policy`."
    ),
    "Scenario.as_of": (
        "The moment to evaluate at, with its offset. Events after it are left out, and items "
        "due before it are overdue. Left out, nothing is judged overdue."
    ),
    "Scenario.expect": "What the evaluation must say; only what is written is checked.",
    "Scenario.expect_error": (
        "The code of the error the history must be refused with, such as `skip_needs_reason` "
        "(docs/errors.md lists them), instead of `expect`."
    ),
    "Expectation.status": "`open`, `resolved`, `resolved_with_dissent` or `withdrawn`.",
    "Expectation.pathway": "The id of the pathway the escalation follows.",
    "Expectation.stage": "The number of the current stage (1 for the first).",
    "Expectation.stage_id": "The id of the current stage.",
    "Expectation.route": "The id of the route the current stage is taken by; null for none.",
    "Expectation.responsible_role": "The id of the role that must act now.",
    "Expectation.responsible_title": "That role's title, after the agency's type.",
    "Expectation.next_role": "The id of the role the matter goes to next; null at the end.",
    "Expectation.deadline": (
        "The earliest deadline of everything due, with its offset; null checks there is none."
    ),
    "Expectation.stage_deadline": "The current stage's own deadline; null checks there is none.",
    "Expectation.overdue": "Whether anything due is past its deadline at `as_of`.",
    "Expectation.significant_harm": "Whether significant harm has been identified.",
    "Expectation.warnings": "The codes of the warnings expected, in order.",
    "Expectation.due": "The items due, in order: the stage first, then actions.",
    "Expectation.timeline": "The stages visited, in order.",
    "Expectation.actions": "The actions triggered so far, in order.",
    "DueExpectation.kind": "`stage` or `action`.",
    "DueExpectation.id": "The id of the stage or action.",
    "DueExpectation.role": _ROLE,
    "DueExpectation.deadline": _EXPECTED_TIME,
    "DueExpectation.counted_from": "The moment its clock started, with its offset.",
    "DueExpectation.overdue": "Whether it is past its deadline at `as_of`.",
    "TimelineExpectation.stage": "The stage's number.",
    "TimelineExpectation.route": "The id of the route taken; null for none.",
    "TimelineExpectation.deadline": _EXPECTED_TIME,
    "TimelineExpectation.met": _MET,
    "ActionExpectation.id": "The action's id.",
    "ActionExpectation.kind": "`required` (by the policy) or `agreed` (by the parties).",
    "ActionExpectation.role": _ROLE,
    "ActionExpectation.state": "`due`, `done` or `lapsed`.",
    "ActionExpectation.deadline": _EXPECTED_TIME,
    "ActionExpectation.met": _MET,
}
