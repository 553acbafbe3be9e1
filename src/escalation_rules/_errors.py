"""The one error hierarchy of escalation_rules.

    EscalationRulesError (ValueError)   anything the library refuses
    ├── PolicyError                     a policy file that cannot be used: YAML the loader
    │                                   refuses, a field of the wrong shape, or a whole-policy
    │                                   check (an unknown role, a duplicate id, ...)
    └── HistoryError                    an escalation history that breaks the event rules of
                                        the design, or an `as_of` that is not timezone-aware

Each error carries every problem found, not just the first: `problems` is a tuple of
records with a stable `code`, a `message` that says what to write instead, and a location.
The exception's own attributes (`file`, `line`, ... or `index`, `event_id`) repeat the
location of the first problem, so that a caller interested in one can stay simple.
Problems are sorted by location, so the same input always prints the same report.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ._text import excerpt, printable

MAX_REPORTED = 50
"""The most problems an error's message lists; `problems` holds them all."""


def report_lines(problems: Sequence[object]) -> list[str]:
    """The first problems, one a line, and how many more there are: a policy with thousands
    of problems must not print megabytes, and its author fixes the first ones first."""
    lines = [str(p) for p in problems[:MAX_REPORTED]]
    if len(problems) > MAX_REPORTED:
        lines.append(f"... and {len(problems) - MAX_REPORTED:,} more problems, not shown")
    return lines


__all__ = [
    "EscalationRulesError",
    "HistoryError",
    "HistoryProblem",
    "PolicyError",
    "PolicyProblem",
]


@dataclass(frozen=True, slots=True)
class PolicyProblem:
    """One thing wrong with a policy, where it is written and what to write instead."""

    code: str
    message: str
    file: str
    line: int | None = None
    column: int | None = None
    path: tuple[str | int, ...] = ()

    @property
    def field_path(self) -> str:
        """The field as a policy author would name it: `pathways[0].stages[1].timescale`."""
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.column if self.column is not None else 1}"
        return printable(f"{where}: {self.code}: {self.message}")

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line or 0, self.column or 0, self.code)


@dataclass(frozen=True, slots=True)
class HistoryProblem:
    """One thing wrong with an escalation history, naming the event it is about."""

    code: str
    message: str
    index: int | None = None
    event_id: str | None = None

    def __str__(self) -> str:
        if self.index is None:
            where = "history"
        else:
            where = f"event {self.index}"
            if self.event_id is not None:
                where += f" (id '{excerpt(self.event_id)}')"
        return printable(f"{where}: {self.code}: {self.message}")

    def sort_key(self) -> tuple[int, str]:
        return (-1 if self.index is None else self.index, self.code)

    def as_json(self) -> dict[str, object]:
        """The problem as plain JSON: code, message, index and event_id."""
        return {
            "code": self.code,
            "message": self.message,
            "index": self.index,
            "event_id": self.event_id,
        }


class EscalationRulesError(ValueError):
    """Base of every error the library raises on purpose."""


class PolicyError(EscalationRulesError):
    """A policy file that cannot be used. `problems` lists all that was found."""

    def __init__(self, problems: Iterable[PolicyProblem]) -> None:
        self.problems: tuple[PolicyProblem, ...] = tuple(
            sorted(problems, key=PolicyProblem.sort_key)
        )
        if not self.problems:
            raise ValueError("PolicyError needs at least one problem")
        first = self.problems[0]
        self.code = first.code
        self.file = first.file
        self.line = first.line
        self.column = first.column
        self.path = first.path
        super().__init__("\n".join(report_lines(self.problems)))


class HistoryError(EscalationRulesError):
    """An escalation history that breaks the event rules. `problems` lists all of them."""

    def __init__(self, problems: Iterable[HistoryProblem]) -> None:
        self.problems: tuple[HistoryProblem, ...] = tuple(
            sorted(problems, key=HistoryProblem.sort_key)
        )
        if not self.problems:
            raise ValueError("HistoryError needs at least one problem")
        first = self.problems[0]
        self.code = first.code
        self.index = first.index
        self.event_id = first.event_id
        super().__init__("\n".join(report_lines(self.problems)))
