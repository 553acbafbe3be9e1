"""A walk through one pathway: a valid history drawn event by event, with the course it took.

The walk follows the event rules (`evaluation/_event_rules.py`) from the policy object
alone: which events may come next, which stages an escalation may reach (the next one, a
skip where the pathway's skipping rule allows it, the stage its significant-harm rule names
or leaves to discretion), which required actions are triggered and when. After each event it
records a `Snapshot` of the course so far, which `invalid_histories` uses to break a history
in one known way at a point where that way applies.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from ..policy._model import Pathway, Policy, Role
from ..time._calendar import FIRST_YEAR
from ._aims import OPEN, Aims, HistoryOptions, draw_aims, with_microseconds
from ._moments import as_text, first_moment, in_some_offset, later_moment, pick

Json = dict[str, Any]

_TERMINAL = ("resolved", "resolved_with_dissent", "withdrawn")
_CALENDAR_START = dt.datetime(FIRST_YEAR, 1, 2, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The course after one event: stage number, status, significant harm, actions."""

    number: int
    status: str
    harm: bool
    triggered: tuple[str, ...]
    done: tuple[str, ...]

    @property
    def open(self) -> bool:
        return self.status == "open"

    @property
    def pending(self) -> tuple[str, ...]:
        return tuple(a for a in self.triggered if a not in self.done)


@dataclass(frozen=True, slots=True)
class Walk:
    """A valid history (in time order), the instant of each event, and the course after each."""

    policy: Policy
    pathway: Pathway
    events: tuple[Json, ...]
    times: tuple[dt.datetime, ...]
    snapshots: tuple[Snapshot, ...]


@dataclass(slots=True)
class _Course:
    pathway: Pathway
    policy_roles: tuple[Role, ...]
    aims: Aims
    number: int = 0
    status: str = "open"
    harm: bool = False
    triggered: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    agreed: int = 0

    def enter(self, number: int) -> None:
        self.number = number
        for action in self.pathway.actions:
            if action.fires_on_entering(self.pathway, number):
                self.trigger(action.id)

    def trigger(self, action_id: str) -> None:
        if action_id not in self.triggered:
            self.triggered.append(action_id)

    def snapshot(self) -> Snapshot:
        return Snapshot(
            self.number, self.status, self.harm, tuple(self.triggered), tuple(self.done)
        )

    def harm_target(self) -> int:
        """The stage significant harm would move the escalation to from where it stands (the
        furthest it might, where the rule leaves it to discretion)."""
        rule = self.pathway.significant_harm
        assert rule is not None
        if rule.jump == "fixed" and rule.to_stage is not None:
            return max(self.number, self.pathway.number_of(rule.to_stage) or self.number)
        return self.number

    def needs(self) -> list[str]:
        """The kinds of event the aims still need before the outcome."""
        aims, kinds = self.aims, []
        if self.number < aims.stage:
            kinds.append("escalated")
        if aims.harm is True and not self.harm:
            kinds.append("significant_harm")
        if aims.agreed is True and self.agreed == 0:
            kinds.append("action_agreed")
        return kinds

    def choices(self) -> list[str]:
        """The kinds of event that may come next, short of the outcome, within the aims."""
        pathway, aims = self.pathway, self.aims
        kinds = []
        if self.status == "open":
            if self.number < aims.stage:
                kinds.append("escalated")
            harm_allowed = pathway.significant_harm is not None and aims.harm is not False
            if harm_allowed and not self.harm and self.harm_target() <= aims.stage:
                kinds.append("significant_harm")
            if pathway.allows_agreement(self.number):
                kinds.append("timescale_agreed")
            if aims.agreed is not False:
                kinds.append("action_agreed")
        if any(a not in self.done for a in self.triggered):
            kinds.append("action_done")
        return kinds


def allowed_outcomes(pathway: Pathway, number: int) -> list[str]:
    """The outcomes the pathway allows at stage `number`."""
    return [outcome for outcome in _TERMINAL if pathway.allows_outcome(outcome, number)]


_text = st.text(min_size=1, max_size=40)
_TEXTS = ("plan agreed", "Senior manager's decision", "é", "\u2028", " ")


def _some_text(draw: st.DrawFn) -> str:
    return draw(_text) if draw(st.booleans()) else pick(draw, _TEXTS)


def stage_ref(draw: st.DrawFn, pathway: Pathway, number: int) -> int | str:
    """A stage written as its number or its id, as an event may give it."""
    return number if draw(st.booleans()) else pathway.step(number).id


def skip_targets(pathway: Pathway, number: int) -> list[int]:
    """Stages past the next one that the pathway's skipping rule lets an escalation reach."""
    rule = pathway.skipping
    if rule is None or rule.allowed == "never":
        return []
    if rule.allowed == "with_reason":
        return list(range(number + 2, pathway.last_number + 1))
    named = (pathway.number_of(stage) for stage in rule.to_stages)
    return sorted({n for n in named if n is not None and n > number + 1})


def _escalated(draw: st.DrawFn, course: _Course, event: Json) -> None:
    pathway, number, aims = course.pathway, course.number, course.aims
    targets = [t for t in [number + 1, *skip_targets(pathway, number)] if t <= aims.stage]
    target = pick(draw, targets)
    skip = target > number + 1
    if skip or draw(st.booleans()):
        event["to_stage"] = stage_ref(draw, pathway, target)
    rule = pathway.skipping
    if (skip and rule is not None and rule.allowed == "with_reason") or draw(st.booleans()):
        event["reason"] = _some_text(draw)
    routes = [r.id for r in pathway.step(target).routes]
    named = aims.routes if aims.routes is not None else draw(st.booleans())
    if named and routes:
        event["route"] = pick(draw, routes)
    course.enter(target)


def _significant_harm(draw: st.DrawFn, course: _Course, event: Json) -> None:
    pathway, number = course.pathway, course.number
    rule = pathway.significant_harm
    assert rule is not None
    target = course.harm_target()
    last = course.aims.stage
    if rule.jump == "discretion" and number < last and draw(st.booleans()):
        target = draw(st.integers(number + 1, last))
        event["to_stage"] = stage_ref(draw, pathway, target)
    course.harm = True
    if target != number:
        course.enter(target)
    if rule.required_action is not None:
        course.trigger(rule.required_action.id)


def _raised(draw: st.DrawFn, policy: Policy, course: _Course, event: Json) -> None:
    pathway, aims = course.pathway, course.aims
    if pathway.id != policy.default_pathway.id or draw(st.booleans()):
        event["pathway"] = pathway.id
    if aims.agency is not None:
        event["agency"] = aims.agency
    if aims.receiving_agency is not None:
        event["receiving_agency"] = aims.receiving_agency
    if pathway.dates and aims.dates is not False:
        # Filled in with times at or before the raise once the raise has its time.
        every = aims.dates is True
        if every or draw(st.booleans()):
            event["dates"] = {d.id: None for d in pathway.dates if every or draw(st.booleans())}
    categories = [c.id for c in pathway.categories]
    if draw(st.booleans()) and categories:
        event["category"] = pick(draw, categories)
    course.enter(1)
    for action in pathway.actions:
        if action.when == "raised":
            course.trigger(action.id)


def _next_event(draw: st.DrawFn, course: _Course, kind: str, at: dt.datetime) -> Json:
    event: Json = {"type": kind}
    if kind == "escalated":
        _escalated(draw, course, event)
    elif kind == "significant_harm":
        _significant_harm(draw, course, event)
    elif kind == "timescale_agreed":
        minutes = draw(st.integers(0, 60 * 24 * 60)) if draw(st.booleans()) else 0
        deadline = in_some_offset(draw, at.astimezone(dt.UTC) + dt.timedelta(minutes=minutes))
        event["deadline"] = as_text(deadline, z=draw(st.booleans()))
    elif kind == "action_agreed":
        course.agreed += 1
        event["action"] = f"agreed_{course.agreed}"
        event["title"] = _some_text(draw)
        minutes = draw(st.integers(0, 60 * 24 * 30))
        deadline = in_some_offset(draw, at.astimezone(dt.UTC) + dt.timedelta(minutes=minutes))
        event["deadline"] = as_text(deadline, z=draw(st.booleans()))
        if draw(st.booleans()):
            event["role"] = pick(draw, [r.id for r in course.policy_roles])
        course.trigger(event["action"])
    elif kind == "action_done":
        event["action"] = pick(draw, [a for a in course.triggered if a not in course.done])
        course.done.append(event["action"])
    else:
        course.status = kind
        for action in course.pathway.actions:
            if action.fires_on_outcome(course.pathway, kind, course.number):
                course.trigger(action.id)
    return event


@st.composite
def walks(
    draw: st.DrawFn, policy: Policy, options: HistoryOptions, *, max_events: int = 12
) -> Walk:
    """A valid history on one pathway that meets the options' aims, with its course: at most
    `max_events` events, or more where the aims need them."""
    aims = draw_aims(draw, policy, options)
    course = _Course(aims.pathway, policy.roles, aims)
    at = first_moment(draw, policy)
    if aims.fractional:
        at = with_microseconds(draw, at)
    first: Json = {"type": "raised"}
    _raised(draw, policy, course, first)
    # A named date falls at or before the raise, within the calendar's years.
    room = int((at.astimezone(dt.UTC) - _CALENDAR_START).total_seconds() // 60)
    for name in first.get("dates", {}):
        before = dt.timedelta(minutes=draw(st.integers(0, max(0, min(60 * 24 * 45, room)))))
        first["dates"][name] = as_text(in_some_offset(draw, at.astimezone(dt.UTC) - before))
    events, times, snapshots = [first], [at], [course.snapshot()]

    def add(kind: str) -> None:
        nonlocal at
        later = later_moment(draw, policy, at, aims.ties is not False)
        if aims.fractional and later != at:
            later = with_microseconds(draw, later)
        at = later
        events.append(_next_event(draw, course, kind, at))
        times.append(at)
        snapshots.append(course.snapshot())

    # Before the outcome: events of any kind the aims allow, then those they still need.
    free = draw(st.integers(0, max_events - 1))
    if aims.ties is True:
        free = max(free, 1)  # a tie needs a second event
    while True:
        needed = course.needs()
        kinds = course.choices() if len(events) <= free else needed
        if not kinds:
            break
        add(pick(draw, kinds))
    if aims.outcome != OPEN:
        add(aims.outcome)
        # Required actions may still be done after the outcome.
        for _ in range(draw(st.integers(0, 2))):
            if course.choices():
                add("action_done")
    if aims.ties is True and len(set(times)) == len(times):
        # One event moved back to the time of the one before: the order stays valid.
        index = draw(st.integers(1, len(times) - 1))
        times[index] = times[index - 1]
    for event, moment in zip(events, times, strict=True):
        event["at"] = as_text(in_some_offset(draw, moment), z=draw(st.booleans()))
    _decorate(draw, events)
    return Walk(policy, aims.pathway, tuple(events), tuple(times), tuple(snapshots))


def _decorate(draw: st.DrawFn, events: list[Json]) -> None:
    """Give some events an `id` (unique in the history), a `by` and a `note`."""
    used: set[str] = set()
    for index, event in enumerate(events):
        if draw(st.booleans()):
            event_id = _some_text(draw)
            while event_id in used:
                event_id = f"{event_id} {index}"
            event["id"] = event_id
            used.add(event_id)
        if draw(st.booleans()):
            event["by"] = _some_text(draw)
        if draw(st.booleans()):
            event["note"] = _some_text(draw)
