"""Reading scenario files and checking a policy against them; the format is described in
`escalation_rules.scenarios`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictInt, ValidationError, model_validator

from .._errors import EscalationRulesError, HistoryError, PolicyError, PolicyProblem
from .._files import FileRefusal, read_limited
from .._model_base import Frozen, Note, Source
from ..evaluation._evaluator import evaluate
from ..evaluation._result import Evaluation, Status
from ..history._events import AwareTime
from ..policy._loader import load_policy
from ..policy._model import Policy
from ..policy._yaml_reader import MAX_BYTES, YamlDocument, read_yaml
from ..time._calendar import instant

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "load_scenarios",
    "scenario_files",
]

Text = Annotated[str, Field(strict=True, min_length=1, max_length=200)]


class ScenarioError(EscalationRulesError):
    """A scenario file that cannot be read; `problems` says where, as for a policy."""

    def __init__(self, problems: Iterable[PolicyProblem]) -> None:
        self.problems = tuple(sorted(problems, key=PolicyProblem.sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))


class DueExpectation(Frozen):
    """One outstanding item, checked on the fields written."""

    kind: Text | None = None
    id: Text | None = None
    role: Text | None = None
    deadline: AwareTime | None = None
    counted_from: AwareTime | None = None
    overdue: StrictBool | None = None


class TimelineExpectation(Frozen):
    """One stage visited, checked on the fields written."""

    stage: StrictInt | None = None
    route: Text | None = None
    deadline: AwareTime | None = None
    met: StrictBool | None = None


class ActionExpectation(Frozen):
    """One action triggered so far, checked on the fields written."""

    id: Text | None = None
    kind: Text | None = None
    role: Text | None = None
    state: Text | None = None
    deadline: AwareTime | None = None
    met: StrictBool | None = None


class Expectation(Frozen):
    """What the evaluation must say; only the fields written are checked."""

    status: Status | None = None
    pathway: Text | None = None
    stage: StrictInt | None = None
    stage_id: Text | None = None
    responsible_role: Text | None = None
    responsible_title: Text | None = None
    next_role: Text | None = None
    route: Text | None = None
    deadline: AwareTime | None = None
    stage_deadline: AwareTime | None = None
    overdue: StrictBool | None = None
    significant_harm: StrictBool | None = None
    warnings: tuple[Text, ...] | None = None
    due: tuple[DueExpectation, ...] | None = None
    timeline: tuple[TimelineExpectation, ...] | None = None
    actions: tuple[ActionExpectation, ...] | None = None


class Scenario(Frozen):
    """Events in, and what the policy must make of them (or the error it must give)."""

    note: Note
    source: Source
    policy: Text | None = None
    events: tuple[Any, ...]
    as_of: AwareTime | None = None
    expect: Expectation | None = None
    expect_error: Text | None = None

    @model_validator(mode="after")
    def _one_expectation(self) -> Scenario:
        if (self.expect is None) == (self.expect_error is None):
            raise ValueError("write exactly one of expect or expect_error")
        return self

    def check(self, policy: Policy) -> list[str]:
        """What the evaluation got wrong, as sentences; empty when the scenario passes."""
        try:
            result = evaluate(policy, self.events, as_of=self.as_of)
        except HistoryError as error:
            codes = [p.code for p in error.problems]
            if self.expect_error is not None:
                if self.expect_error in codes:
                    return []
                return [f"expected error {self.expect_error}, got {', '.join(codes)}"]
            return [f"expected an evaluation, got the error: {error}"]
        if self.expect_error is not None:
            return [f"expected error {self.expect_error}, but the history was accepted"]
        assert self.expect is not None
        return list(_mismatches(self.expect, result))


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    """The scenarios of one file, with the line each begins on."""

    path: Path
    scenarios: tuple[tuple[int, Scenario], ...]

    def policy_for(self, scenario: Scenario, override: str | None = None) -> Policy:
        name = override or scenario.policy
        if name is None:
            raise ScenarioError(
                [
                    PolicyProblem(
                        "no_policy",
                        "say which policy the scenario checks: write policy: NAME at the top",
                        str(self.path),
                    )
                ]
            )
        if override is None and _looks_like_path(name):
            name = str(self.path.parent / name)
        return load_policy(name)


def _looks_like_path(name: str) -> bool:
    return name.endswith((".yaml", ".yml")) or "/" in name or os.sep in name


MAX_FILES = 10_000
"""The most scenario files one run reads."""


def scenario_files(folder: str | os.PathLike[str]) -> list[Path]:
    """Every scenario file under a folder (or the file itself), in a stable order.

    The folder is walked with a list of folders still to look in, not by recursion, so a
    folder nested thousands deep is no danger; links to folders are not followed, so a link
    back up the tree is no endless loop.
    """
    root = Path(folder)
    if not root.is_dir():
        return [root]
    found: list[Path] = []
    waiting = [root]
    while waiting and len(found) <= MAX_FILES:
        here = waiting.pop()
        try:
            entries = list(os.scandir(here))
        except OSError:
            found.append(here)  # reported as unreadable when it is read
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                waiting.append(Path(entry.path))
            elif entry.name.endswith((".yaml", ".yml")):
                found.append(Path(entry.path))
    if len(found) > MAX_FILES:
        raise ScenarioError(
            [
                PolicyProblem(
                    "too_many_files",
                    f"the folder holds more than {MAX_FILES:,} scenario files; give a folder "
                    "that holds only scenarios, or run its sub-folders one at a time",
                    str(root),
                )
            ]
        )
    return sorted(found)


def load_scenarios(path: str | os.PathLike[str]) -> ScenarioFile:
    """Read one scenario file strictly, reporting every problem with its line and column."""
    file = Path(path)
    try:
        raw = read_limited(os.fspath(file), MAX_BYTES, "scenario file")
        text = raw.decode("utf-8-sig")
    except FileRefusal as refusal:
        raise ScenarioError([PolicyProblem(refusal.code, refusal.message, str(file))]) from None
    except UnicodeDecodeError as error:
        raise ScenarioError(
            [
                PolicyProblem(
                    "not_utf8",
                    f"the file is not UTF-8 text (byte {error.start:,} is not); save it with "
                    "the UTF-8 encoding",
                    str(file),
                )
            ]
        ) from None
    document = read_yaml(text, str(file))
    if document.problems:
        raise ScenarioError(document.problems)
    data = document.data
    entries: list[tuple[tuple[str | int, ...], Any]]
    shared_policy = None
    if isinstance(data, dict) and "scenarios" in data:
        extra = sorted(set(data) - {"scenarios", "policy"})
        if extra:
            raise ScenarioError(
                [
                    _problem(
                        document,
                        file,
                        (k,),
                        "unknown_field",
                        f"unknown field {k!r}; a file of several scenarios has only policy "
                        "and scenarios",
                    )
                    for k in extra
                ]
            )
        shared_policy = data.get("policy")
        items = data["scenarios"]
        if not isinstance(items, list) or not items:
            raise ScenarioError(
                [_problem(document, file, ("scenarios",), "invalid_field", "scenarios is a list")]
            )
        entries = [(("scenarios", i), item) for i, item in enumerate(items)]
    else:
        entries = [((), data)]
    scenarios: list[tuple[int, Scenario]] = []
    problems: list[PolicyProblem] = []
    for path_prefix, item in entries:
        if isinstance(item, dict) and shared_policy is not None:
            item = {"policy": shared_policy, **item}
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                loc = (*path_prefix, *(p for p in detail["loc"] if isinstance(p, (str, int))))
                problems.append(
                    _problem(document, file, loc, "invalid_scenario", str(detail["msg"]))
                )
            continue
        line = document.values.get(path_prefix, (1, 1))[0]
        scenarios.append((line, scenario))
    if problems:
        raise ScenarioError(problems)
    return ScenarioFile(file, tuple(scenarios))


def _problem(
    document: YamlDocument, file: Path, path: tuple[str | int, ...], code: str, message: str
) -> PolicyProblem:
    values = document.values
    probe = path
    while probe and probe not in values:
        probe = probe[:-1]
    line, column = values.get(probe, (1, 1))
    field = ".".join(str(p) for p in path)
    return PolicyProblem(
        code,
        f"{field}: {message}" if field else message,
        str(file),
        line,
        column,
        path,
    )


def _mismatches(expect: Expectation, result: Evaluation) -> Iterator[str]:
    written = expect.model_fields_set
    got: dict[str, Any] = {
        "status": result.status,
        "pathway": result.pathway,
        "stage": result.stage.number,
        "stage_id": result.stage.id,
        "responsible_role": result.responsible_role.id,
        "responsible_title": result.responsible_role.title,
        "next_role": result.next_role.id if result.next_role else None,
        "route": result.route,
        "deadline": result.deadline,
        "stage_deadline": result.stage_deadline,
        "overdue": result.overdue,
        "significant_harm": result.significant_harm,
        "warnings": tuple(w.code for w in result.warnings),
    }
    for name, actual in got.items():
        if name in written and not _same(getattr(expect, name), actual):
            yield f"{name}: expected {_show(getattr(expect, name))}, got {_show(actual)}"
    if expect.due is not None:
        yield from _compare_items("due", expect.due, result.due, _due_fields)
    if expect.timeline is not None:
        yield from _compare_items("timeline", expect.timeline, result.timeline, _timeline_fields)
    if expect.actions is not None:
        yield from _compare_items("actions", expect.actions, result.actions, _action_fields)


def _due_fields(item: Any) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id,
        "role": item.role.id,
        "deadline": item.deadline,
        "counted_from": item.counted_from,
        "overdue": item.overdue,
    }


def _timeline_fields(item: Any) -> dict[str, Any]:
    return {
        "stage": item.stage.number,
        "route": item.route,
        "deadline": item.deadline,
        "met": item.met,
    }


def _action_fields(item: Any) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "role": item.role.id,
        "state": item.state,
        "deadline": item.deadline,
        "met": item.met,
    }


def _compare_items(
    name: str, expected: tuple[Frozen, ...], actual: tuple[Any, ...], fields: Any
) -> Iterator[str]:
    if len(expected) != len(actual):
        yield f"{name}: expected {len(expected)} item(s), got {len(actual)}"
        return
    for number, (want, have) in enumerate(zip(expected, actual, strict=True)):
        values = fields(have)
        for field in sorted(want.model_fields_set):
            if not _same(getattr(want, field), values[field]):
                yield (
                    f"{name}[{number}].{field}: expected {_show(getattr(want, field))}, "
                    f"got {_show(values[field])}"
                )


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dt.datetime) and isinstance(actual, dt.datetime):
        # The same instant, whatever zone each is written in; compared in UTC because Python
        # calls two times unequal when either falls in the hour the clocks go back.
        return instant(expected) == instant(actual)
    return bool(expected == actual and type(expected) is type(actual))


def _show(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, str) else str(value)


def run_folder(
    folder: str | os.PathLike[str], policy: str | None = None
) -> Iterator[tuple[Path, int, Scenario | None, list[str]]]:
    """Check every scenario under a folder: (file, line, scenario, what went wrong)."""
    try:
        paths = scenario_files(folder)
    except ScenarioError as error:
        yield Path(folder), 1, None, [str(p) for p in error.problems]
        return
    for path in paths:
        try:
            loaded = load_scenarios(path)
        except ScenarioError as error:
            yield path, 1, None, [str(p) for p in error.problems]
            continue
        for line, scenario in loaded.scenarios:
            try:
                failures = scenario.check(loaded.policy_for(scenario, policy))
            except (PolicyError, ScenarioError) as error:
                failures = [str(error)]
            yield path, line, scenario, failures
