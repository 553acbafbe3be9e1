"""`escalation-rules evaluate-many`: a file of escalations in, one JSON result a line out.

Standard output (or `--output`) gets exactly one line per escalation of the input, in its
order: `{"id", "result"}` or `{"id", "line", "error"}`. Standard error gets a progress bar
when it is a terminal, and a closing count. Exit 0 when every escalation was evaluated, 1
when any was refused (or the policy was), 2 when the command was used wrongly.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from typing import IO, Any, TextIO, cast

from tqdm import tqdm

from .._errors import HistoryError
from .._files import FileRefusal, open_regular
from .._text import printable
from ..batch._records import Record, read_csv, read_json_lines
from ..batch._run import evaluate_many_lines
from ._common import policy_or_exit_code, read_as_of, report


def evaluate_many_command(
    args: argparse.Namespace, stdout: TextIO, stderr: TextIO, stdin: TextIO | None
) -> int:
    if args.jobs < 1:
        stderr.write(f"evaluate-many: --jobs is at least 1, not {args.jobs}\n")
        return 2
    as_of, problem = read_as_of(args.as_of)
    if problem is not None:
        stderr.write(printable(f"evaluate-many: {problem.message}") + "\n")
        return 2
    policy = policy_or_exit_code(args.policy, stderr)
    if isinstance(policy, int):
        return policy
    try:
        source, size, owned = _input(args.file, stdin)
    except FileRefusal as refusal:
        stderr.write(printable(f"{args.file}: {refusal.code}: {refusal.message}") + "\n")
        return 2
    as_csv = args.input_format == "csv" or (
        args.input_format is None and args.file.lower().endswith(".csv")
    )
    with contextlib.ExitStack() as stack:
        if owned:
            stack.enter_context(source)
        try:
            write = (
                _writer(stdout)
                if args.output is None
                else stack.enter_context(open(args.output, "wb")).write
            )
        except OSError as error:
            stderr.write(
                printable(f"{args.output}: cannot be written ({error.strerror or error})") + "\n"
            )
            return 2
        bar = stack.enter_context(
            tqdm(
                total=size,
                unit="B",
                unit_scale=True,
                file=stderr,
                disable=not _is_terminal(stderr),
                desc="evaluating",
            )
        )
        records = _counted(read_csv(source) if as_csv else read_json_lines(source), source, bar)
        evaluated = refused = 0
        try:
            for block in evaluate_many_lines(policy, records, as_of=as_of, jobs=args.jobs):
                write(block.text)
                evaluated += block.evaluated
                refused += block.refused
        except HistoryError as error:  # only an as_of the batch cannot use
            report(stderr, error.problems)
            return 2
    total = evaluated + refused
    stderr.write(f"{total:,} escalations: {evaluated:,} evaluated, {refused:,} refused\n")
    return 1 if refused else 0


def _writer(stdout: TextIO) -> Callable[[bytes], object]:
    """Writes JSON Lines, which are UTF-8 whatever the locale, to standard output: as bytes
    where it has them beneath its text (written in order after any text it holds)."""
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:
        return lambda text: stdout.write(text.decode("utf-8"))
    stdout.flush()
    return cast(Callable[[bytes], object], buffer.write)


def _input(name: str, stdin: TextIO | None) -> tuple[IO[bytes], int | None, bool]:
    """The input, its size where known, and whether it is ours to close."""
    if name != "-":
        stream, size = open_regular(name, "file of escalations")
        return stream, size, True
    buffer = getattr(stdin, "buffer", None)
    if stdin is None or stdin.closed or buffer is None:
        raise FileRefusal(
            "stdin_closed", "standard input is closed; give the file of escalations instead"
        )
    return buffer, None, False


def _counted(records: Iterator[Record], source: IO[bytes], bar: Any) -> Iterator[Record]:
    """The records, moving the progress bar to how far into the input they have read."""
    for count, record in enumerate(records, start=1):
        if not bar.disable and count % 64 == 0:
            with contextlib.suppress(OSError, ValueError):
                bar.update(source.tell() - bar.n)
            bar.set_postfix_str(f"{count:,} escalations", refresh=False)
        yield record


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
