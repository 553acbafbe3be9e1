"""The public working-day arithmetic, `policy.working_calendar.add` and `.between`, against
a plain day loop: every start date from 2019 to 2035 and every N from 0 to 30."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import bundled

from escalation_rules import EscalationRulesError, OutsideCalendar, WorkingCalendar

START, END = dt.date(2019, 1, 1), dt.date(2035, 12, 31)


def loop_add(calendar: WorkingCalendar, day: dt.date, n: int) -> dt.date:
    week, closed = set(calendar.working_week), calendar.non_working_reasons
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() in week and day not in closed:
            n -= 1
    return day


def calendars() -> list[WorkingCalendar]:
    four_days = WorkingCalendar.build(
        timezone="Europe/London",
        country="GB",
        subdivision="SCT",
        working_week=(0, 1, 2, 3),
        closure_dates=(dt.date(2026, 12, 24), dt.date(2027, 1, 4)),
        close_of_business=dt.time(16, 30),
    )
    return [bundled("newcastle").working_calendar, four_days]


@pytest.mark.parametrize("calendar", calendars(), ids=["england", "scotland_four_days"])
def test_adding_working_days_agrees_with_a_day_loop(calendar: WorkingCalendar) -> None:
    day = START
    while day <= END:
        expected = day
        for n in range(31):
            if n:
                expected = loop_add(calendar, expected, 1)
            assert calendar.add(day, n) == expected, (day, n)
            assert calendar.between(day, expected) == n, (day, n)
            assert calendar.between(expected, day) == -n, (day, n)
        day += dt.timedelta(days=1)


def test_counting_working_days_agrees_with_a_day_loop() -> None:
    calendar = bundled("newcastle").working_calendar
    week, closed = set(calendar.working_week), calendar.non_working_reasons
    for start in (dt.date(2026, 12, 18), dt.date(2026, 12, 25), dt.date(2027, 3, 26)):
        count = 0
        for offset in range(1, 60):
            day = start + dt.timedelta(days=offset)
            count += day.weekday() in week and day not in closed
            assert calendar.between(start, day) == count


def test_worked_examples_from_the_time_rules() -> None:
    calendar = bundled("newcastle").working_calendar
    # Friday 18 December 2026: 25 and 28 December are bank holidays in England.
    assert calendar.add(dt.date(2026, 12, 18), 5) == dt.date(2026, 12, 29)
    assert calendar.add(dt.date(2026, 12, 19), 1) == dt.date(2026, 12, 21)  # from a Saturday
    assert calendar.add(dt.date(2026, 12, 25), 0) == dt.date(2026, 12, 25)
    assert calendar.between(dt.date(2026, 12, 18), dt.date(2026, 12, 21)) == 1
    assert calendar.between(dt.date(2026, 12, 24), dt.date(2026, 12, 28)) == 0


def test_the_edges_of_the_calendar_are_refused() -> None:
    calendar = bundled("newcastle").working_calendar
    with pytest.raises(ValueError, match="0 or more"):
        calendar.add(dt.date(2026, 12, 18), -1)
    with pytest.raises(OutsideCalendar, match="outside the years 2000-2099"):
        calendar.add(dt.date(2099, 12, 30), 5)
    with pytest.raises(OutsideCalendar) as caught:
        calendar.between(dt.date(1999, 12, 31), dt.date(2026, 1, 1))
    assert isinstance(caught.value, EscalationRulesError)
    assert caught.value.code == "outside_calendar"


def test_a_datetime_counts_as_its_date() -> None:
    # A datetime is a date to Python but never equal to one: it is looked up by its date.
    calendar = bundled("newcastle").working_calendar
    moment = dt.datetime(2026, 12, 18, 16, 59)
    assert calendar.add(moment, 5) == calendar.add(moment.date(), 5) == dt.date(2026, 12, 29)
    assert calendar.between(moment, dt.datetime(2026, 12, 29, 9)) == 5
    assert calendar.between(moment, dt.date(2026, 12, 29)) == 5
