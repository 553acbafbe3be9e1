"""Breaking a valid history in one known way: the record, the registry of ways, and the ways
that spoil one field of one event, the raised event, or the history as a whole.

Each way takes a valid walk (`_walk.py`) and returns the history broken once, or None where
it cannot apply to that walk. The ways that insert an event the course refuses are in
`_refusals.py`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hypothesis import strategies as st

from ..policy._model import Pathway, Policy
from ._walk import Json, Walk


@dataclass(frozen=True, slots=True)
class InvalidHistory:
    """A history broken in one way: `evaluate(policy, events, as_of=as_of)` must raise
    `HistoryError` with a problem of this `code` naming the event at `index` (None: the
    history as a whole)."""

    way: str
    """The way it is broken: one of `INVALID_WAYS`."""
    events: Any
    """The history: usually a list of JSON-like events; for some ways not even a list."""
    code: str
    index: int | None
    as_of: dt.datetime | None = None


Kind = Literal["shape", "field", "rule"]
KINDS: tuple[Kind, ...] = ("shape", "field", "rule")


@dataclass(frozen=True, slots=True)
class InvalidWay:
    """One way `invalid_histories` breaks a history, and what `evaluate` must then report."""

    name: str
    kind: Kind
    """`shape`: the input is not a list of event objects; `field`: one field of one event
    (or `as_of`) is missing, malformed, unknown, or names what the policy does not have;
    `rule`: every field is well formed, but an event breaks a rule of the history or the
    policy (its place, its stage, its action, its outcome)."""
    code: str
    """The problem code `HistoryError` reports for it."""
    what: str
    """What is broken, in a few words."""

    def applies_to(self, policy: Policy, pathway: str | None = None) -> bool:
        """Whether this way can break some history of `policy` (on `pathway`, if given)."""
        applies = WAYS[self.name].applies
        return any(applies(p) for p in policy.pathways if pathway in (None, p.id))


Make = Callable[[st.DrawFn, Walk], InvalidHistory | None]
Applies = Callable[[Pathway], bool]
Aim = Callable[[Pathway], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Way:
    info: InvalidWay
    make: Make
    applies: Applies
    """Whether the way can apply to some history of the pathway."""
    aim: Aim
    """The options of `histories` that give a history the way applies to."""


WAYS: dict[str, Way] = {}

_NOT_A_FIELD = ("colour", "stage", "when", "pathway_id", "notes", "Type")
NOT_AN_ID = "No such thing"  # not an id (ids are lower-case), so no policy can have it


def _always(pathway: Pathway) -> bool:
    return True


def _no_aim(pathway: Pathway) -> dict[str, Any]:
    return {}


def way(
    name: str,
    kind: Kind,
    code: str,
    what: str,
    applies: Applies = _always,
    aim: Aim = _no_aim,
) -> Callable[[Make], Make]:
    def register(make: Make) -> Make:
        WAYS[name] = Way(InvalidWay(name, kind, code, what), make, applies, aim)
        return make

    return register


def copy_events(walk: Walk) -> list[Json]:
    return [dict(event) for event in walk.events]


def any_index(draw: st.DrawFn, walk: Walk) -> int:
    return draw(st.sampled_from(range(len(walk.events))))


def pick_point(draw: st.DrawFn, options: Sequence[int]) -> int | None:
    return draw(st.sampled_from(options)) if options else None


def insert(walk: Walk, after: int, event: Json) -> tuple[list[Json], int]:
    """The history with `event` right after event `after`, at the same time."""
    events = copy_events(walk)
    events.insert(after + 1, {**event, "at": walk.events[after]["at"]})
    return events, after + 1


def open_points(walk: Walk, when: Callable[[int], bool] = lambda i: True) -> list[int]:
    return [i for i, s in enumerate(walk.snapshots) if s.open and when(i)]


def inserted(
    draw: st.DrawFn,
    walk: Walk,
    name: str,
    code: str,
    points: list[int],
    event: Callable[[int], Json],
) -> InvalidHistory | None:
    point = pick_point(draw, points)
    if point is None:
        return None
    events, index = insert(walk, point, event(point))
    return InvalidHistory(name, events, code, index)


# -- one event spoilt ------------------------------------------------------------------------


def _spoilt(
    name: str, code: str, what: str, spoil: Callable[[st.DrawFn, Walk, Json, int], None]
) -> None:
    def make(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
        events = copy_events(walk)
        index = any_index(draw, walk)
        spoil(draw, walk, events[index], index)
        return InvalidHistory(name, events, code, index)

    way(name, "field", code, what)(make)


def _naive(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    event["at"] = walk.times[index].replace(tzinfo=None).isoformat()


def _number_time(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    event["at"] = int(walk.times[index].timestamp())


def _words_time(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    event["at"] = draw(st.sampled_from(("next Tuesday", "", "2026-13-01T10:00:00+00:00")))


def _unknown_field(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    event[draw(st.sampled_from(_NOT_A_FIELD))] = "x"


def _unknown_type(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    event["type"] = draw(st.sampled_from(("rised", "escalate", "closed", "Resolved", "")))


def _missing_time(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    del event["at"]


def _long_text(draw: st.DrawFn, walk: Walk, event: Json, index: int) -> None:
    event["by"] = "x" * 201


_spoilt("naive_time", "naive_time", "an event's time without a UTC offset", _naive)
_spoilt("time_as_number", "time_type", "an event's time as a number", _number_time)
_spoilt("time_not_iso", "time_format", "an event's time not in ISO 8601", _words_time)
_spoilt("unknown_field", "unknown_field", "a field no event has", _unknown_field)
_spoilt("unknown_type", "unknown_event_type", "an event type that does not exist", _unknown_type)
_spoilt("missing_time", "missing_field", "an event without its time", _missing_time)
_spoilt("text_too_long", "invalid_field", "free text over its length", _long_text)


def _agreed(pathway: Pathway) -> dict[str, Any]:
    return {"agreed_actions": True}  # at least two events


@way(
    "duplicate_id",
    "rule",
    "duplicate_event_id",
    "two events with one id",
    aim=_agreed,
)
def _duplicate_id(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if len(walk.events) < 2:
        return None
    later = draw(st.integers(1, len(walk.events) - 1))
    earlier = draw(st.integers(0, later - 1))
    events = copy_events(walk)
    shared = events[earlier].setdefault("id", "shared id")
    events[later]["id"] = shared
    return InvalidHistory("duplicate_id", events, "duplicate_event_id", later)


@way("event_not_an_object", "shape", "event_not_an_object", "an event that is not an object")
def _not_an_object(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    events: list[Any] = copy_events(walk)
    index = any_index(draw, walk)
    events[index] = draw(st.sampled_from((42, "raised", None, [], True)))
    return InvalidHistory("event_not_an_object", events, "event_not_an_object", index)


@way("empty_history", "shape", "empty_history", "no events at all")
def _empty(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    return InvalidHistory("empty_history", [], "empty_history", None)


@way("not_a_list", "shape", "history_not_a_list", "a history that is not a list")
def _not_a_list(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    whole = draw(st.sampled_from((walk.events[0], "[]", b"[]", 42)))
    return InvalidHistory("not_a_list", whole, "history_not_a_list", None)


# -- the raised event ------------------------------------------------------------------------


def _raised_field(name: str, field: str, code: str, what: str) -> None:
    def make(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
        events = copy_events(walk)
        events[0][field] = NOT_AN_ID
        return InvalidHistory(name, events, code, 0)

    way(name, "field", code, what)(make)


_raised_field("unknown_pathway", "pathway", "unknown_pathway", "a pathway the policy lacks")
_raised_field("unknown_category", "category", "unknown_category", "a category the pathway lacks")


@way("first_not_raised", "rule", "first_not_raised", "an event before the raise")
def _first_not_raised(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    events = copy_events(walk)
    before = walk.times[0].astimezone(dt.UTC) - dt.timedelta(minutes=draw(st.integers(1, 600)))
    kind = draw(st.sampled_from(("escalated", "withdrawn", "resolved")))
    events.insert(0, {"type": kind, "at": before.isoformat()})
    return InvalidHistory("first_not_raised", events, "first_not_raised", 0)


@way("raised_twice", "rule", "raised_twice", "a second raised event")
def _raised_twice(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = list(range(len(walk.events)))
    return inserted(
        draw, walk, "raised_twice", "raised_twice", points, lambda i: {"type": "raised"}
    )


def _counts_working_days(pathway: Pathway) -> bool:
    # Only a working-day rule needs the calendar.
    return pathway.stages[0].holder().timescale.kind in ("working_days", "same_working_day")


@way(
    "outside_calendar",
    "field",
    "outside_calendar",
    "a raise in a year the calendar does not cover",
    applies=_counts_working_days,
)
def _outside_calendar(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    events = copy_events(walk)
    events[0]["at"] = walk.times[0].replace(year=1999, month=6, day=1).isoformat()
    events[0].pop("dates", None)  # dates stay at or before the raise
    return InvalidHistory("outside_calendar", events, "outside_calendar", 0)
