"""`escalation-rules test FOLDER...`: run scenario files, and say what each one got."""

from __future__ import annotations

import argparse
import os
from typing import TextIO

from .._errors import MAX_REPORTED
from .._text import printable
from ..policy._model import Policy
from ..scenarios._expectations import as_text, written, yaml_text
from ..scenarios._runner import ScenarioRun, run_folder
from ._common import policy_or_exit_code


def test_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    passed = failed = 0
    policy: Policy | None = None
    if args.policy is not None:
        # Named as every command names a policy: a name that is also a file here is ambiguous.
        loaded = policy_or_exit_code(args.policy, stderr)
        if isinstance(loaded, int):
            return loaded
        policy = loaded
    for folder in args.folders:
        if not os.path.lexists(folder):
            stderr.write(printable(f"escalation-rules: no such file or folder: {folder}") + "\n")
            return 2
        for run in run_folder(folder, policy):
            if run.failures:
                failed += 1
                stdout.write(f"FAIL {_title(run)}\n")
                for failure in run.failures[:MAX_REPORTED]:
                    stdout.write(f"    {printable(failure)}\n")
                if len(run.failures) > MAX_REPORTED:
                    stdout.write(f"    ... and {len(run.failures) - MAX_REPORTED:,} more\n")
                _beside(run, stdout, everything=args.show)
            else:
                passed += 1
                if args.show or not args.quiet:
                    stdout.write(f"PASS {_title(run)}\n")
                if args.show:
                    _beside(run, stdout, everything=True)
    stdout.write(f"{passed} passed, {failed} failed\n")
    return 1 if failed or not passed else 0


def _title(run: ScenarioRun) -> str:
    if run.scenario is None:
        return printable(f"{run.path}:{run.line}: cannot be read")
    title = run.scenario.note.splitlines()[0]
    return printable(f"{run.path}:{run.line}: {title} [{run.scenario.source}]")


def _beside(run: ScenarioRun, stdout: TextIO, everything: bool) -> None:
    """What was expected and what the evaluation gave, in the shape of `expect:`: on a
    failure, the fields the scenario wrote; with --show, every field."""
    if run.evaluation is None or run.scenario is None:
        return
    expect = run.scenario.expect
    if expect is not None and not everything:
        shown = as_text(expect.model_dump(exclude_unset=True))
        stdout.write("    expected:\n" + _indented(yaml_text(shown)))
        stdout.write("    got:\n" + _indented(written(run.evaluation, expect.model_fields_set)))
    elif everything:
        stdout.write("    got:\n" + _indented(written(run.evaluation)))


def _indented(text: str) -> str:
    return "".join(f"      {printable(line)}\n" for line in text.splitlines())
