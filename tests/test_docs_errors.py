"""docs/errors.md lists every code the library can report, and only those.

The codes are read from the source: the first argument of the problem and refusal types (and
of the YAML reader's `report`, the evaluator's `warned`), the code of a whole-policy `Finding`,
the code a scenario or policy `_problem` or a batch `_refused` is given, and the codes
`_messages` rewrites pydantic's errors into.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import escalation_rules

PACKAGE = Path(escalation_rules.__file__).parent
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "errors.md"

CODE_AT = {
    "HistoryProblem": 0,
    "PolicyProblem": 0,
    "Refusal": 0,
    "PydanticCustomError": 0,
    "FileRefusal": 0,
    "report": 0,
    "warned": 0,
    "_not_listed": 0,
    "Finding": 1,
    "_refused": 2,
    "_problem": 3,
    "_Draft": 1,
}
INTERNAL = {"stage_missing_field"}
"""Raised inside the model and rewritten before it reaches anyone (as `missing_field`)."""


def _code(node: ast.AST) -> str | None:
    value = node.value if isinstance(node, ast.Constant) else None
    if isinstance(value, str) and re.fullmatch(r"[a-z][a-z0-9_]*", value):
        return value
    return None


def reported_codes() -> set[str]:
    found: set[str] = set()
    for file in PACKAGE.rglob("*.py"):
        if "testing" in file.relative_to(PACKAGE).parts:
            continue  # the testing kit's names for ways of breaking, not codes
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
                at = CODE_AT.get(name or "")
                if at is not None and len(node.args) > at and (code := _code(node.args[at])):
                    found.add(code)
            elif (
                file.name == "_messages.py"
                and isinstance(node, ast.Return)
                and isinstance(node.value, ast.Tuple)
                and len(node.value.elts) == 2
                and (code := _code(node.value.elts[0]))
            ):
                found.add(code)
    return found - INTERNAL


def documented_codes() -> set[str]:
    if not GUIDE.exists():
        pytest.skip("docs/errors.md is not in this checkout")
    text = GUIDE.read_text(encoding="utf-8")
    return set(re.findall(r"^\| `([a-z][a-z0-9_]*)` \|", text, re.M))


def test_the_source_is_read() -> None:
    codes = reported_codes()
    assert {"naive_time", "skip_not_allowed", "yaml_syntax", "duplicate_id"} <= codes
    assert len(codes) > 90


def test_every_code_is_documented() -> None:
    assert sorted(reported_codes() - documented_codes()) == []


def test_nothing_documented_that_cannot_be_reported() -> None:
    assert sorted(documented_codes() - reported_codes()) == []
