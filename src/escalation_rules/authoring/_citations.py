"""Whether a policy's `source:` citations name something its partnership's document has, and
which numbers of days or hours the document gives that no timescale of the policy uses."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from ..policy._model import Policy
from ..time._timescales import CalendarDays, Hours, WorkingDays

FieldPath = tuple[str | int, ...]

_NUMBERED = re.compile(
    r"^(?:(?:section|paragraph|para)\s+)?(?P<number>\d+(?:\.\d+)*)(?:\.(?P<roman>[IVX]+))?$",
    re.IGNORECASE,
)


def sources(value: object, path: FieldPath = ()) -> Iterator[tuple[FieldPath, str | None]]:
    """Every (path, source) of a policy, for every part of it that has a `source` field."""
    if isinstance(value, BaseModel):
        if "source" in type(value).model_fields:
            yield path, value.source  # type: ignore[attr-defined]
        for name in type(value).model_fields:
            yield from sources(getattr(value, name), (*path, name))
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from sources(item, (*path, index))


def cited_in(document: str, source: str) -> bool:
    """Whether a citation (`"5.1.II"`, `"Stage 4"`, `"2.4, 2.5"`) names only things the
    document has: each numbered paragraph where the document numbers one, each other part
    (a heading, "Appendix One") as words of the document, in any case."""
    parts = [p.strip() for p in re.split(r",|;|\band\b", source) if p.strip()]
    return bool(parts) and all(_part_cited(document, part) for part in parts)


def _part_cited(document: str, part: str) -> bool:
    match = _NUMBERED.match(part)
    if match is None:
        return " ".join(part.split()).casefold() in _folded(document)
    number = re.escape(match["number"])
    # A paragraph number as documents write it: "5.1", "- 1.5", "## **2." or "2. Heading".
    if not re.search(rf"(?m)(^|[\s*#(\-])({number})(\.|\s|\*|$)", document):
        return False
    roman = match["roman"]
    return roman is None or re.search(rf"(?m)^\s*[-*]?\s*{roman}\.", document) is not None


@functools.lru_cache(maxsize=4)
def _folded(document: str) -> str:
    """The document with its spacing made single and its case folded, once per document
    rather than once per citation."""
    return " ".join(document.split()).casefold()


_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fourteen": 14,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_TIMESPAN = re.compile(
    r"\b(?P<n>\d{1,3}|" + "|".join(_WORDS) + r")(?:\s*\(\d{1,3}\))?[\s-]+"
    r"(?P<kind>working\s+|calendar\s+|school\s+|business\s+)?(?P<unit>days?|hours?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Timespan:
    """A number of days or hours the document gives, where it first gives it."""

    number: int
    unit: str
    """`day` or `hour`."""
    words: str
    line: int


def timespans(document: str) -> list[Timespan]:
    """Each distinct number of days or hours the document gives, at its first mention."""
    found: dict[tuple[int, str], Timespan] = {}
    for match in _TIMESPAN.finditer(document):
        raw = match["n"].lower()
        number = _WORDS[raw] if raw in _WORDS else int(raw)
        unit = "hour" if match["unit"].lower().startswith("hour") else "day"
        line = document.count("\n", 0, match.start()) + 1
        found.setdefault((number, unit), Timespan(number, unit, " ".join(match[0].split()), line))
    return list(found.values())


def used_timespans(policy: Policy) -> set[tuple[int, str]]:
    """Every (number, `day` or `hour`) a timescale of the policy gives."""
    used: set[tuple[int, str]] = set()
    for value in _walk(policy):
        if isinstance(value, WorkingDays | CalendarDays):
            used.add((value.days, "day"))
        elif isinstance(value, Hours):
            used.add((value.hours, "hour"))
            if value.hours % 24 == 0:  # "2 days" may be written as 48 hours
                used.add((value.hours // 24, "day"))
    return used


def _walk(value: object) -> Iterator[object]:
    yield value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk(getattr(value, name))
    elif isinstance(value, tuple):
        for item in value:
            yield from _walk(item)
