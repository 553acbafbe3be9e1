"""What every command of the command line shares: naming a policy, exit codes, reports."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import TextIO

from .._errors import HistoryProblem, PolicyError, PolicyProblem, report_lines
from ..policy._loader import bundled_policies, is_bundled_name, load_policy
from ..policy._model import Policy

USAGE_CODES = frozenset(
    {
        "ambiguous_policy",
        "bad_path",
        "file_not_found",
        "file_unreadable",
        "not_a_file",
        "stdin_closed",
        "unknown_policy",
    }
)
"""Problems with how the command was used (what was named cannot be found or read): exit 2."""


def load_named_policy(name: str) -> Policy:
    """A policy named on the command line: a bundled name, or a path.

    A plain name that is also a file or folder in the current directory is refused as
    ambiguous (`./name` means the file); a plain name that is only a file here is the file.
    """
    if is_bundled_name(name) and os.path.lexists(name):
        if name not in bundled_policies():
            return load_policy(os.path.join(os.curdir, name))
        raise PolicyError(
            [
                PolicyProblem(
                    "ambiguous_policy",
                    f"'{name}' is both a bundled policy and a file in this folder; write "
                    f"./{name} for the file, or run the command from another folder for the "
                    "bundled policy",
                    name,
                )
            ]
        )
    return load_policy(name)


def policy_or_exit_code(name: str, stderr: TextIO) -> Policy | int:
    """The policy named, or, where it cannot be loaded, its problems reported on `stderr` and
    the exit status they call for."""
    try:
        return load_named_policy(name)
    except PolicyError as error:
        report(stderr, error.problems)
        return exit_code(error.problems)


def exit_code(problems: Sequence[PolicyProblem | HistoryProblem]) -> int:
    return 2 if any(p.code in USAGE_CODES for p in problems) else 1


def report(stream: TextIO, problems: Sequence[object], prefix: str = "") -> None:
    for line in report_lines(problems):
        stream.write(f"{prefix}{line}\n")


AS_OF_HELP = (
    "the moment to evaluate at, ISO 8601 with its offset, such as 2026-12-22T12:00:00+00:00: "
    "events after it are left out, and an item whose deadline is before it is overdue. "
    "Without --as-of every event counts and nothing is judged overdue: overdue is null in "
    "JSON and 'not judged' in text"
)


def read_as_of(text: str | None) -> tuple[dt.datetime | None, HistoryProblem | None]:
    """--as-of as the evaluator reads `as_of`: the moment, or the problem with it."""
    if text is None:
        return None, None
    from ..history._events import aware_time  # here: only commands that evaluate need it

    try:
        return aware_time(text), None
    except ValueError as error:
        return None, HistoryProblem(getattr(error, "type", "invalid_as_of"), f"--as-of: {error}")
