"""Reading a history strictly: every problem of every event collected and reported together,
so that a history is never evaluated with an event silently dropped."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sized
from itertools import islice
from typing import Any

from pydantic import ValidationError

from .._errors import HistoryError, HistoryProblem
from .._suggestions import did_you_mean
from .._text import excerpt, short_repr
from ._events import _EVENT_ADAPTER, EVENT_CLASSES, EVENT_TYPES, MAX_EVENTS, Event, _Event
from ._quick_reader import _read_quickly


class ReadHistory(tuple[Event, ...]):
    """A history as `parse_events` read it: being a tuple, nobody has changed it since, so
    reading it again (as `evaluate` reads what it is given) takes it as it is."""

    __slots__ = ()


def parse_events(raw: object) -> tuple[Event, ...]:
    """Validate a whole history, reporting every problem of every event together."""
    if type(raw) is ReadHistory:
        return raw
    if isinstance(raw, (str, bytes, Mapping)) or not isinstance(raw, Iterable):
        raise HistoryError(
            [
                HistoryProblem(
                    "history_not_a_list",
                    f"a history is a list of events (a JSON array), not {type(raw).__name__}",
                )
            ]
        )
    # One past the limit is enough to refuse: an endless iterator is never listed in full.
    items = list(islice(raw, MAX_EVENTS + 1))
    if len(items) > MAX_EVENTS:
        size = f"this one has {len(raw):,}" if isinstance(raw, Sized) else "this one has more"
        raise HistoryError(
            [
                HistoryProblem(
                    "history_too_long", f"a history has at most {MAX_EVENTS:,} events; {size}"
                )
            ]
        )
    events: list[Event] = []
    problems: list[HistoryProblem] = []
    for index, item in enumerate(items):
        event, found = _parse_one(index, item)
        problems.extend(found)
        if event is not None:
            events.append(event)
    problems.extend(_duplicate_ids(events))
    if problems:
        raise HistoryError(problems)
    return ReadHistory(events)


def _parse_one(index: int, item: object) -> tuple[Event | None, list[HistoryProblem]]:
    if isinstance(item, EVENT_CLASSES):
        # Checked again, whatever way it was made: `model_construct` and `model_copy(update=)`
        # skip validation, and would let a naive or textual time into the evaluation.
        item = dict(item.__dict__)
    if type(item) is dict:
        quick = _read_quickly(item)
        if quick is not None:
            return quick, []
    if not isinstance(item, Mapping):
        return None, [
            HistoryProblem(
                "event_not_an_object",
                f"an event is an object with a type and a time, not {type(item).__name__}",
                index,
            )
        ]
    raw_id = item.get("id")
    event_id = raw_id if isinstance(raw_id, str) else None
    kind = item.get("type")
    if not isinstance(kind, str) or kind not in EVENT_TYPES:  # a list or dict is not hashable
        return None, [_unknown_type(index, event_id, kind)]
    try:
        return _EVENT_ADAPTER.validate_python(dict(item)), []
    except ValidationError as error:
        return None, [
            _field_problem(index, event_id, EVENT_TYPES[str(kind)], detail)
            for detail in error.errors(include_url=False)
        ]


def _unknown_type(index: int, event_id: str | None, kind: object) -> HistoryProblem:
    known = ", ".join(EVENT_TYPES)
    if kind is None:
        return HistoryProblem(
            "missing_type", f"the event has no type; give one of: {known}", index, event_id
        )
    hint = did_you_mean(kind, EVENT_TYPES) if isinstance(kind, str) else ""
    return HistoryProblem(
        "unknown_event_type",
        f"unknown event type {short_repr(kind)}{hint}; the types are: {known}",
        index,
        event_id,
    )


def _field_problem(
    index: int, event_id: str | None, cls: type[_Event], detail: Any
) -> HistoryProblem:
    # The discriminated union puts the event's type first in `loc`; what follows is the field
    # (and, inside `dates`, the date's name), which may itself be called `raised`.
    loc = [str(part) for part in detail["loc"][1:] if not isinstance(part, int)]
    field = excerpt(".".join(loc)) if loc else "event"
    kind = detail["type"]
    fields = [name for name in cls.model_fields]
    event_type = cls.model_fields["type"].default
    if kind == "extra_forbidden":
        return HistoryProblem(
            "unknown_field",
            f"an event of type {event_type!r} has no field '{field}'"
            f"{did_you_mean(field, fields)}; its fields are: " + ", ".join(fields),
            index,
            event_id,
        )
    if kind == "missing":
        return HistoryProblem(
            "missing_field", f"an event of type {event_type!r} needs '{field}'", index, event_id
        )
    message = excerpt(detail["msg"], 300)
    if kind in _OWN_MESSAGES:
        # A problem has one code whichever way the event came in: the code of the rule broken.
        return HistoryProblem(kind, f"'{field}': {message}", index, event_id)
    message += f"; got {short_repr(detail.get('input'))}"
    return HistoryProblem("invalid_field", f"'{field}': {message}", index, event_id)


_OWN_MESSAGES = frozenset(
    {
        "time_text_too_long",
        "time_format",
        "time_type",
        "naive_time",
        "time_out_of_range",
        "stage_ref",
    }
)


def _duplicate_ids(events: list[Event]) -> list[HistoryProblem]:
    first_seen: dict[str, int] = {}
    problems = []
    for index, event in enumerate(events):
        if event.id is None:
            continue
        if event.id in first_seen:
            problems.append(
                HistoryProblem(
                    "duplicate_event_id",
                    f"id {event.id!r} is already used by event {first_seen[event.id]}; "
                    "give every event its own id",
                    index,
                    event.id,
                )
            )
        else:
            first_seen[event.id] = index
    return problems
