"""The quick reader: events of the usual shapes, read by hand.

Most events are of a few plain shapes: short texts, a time in the usual form with its offset,
a stage number. Those are read here, by hand, into the same model pydantic would make, in a
tenth of the time; anything else (a problem to report above all) goes to pydantic, which
stays the one judge of what is valid and says what is wrong. A test checks the two readers
make equal events from every event the history strategies generate.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic_core import PydanticUndefined

from ._events import (
    _USUAL_FORM,
    EARLIEST,
    EVENT_TYPES,
    LATEST,
    MAX_DATES,
    MAX_LONG,
    MAX_SHORT,
    MAX_TIME_TEXT,
    Event,
)

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
_LIMIT = {_SHORT: MAX_SHORT, _LONG: MAX_LONG}
_QUICK_FIELDS = {
    # Only the fields this reader knows: an event with any other, one added to the models
    # later among them, is left to pydantic.
    kind: frozenset(name for name in cls.model_fields if name in _HOW)
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
        if (
            len(value) > MAX_TIME_TEXT
            or value[-1:] not in _OFFSET_ENDS
            or not _USUAL_FORM.fullmatch(value)
        ):
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
            if type(value) is not int and (
                type(value) is not str or not 0 < len(value) <= MAX_SHORT
            ):
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
    if type(value) is not dict or len(value) > MAX_DATES:
        return None
    dates = {}
    for name, moment in value.items():
        if type(name) is not str or not 0 < len(name) <= MAX_SHORT:
            return None
        read = _quick_time(moment)
        if read is None:
            return None
        dates[name] = read
    return dates
