"""`escalation-rules show POLICY [--format markdown|html] [--output PATH]`."""

from __future__ import annotations

import argparse
from typing import TextIO

from .._text import printable
from ..authoring._html import html
from ..authoring._markdown import markdown
from ._common import policy_or_exit_code


def show_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    policy = policy_or_exit_code(args.policy, stderr)
    if isinstance(policy, int):
        return policy
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
