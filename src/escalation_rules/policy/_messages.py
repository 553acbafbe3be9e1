"""Pydantic's validation errors and the whole-policy findings, rewritten for policy authors.

Each becomes a PolicyProblem with the line and column where the field is written and a message
that says what to write instead. The location is found by walking the error's `loc` through the
data and, alongside it, through the model's field types (to tell a timescale's `kind` tag, which
is in `loc` but not in the data, and to list the fields a misspelt one could have meant).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .._errors import PolicyProblem
from .._model_base import ID_PATTERN
from .._suggestions import did_you_mean
from .._text import excerpt, short_repr
from ..time._timescales import TIMESCALE_KINDS
from ._checks import Finding, format_path
from ._model import Policy
from ._yaml_reader import Path, Position, YamlDocument

__all__ = ["finding_problem", "not_a_mapping", "position", "schema_problems"]


# -- positions -------------------------------------------------------------------------------


def position(document: YamlDocument, path: Path, at_key: bool = False) -> Position | None:
    """Where `path` is written: its key or value, or else the nearest enclosing value."""
    if at_key and path in document.keys:
        return document.keys[path]
    for end in range(len(path), -1, -1):
        if path[:end] in document.values:
            return document.values[path[:end]]
    return None


def _problem(
    document: YamlDocument, file: str, path: Path, code: str, message: str, at_key: bool = False
) -> PolicyProblem:
    line, column = position(document, path, at_key) or (None, None)
    return PolicyProblem(code, message, file, line, column, path)


def finding_problem(finding: Finding, document: YamlDocument, file: str) -> PolicyProblem:
    return _problem(document, file, finding.path, finding.code, finding.message, finding.at_key)


def not_a_mapping(document: YamlDocument, file: str) -> PolicyProblem:
    return _problem(
        document,
        file,
        (),
        "not_a_mapping",
        f"a policy is a set of fields, each written `name: value` on its own line, starting "
        f"with `id:`, `title:` and `document:`; this file holds {_describe(document.data)}",
    )


def no_working_day(document: YamlDocument, file: str, why: str) -> PolicyProblem:
    return _problem(
        document,
        file,
        ("calendar",),
        "no_working_day",
        f"{why}; check `working_week:` and `closure_dates:`",
    )


# -- walking an error's loc through the model's types -----------------------------------------


@dataclass(frozen=True, slots=True)
class _Located:
    path: Path
    """The field the error is about, without union tags or `[key]`."""
    annotation: object
    """The type expected there, with Annotated and Optional taken off; None if unknown."""
    at_key: bool
    """The error is about a mapping key (`[key]` in `loc`), not its value."""


def _unwrap(annotation: object) -> object:
    while True:
        origin = get_origin(annotation)
        args = get_args(annotation)
        if origin is Annotated:
            annotation = args[0]
        elif origin in (Union, UnionType) and type(None) in args and len(args) == 2:
            annotation = next(arg for arg in args if arg is not type(None))
        else:
            return annotation


def _tagged_members(annotation: object) -> dict[str, type[BaseModel]]:
    """The members of a `kind`-discriminated union by tag; empty if it is not one."""
    if get_origin(annotation) not in (Union, UnionType):
        return {}
    members: dict[str, type[BaseModel]] = {}
    for member in get_args(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            kind = member.model_fields.get("kind")
            for tag in get_args(kind.annotation) if kind is not None else ():
                members[str(tag)] = member
    return members


def _child_type(annotation: object, part: str | int) -> object:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get(part) if isinstance(part, str) else None
        return None if field is None else field.annotation
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is tuple and args:
        return args[0]
    if origin in (Mapping, dict) and len(args) == 2:
        return args[1]
    return None


def _locate(loc: tuple[str | int, ...], root: type[BaseModel] = Policy) -> _Located:
    annotation: object = root
    path: list[str | int] = []
    at_key = False
    for part in loc:
        annotation = _unwrap(annotation)
        members = _tagged_members(annotation)
        if isinstance(part, str) and part in members:
            annotation = members[part]
        elif part == "[key]":
            at_key = True
        else:
            path.append(part)
            annotation = _child_type(annotation, part)
    return _Located(tuple(path), _unwrap(annotation), at_key)


def _model_fields(annotation: object) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


# -- pydantic's errors, rewritten for policy authors ------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    error: ErrorDetails
    located: _Located
    document: YamlDocument
    root: type[BaseModel] = Policy
    prefix: Path = ()
    """Where the validated value is in the file: () for a policy, a scenario's place in its file."""
    places: Callable[[Path], str] = format_path
    """How a path is written in a message."""

    @property
    def input(self) -> Any:
        return self.error["input"]

    @property
    def ctx(self) -> dict[str, Any]:
        return dict(self.error.get("ctx") or {})

    @property
    def written(self) -> str:
        """The value as the author wrote it, where YAML read it as something other than text."""
        text = self.document.texts.get((*self.prefix, *self.located.path))
        return text if text is not None else str(self.input)

    @property
    def where(self) -> str:
        return self.places(self.located.path)

    @property
    def name(self) -> str:
        return str(self.error["loc"][-1]) if self.error["loc"] else ""


_Rewrite = Callable[[_Context], tuple[str, str]]


def _q(value: object) -> str:
    """A value quoted in a message: escaped, and short whatever its size."""
    return f"'{excerpt(value)}'" if isinstance(value, str) else short_repr(value)


def _describe(value: object) -> str:
    if isinstance(value, dict):
        return "a set of fields"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"the single value {_q(value)}"


def _yaml_reading(value: object) -> str | None:
    """How YAML read an unquoted value that is not text, or None if it is text."""
    readings: tuple[tuple[type | tuple[type, ...], str], ...] = (
        (bool, "true or false"),
        ((int, float), "a number"),
        (dt.datetime, "a date and time"),  # before date: a datetime is also a date
        (dt.date, "a date"),
    )
    for kind, reading in readings:
        if isinstance(value, kind):
            return reading
    return None


def _extra_forbidden(c: _Context) -> tuple[str, str]:
    fields = _model_fields(_locate(c.error["loc"][:-1], c.root).annotation)
    allowed = f"; the fields allowed there are {', '.join(fields)}" if fields else ""
    where = c.places(c.located.path[:-1])
    return "unknown_field", (
        f"{_q(c.name)} is not a field of {where}{did_you_mean(c.name, fields)}{allowed}"
    )


_FIELD_HINTS = {
    "source": 'the paragraph of the document it comes from, in quotes, such as "5.1"',
    "kind": "one of " + ", ".join(TIMESCALE_KINDS),
    "days": "a whole number",
    "hours": "a whole number",
    "wording": "the document's own words for the timescale",
    "id": "an id of lower-case letters, digits and underscores, such as line_manager",
    "responsible": "the id of a role declared under `roles:`",
    "title": "its name, as the document gives it",
    "document": "the title of the partnership's document",
    "stages": "a list of stages, in order",
    "timescale": "a `kind:` and the fields that kind needs",
}


def _missing(c: _Context) -> tuple[str, str]:
    hint = _FIELD_HINTS.get(c.name, "its value")
    where = c.places(c.located.path[:-1])
    return "missing_field", (
        f"{where} needs `{c.name}`, which is missing; add `{c.name}:` with {hint}"
    )


def _not_text(c: _Context) -> tuple[str, str]:
    reading = _yaml_reading(c.input)
    if reading is not None:
        return "not_text", (
            f"YAML reads the unquoted value {excerpt(c.written)} as {reading}, but text is meant "
            f"here; put it in quotes: {json.dumps(c.written, ensure_ascii=False)}"
        )
    if c.input is None:
        return "not_text", "this is empty; write the text after the colon"
    return "not_text", f"write text here, not {_describe(c.input)}"


def _not_whole_number(c: _Context) -> tuple[str, str]:
    if isinstance(c.input, str) and re.fullmatch(r"\s*[0-9]+\s*", c.input):
        return "not_whole_number", f"write the number without quotes: {c.input.strip()}"
    return "not_whole_number", f"{_q(c.written)} is not a whole number; write one, such as 5"


def _not_true_false(c: _Context) -> tuple[str, str]:
    quoted = " without quotes" if isinstance(c.input, str) else ""
    return "not_true_false", f"write true or false{quoted}, not {_q(c.written)}"


def _not_allowed(c: _Context) -> tuple[str, str]:
    annotation = c.located.annotation
    allowed = [str(a) for a in get_args(annotation)] if get_origin(annotation) is Literal else []
    listing = ", ".join(allowed) if allowed else str(c.ctx.get("expected", ""))
    return "not_allowed_value", (
        f"{_q(c.written)} is not allowed here{did_you_mean(c.written, allowed)}; write one "
        f"of: {listing}"
    )


def _unknown_kind(c: _Context) -> tuple[str, str]:
    tag = str(c.ctx.get("tag", ""))
    return "unknown_timescale_kind", (
        f"there is no timescale kind '{tag}'{did_you_mean(tag, TIMESCALE_KINDS)}; write one "
        f"of: {', '.join(TIMESCALE_KINDS)}"
    )


def _missing_kind(c: _Context) -> tuple[str, str]:
    # Pydantic stops at the missing tag, so a misspelt `kind` is reported only here.
    written = [key for key in c.input if isinstance(key, str)] if isinstance(c.input, dict) else []
    close = did_you_mean("kind", written).replace("did you mean", "is this meant to be `kind`:")
    return "missing_timescale_kind", (
        f"{c.where} needs `kind:` to say what sort of timescale it is{close}; add `kind:` "
        f"with one of: {', '.join(TIMESCALE_KINDS)}"
    )


def _pattern(c: _Context) -> tuple[str, str]:
    pattern = str(c.ctx.get("pattern", ""))
    if pattern == ID_PATTERN:
        suggestion = re.sub(r"[^a-z0-9]+", "_", str(c.input).lower()).strip("_")
        if not re.fullmatch(ID_PATTERN, suggestion):
            suggestion = "line_manager"
        return "bad_id", (
            f"{_q(c.input)} is not an id: an id is lower-case letters, digits and underscores, "
            f"starting with a letter; write {suggestion}"
        )
    if pattern == "^[A-Z]{2}$":
        return "bad_format", f"{_q(c.input)} is not a country code; write two capitals, such as GB"
    return "bad_format", f"{_q(c.input)} does not have the form this field needs ({pattern})"


def _text_length(c: _Context) -> tuple[str, str]:
    if c.error["type"] == "string_too_short":
        return "empty_text", "this text is empty; write it, or remove the line if it is optional"
    limit = c.ctx.get("max_length")
    return "text_too_long", f"this text is longer than {limit} characters; shorten it"


def _item_count(c: _Context) -> tuple[str, str]:
    if c.error["type"] == "too_short":
        least = c.ctx.get("min_length")
        return "too_few_items", f"{c.where} needs at least {least} item(s) in its list; add them"
    most = c.ctx.get("max_length")
    return "too_many_items", f"{c.where} may have at most {most} items in its list; remove some"


def _out_of_range(c: _Context) -> tuple[str, str]:
    wanted = c.error["msg"].replace("Input should be", "write a number")
    return "out_of_range", f"{c.written} is out of range here; {wanted}"


def _not_a_list(c: _Context) -> tuple[str, str]:
    return "not_a_list", (
        f"write a list here, not {_describe(c.input)}: each item on its own line starting "
        "with '- ', or [first, second] on one line"
    )


def _not_fields(c: _Context) -> tuple[str, str]:
    return "not_a_mapping", (
        f"write fields here, not {_describe(c.input)}: each as `name: value` on its own line, "
        "indented under this one"
    )


def _bad_date(c: _Context) -> tuple[str, str]:
    return "bad_date", f"{_q(c.written)} is not a date; write it as YYYY-MM-DD, such as 2026-12-25"


def _bad_time(c: _Context) -> tuple[str, str]:
    return "bad_time", f"{_q(c.written)} is not a time of day; write it as HH:MM, such as 17:00"


def _invalid(c: _Context) -> tuple[str, str]:
    if c.located.annotation is dt.time and _yaml_reading(c.input) == "a number":
        # Pydantic reads a number as seconds since midnight in UTC, which a validator then
        # refuses for its zone; the author wrote a number and meant a time of day.
        return "bad_time", (
            f"YAML reads the unquoted value {excerpt(c.written)} as a number, not a time of day; "
            'write the time as HH:MM, such as "17:00"'
        )
    return "invalid_value", excerpt(c.error["msg"].removeprefix("Value error, "), 500)


def _stage_holder(c: _Context) -> tuple[str, str]:
    code = "missing_field" if c.error["type"] == "stage_missing_field" else "routes_and_holder"
    return code, c.error["msg"]


_REWRITES: dict[str, _Rewrite] = {
    "stage_missing_field": _stage_holder,
    "routes_and_holder": _stage_holder,
    "extra_forbidden": _extra_forbidden,
    "missing": _missing,
    "string_type": _not_text,
    "int_type": _not_whole_number,
    "int_parsing": _not_whole_number,
    "int_from_float": _not_whole_number,
    "bool_type": _not_true_false,
    "bool_parsing": _not_true_false,
    "literal_error": _not_allowed,
    "union_tag_invalid": _unknown_kind,
    "union_tag_not_found": _missing_kind,
    "string_pattern_mismatch": _pattern,
    "string_too_short": _text_length,
    "string_too_long": _text_length,
    "too_short": _item_count,
    "too_long": _item_count,
    "greater_than": _out_of_range,
    "greater_than_equal": _out_of_range,
    "less_than": _out_of_range,
    "less_than_equal": _out_of_range,
    "tuple_type": _not_a_list,
    "list_type": _not_a_list,
    "model_type": _not_fields,
    "model_attributes_type": _not_fields,
    "dict_type": _not_fields,
}
_REWRITE_PREFIXES: tuple[tuple[str, _Rewrite], ...] = (("date_", _bad_date), ("time_", _bad_time))


def _rewrite(error: ErrorDetails) -> _Rewrite:
    kind = error["type"]
    if kind in _REWRITES:
        return _REWRITES[kind]
    return next((r for prefix, r in _REWRITE_PREFIXES if kind.startswith(prefix)), _invalid)


def _is_echo(error: ErrorDetails) -> bool:
    """A too-short list whose items were all written but failed: their errors say why."""
    value, ctx = error["input"], error.get("ctx") or {}
    return (
        error["type"] == "too_short"
        and isinstance(value, list)
        and len(value) >= int(ctx.get("min_length", 0))
    )


def schema_problems(
    error: ValidationError,
    document: YamlDocument,
    file: str,
    root: type[BaseModel] = Policy,
    prefix: Path = (),
    places: Callable[[Path], str] = format_path,
) -> list[PolicyProblem]:
    """Each of pydantic's errors as a located problem with a message an author can act on.

    `root` is the model validated and `prefix` where its value is in the document (a scenario
    of a scenario file); `places` writes a path as the message shows it.
    """
    details = error.errors(include_url=False)
    kept = [detail for detail in details if not _is_echo(detail)] or details
    problems = []
    for detail in kept:
        located = _locate(tuple(detail["loc"]), root)
        context = _Context(detail, located, document, root, prefix, places)
        code, message = _rewrite(detail)(context)
        at_key = located.at_key or detail["type"] == "extra_forbidden"
        path = (*prefix, *located.path)
        problems.append(_problem(document, file, path, code, message, at_key))
    return problems
