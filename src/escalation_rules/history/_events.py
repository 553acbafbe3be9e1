"""The events of an escalation's history, as frozen models told apart by `type`.

Their fields are strict: a time must be a timezone-aware datetime or an ISO 8601 string with
an offset (never a number, never naive), `true` is not a stage number, text has length limits,
and unknown fields or types are errors. A whole history is read by `_reading.parse_events`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    TypeAdapter,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from .._model_base import ID_PATTERN
from .._text import excerpt

MAX_EVENTS = 10_000
EARLIEST = dt.datetime(1000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
"""Times outside these (the latest excluded) are refused: see `aware_time`."""
MAX_TIME_TEXT = 64
"""The most characters of a time written as text."""
MAX_SHORT = 200
MAX_LONG = 2000
"""The most characters of a short text (an id, `by`, an agency) and of a long one (a note)."""
MAX_DATES = 20
"""The most named dates a raised event may give."""


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
        if len(value) > MAX_TIME_TEXT:
            raise PydanticCustomError(
                "time_text_too_long", f"a time is at most {MAX_TIME_TEXT} characters"
            )
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

ShortText = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_SHORT)]
LongText = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=MAX_LONG)]
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
    dates: Annotated[dict[ShortText, AwareTime], Field(max_length=MAX_DATES)] | None = Field(
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
