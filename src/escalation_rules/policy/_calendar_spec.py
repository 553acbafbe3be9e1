"""When a policy's clock runs: its calendar settings, as written in the policy file.

The working-day arithmetic built from them is in `time/_calendar.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from .._model_base import Frozen, Source
from .._text import excerpt, short_repr
from ..time._bank_holidays import check_known
from ..time._calendar import FIRST_YEAR, LAST_YEAR

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class BankHolidays(Frozen):
    """Where bank holidays come from: the `holidays` package, by country and subdivision."""

    country: Annotated[str, Field(strict=True, pattern=r"^[A-Z]{2}$")] = "GB"
    subdivision: Annotated[str, Field(strict=True, min_length=1, max_length=10)] | None = "ENG"

    @model_validator(mode="after")
    def _known_to_holidays(self) -> BankHolidays:
        check_known(self.country, self.subdivision)
        return self


def _date_only(value: object) -> object:
    # A number is not a date (pydantic would read 0 as 1970-01-01), nor is a date and time.
    if isinstance(value, dt.datetime):
        raise ValueError(
            f"write a date without a time, such as 2026-12-24, not {value.isoformat()}"
        )
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        # Pydantic would read "1767225600" as a unix time, and "2026-12-24T00:00" as a date.
        raise ValueError(f"a date is written like 2026-12-24, not {excerpt(value)!r}")
    if not isinstance(value, (dt.date, str)):
        raise ValueError(f"a date is written like 2026-12-24, not {short_repr(value)}")
    return value


def _in_calendar_years(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(
            f"{value.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR} that the "
            "working-day calendar covers"
        )
    return value


def _clock_time(value: object) -> object:
    # A number is not a time of day (pydantic would read 17 as seventeen seconds past midnight).
    if isinstance(value, str) and re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", value):
        return value
    if isinstance(value, dt.time):
        return value
    raise ValueError(
        f'close_of_business is a 24-hour time in quotes, such as "17:00", not {value!r}'
    )


def _hours_and_minutes(value: dt.time) -> str:
    # The form a policy writes, so that a dumped policy reads back: "17:00", not "17:00:00".
    return value.strftime("%H:%M")


ClosureDate = Annotated[dt.date, BeforeValidator(_date_only), AfterValidator(_in_calendar_years)]
PolicyDate = ClosureDate
ClockTime = Annotated[
    dt.time,
    BeforeValidator(_clock_time),
    PlainSerializer(_hours_and_minutes, return_type=str, when_used="json"),
    # Not JSON Schema's "format": "time", which is a time with seconds and a UTC offset
    # (RFC 3339): strict validators and editors would refuse "17:00".
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$",
            "description": 'A 24-hour time of day in quotes, hours and minutes: "17:00".',
            "examples": ["17:00", "16:30"],
        }
    ),
]


class CalendarSpec(Frozen):
    """When the clock runs: time zone, working week, bank holidays, closures, close of business."""

    timezone: Annotated[str, Field(strict=True, min_length=1, max_length=64)] = "Europe/London"
    # Made when needed, not at import (see `_known_to_holidays`).
    bank_holidays: BankHolidays = Field(default_factory=BankHolidays)
    working_week: Annotated[tuple[Weekday, ...], Field(min_length=1, max_length=7)] = (
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
    )
    closure_dates: tuple[ClosureDate, ...] = ()
    close_of_business: ClockTime = Field(
        default=dt.time(17, 0),
        json_schema_extra={"default": "17:00"},  # as a policy writes it, matching the pattern
    )
    source: Source | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; write an IANA name such as Europe/London"
            ) from None
        return value

    @field_validator("working_week")
    @classmethod
    def _distinct_days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        repeated = sorted({d for d in value if value.count(d) > 1})
        if repeated:
            raise ValueError(f"{', '.join(repeated)} written more than once; list each day once")
        return value

    @field_validator("close_of_business")
    @classmethod
    def _plain_time(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError(
                'close_of_business is a local time without a zone, such as "17:00"; the '
                "zone is the calendar's timezone"
            )
        if value.second or value.microsecond:
            raise ValueError(
                f'close_of_business is hours and minutes, such as "17:00", not {value.isoformat()}'
            )
        return value
