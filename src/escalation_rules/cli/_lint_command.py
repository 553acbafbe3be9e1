"""`escalation-rules lint POLICY [--document TEXT] [--format text|json]`."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from .._errors import PolicyError
from .._files import FileRefusal, read_limited
from .._text import printable
from ..authoring._lint import lint
from ._common import exit_code, report

_MAX_DOCUMENT = 20 * 1024 * 1024
"""The largest document lint reads: far above any partnership's procedure."""


def lint_command(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Exit 0 when there is no warning (notes allowed), 1 when there is one or the policy does
    not load, 2 when the document cannot be read."""
    document = None
    if args.document is not None:
        try:
            document = read_limited(args.document, _MAX_DOCUMENT, "document").decode(
                "utf-8-sig", errors="replace"
            )
        except FileRefusal as refusal:
            stderr.write(printable(f"escalation-rules: {args.document}: {refusal.message}") + "\n")
            return 2
    try:
        findings = lint(args.policy, document, args.document or "the document")
    except PolicyError as error:
        report(stderr, error.problems)
        return exit_code(error.problems)
    if args.format == "json":
        stdout.write(json.dumps([f.as_json() for f in findings], indent=2) + "\n")
    else:
        for finding in findings:
            stdout.write(f"{finding}\n")
        warnings = sum(f.severity == "warning" for f in findings)
        notes = len(findings) - warnings
        stdout.write(f"{warnings} warning(s), {notes} note(s)\n")
    return 1 if any(f.severity == "warning" for f in findings) else 0
