"""The YAML parser's complaints, in words a policy author knows.

PyYAML says `expected <block end>, but found '<block mapping start>'`; an author needs to hear
that a line is indented out of step with the lines above it, and where that line starts.
"""

from __future__ import annotations

from typing import Any

Position = tuple[int, int]


def syntax_message(
    mark: Any, context: str | None, problem: str | None
) -> tuple[str, Position | None]:
    """The message for a syntax error at `mark`, and where it should point: the start of the
    misaligned line, or None to point where the parser stopped."""
    what = " ".join(part for part in (context, problem) if part)
    misaligned = _misaligned(mark, what)
    if misaligned is not None:
        return misaligned
    hint = next(
        (hint for key, hint in _SYNTAX_HINTS if key in what),
        "check the indentation and punctuation of this line and the line before",
    )
    return f"this is not valid YAML ({what}); {hint}", None


_SYNTAX_HINTS = (
    ("'\\t'", "indent with spaces; YAML does not allow tab characters here"),
    ("mapping values are not allowed", "a value that contains ': ' must be put in quotes"),
    (
        "could not find expected ':'",
        "write each field as `name: value`, and put in quotes a value that runs over several lines",
    ),
    (
        "expected <block end>",
        "line the fields of one mapping up in the same column, and start each list item with '- '",
    ),
    ("did not find expected key", "line the fields of one mapping up in the same column"),
    ("end of stream", "a quote or bracket is opened and not closed; close it"),
    ("expected ',' or ']'", "separate the items of a [list] with commas, and close it with ]"),
    ("expected ',' or '}'", "separate the items of a {mapping} with commas, and close it with }"),
)


def _misaligned(mark: Any, what: str) -> tuple[str, Position] | None:
    """The parser's complaint about a line indented out of step with the lines above it, in
    words an author knows, or None when the mistake is not one of indentation."""
    buffer = getattr(mark, "buffer", None)
    if mark is None or not isinstance(buffer, str):
        return None
    lines = buffer.split("\n")
    if not 0 <= mark.line < len(lines):
        return None
    line = lines[mark.line]
    column = len(line) - len(line.lstrip(" "))
    above = next(
        (
            text
            for text in reversed(lines[: mark.line])
            if text.strip() and not text.lstrip().startswith("#")
        ),
        None,
    )
    if above is None:
        return None
    field_column = len(above) - len(above.lstrip(" "))
    if above.lstrip().startswith("- "):  # the fields of a list item start after its dash
        field_column += 2
    here = f"this line starts in column {column + 1}"
    start = (mark.line + 1, column + 1)
    if "mapping values are not allowed" in what and column > field_column:
        if above.rstrip().endswith(":"):
            return None
        return (
            f"{here}, further in than the field on the line above it (column "
            f"{field_column + 1}), which already has a value; line the fields of one mapping "
            "up in the same column, or, if this text is part of that value, put it in quotes",
            start,
        )
    if "expected <block end>" in what or "did not find expected key" in what:
        return (
            f"{here}, out of line with the fields above it: the fields of one mapping start in "
            "the same column, and each item of a list starts with '- ' in the same column as "
            "the other items",
            start,
        )
    return None
