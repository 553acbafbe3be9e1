"""The working-day calendar: which days count, and where a date's close of business falls.

Semantics (DESIGN.md, "Time"):
- a working day is a day of the working week that is neither a bank holiday of the calendar's
  country and subdivision nor one of its closure dates;
- "N working days after a date" is the Nth working day strictly after it: the date itself
  never counts, whether or not it is a working day;
- a date-based deadline falls at close of business, local time, on its date.

The calendar is built once per policy, as immutable data covering FIRST_YEAR to LAST_YEAR:
a sorted tuple of the ordinals of every working day. Adding N working days is then one
binary search and one index, whatever N is; nothing is stepped through day by day, and no
lookup fills anything in while it is being asked.
"""

from __future__ import annotations

import datetime as dt
import functools
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from zoneinfo import ZoneInfo

import holidays

FIRST_YEAR = 2000
LAST_YEAR = 2099


def instant(moment: dt.datetime) -> dt.datetime:
    """The same moment in UTC, for comparing moments.

    Python compares two times of the same zone by their wall clocks, ignoring `fold`: on the
    night the clocks go back, 01:45 BST (00:45 UTC) would seem later than 01:15 GMT (01:15
    UTC), and a close of business in the hour the clocks skip would seem to fall before a
    time that precedes it. Comparing in UTC compares the moments themselves.
    """
    return moment.astimezone(dt.UTC)


def fixed_offset(moment: dt.datetime, zone: dt.tzinfo) -> dt.datetime:
    """The moment as the local time of `zone`, carrying that instant's fixed UTC offset.

    A fixed offset, not the zone: in the repeated autumn hour Python compares a `ZoneInfo` time
    unequal to the same instant in any other zone (PEP 495), which a fixed offset never does.
    """
    local = moment.astimezone(zone)
    offset = local.utcoffset()
    assert offset is not None
    return local.replace(tzinfo=dt.timezone(offset))


class OutsideCalendar(Exception):
    """A date the calendar does not cover; the evaluator reports it against the event."""

    def __init__(self, day: dt.date) -> None:
        super().__init__(
            f"{day.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR} that the "
            "working-day calendar covers"
        )
        self.day = day


@dataclass(frozen=True, slots=True, eq=False)
class WorkingCalendar:
    """Immutable working-day data for one policy. Build it with `WorkingCalendar.build`."""

    timezone: ZoneInfo
    close_of_business: dt.time
    working_week: tuple[int, ...]
    non_working_reasons: Mapping[dt.date, str]
    _working_ordinals: tuple[int, ...]

    @staticmethod
    def build(
        *,
        timezone: str,
        country: str,
        subdivision: str | None,
        working_week: tuple[int, ...],
        closure_dates: tuple[dt.date, ...],
        close_of_business: dt.time,
    ) -> WorkingCalendar:
        return _build(
            timezone,
            country,
            subdivision,
            tuple(sorted(set(working_week))),
            tuple(sorted(set(closure_dates))),
            close_of_business,
        )

    # -- days ---------------------------------------------------------------------------

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The date of an aware moment in the calendar's time zone."""
        return moment.astimezone(self.timezone).date()

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        ordinals = self._working_ordinals
        index = bisect_right(ordinals, day.toordinal())
        return index > 0 and ordinals[index - 1] == day.toordinal()

    def why_not_working(self, day: dt.date) -> str | None:
        """Why a day is not a working day (a holiday's name, a closure, the weekend), or None."""
        if self.is_working_day(day):
            return None
        if day in self.non_working_reasons:
            return self.non_working_reasons[day]
        return f"not in the working week ({day.strftime('%A')})"

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day strictly after `day` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        self._check(day)
        ordinals = self._working_ordinals
        index = bisect_right(ordinals, day.toordinal()) + n - 1
        if index >= len(ordinals):
            raise OutsideCalendar(dt.date(LAST_YEAR + 1, 1, 1))
        return dt.date.fromordinal(ordinals[index])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie strictly after `start` and up to and including `end`."""
        self._check(start)
        self._check(end)
        ordinals = self._working_ordinals
        return max(
            0, bisect_right(ordinals, end.toordinal()) - bisect_right(ordinals, start.toordinal())
        )

    # -- moments ------------------------------------------------------------------------

    def close_of(self, day: dt.date) -> dt.datetime:
        """Close of business on a date, as an aware time in the calendar's zone."""
        return dt.datetime.combine(day, self.close_of_business, tzinfo=self.timezone)

    def _check(self, day: dt.date) -> None:
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise OutsideCalendar(day)


# Built calendars are immutable, so policies with the same calendar share one; the memo holds
# finished values only and is never consulted from inside an evaluation.
@functools.lru_cache(maxsize=32)
def _build(
    timezone: str,
    country: str,
    subdivision: str | None,
    working_week: tuple[int, ...],
    closure_dates: tuple[dt.date, ...],
    close_of_business: dt.time,
) -> WorkingCalendar:
    bank_holidays = holidays.country_holidays(
        country, subdiv=subdivision, years=range(FIRST_YEAR, LAST_YEAR + 1)
    )
    reasons: dict[dt.date, str] = {day: str(name) for day, name in bank_holidays.items()}
    for day in closure_dates:
        reasons.setdefault(day, "a closure date of the policy's calendar")
    first = dt.date(FIRST_YEAR, 1, 1).toordinal()
    last = dt.date(LAST_YEAR, 12, 31).toordinal()
    week = frozenset(working_week)
    working = tuple(
        ordinal
        for ordinal in range(first, last + 1)
        if dt.date.fromordinal(ordinal).weekday() in week
        and dt.date.fromordinal(ordinal) not in reasons
    )
    return WorkingCalendar(
        timezone=ZoneInfo(timezone),
        close_of_business=close_of_business,
        working_week=working_week,
        non_working_reasons=MappingProxyType(
            {day: why for day, why in sorted(reasons.items()) if day.year >= FIRST_YEAR}
        ),
        _working_ordinals=working,
    )
