"""Dates and times in English words, the same whatever the process's locale.

`strftime`'s `%a`, `%A`, `%b` and `%B` follow the locale an application has set (`setlocale`),
so an integrator's French or German locale would change the explanations, and whatever
depends on their text, without changing the policy or the history. These tables do not. They
are also several times quicker than `strftime`, which the fold calls a dozen times a history.
"""

from __future__ import annotations

import datetime as dt

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


_SHORT_DAYS = tuple(day[:3] for day in DAYS)
_SHORT_MONTHS = tuple(month[:3] for month in MONTHS)


def short_date(day: dt.date) -> str:
    """`Fri 25 Dec 2026`."""
    return (
        f"{_SHORT_DAYS[day.weekday()]} {day.day:02d} {_SHORT_MONTHS[day.month - 1]} {day.year:04d}"
    )


def short_moment(local: dt.datetime) -> str:
    """`Fri 25 Dec 2026 17:00 GMT`: `short_date` and `clock` in one, as the explanations
    show a moment a dozen times a history."""
    return (
        f"{_SHORT_DAYS[local.weekday()]} {local.day:02d} {_SHORT_MONTHS[local.month - 1]} "
        f"{local.year:04d} {local.hour:02d}:{local.minute:02d} {local.tzname() or ''}"
    ).rstrip()


def long_date(day: dt.date) -> str:
    """`Friday 25 December 2026`."""
    return f"{DAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]} {day.year:04d}"


def clock(local: dt.datetime) -> str:
    """`17:00 GMT`: the local time and its zone's abbreviation."""
    return f"{local.hour:02d}:{local.minute:02d} {local.tzname() or ''}".rstrip()


def day_name(day: dt.date) -> str:
    """`Friday`."""
    return DAYS[day.weekday()]
