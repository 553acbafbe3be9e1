"""Reading a history from JSON text, strictly: the limits checked before parsing, then
duplicate keys, NaN and Infinity refused, then every event read by `parse_events`."""

from __future__ import annotations

import json
import re
from typing import Any

from .._errors import HistoryError, HistoryProblem
from .._text import excerpt
from ._events import MAX_EVENTS, Event
from ._reading import parse_events

__all__ = ["MAX_CONTAINERS", "history_from_json", "strict_json"]


MAX_CONTAINERS = 2 * MAX_EVENTS + 1
"""Brackets a history can need: the array, then per event its object and its `dates`."""


def history_from_json(text: str | bytes) -> tuple[Event, ...]:
    """Read a history from JSON text, strictly: duplicate keys, NaN and Infinity are refused.

    A UTF-8 byte-order mark at the start is allowed, as editors on Windows write one.
    """
    return parse_events(strict_json(text))


def strict_json(text: str | bytes, wrappers: int = 0) -> Any:
    """JSON text as Python values, read as a history is: UTF-8, at most the containers a
    history can hold (and `wrappers` more, for objects around it), no duplicate keys, no NaN
    or Infinity. Raises HistoryError with code `not_utf8`, `history_too_long` or
    `invalid_json`."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise HistoryError(
                [
                    HistoryProblem(
                        "not_utf8",
                        f"the history is not UTF-8 text (byte {error.start:,} is not); save it "
                        "with the UTF-8 encoding",
                    )
                ]
            ) from None
    text = text.removeprefix("\ufeff")
    _check_containers(text, wrappers)
    try:
        raw = json.loads(
            text,
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constant,
        )
    except _JsonRefusal as refusal:
        raise HistoryError([HistoryProblem("invalid_json", str(refusal))]) from None
    except json.JSONDecodeError as error:
        raise HistoryError(
            [
                HistoryProblem(
                    "invalid_json",
                    f"line {error.lineno} column {error.colno}: {error.msg}",
                )
            ]
        ) from None
    except (ValueError, RecursionError) as error:  # also a number too long for an int
        raise HistoryError(
            [HistoryProblem("invalid_json", f"the text cannot be read as JSON: {error}")]
        ) from None
    return raw


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def _check_containers(text: str, wrappers: int) -> None:
    """Refuse, before parsing, a text with more arrays and objects than a history can hold.

    Millions of `[]` would otherwise all be built (gigabytes) before the event count is
    checked. Brackets inside strings do not count; this is a count, so it is linear.
    """
    limit = MAX_CONTAINERS + wrappers
    if text.count("[") + text.count("{") <= limit:
        return
    outside = _STRING.sub("", text)
    found = outside.count("[") + outside.count("{")
    if found > limit:
        raise HistoryError(
            [
                HistoryProblem(
                    "history_too_long",
                    f"the text holds {found:,} arrays and objects; a history of at most "
                    f"{MAX_EVENTS:,} events holds at most {MAX_CONTAINERS:,}",
                )
            ]
        )


class _JsonRefusal(ValueError):
    pass


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) == len(pairs):
        return out
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise _JsonRefusal(f"the key '{excerpt(key)}' appears twice in one object; keep one")
        seen.add(key)
    raise AssertionError("a dict shorter than its pairs has a key twice")


def _no_constant(name: str) -> Any:
    raise _JsonRefusal(f"{name} is not a JSON number; JSON has no {name}")
