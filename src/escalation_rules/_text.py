"""Showing outside text safely: escaped for a terminal, and quoted short.

What a user or a file gives us (a note, an id, a YAML key, a path, a value that was refused)
may hold a newline, a terminal escape sequence, a bidirectional override or a lone surrogate,
and may be megabytes long. Printed as it is, a note could forge a line of a report
(`Status: resolved`), recolour or clear the terminal, or flood standard error. So every report
escapes such characters, and every message quotes at most a short excerpt of what it refuses.
"""

from __future__ import annotations

import re
import reprlib

__all__ = ["MAX_QUOTED", "excerpt", "printable", "printable_lines", "short_repr"]

MAX_QUOTED = 60
"""The most characters of a refused value that a message quotes."""

# C0 and C1 controls (newline and tab among them), DEL, the line and paragraph separators,
# the bidirectional controls, and lone surrogates (from a path or JSON that is not Unicode).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every control, separator, bidirectional and surrogate character escaped,
    so that it shows as one line of plain characters wherever it is printed."""
    return _UNSAFE.sub(_escape, text)


def printable_lines(text: str) -> str:
    """`text` made printable line by line, keeping its own line breaks."""
    return "\n".join(printable(line) for line in text.split("\n"))


def excerpt(text: str, limit: int = MAX_QUOTED) -> str:
    """At most `limit` characters of `text`, escaped, with the length of what was left out."""
    if len(text) <= limit:
        return printable(text)
    return f"{printable(text[:limit])}... ({len(text):,} characters in all)"


_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = MAX_QUOTED
_REPR.maxother = MAX_QUOTED
_REPR.maxlong = 40
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 4


def short_repr(value: object) -> str:
    """A short, escaped repr of any value, however deep or large: never recurses far, never
    converts a huge integer to text in full."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * 0.30103):,} digits"
    try:
        text = _REPR.repr(value)
    except (RecursionError, ValueError):
        text = f"a {type(value).__name__}"
    return printable(text)
