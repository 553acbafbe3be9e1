"""Reading scenario files and checking a policy against them; the format is described in
`escalation_rules.scenarios`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError, model_validator

from .._errors import EscalationRulesError, HistoryError, PolicyError, PolicyProblem
from .._files import FileRefusal, read_limited
from .._model_base import Frozen, Note, Source
from .._suggestions import did_you_mean
from ..evaluation._evaluator import evaluate
from ..evaluation._result import Evaluation
from ..history._events import AwareTime
from ..policy._checks import format_path
from ..policy._loader import decode_text, load_policy
from ..policy._messages import schema_problems
from ..policy._model import Policy
from ..policy._yaml_reader import MAX_BYTES, YamlDocument, read_yaml
from ..policy._yaml_reader import Path as FieldPath
from ._expectations import Expectation, Text, mismatches

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioRun",
    "load_scenarios",
    "run_folder",
    "scenario_files",
]


class ScenarioError(EscalationRulesError):
    """A scenario file that cannot be read; `problems` says where, as for a policy."""

    def __init__(self, problems: Iterable[PolicyProblem]) -> None:
        self.problems = tuple(sorted(problems, key=PolicyProblem.sort_key))
        super().__init__("\n".join(str(p) for p in self.problems))


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
        return self.run(policy)[0]

    def run(self, policy: Policy) -> tuple[list[str], Evaluation | None]:
        """What the evaluation got wrong (empty when the scenario passes), and the evaluation
        itself, or None where the history was refused."""
        try:
            result = evaluate(policy, self.events, as_of=self.as_of)
        except HistoryError as error:
            codes = [p.code for p in error.problems]
            if self.expect_error is not None:
                if self.expect_error in codes:
                    return [], None
                return [f"expected error {self.expect_error}, got {', '.join(codes)}"], None
            return [f"expected an evaluation, got the error: {error}"], None
        if self.expect_error is not None:
            return [f"expected error {self.expect_error}, but the history was accepted"], result
        assert self.expect is not None
        return list(mismatches(self.expect, result)), result


@dataclass(frozen=True, slots=True)
class ScenarioFile:
    """The scenarios of one file, with the line each begins on."""

    path: Path
    scenarios: tuple[tuple[int, Scenario], ...]
    refused: tuple[tuple[int, tuple[PolicyProblem, ...]], ...] = field(default=())
    """Scenarios that could not be read (only with `partial=True`): their line and problems."""

    def policy_for(self, scenario: Scenario, override: str | Policy | None = None) -> Policy:
        """The policy a scenario checks: `override` (a policy, or its name or path) where
        given, else the scenario's own, a path read from this file's folder."""
        if isinstance(override, Policy):
            return override
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


def load_scenarios(path: str | os.PathLike[str], partial: bool = False) -> ScenarioFile:
    """Read one scenario file strictly, reporting every problem with its line and column.

    A problem of the file as a whole (not YAML, not a scenario file) raises ScenarioError. A
    problem of one scenario raises it too, unless `partial` is true: then that scenario is
    returned in `refused`, with its problems, and the others are read as usual.
    """
    file = Path(path)
    document = _read_document(file)
    data = document.data
    entries: list[tuple[FieldPath, Any]]
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
                        f"{k!r} is not a field of a file of several scenarios"
                        f"{did_you_mean(k, ['policy', 'scenarios'])}; such a file has only "
                        "policy and scenarios",
                    )
                    for k in extra
                ]
            )
        shared_policy = data.get("policy")
        items = data["scenarios"]
        if not isinstance(items, list) or not items:
            raise ScenarioError(
                [
                    _problem(
                        document,
                        file,
                        ("scenarios",),
                        "invalid_field",
                        "scenarios is a list of scenarios, each starting with '- note:'",
                    )
                ]
            )
        entries = [(("scenarios", i), item) for i, item in enumerate(items)]
    elif isinstance(data, dict):
        entries = [((), data)]
    else:
        raise ScenarioError(
            [
                _problem(
                    document,
                    file,
                    (),
                    "not_a_mapping",
                    "a scenario file holds one scenario (note, source, policy, events, expect) "
                    "or `policy:` and `scenarios:`, each written `name: value` on its own line",
                )
            ]
        )
    scenarios: list[tuple[int, Scenario]] = []
    refused: list[tuple[int, tuple[PolicyProblem, ...]]] = []
    for number, (prefix, item) in enumerate(entries, 1):
        line = document.values.get(prefix, (1, 1))[0]
        if isinstance(item, dict) and shared_policy is not None:
            item = {"policy": shared_policy, **item}
        try:
            scenario = Scenario.model_validate(item)
        except ValidationError as error:
            problems = schema_problems(error, document, str(file), Scenario, prefix, _place)
            problems.sort(key=PolicyProblem.sort_key)
            refused.append((line, tuple(_named(p, number if prefix else None) for p in problems)))
            continue
        scenarios.append((line, scenario))
    if refused and not partial:
        raise ScenarioError(p for _, problems in refused for p in problems)
    return ScenarioFile(file, tuple(scenarios), tuple(refused))


def _read_document(file: Path) -> YamlDocument:
    try:
        raw = read_limited(os.fspath(file), MAX_BYTES, "scenario file")
        text = decode_text(raw, str(file))
    except FileRefusal as refusal:
        raise ScenarioError([PolicyProblem(refusal.code, refusal.message, str(file))]) from None
    except PolicyError as error:
        raise ScenarioError(error.problems) from None
    document = read_yaml(text, str(file))
    if document.problems:
        raise ScenarioError(document.problems)
    return document


def _place(path: FieldPath) -> str:
    """How a message writes a path inside a scenario: its items counted from 1, as an author
    counts them."""
    return format_path(path, count_from=1, top="the scenario")


def _named(problem: PolicyProblem, number: int | None) -> PolicyProblem:
    """The problem with the scenario it is in named first, counted from 1."""
    if number is None:
        return problem
    return PolicyProblem(
        problem.code,
        f"scenario {number}: {problem.message}",
        problem.file,
        problem.line,
        problem.column,
        problem.path,
    )


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


class ScenarioRun(NamedTuple):
    """One scenario checked: where it is, what went wrong (empty when it passed), and the
    evaluation it got (None where the history was refused or the scenario could not be read)."""

    path: Path
    line: int
    scenario: Scenario | None
    failures: list[str]
    evaluation: Evaluation | None = None


def run_folder(
    folder: str | os.PathLike[str], policy: str | Policy | None = None
) -> Iterator[ScenarioRun]:
    """Check every scenario under a folder, one by one, against the policy each names or
    against `policy`. A scenario that cannot be read fails alone, and the others of its file
    still run."""
    try:
        paths = scenario_files(folder)
    except ScenarioError as error:
        yield ScenarioRun(Path(folder), 1, None, [str(p) for p in error.problems])
        return
    for path in paths:
        try:
            loaded = load_scenarios(path, partial=True)
        except ScenarioError as error:
            yield ScenarioRun(path, 1, None, [str(p) for p in error.problems])
            continue
        runs: list[tuple[int, Scenario | None, tuple[PolicyProblem, ...]]] = [
            (line, scenario, ()) for line, scenario in loaded.scenarios
        ]
        runs += [(line, None, problems) for line, problems in loaded.refused]
        for line, scenario, problems in sorted(runs, key=lambda run: run[0]):
            if scenario is None:
                yield ScenarioRun(path, line, None, [str(p) for p in problems])
                continue
            try:
                failures, result = scenario.run(loaded.policy_for(scenario, policy))
            except (PolicyError, ScenarioError) as error:
                failures, result = [str(error)], None
            yield ScenarioRun(path, line, scenario, failures, result)
