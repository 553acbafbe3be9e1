"""The command line: `escalation-rules validate | evaluate | schema | test`.

`run(argv, stdout, stderr)` returns the exit code and writes only to the streams it is given,
so tests drive it without a subprocess. Exit codes: 0 success, 1 the input was refused (a
policy or history error), 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from .._errors import EscalationRulesError, HistoryError, HistoryProblem, PolicyError
from ..evaluation._evaluator import evaluate
from ..history._events import aware_time, history_from_json
from ..policy._loader import load_policy
from ..policy._schema import policy_schema
from ..scenarios._runner import run_folder
from ._render import render_text

MAX_HISTORY_BYTES = 16 * 1024 * 1024


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors by raising, instead of exiting the process."""

    out: TextIO = sys.stdout

    def _print_message(self, message: str, file: object = None) -> None:
        if message:
            self.out.write(message)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.format_usage()}{self.prog}: error: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _UsageError(message or "") if status else SystemExit(0)


def _parser(stdout: TextIO) -> _Parser:
    class _BoundParser(_Parser):
        out = stdout

    parser_class = _BoundParser
    parser = parser_class(
        prog="escalation-rules",
        description="Evaluate escalations against safeguarding partnership policies.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=parser_class)
    validate = commands.add_parser("validate", help="check policy files; exit 1 on any error")
    validate.add_argument("policies", nargs="+", metavar="POLICY")
    ev = commands.add_parser("evaluate", help="evaluate an escalation history against a policy")
    ev.add_argument("policy", metavar="POLICY", help="a bundled policy name or a YAML file")
    ev.add_argument("history", metavar="HISTORY", help="a JSON array of events, or - for stdin")
    ev.add_argument("--as-of", dest="as_of", metavar="ISO", help="evaluate as it stood then")
    ev.add_argument("--format", choices=("text", "json"), default="text")
    commands.add_parser("schema", help="print the JSON Schema of the policy format")
    test = commands.add_parser("test", help="run a folder of scenario files; exit 1 on a failure")
    test.add_argument("folders", nargs="+", metavar="FOLDER", help="scenario files or folders")
    test.add_argument(
        "--policy", metavar="POLICY", help="check every scenario against this policy instead"
    )
    test.add_argument("--quiet", "-q", action="store_true", help="print failures only")
    return parser


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO, stdin: TextIO | None = None) -> int:
    try:
        args = _parser(stdout).parse_args(list(argv))
    except _UsageError as usage:
        stderr.write(f"{usage}\n")
        return 2
    except SystemExit:  # --help printed by argparse to sys.stdout
        return 0
    if args.command == "validate":
        return _validate(args.policies, stdout, stderr)
    if args.command == "test":
        return _test(args, stdout, stderr)
    if args.command == "schema":
        stdout.write(json.dumps(policy_schema(), indent=2, sort_keys=True) + "\n")
        return 0
    return _evaluate(args, stdout, stderr, stdin if stdin is not None else sys.stdin)


def _validate(paths: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    failed = False
    for path in paths:
        try:
            policy = load_policy(path)
        except PolicyError as error:
            failed = True
            for problem in error.problems:
                stderr.write(f"{problem}\n")
            continue
        stages = sum(len(p.stages) for p in policy.pathways)
        stdout.write(
            f"{path}: valid ({policy.id}: {len(policy.pathways)} pathway(s), {stages} stage(s))\n"
        )
    return 1 if failed else 0


def _test(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    passed = failed = 0
    for folder in args.folders:
        if not os.path.exists(folder):
            stderr.write(f"escalation-rules: no such file or folder: {folder}\n")
            return 2
        for path, line, scenario, failures in run_folder(folder, args.policy):
            title = scenario.note.splitlines()[0] if scenario else "the file cannot be read"
            source = f" [{scenario.source}]" if scenario else ""
            if failures:
                failed += 1
                stdout.write(f"FAIL {path}:{line}: {title}{source}\n")
                for failure in failures:
                    stdout.write(f"    {failure}\n")
            else:
                passed += 1
                if not args.quiet:
                    stdout.write(f"PASS {path}:{line}: {title}{source}\n")
    stdout.write(f"{passed} passed, {failed} failed\n")
    return 1 if failed or not passed else 0


def _evaluate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO) -> int:
    as_of = None
    if args.as_of is not None:
        try:
            as_of = aware_time(args.as_of)
        except ValueError as error:
            stderr.write(f"escalation-rules: --as-of: {_first_line(error)}\n")
            return 2
    try:
        policy = load_policy(args.policy)
    except PolicyError as error:
        for problem in error.problems:
            stderr.write(f"{problem}\n")
        return 1
    name = "<stdin>" if args.history == "-" else args.history
    try:
        text = _read_history(args.history, stdin)
        result = evaluate(policy, history_from_json(text), as_of=as_of)
    except HistoryError as error:
        for history_problem in error.problems:
            stderr.write(f"{name}: {history_problem}\n")
        return 1
    except EscalationRulesError as error:
        stderr.write(f"{name}: {error}\n")
        return 1
    if args.format == "json":
        stdout.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    else:
        stdout.write(render_text(policy, result))
    return 0


def _read_history(source: str, stdin: TextIO) -> str:
    try:
        if source == "-":
            text = stdin.read(MAX_HISTORY_BYTES + 1)
        else:
            with open(source, encoding="utf-8") as handle:
                text = handle.read(MAX_HISTORY_BYTES + 1)
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise HistoryError(
            [HistoryProblem("unreadable_history", f"cannot read the history: {reason}")]
        ) from None
    if len(text) > MAX_HISTORY_BYTES:
        raise HistoryError(
            [
                HistoryProblem(
                    "history_too_large",
                    f"a history file is at most {MAX_HISTORY_BYTES // (1024 * 1024)} MiB",
                )
            ]
        )
    return text


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0]


def main() -> None:
    sys.exit(run(sys.argv[1:], sys.stdout, sys.stderr, sys.stdin))
