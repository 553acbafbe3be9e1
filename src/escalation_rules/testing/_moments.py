"""Moments worth testing: weekends, bank holidays, clock changes and close of business.

Times are drawn in the policy's own zone and calendar, so that a history's events and
deadlines fall where the time rules are easiest to get wrong: the day before a bank holiday,
a Friday evening, the hour the clocks go back, one minute either side of close of business.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Sequence
from typing import TypeVar
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from ..policy._model import Policy
from ..time._calendar import WorkingCalendar

FIRST_YEAR = 2001
LAST_YEAR = 2095
"""Generated histories start within these years, so that even a year-long timescale from the
last event stays inside the years the working-day calendar covers (2000-2099)."""

_OFFSETS: tuple[dt.tzinfo, ...] = (
    dt.UTC,
    dt.timezone(dt.timedelta(hours=1)),
    dt.timezone(dt.timedelta(hours=5, minutes=30)),
    dt.timezone(dt.timedelta(hours=-8)),
    dt.timezone(dt.timedelta(hours=14)),
    dt.timezone(dt.timedelta(hours=-12)),
)
"""Offsets a moment may be written in besides the policy's zone: the same instant, other text."""

_MINUTE = dt.timedelta(minutes=1)
T = TypeVar("T")


@functools.lru_cache(maxsize=512)
def _clock_change_days(zone: str, year: int) -> tuple[dt.date, ...]:
    """The days of `year` on which the zone's UTC offset changes (in its small hours)."""
    tz = ZoneInfo(zone)
    days = []
    day = dt.date(year, 1, 1)
    before = dt.datetime.combine(day, dt.time(12), tz).utcoffset()
    while day.year == year:
        day += dt.timedelta(days=1)
        offset = dt.datetime.combine(day, dt.time(12), tz).utcoffset()
        if offset != before:
            days.append(day)
            before = offset
    return tuple(days)


def _closed_days(policy: Policy) -> tuple[dt.date, ...]:
    return _closed_days_of(policy.working_calendar)


@functools.lru_cache(maxsize=64)
def _closed_days_of(calendar: WorkingCalendar) -> tuple[dt.date, ...]:
    # Keyed by the calendar, which policies with the same calendar share (a policy itself
    # is not hashable: role titles are a read-only mapping).
    reasons = calendar.non_working_reasons
    return tuple(day for day in reasons if FIRST_YEAR <= day.year <= LAST_YEAR)


def pick(draw: st.DrawFn, options: Sequence[T]) -> T:
    """One of `options` (not empty), each about as often as any other: Hypothesis draws
    `integers(0, n)` with a strong lean to 0 (one option of 33 drawn 25 times as often as
    another, where `sampled_from` keeps it within 6 times)."""
    return draw(st.sampled_from(options))


@functools.lru_cache(maxsize=64)
def _edges(close_of_business: dt.time) -> tuple[dt.time, ...]:
    cob = dt.datetime.combine(dt.date(2000, 1, 1), close_of_business)
    edges = {(cob - _MINUTE).time(), cob.time(), (cob + _MINUTE).time()}
    return tuple(sorted(edges | set(_SMALL_HOURS) | {dt.time(0, 0), dt.time(23, 59)}))


_SMALL_HOURS = (dt.time(0, 30), dt.time(1, 0), dt.time(1, 30), dt.time(2, 30))


def _time_of_day(draw: st.DrawFn, policy: Policy) -> dt.time:
    """Close of business or a minute either side, midnight, the small hours, or any time."""
    if draw(st.booleans()):
        return pick(draw, _edges(policy.calendar.close_of_business))
    seconds = draw(st.sampled_from((0, 0, 0, 30, 59)))
    return dt.time(draw(st.integers(0, 23)), draw(st.integers(0, 59)), seconds)


def _day(draw: st.DrawFn, policy: Policy) -> dt.date:
    """A local date: anywhere, near a closed day, near a clock change, or at a weekend."""
    closed = _closed_days(policy)
    kind = pick(draw, ("any", "closed", "clock", "weekend"))
    if kind == "closed" and closed:
        return pick(draw, closed) + dt.timedelta(days=draw(st.integers(-3, 3)))
    year = draw(st.integers(FIRST_YEAR, LAST_YEAR))
    changes = _clock_change_days(policy.calendar.timezone, year)
    if kind == "clock" and changes:
        return pick(draw, changes) + dt.timedelta(days=draw(st.integers(-1, 1)))
    day = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
    if kind == "weekend":  # the Friday to the Monday around it
        return day - dt.timedelta(days=day.weekday()) + dt.timedelta(days=draw(st.integers(4, 7)))
    return day


def _local(policy: Policy, day: dt.date, time: dt.time, fold: int) -> dt.datetime:
    tz = ZoneInfo(policy.calendar.timezone)
    return dt.datetime.combine(day, time, tz).replace(fold=fold)


def first_moment(draw: st.DrawFn, policy: Policy) -> dt.datetime:
    """A moment to raise an escalation at, in the policy's zone."""
    day = _day(draw, policy)
    return _local(policy, day, _time_of_day(draw, policy), draw(st.integers(0, 1)))


_LATER = ("minutes", "hours", "days", "close_of_business", "closed", "clock")


def later_moment(draw: st.DrawFn, policy: Policy, after: dt.datetime, ties: bool) -> dt.datetime:
    """A moment at or after `after` (strictly after unless `ties`), at most about 60 days on."""
    kind = pick(draw, ("same", *_LATER) if ties else _LATER)
    tz = ZoneInfo(policy.calendar.timezone)
    day = after.astimezone(tz).date()
    # Elapsed time is added in UTC: added to a zoned time, Python adds to the wall clock.
    if kind == "same":
        return after
    if kind == "minutes":
        return _utc(after) + dt.timedelta(minutes=draw(st.integers(1, 59)))
    if kind == "hours":
        return _utc(after) + dt.timedelta(hours=draw(st.integers(1, 72)))
    if kind == "close_of_business":
        day += dt.timedelta(days=draw(st.integers(0, 10)))
        cob = dt.datetime.combine(day, policy.calendar.close_of_business, tz)
        moment = _utc(cob) + _MINUTE * draw(st.integers(-1, 1))
    elif kind == "closed":
        closed = _closed_days(policy)
        lo = bisect.bisect_left(closed, day)
        hi = bisect.bisect_right(closed, day + dt.timedelta(days=60))
        target = pick(draw, closed[lo:hi]) if hi > lo else day + dt.timedelta(days=1)
        shift = dt.timedelta(days=draw(st.integers(-1, 1)))
        moment = _local(policy, target + shift, _time_of_day(draw, policy), 0)
    elif kind == "clock":
        changes = [
            d
            for year in (day.year, day.year + 1)
            for d in _clock_change_days(policy.calendar.timezone, year)
            if day <= d <= day + dt.timedelta(days=60)
        ]
        target = pick(draw, changes) if changes else day
        # Any minute of the small hours, on either side of the change (`fold`): two events
        # in the hour that happens twice are where comparing wall clocks goes wrong.
        small = dt.time(draw(st.integers(0, 3)), draw(st.integers(0, 59)))
        moment = _local(policy, target, small, draw(st.integers(0, 1)))
    else:
        day += dt.timedelta(days=draw(st.integers(1, 30)))
        moment = _local(policy, day, _time_of_day(draw, policy), 0)
    # Compare instants in UTC: within one zone Python compares wall times and ignores `fold`,
    # so 01:45 BST would seem later than 01:30 GMT on the night the clocks go back.
    if _utc(moment) > _utc(after):
        return moment
    return _utc(after) + dt.timedelta(minutes=draw(st.integers(1, 600)))


def in_some_offset(draw: st.DrawFn, moment: dt.datetime) -> dt.datetime:
    """The same instant, as it is or written in one of `_OFFSETS`."""
    offset = pick(draw, (None, *_OFFSETS))
    return moment if offset is None else moment.astimezone(offset)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def moments(
    policy: Policy, after: dt.datetime | None = None, *, ties: bool = False
) -> st.SearchStrategy[dt.datetime]:
    """Aware moments where the policy's time rules are easiest to get wrong.

    Without `after`: a moment in the years 2001-2095, on a weekend, a bank holiday or closure
    date of the policy's calendar (or a few days either side), a clock change, or any day, at
    close of business or a minute either side, midnight, the small hours or any time.
    With `after`: a later moment, at most about 60 days on (the same moment too, if `ties`).
    The moment is written in the policy's zone, or in UTC or another fixed offset (+01:00,
    +05:30, -08:00, +14:00, -12:00): the same instant, other text.

    Drawn like this, `as_of` lands within a minute of a deadline in about 1-4% of examples;
    to test what happens at a deadline, draw it with `deadline_moments` or `cases`.
    """
    return _moments(policy, after, ties)


@st.composite
def _moments(draw: st.DrawFn, policy: Policy, after: dt.datetime | None, ties: bool) -> dt.datetime:
    if after is None:
        return in_some_offset(draw, first_moment(draw, policy))
    return in_some_offset(draw, later_moment(draw, policy, after, ties))


def as_text(moment: dt.datetime, z: bool = False) -> str:
    """ISO 8601 text with the offset, as a JSON history writes it (`Z` for UTC if asked)."""
    text = moment.isoformat()
    if z and text.endswith("+00:00"):
        return text[: -len("+00:00")] + "Z"
    return text
