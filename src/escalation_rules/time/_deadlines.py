"""Where a deadline falls: the time rules (docs/time-rules.md), one function per timescale kind.

Every function takes the moment the timescale counts from (where a clock starts is the
evaluation's to choose: it knows the stages entered and the dates given) and returns the
deadline as an aware time in the policy's zone, or None for an unspecified timescale,
together with a sentence saying how it was worked out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, NamedTuple

from .._phrase import Phrase, Text
from ._calendar import WorkingCalendar, instant
from ._timescales import (
    CalendarDays,
    Hours,
    Immediately,
    SameWorkingDay,
    Timescale,
    Unspecified,
    WorkingDays,
)
from ._words import short_date, short_moment


class Deadline(NamedTuple):
    """A worked-out deadline: when (None if the document sets none), how, its words, and the
    instant its clock started (None where there is no deadline).

    A named tuple, not a frozen dataclass: as immutable, and made in a third of the time (a
    frozen dataclass sets each field through `object.__setattr__`), which was a tenth of the
    time of evaluating a history, with its visits' and actions' records."""

    at: dt.datetime | None
    basis: Text
    """How it was worked out, made when first read."""
    wording: str | None = None
    start: dt.datetime | None = None
    working_days: bool = False
    """Counted in working days, so that the days between that are not working days were
    passed over (`passed_over` names them)."""


def show(moment: dt.datetime, calendar: WorkingCalendar) -> str:
    """A moment as a person reads it, in the policy's zone: `Mon 21 Dec 2026 17:00 GMT`."""
    return short_moment(moment.astimezone(calendar.timezone))


def plural(n: int, word: str) -> str:
    """`1 working day`, `5 working days`."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _working_days(t: WorkingDays, start: dt.datetime, cal: WorkingCalendar) -> Deadline:
    day = cal.nth_working_day_after(cal.local_date(start), t.days)
    basis = Phrase(_working_days_basis, t, start, cal)
    return Deadline(cal.close_of(day), basis, start=start, working_days=True)


def _working_days_basis(t: WorkingDays, start: dt.datetime, cal: WorkingCalendar) -> str:
    return (
        f"{plural(t.days, 'working day')} from {show(start, cal)}: close of business on "
        f"the {_ordinal(t.days)} working day after {short_date(cal.local_date(start))}"
    )


def _hours(t: Hours, start: dt.datetime, cal: WorkingCalendar) -> Deadline:
    # Elapsed hours: add in UTC, so a clock change in between neither adds nor loses an hour.
    at = (start.astimezone(dt.UTC) + dt.timedelta(hours=t.hours)).astimezone(cal.timezone)
    return Deadline(at, Phrase(_hours_basis, t, start, cal), start=start)


def _hours_basis(t: Hours, start: dt.datetime, cal: WorkingCalendar) -> str:
    return f"{plural(t.hours, 'hour')} from {show(start, cal)}"


def _calendar_days(t: CalendarDays, start: dt.datetime, cal: WorkingCalendar) -> Deadline:
    day = cal.local_date(start) + dt.timedelta(days=t.days)
    return Deadline(
        cal.close_of(day), Phrase(_calendar_days_basis, t, start, day, cal), start=start
    )


def _calendar_days_basis(
    t: CalendarDays, start: dt.datetime, day: dt.date, cal: WorkingCalendar
) -> str:
    return (
        f"{plural(t.days, 'calendar day')} from {show(start, cal)}: close of business on "
        f"{short_date(day)}"
    )


def _same_working_day(t: SameWorkingDay, start: dt.datetime, cal: WorkingCalendar) -> Deadline:
    day = cal.local_date(start)
    if cal.is_working_day(day) and instant(start) < instant(cal.close_of(day)):
        basis = Phrase(_same_day_basis, start, cal)
        return Deadline(cal.close_of(day), basis, start=start, working_days=True)
    nxt = cal.nth_working_day_after(day, 1)
    basis = Phrase(_next_day_basis, start, day, nxt, cal)
    return Deadline(cal.close_of(nxt), basis, start=start, working_days=True)


def _same_day_basis(start: dt.datetime, cal: WorkingCalendar) -> str:
    return f"the same working day as {show(start, cal)}"


def _next_day_basis(start: dt.datetime, day: dt.date, nxt: dt.date, cal: WorkingCalendar) -> str:
    reason = (
        "after close of business"
        if cal.is_working_day(day)
        else f"not a working day: {cal.why_not_working(day)}"
    )
    return (
        f"the same working day as {show(start, cal)}, which is {reason}, so close of "
        f"business on the next working day, {short_date(nxt)}"
    )


def _immediately(t: Immediately, start: dt.datetime, cal: WorkingCalendar) -> Deadline:
    basis = Phrase(_immediately_basis, start, cal)
    return Deadline(start.astimezone(cal.timezone), basis, start=start)


def _immediately_basis(start: dt.datetime, cal: WorkingCalendar) -> str:
    return f"immediately: at {show(start, cal)}"


def _unspecified(t: Unspecified, start: dt.datetime, cal: WorkingCalendar) -> Deadline:
    return Deadline(None, Phrase(_unspecified_basis, t.wording), t.wording)


def _unspecified_basis(wording: str) -> str:
    return f"no deadline is set; the document says: {wording!r}"


_RULES: dict[type[Any], Callable[[Any, dt.datetime, WorkingCalendar], Deadline]] = {
    WorkingDays: _working_days,
    Hours: _hours,
    CalendarDays: _calendar_days,
    SameWorkingDay: _same_working_day,
    Immediately: _immediately,
    Unspecified: _unspecified,
}


def deadline_for(timescale: Timescale, calendar: WorkingCalendar, start: dt.datetime) -> Deadline:
    """The deadline a timescale sets, counting from `start`.

    Raises OutsideCalendar where the start or the deadline falls outside the years the
    calendar covers: no deadline is given that the calendar could not vouch for.
    """
    calendar.check_moment(start)
    worked = _RULES[type(timescale)](timescale, start, calendar)
    if worked.at is not None:
        calendar.check_moment(worked.at)
    return worked


def passed_over(
    calendar: WorkingCalendar, start: dt.datetime, deadline: dt.datetime
) -> list[dt.date]:
    """The days after `start`'s date, up to `deadline`'s, that are not working days: the
    weekend days, bank holidays and closures a count of working days passed over."""
    first, last = calendar.local_date(start), calendar.local_date(deadline)
    days = (first + dt.timedelta(days=n) for n in range(1, (last - first).days + 1))
    return [day for day in days if not calendar.is_working_day(day)]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
