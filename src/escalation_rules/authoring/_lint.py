"""`lint`: what a careful reviewer would point out in a policy that loads.

A policy that loads has no errors; lint finds what is allowed but probably not meant: a role
nothing names, an action that can never be triggered, a stage where nothing is ever due by a
date, a named date no clock counts from. Given the partnership's document as text, it also
checks that every `source:` names something the document has, and lists each number of days
or hours the document gives that no timescale of the policy uses, for the author to check.

Every stage of a pathway is reachable by construction (stages are a sequence, and `escalated`
moves from each to the next), so there is no check for unreachable stages; an action is the
part of a policy that can be unreachable, and is checked.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .._text import printable
from ..policy._checks import role_references, timescales_of
from ..policy._loader import load_with_positions, read_policy_source
from ..policy._messages import position
from ..policy._model import Pathway, Policy
from ..policy._pathway import OUTCOMES, STAGE_TRIGGERS, Stage
from ..policy._yaml_reader import YamlDocument
from ..time._timescales import Unspecified
from ._citations import FieldPath, cited_in, sources, timespans, used_timespans

Severity = Literal["warning", "note"]

CODES: dict[str, str] = {
    "role_unused": "a role that no stage, route, referral or action names",
    "action_never_triggered": "an action whose trigger can never happen",
    "stage_without_deadline_or_action": "a stage where nothing is ever due by a date",
    "date_unused": "a named date that no timescale counts from",
    "source_not_in_document": "a `source:` that names nothing the document has",
    "document_timespan_unused": "a number of days or hours the document gives that no "
    "timescale uses (a note: check it)",
}
"""Every code lint reports, and what it means; docs/errors.md lists them too."""


@dataclass(frozen=True, slots=True)
class LintFinding:
    """One thing a reviewer would point out, where it is written, and how serious it is."""

    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    path: FieldPath = ()
    severity: Severity = "warning"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        return printable(f"{where}: {self.severity}: {self.code}: {self.message}")

    def as_json(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": list(self.path),
        }


@dataclass(frozen=True, slots=True)
class _Draft:
    path: FieldPath
    code: str
    message: str
    severity: Severity = "warning"
    in_document: int | None = None
    """A line of the document, where the finding is about the document, not the policy."""


def lint(
    source: str | os.PathLike[str],
    document: str | None = None,
    document_name: str = "the document",
) -> list[LintFinding]:
    """What a reviewer would point out in the policy at `source` (a bundled name or a path).

    `document` is the partnership's document as plain text, if at hand, and `document_name`
    the name findings about it are reported against (its file). Raises PolicyError where the
    policy does not load: its errors come first.
    """
    text, file = read_policy_source(source)
    policy, positions = load_with_positions(text, file)
    drafts = [
        *_unused_roles(policy),
        *_actions_never_triggered(policy),
        *_stages_without_deadline_or_action(policy),
        *_unused_dates(policy),
    ]
    if document is not None:
        drafts += _uncited(policy, positions, document, document_name)
        drafts += _unused_timespans(policy, document)
    findings = [_located(draft, positions, file, document_name) for draft in drafts]
    return sorted(
        findings, key=lambda f: (f.severity != "warning", f.file, f.line or 0, f.column or 0)
    )


def _located(draft: _Draft, document: YamlDocument, file: str, document_name: str) -> LintFinding:
    if draft.in_document is not None:
        return LintFinding(
            draft.code, draft.message, document_name, draft.in_document, 1, (), draft.severity
        )
    line, column = position(document, draft.path) or (None, None)
    return LintFinding(draft.code, draft.message, file, line, column, draft.path, draft.severity)


def _pathways(policy: Policy) -> Iterator[tuple[FieldPath, Pathway]]:
    for i, pathway in enumerate(policy.pathways):
        yield ("pathways", i), pathway


def _unused_roles(policy: Policy) -> Iterator[_Draft]:
    named = {
        role for base, pathway in _pathways(policy) for _, role in role_references(pathway, base)
    }
    for j, role in enumerate(policy.roles):
        if role.id not in named:
            yield _Draft(
                ("roles", j, "id"),
                "role_unused",
                f"no stage, route, final referral or action names the role '{role.id}'; "
                "name it where the document gives it a part, or remove it",
            )


def _actions_never_triggered(policy: Policy) -> Iterator[_Draft]:
    for base, pathway in _pathways(policy):
        for j, action in enumerate(pathway.actions):
            if action.when not in OUTCOMES or not action.at_stages:
                continue
            numbers = pathway.numbers_of(action.at_stages)
            if not any(pathway.allows_outcome(action.when, n) for n in numbers):
                rule = pathway.outcome_rule(action.when)
                allowed = ", ".join(rule.at_stages) if rule else ""
                yield _Draft(
                    (*base, "actions", j, "at_stages"),
                    "action_never_triggered",
                    f"action '{action.id}' is required when the outcome '{action.when}' is "
                    f"recorded at {', '.join(action.at_stages)}, but the pathway's `outcomes:` "
                    f"allow it only at {allowed}, so it can never be triggered; name a stage "
                    "where the outcome may be recorded",
                )


def _has_deadline(step: Stage) -> bool:
    timescales = [step.timescale] if step.timescale is not None else []
    timescales += [route.timescale for route in step.routes]
    return any(not isinstance(t, Unspecified) for t in timescales)


def _stages_without_deadline_or_action(policy: Policy) -> Iterator[_Draft]:
    for base, pathway in _pathways(policy):
        for j, stage in enumerate(pathway.stages):
            number = j + 1
            if _has_deadline(stage):
                continue
            actions = pathway.actions
            if any(_triggered_at(pathway, a.when, a.stage, number) for a in actions):
                continue
            yield _Draft(
                (*base, "stages", j, "id"),
                "stage_without_deadline_or_action",
                f"at stage {number} ('{stage.id}') nothing is ever due by a date: its "
                "timescale is unspecified and no action is triggered on reaching it. If the "
                "document gives a timescale, write it; if it gives none, this is as it says",
            )


def _triggered_at(pathway: Pathway, when: str, stage_id: str | None, number: int) -> bool:
    if when not in STAGE_TRIGGERS or stage_id is None:
        return False
    target = pathway.number_of(stage_id)
    if when == "entering_stage":
        return target == number
    return target is not None and target <= number


def _unused_dates(policy: Policy) -> Iterator[_Draft]:
    for base, pathway in _pathways(policy):
        counted = {
            t.from_date for _, t, _ in timescales_of(pathway, base) if t.counts_from == "date"
        }
        for j, date in enumerate(pathway.dates):
            if date.id not in counted:
                yield _Draft(
                    (*base, "dates", j, "id"),
                    "date_unused",
                    f"no timescale counts from the date '{date.id}', yet every raised event "
                    f"is asked for it; count a clock from it (`counts_from: date`, `from_date: "
                    f"{date.id}`) or remove it",
                )


def _uncited(policy: Policy, positions: YamlDocument, document: str, name: str) -> Iterator[_Draft]:
    for path, source in sources(policy):
        written = (*path, "source")
        if source is None or written not in positions.values:
            continue  # a source left out is its owner's, which is checked where it is written
        if not cited_in(document, source):
            yield _Draft(
                written,
                "source_not_in_document",
                f"the source {source!r} names no paragraph, section or heading of {name}; "
                "cite it as the document numbers or titles it",
            )


def _unused_timespans(policy: Policy, document: str) -> Iterator[_Draft]:
    used = used_timespans(policy)
    for span in timespans(document):
        if (span.number, span.unit) not in used:
            yield _Draft(
                (),
                "document_timespan_unused",
                f"the document says {span.words!r} here, and no timescale of the policy is "
                "that long; check whether a rule should say it",
                severity="note",
                in_document=span.line,
            )
