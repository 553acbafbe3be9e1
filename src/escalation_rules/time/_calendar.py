"""The working-day calendar: which days count, and where a date's close of business falls.

Semantics (docs/time-rules.md):
- a working day is a day of the working week that is neither a bank holiday of the calendar's
  country and subdivision nor one of its closure dates;
- "N working days after a date" is the Nth working day strictly after it: the date itself
  never counts, whether or not it is a working day;
- a date-based deadline falls at close of business, local time, on its date.

The calendar is built once per policy, as immutable data covering FIRST_YEAR to LAST_YEAR:
for each day, whether it is a working day and how many working days fall on or before it,
and the ordinals of the working days in order. Adding N working days, or counting those
between two dates, is then a look-up or two, whatever N is; nothing is stepped through day by
day, and no lookup fills anything in while it is being asked.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .._errors import EscalationRulesError
from .._model_base import FrozenMap
from ._bank_holidays import bank_holidays
from ._words import day_name

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


class OutsideCalendar(EscalationRulesError):
    """A date the calendar does not cover (see `WorkingCalendar.years`); the evaluator reports
    it against the event, as a `HistoryError` problem with code `outside_calendar`."""

    code = "outside_calendar"

    def __init__(
        self, day: dt.date, calendar: WorkingCalendar | None = None, what: str | None = None
    ) -> None:
        first, last = (FIRST_YEAR, LAST_YEAR) if calendar is None else calendar.years
        where = "" if calendar is None else calendar.coverage_note
        super().__init__(
            f"{what or day.isoformat()} is outside the years {first}-{last} that the "
            f"working-day calendar covers{where}; no deadline is worked out there"
        )
        self.day = day


class NoWorkingDay(Exception):
    """A calendar in which no day is a working day: its settings leave nothing to count."""


@dataclass(frozen=True, slots=True, eq=False)
class WorkingCalendar:
    """Immutable working-day data for one policy. Build it with `WorkingCalendar.build`.

    It covers the years `years` (both included): 2000-2099, or fewer where the holiday data
    of its country stops earlier. Every date it is asked about, and every deadline worked out
    with it, must fall in them.
    """

    timezone: ZoneInfo
    close_of_business: dt.time
    working_week: tuple[int, ...]
    non_working_reasons: Mapping[dt.date, str]
    years: tuple[int, int]
    coverage_note: str
    _working_dates: tuple[dt.date, ...]
    """The working days in order: the kth (from 0) is the (k+1)th."""
    _first: int
    """The ordinal of 1 January of the first year covered."""
    _working: bytes
    """For each day from `_first` on, 1 where it is a working day."""
    _rank_of: dict[dt.date, int]
    """For each day of the years covered, how many working days fall on or before it since
    they began; keyed by the date, as hashing a date costs less than taking its ordinal.
    Never changed once built."""
    _settings: tuple[object, ...]

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

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Pickled as its settings: small, and unpickled through the same memo, so a policy
        # sent to a worker process shares its calendar with any other of the same settings.
        return (_build, self._settings)

    # -- days ---------------------------------------------------------------------------

    def local_date(self, moment: dt.datetime) -> dt.date:
        """The date of an aware moment in the calendar's time zone."""
        return moment.astimezone(self.timezone).date()

    def is_working_day(self, day: dt.date) -> bool:
        self._check(day)
        return bool(self._working[day.toordinal() - self._first])

    def why_not_working(self, day: dt.date) -> str | None:
        """Why a day is not a working day (a holiday's name, a closure, the weekend), or None."""
        if self.is_working_day(day):
            return None
        if day in self.non_working_reasons:
            return self.non_working_reasons[day]
        return f"not in the working week ({day_name(day)})"

    def add(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day strictly after `day` (`day` itself for n = 0).

        Whether or not `day` is a working day, it never counts: 5 working days after Friday
        18 December 2026 is Tuesday 29 December (Christmas Day and Boxing Day's substitute on
        28 December are bank holidays in England). The same cost for any n: one look-up.
        Raises ValueError for n < 0, and OutsideCalendar where `day` or the answer falls
        outside the years the calendar covers (`years`).
        """
        # One path for the common case, its lookups kept few: this is the call a dashboard
        # makes for every deadline.
        if n > 0:
            try:
                return self._working_dates[self._rank_of[day] + n - 1]
            except (KeyError, IndexError):
                pass
        if n < 0:
            raise ValueError(f"n is the number of working days to add, 0 or more, not {n}")
        self._check(day)
        if n == 0:
            return day
        try:  # a datetime, which is never equal to its date
            return self._working_dates[self._rank_of[_plain(day)] + n - 1]
        except IndexError:
            after = dt.date(self.years[1] + 1, 1, 1)
            raise OutsideCalendar(after, self, f"working day {n} after {day.isoformat()}") from None

    def between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie strictly after `start`, up to and including `end`; the
        count negated where `end` is before `start`. So `between(d, add(d, n)) == n`, and
        from a Friday to the Monday after is 1. One look-up at each end."""
        rank_of = self._rank_of
        try:
            return rank_of[end] - rank_of[start]
        except KeyError:
            self._check(start)
            self._check(end)
            return rank_of[_plain(end)] - rank_of[_plain(start)]

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        """The Nth working day strictly after `day` (n >= 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        return self.add(day, n)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """How many working days lie strictly after `start` and up to and including `end`."""
        return max(0, self.between(start, end))

    # -- moments ------------------------------------------------------------------------

    def close_of(self, day: dt.date) -> dt.datetime:
        """Close of business on a date, as an aware time in the calendar's zone."""
        return dt.datetime.combine(day, self.close_of_business, tzinfo=self.timezone)

    def check_moment(self, moment: dt.datetime) -> None:
        """Raise OutsideCalendar unless the moment's local date is in the years covered."""
        first, last = self.years
        if first < moment.year < last:
            return  # no offset moves a date by a day, let alone out of a year between these
        self._check(self.local_date(moment))

    def _check(self, day: dt.date) -> None:
        if not self.years[0] <= day.year <= self.years[1]:
            raise OutsideCalendar(day, self)


def _plain(day: dt.date) -> dt.date:
    """The date itself, of a datetime or of any other subclass of date."""
    return dt.date(day.year, day.month, day.day)


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
    (first_year, last_year), note, reasons = bank_holidays(
        country, subdivision, FIRST_YEAR, LAST_YEAR
    )
    for day in closure_dates:
        reasons.setdefault(day, "a closure date of the policy's calendar")
    first = dt.date(first_year, 1, 1).toordinal()
    last = dt.date(last_year, 12, 31).toordinal()
    week = frozenset(working_week)
    # Tables indexed by the day, so that adding or counting working days is a look-up
    # whatever the number of days: the cost a dashboard pays on every load.
    days = [dt.date.fromordinal(ordinal) for ordinal in range(first, last + 1)]
    flags = bytes(day.weekday() in week and day not in reasons for day in days)
    working = tuple(day for day, flag in zip(days, flags, strict=True) if flag)
    if not working:
        raise NoWorkingDay(
            f"no day from {first_year} to {last_year} is a working day: every day of the "
            "working week is a bank holiday or a closure date"
        )
    return WorkingCalendar(
        timezone=ZoneInfo(timezone),
        close_of_business=close_of_business,
        working_week=working_week,
        non_working_reasons=FrozenMap(
            (day, why)
            for day, why in sorted(reasons.items())
            if first_year <= day.year <= last_year
        ),
        years=(first_year, last_year),
        coverage_note=note,
        _working_dates=working,
        _first=first,
        _working=flags,
        _rank_of=dict(zip(days, itertools.accumulate(flags), strict=True)),
        _settings=(timezone, country, subdivision, working_week, closure_dates, close_of_business),
    )
