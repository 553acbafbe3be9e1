"""The events of an escalation's history, and the strict reading of them.

An event is a frozen model told apart by `type`. Input may be these objects or plain JSON-like
dicts. Reading is strict: a time must be a timezone-aware datetime or an ISO 8601 string with
an offset (never a number, never naive), `true` is not a stage number, text has length limits,
and unknown fields or types are errors. Every problem of every event is collected, so that a
history is never evaluated with an event silently dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sized
from itertools import islice
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError, PydanticUndefined

from .._errors import HistoryError, HistoryProblem
from .._model_base import ID_PATTERN
from .._suggestions import did_you_mean
from .._text import excerpt, short_repr

MAX_EVENTS = 10_000
EARLIEST = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
"""Times outside these (the latest excluded) are refused: see `aware_time`."""


_USUAL_FORM = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?"
)
"""`2026-12-14T10:00:00+00:00` and its variants with `Z`, fractions of a second or no offset;
both readers give the same time for every text of this form."""


def aware_time(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, str):
        if len(value) > 64:
            raise PydanticCustomError("time_text_too_long", "a time is at most 64 characters")
        try:
            # The usual form is read by the standard library, thirty times faster than
            # dateutil; anything else goes to dateutil, which decides what else is ISO 8601.
            if _USUAL_FORM.fullmatch(value):
                moment = dt.datetime.fromisoformat(value)
            else:
                from dateutil.parser import isoparse  # rarely needed: not paid at import

                moment = isoparse(value)
        except (ValueError, OverflowError):
            raise PydanticCustomError(
                "time_format",
                "'{value}' is not an ISO 8601 time; write it like 2026-12-14T10:00:00+00:00",
                {"value": excerpt(value)},
            ) from None
    else:
        raise PydanticCustomError(
            "time_type",
            "a time must be text in ISO 8601 form, such as 2026-12-14T10:00:00+00:00, not {kind}",
            {"kind": type(value).__name__},
        )
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise PydanticCustomError(
            "naive_time",
            "'{value}' has no time zone; add its UTC offset, such as +00:00 in winter or "
            "+01:00 in British Summer Time",
            {"value": excerpt(str(value))},
        )
    offset = moment.utcoffset()
    if not isinstance(moment.tzinfo, dt.timezone) and offset is not None:
        # One kind of zone object whatever came in (dateutil's tzoffset, a ZoneInfo, ...):
        # the instant and its offset are kept, and a fixed offset compares as the instant.
        moment = moment.replace(tzinfo=dt.timezone(offset), fold=0)
    if not EARLIEST <= moment < LATEST:
        # Near the ends of what a datetime holds, taking the time into the policy's zone or
        # adding a timescale to it would overflow; no escalation is dated there.
        raise PydanticCustomError(
            "time_out_of_range",
            "'{value}' is not a plausible time for an escalation; give a time between the "
            "years {first} and {last}",
            {"value": excerpt(str(value)), "first": EARLIEST.year, "last": LATEST.year - 1},
        )
    return moment


AwareTime = Annotated[
    dt.datetime,
    BeforeValidator(aware_time),
    # Not "format": "date-time": RFC 3339 wants seconds, and the reader also takes
    # `2026-12-14T10:00Z` and other ISO 8601 forms. The pattern asks only for a date, a time
    # and an offset, so a validator never refuses what the reader reads.
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[0-9]{4}-?[0-9]{2}-?[0-9]{2}[T ][0-9]{2}.*(Z|[+-][0-9]{2}(:?[0-9]{2})?)$",
            "description": "A time with its UTC offset, ISO 8601: 2026-12-14T10:00:00+00:00.",
            "examples": ["2026-12-14T10:00:00+00:00", "2026-06-01T09:30:00+01:00"],
        }
    ),
]
"""A timezone-aware moment, from a datetime or an ISO 8601 string with an offset."""

ShortText = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=2000)]
NewId = Annotated[str, StringConstraints(strict=True, pattern=ID_PATTERN, max_length=64)]


def _stage_ref(value: object) -> object:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PydanticCustomError(
            "stage_ref",
            'a stage is a number such as 2 or a stage id such as "line_manager", not {kind}',
            {"kind": type(value).__name__},
        )
    return value


StageRef = Annotated[StrictInt | ShortText, BeforeValidator(_stage_ref)]
"""A stage by number (from 1) or by id. A boolean is not a number."""


class _Event(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    at: AwareTime = Field(
        description=(
            "When it happened: a timezone-aware time, ISO 8601 with its UTC offset, such as "
            "2026-12-14T10:00:00+00:00. A time without an offset is refused, never guessed."
        )
    )
    id: ShortText | None = Field(
        default=None,
        description="The event's own id in the case-management system, unique in the history.",
    )
    by: ShortText | None = Field(
        default=None, description="Who recorded or did it, as free text; kept in the timeline."
    )
    note: LongText | None = Field(
        default=None, description="Free text kept in the timeline and the explanation."
    )


class Raised(_Event):
    """Opens the escalation at stage 1 of a pathway. Must come first, once."""

    type: Literal["raised"] = "raised"
    pathway: ShortText | None = Field(
        default=None, description="The pathway's id; without it, the policy's default pathway."
    )
    agency: ShortText | None = Field(
        default=None,
        description=(
            "The agency type of the raiser, for the titles of the raising agency's roles. One "
            "the policy has no titles for is accepted with a warning."
        ),
    )
    receiving_agency: ShortText | None = Field(
        default=None,
        description=(
            "The agency type of the agency the disagreement is raised with, for the titles of "
            "its roles. One the policy has no titles for is accepted with a warning."
        ),
    )
    category: ShortText | None = Field(
        default=None,
        description="The area of disagreement or reason code, from the pathway's list.",
    )
    dates: Annotated[dict[ShortText, AwareTime], Field(max_length=20)] | None = Field(
        default=None,
        description=(
            "The named dates the pathway asks for (such as `conference` or `concern`), each an "
            "aware time at or before the raise; a timescale may count from one of them."
        ),
    )


class Escalated(_Event):
    """Moves to a later stage: the next one, or `to_stage` where the policy allows a skip."""

    type: Literal["escalated"] = "escalated"
    to_stage: StageRef | None = Field(
        default=None,
        description="The stage moved to, by number or id; without it, the next stage.",
    )
    reason: LongText | None = Field(
        default=None,
        description="Why; required where the policy allows passing over stages only with one.",
    )
    route: ShortText | None = Field(
        default=None,
        description=(
            "Where the stage entered offers several routes, the route's id; without it, the first."
        ),
    )


class SignificantHarm(_Event):
    """A child is identified as at risk of significant harm: the policy's rule applies."""

    type: Literal["significant_harm"] = "significant_harm"
    to_stage: StageRef | None = Field(
        default=None,
        description="The stage to go to, only where the policy leaves it to discretion.",
    )


class TimescaleAgreed(_Event):
    """The parties agree a different deadline for the current stage."""

    type: Literal["timescale_agreed"] = "timescale_agreed"
    deadline: AwareTime = Field(description="The agreed deadline, an aware time.")


class ActionAgreed(_Event):
    """The parties agree a task with its own deadline; it is due until an `action_done` names it."""

    type: Literal["action_agreed"] = "action_agreed"
    action: NewId = Field(
        description=(
            "A new id for the task: lower-case letters, digits and underscores, not one of the "
            "policy's actions."
        )
    )
    title: ShortText = Field(description="What is to be done.")
    deadline: AwareTime = Field(description="When it is due, an aware time.")
    role: ShortText | None = Field(
        default=None,
        description="The id of the policy role who must do it; without it, the current stage's.",
    )


class ActionDone(_Event):
    """A required or agreed action has been done."""

    type: Literal["action_done"] = "action_done"
    action: ShortText = Field(description="The id of the policy's action, or of an agreed one.")


class Resolved(_Event):
    """Ends the escalation with an agreed outcome."""

    type: Literal["resolved"] = "resolved"


class ResolvedWithDissent(_Event):
    """Ends it: a decision is made, but disagreement remains."""

    type: Literal["resolved_with_dissent"] = "resolved_with_dissent"


class Withdrawn(_Event):
    """Ends it without an outcome."""

    type: Literal["withdrawn"] = "withdrawn"


EVENT_CLASSES: tuple[type[_Event], ...] = (
    Raised,
    Escalated,
    SignificantHarm,
    TimescaleAgreed,
    ActionAgreed,
    ActionDone,
    Resolved,
    ResolvedWithDissent,
    Withdrawn,
)
EVENT_TYPES: dict[str, type[_Event]] = {
    get_args(cls.model_fields["type"].annotation)[0]: cls for cls in EVENT_CLASSES
}
TERMINAL_TYPES = frozenset({"resolved", "resolved_with_dissent", "withdrawn"})

Event = Annotated[
    Raised
    | Escalated
    | SignificantHarm
    | TimescaleAgreed
    | ActionAgreed
    | ActionDone
    | Resolved
    | ResolvedWithDissent
    | Withdrawn,
    Field(discriminator="type"),
]
"""Any one event of a history, told apart by its `type`."""

_EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event, config=ConfigDict(defer_build=True))


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


# -- the quick reader ---------------------------------------------------------------------
#
# Most events are of a few plain shapes: short texts, a time in the usual form with its offset,
# a stage number. Those are read here, by hand, into the same model pydantic would make, in a
# tenth of the time; anything else (a problem to report above all) goes to pydantic, which
# stays the one judge of what is valid and says what is wrong. A test checks the two readers
# make equal events from every event the history strategies generate.

_TIME, _SHORT, _LONG, _STAGE, _DATES, _TYPE = range(6)
_HOW = {
    "type": _TYPE,
    "at": _TIME,
    "deadline": _TIME,
    "note": _LONG,
    "reason": _LONG,
    "to_stage": _STAGE,
    "dates": _DATES,
    **{
        name: _SHORT
        for name in ("id", "by", "pathway", "agency", "receiving_agency", "category", "route")
    },
    "action": _SHORT,
}
_LIMIT = {_SHORT: 200, _LONG: 2000}
_QUICK_FIELDS = {
    kind: frozenset(cls.model_fields)
    for kind, cls in EVENT_TYPES.items()
    if kind != "action_agreed"  # its id's pattern and its title are left to pydantic
}
_DEFAULTS = {
    kind: {name: field.default for name, field in EVENT_TYPES[kind].model_fields.items()}
    for kind in _QUICK_FIELDS
}
_NEEDED = {
    kind: frozenset(name for name, default in defaults.items() if default is PydanticUndefined)
    for kind, defaults in _DEFAULTS.items()
}


def _quick_time(value: object) -> dt.datetime | None:
    """A time the quick reader can vouch for, or None to leave it to pydantic."""
    if type(value) is str:
        if len(value) > 64 or value[-1:] not in _OFFSET_ENDS or not _USUAL_FORM.fullmatch(value):
            return None
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:  # 30 February: pydantic says what is wrong
            return None
    elif type(value) is dt.datetime and type(value.tzinfo) is dt.timezone:
        moment = value
    else:
        return None
    if type(moment.tzinfo) is not dt.timezone or not EARLIEST <= moment < LATEST:
        return None
    return moment


_OFFSET_ENDS = frozenset("Z0123456789")


def _read_quickly(item: dict[str, Any]) -> Event | None:
    """The event, if it is of a plain shape that every reader takes the same way; else None."""
    kind = item.get("type")
    if type(kind) is not str:
        return None
    fields = _QUICK_FIELDS.get(kind)
    if fields is None or not item.keys() <= fields or not _NEEDED[kind] <= item.keys():
        return None
    defaults = _DEFAULTS[kind]
    values = dict(defaults)
    for name, value in item.items():
        how = _HOW[name]
        if value is None:
            if defaults[name] is not None:  # only a field that may be left out may be null
                return None
        elif how is _TIME:
            moment = _quick_time(value)
            if moment is None:
                return None
            values[name] = moment
        elif how is _SHORT or how is _LONG:
            if type(value) is not str or not 0 < len(value) <= _LIMIT[how]:
                return None
            values[name] = value
        elif how is _STAGE:
            if type(value) is not int and (type(value) is not str or not 0 < len(value) <= 200):
                return None
            values[name] = value
        elif how is _DATES:
            dates = _quick_dates(value)
            if dates is None:
                return None
            values[name] = dates
    cls = EVENT_TYPES[kind]
    made = cls.__new__(cls)
    object.__setattr__(made, "__dict__", values)
    object.__setattr__(made, "__pydantic_fields_set__", set(item))
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_private__", None)
    return made  # type: ignore[return-value]


def _quick_dates(value: object) -> dict[str, dt.datetime] | None:
    if type(value) is not dict or len(value) > 20:
        return None
    dates = {}
    for name, moment in value.items():
        if type(name) is not str or not 0 < len(name) <= 200:
            return None
        read = _quick_time(moment)
        if read is None:
            return None
        dates[name] = read
    return dates


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
