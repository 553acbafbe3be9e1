"""The command line: `escalation-rules validate | evaluate | evaluate-many | schema | test |
init`.

`run(argv, stdout, stderr)` returns the exit code and writes only to the streams it is given,
so tests drive it without a subprocess. Exit codes: 0 success, 1 the input was refused (a
policy or history error), 2 the command was used wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from .._errors import (
    HistoryError,
    HistoryProblem,
    PolicyError,
    PolicyProblem,
)
from .._files import FileRefusal, read_limited
from .._text import printable, printable_lines
from ._common import AS_OF_HELP, exit_code, load_named_policy, read_as_of, report
from ._schema_text import SCHEMAS, schema_text

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
    linting = commands.add_parser(
        "lint",
        help="warnings a careful reviewer would give about a policy that loads; exit 1 on any",
    )
    linting.add_argument("policy", metavar="POLICY", help="a bundled policy name or a YAML file")
    linting.add_argument(
        "--document",
        metavar="TEXT",
        help="the partnership's document as plain text: every source: must name a paragraph "
        "or heading of it, and each number of days or hours it gives that no timescale uses "
        "is listed as a note",
    )
    linting.add_argument("--format", choices=("text", "json"), default="text")
    showing = commands.add_parser(
        "show",
        help="a readable page of a policy, with a flowchart, to check against the document",
    )
    showing.add_argument("policy", metavar="POLICY", help="a bundled policy name or a YAML file")
    showing.add_argument(
        "--format",
        choices=("markdown", "html"),
        default="markdown",
        help="markdown (with a Mermaid flowchart) or html (one self-contained file that "
        "prints on A4); default markdown",
    )
    showing.add_argument("--output", "-o", metavar="PATH", help="write here, not to stdout")
    ev = commands.add_parser("evaluate", help="evaluate an escalation history against a policy")
    ev.add_argument("policy", metavar="POLICY", help="a bundled policy name or a YAML file")
    ev.add_argument("history", metavar="HISTORY", help="a JSON array of events, or - for stdin")
    ev.add_argument("--as-of", dest="as_of", metavar="ISO", help=AS_OF_HELP)
    ev.add_argument("--format", choices=("text", "json"), default="text")
    story = commands.add_parser(
        "explain",
        help="tell the story of an escalation in plain English: what happened, how each "
        "deadline was counted, what is due now",
    )
    story.add_argument("policy", metavar="POLICY", help="a bundled policy name or a YAML file")
    story.add_argument("history", metavar="HISTORY", help="a JSON array of events, or - for stdin")
    story.add_argument("--as-of", dest="as_of", metavar="ISO", help=AS_OF_HELP)
    many = commands.add_parser(
        "evaluate-many",
        help="evaluate every escalation of a JSON Lines or CSV file, one JSON result a line",
    )
    many.add_argument("policy", metavar="POLICY", help="a bundled policy name or a YAML file")
    many.add_argument(
        "file",
        metavar="FILE",
        help='JSON Lines ({"id": ..., "events": [...]} a line), or a CSV of events with an '
        "escalation_id column; - for standard input",
    )
    many.add_argument(
        "--input-format",
        choices=("jsonl", "csv"),
        help="how FILE is written (by default: csv for a .csv file, else jsonl)",
    )
    many.add_argument("--output", "-o", metavar="PATH", help="write the results here")
    many.add_argument("--as-of", dest="as_of", metavar="ISO", help=AS_OF_HELP)
    many.add_argument(
        "--jobs", "-j", type=int, default=1, metavar="N", help="worker processes (default 1)"
    )
    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a policy, a scenario file or a history"
    )
    schema.add_argument(
        "--for",
        dest="schema_for",
        choices=SCHEMAS,
        default="policy",
        help="which format (default: policy); the same as the files under schema/",
    )
    init = commands.add_parser(
        "init", help="write a commented starter policy NAME.yaml and its scenario file"
    )
    init.add_argument("name", metavar="NAME", help="the new policy's id, such as north_shire")
    init.add_argument(
        "--into", metavar="FOLDER", default=".", help="where to write them (default: here)"
    )
    test = commands.add_parser("test", help="run a folder of scenario files; exit 1 on a failure")
    test.add_argument("folders", nargs="+", metavar="FOLDER", help="scenario files or folders")
    test.add_argument(
        "--policy", metavar="POLICY", help="check every scenario against this policy instead"
    )
    test.add_argument("--quiet", "-q", action="store_true", help="print failures only")
    test.add_argument(
        "--show",
        action="store_true",
        help="print what the evaluation of every scenario gave, in the shape of expect:",
    )
    return parser


def run(argv: Sequence[str], stdout: TextIO, stderr: TextIO, stdin: TextIO | None = None) -> int:
    try:
        args = _parser(stdout).parse_args(list(argv))
    except _UsageError as usage:
        stderr.write(f"{printable_lines(str(usage))}\n")
        return 2
    except SystemExit:  # --help printed by argparse to sys.stdout
        return 0
    # Each command imports what it needs when it runs: a person at a terminal checking a
    # policy should not wait for the evaluation's, the batch's or the pages' modules.
    if args.command == "validate":
        return _validate(args.policies, stdout, stderr)
    if args.command == "test":
        from ._scenario_command import test_command

        return test_command(args, stdout, stderr)
    if args.command == "schema":
        stdout.write(schema_text(args.schema_for))
        return 0
    if args.command == "show":
        from ._show_command import show_command

        return show_command(args, stdout, stderr)
    if args.command == "lint":
        from ._lint_command import lint_command

        return lint_command(args, stdout, stderr)
    if args.command == "init":
        from ._starter import write_starter

        return write_starter(args.name, args.into, stdout, stderr)
    if args.command == "evaluate-many":
        from ._batch import evaluate_many_command

        return evaluate_many_command(args, stdout, stderr, stdin)
    return _evaluate(args, stdout, stderr, stdin if stdin is not None else sys.stdin)


def _validate(paths: Sequence[str], stdout: TextIO, stderr: TextIO) -> int:
    code = 0
    for path in paths:
        try:
            policy = load_named_policy(path)
        except PolicyError as error:
            code = max(code, exit_code(error.problems))
            report(stderr, error.problems)
            continue
        stages = sum(len(p.stages) for p in policy.pathways)
        stdout.write(
            printable(
                f"{path}: valid ({policy.id}: {len(policy.pathways)} pathway(s), {stages} stage(s))"
            )
            + "\n"
        )
    return code


def _evaluate(args: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO) -> int:
    """`evaluate`, and `explain`, which reads the same arguments and tells the story instead."""
    from ..evaluation._evaluator import evaluate
    from ..evaluation._story import explain
    from ..history._json import history_from_json
    from ._render import render_text

    as_json = getattr(args, "format", "text") == "json"
    as_of, problem = read_as_of(args.as_of)
    if problem is not None:
        return _fail(stdout, stderr, "usage", [problem], 2, as_json)
    try:
        policy = load_named_policy(args.policy)
    except PolicyError as error:
        return _fail(stdout, stderr, "policy", error.problems, exit_code(error.problems), as_json)
    name = "<stdin>" if args.history == "-" else args.history
    try:
        raw = _read_history(args.history, stdin)
        if args.command == "explain":
            stdout.write(explain(policy, history_from_json(raw), as_of=as_of))
            return 0
        result = evaluate(policy, history_from_json(raw), as_of=as_of)
    except HistoryError as error:
        return _fail(
            stdout, stderr, "history", error.problems, exit_code(error.problems), as_json, name
        )
    if as_json:
        stdout.write(json.dumps(result.model_dump(mode="json"), indent=2) + "\n")
    else:
        stdout.write(render_text(policy, result))
    return 0


def _fail(
    stdout: TextIO,
    stderr: TextIO,
    kind: str,
    problems: Sequence[PolicyProblem | HistoryProblem],
    code: int,
    as_json: bool,
    source: str | None = None,
) -> int:
    """Report problems: as text on standard error, and with --format json also as one JSON
    document on standard output, so that a program reading the output gets them too."""
    report(stderr, problems, prefix="" if source is None else printable(f"{source}: "))
    if as_json:
        from ._render import error_json

        stdout.write(json.dumps(error_json(kind, problems, source), indent=2) + "\n")
    return code


def _read_history(source: str, stdin: TextIO | None) -> str | bytes:
    if source != "-":
        try:
            return read_limited(source, MAX_HISTORY_BYTES, "history")
        except FileRefusal as refusal:
            raise HistoryError([HistoryProblem(refusal.code, refusal.message)]) from None
    if stdin is None or stdin.closed:
        raise HistoryError(
            [
                HistoryProblem(
                    "stdin_closed",
                    "standard input is closed, so there is no history to read; give the "
                    "history's file, or send it to standard input",
                )
            ]
        )
    try:
        buffer = getattr(stdin, "buffer", None)
        data: str | bytes = (
            buffer.read(MAX_HISTORY_BYTES + 1)
            if buffer is not None
            else stdin.read(MAX_HISTORY_BYTES + 1)
        )
    except (OSError, ValueError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        raise HistoryError(
            [HistoryProblem("file_unreadable", f"cannot read standard input: {reason}")]
        ) from None
    if len(data) > MAX_HISTORY_BYTES:
        raise HistoryError(
            [
                HistoryProblem(
                    "too_large",
                    f"a history is at most {MAX_HISTORY_BYTES // (1024 * 1024)} MiB; "
                    "check that this is the history",
                )
            ]
        )
    return data


def main() -> None:
    """The console script: `run` on the process's streams, made safe for what they may be.

    Standard output may be closed (`>&-`), full (`> /dev/full`) or a pipe whose reader has
    gone (`| head -c1`); a terminal may refuse characters its encoding lacks. None of these
    may end in a traceback: the output is dropped, a line says why, and the exit code is 2.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    if sys.stdout is None:
        _say("escalation-rules: standard output is closed; nothing can be printed")
        sys.exit(2)
    try:
        code = run(sys.argv[1:], sys.stdout, sys.stderr or io.StringIO(), sys.stdin)
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_output()
        sys.exit(2)
    except OSError as error:
        _drop_output()
        _say(f"escalation-rules: the output cannot be written ({error.strerror or error})")
        sys.exit(2)
    sys.exit(code)


def _drop_output() -> None:
    # Whatever is still buffered would fail again when Python flushes at exit.
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(devnull, sys.stdout.fileno())


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(message + "\n")
        sys.stderr.flush()
