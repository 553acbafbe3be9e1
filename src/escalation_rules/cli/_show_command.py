"""`escalation-rules show POLICY [--format markdown|html] [--output PATH]`."""

from __future__ import annotations

import argparse
from typing import TextIO

from .._errors import PolicyError
from .._text import printable
from ..authoring._html import html
from ..authoring._markdown import markdown
from ._common import exit_code, load_named_policy, report


def show_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    try:
        policy = load_named_policy(args.policy)
    except PolicyError as error:
        report(stderr, error.problems)
        return exit_code(error.problems)
    text = html(policy) if args.format == "html" else markdown(policy)
    if args.output is None:
        stdout.write(text)
        return 0
    try:
        with open(args.output, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except OSError as error:
        stderr.write(
            printable(f"escalation-rules: cannot write {args.output} ({error.strerror or error})")
            + "\n"
        )
        return 2
    return 0
