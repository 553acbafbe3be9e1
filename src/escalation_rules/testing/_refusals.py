"""Ways of breaking a history with one event its course refuses: a move of stage, a skip, an
outcome, or a route the policy does not allow where the course stands.

A refused event changes nothing, so inserting one where the course stands as the way needs
leaves the rest of the history valid: the error must name that one event. The ways about
actions, significant harm, agreements, named dates and `as_of` are in `_refused_tasks.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from ..policy._model import Pathway
from ._aims import OUTCOMES
from ._breaking import (
    NOT_AN_ID,
    InvalidHistory,
    copy_events,
    insert,
    inserted,
    open_points,
    pick_point,
    way,
)
from ._walk import Json, Walk, allowed_outcomes, skip_targets, stage_ref

# -- events the course refuses ---------------------------------------------------------------


def _ends(pathway: Pathway) -> dict[str, Any]:
    return {"outcome": st.sampled_from(OUTCOMES)}


def _open(pathway: Pathway) -> dict[str, Any]:
    return {"outcome": "open"}


def _several_stages(pathway: Pathway) -> bool:
    return pathway.last_number >= 2


@way(
    "event_after_outcome",
    "rule",
    "event_after_outcome",
    "an event other than action_done after the outcome",
    aim=_ends,
)
def _after_outcome(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    events = copy_events(walk)
    last = events[-1]["at"]
    if walk.snapshots[-1].open:
        allowed = allowed_outcomes(walk.pathway, walk.snapshots[-1].number)
        if not allowed:
            return None
        events.append({"type": draw(st.sampled_from(allowed)), "at": last})
    kind = draw(st.sampled_from(("escalated", "significant_harm", "timescale_agreed", "resolved")))
    event: Json = {"type": kind, "at": last}
    if kind == "timescale_agreed":
        event["deadline"] = last
    events.append(event)
    return InvalidHistory("event_after_outcome", events, "event_after_outcome", len(events) - 1)


def _with_reason(pathway: Pathway) -> bool:
    rule = pathway.skipping
    return rule is not None and rule.allowed == "with_reason"


def _forbidden_targets(pathway: Pathway, number: int) -> list[int]:
    """Stages past the next that an escalation from `number` may not skip to (without the
    reason the rule asks for, where it asks for one)."""
    allowed = (
        {number + 1} if _with_reason(pathway) else {number + 1, *skip_targets(pathway, number)}
    )
    return [t for t in range(number + 2, pathway.last_number + 1) if t not in allowed]


def _skips(walk: Walk, name: str, code: str, draw: st.DrawFn) -> InvalidHistory | None:
    pathway = walk.pathway
    points = open_points(
        walk, lambda i: bool(_forbidden_targets(pathway, walk.snapshots[i].number))
    )
    point = pick_point(draw, points)
    if point is None:
        return None
    target = draw(st.sampled_from(_forbidden_targets(pathway, walk.snapshots[point].number)))
    event = {"type": "escalated", "to_stage": stage_ref(draw, pathway, target)}
    events, index = insert(walk, point, event)
    return InvalidHistory(name, events, code, index)


@way(
    "forbidden_skip",
    "rule",
    "skip_not_allowed",
    "a skip of stages the pathway does not allow",
    applies=lambda p: not _with_reason(p) and bool(_forbidden_targets(p, 1)),
)
def _forbidden_skip(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    return _skips(walk, "forbidden_skip", "skip_not_allowed", draw)


@way(
    "skip_without_reason",
    "rule",
    "skip_needs_reason",
    "a skip of stages without the reason the pathway asks for",
    applies=lambda p: _with_reason(p) and bool(_forbidden_targets(p, 1)),
)
def _skip_without_reason(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    return _skips(walk, "skip_without_reason", "skip_needs_reason", draw)


def _before_last(walk: Walk) -> Callable[[int], bool]:
    return lambda i: walk.snapshots[i].number < walk.pathway.last_number


@way(
    "stage_not_later",
    "rule",
    "stage_not_later",
    "an escalation to a stage not later than the current one",
    applies=_several_stages,
)
def _stage_not_later(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    def event(i: int) -> Json:
        back = draw(st.integers(1, walk.snapshots[i].number))
        return {"type": "escalated", "to_stage": stage_ref(draw, walk.pathway, back)}

    points = open_points(walk, _before_last(walk))
    return inserted(draw, walk, "stage_not_later", "stage_not_later", points, event)


@way(
    "unknown_stage",
    "field",
    "unknown_stage",
    "an escalation to a stage the pathway lacks",
    applies=_several_stages,
)
def _unknown_stage(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    wrong = (walk.pathway.last_number + 1, 0, -1, NOT_AN_ID, "2")
    points = open_points(walk, _before_last(walk))
    return inserted(
        draw,
        walk,
        "unknown_stage",
        "unknown_stage",
        points,
        lambda i: {"type": "escalated", "to_stage": draw(st.sampled_from(wrong))},
    )


@way(
    "stage_as_boolean",
    "field",
    "stage_ref",
    "a stage given as true or false",
    applies=_several_stages,
)
def _stage_as_boolean(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = open_points(walk, _before_last(walk))
    event = {"type": "escalated", "to_stage": True}
    return inserted(draw, walk, "stage_as_boolean", "stage_ref", points, lambda i: event)


@way(
    "past_last_stage",
    "rule",
    "no_further_stage",
    "an escalation past the last stage",
    aim=_open,
)
def _past_last_stage(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if not walk.snapshots[-1].open:
        return None
    events = copy_events(walk)
    last = events[-1]["at"]
    for _ in range(walk.pathway.last_number - walk.snapshots[-1].number + 1):
        events.append({"type": "escalated", "at": last})
    return InvalidHistory("past_last_stage", events, "no_further_stage", len(events) - 1)


def _restricted(pathway: Pathway) -> list[int]:
    """The stages where some outcome may not be recorded."""
    numbers = range(1, pathway.last_number + 1)
    return [
        n
        for n in numbers
        if any(not pathway.allows_outcome(r.outcome, n) for r in pathway.outcomes)
    ]


@way(
    "outcome_not_allowed_here",
    "rule",
    "outcome_not_allowed_here",
    "an outcome at a stage where the pathway does not allow it",
    applies=lambda p: bool(_restricted(p)),
    aim=lambda p: {"stage": st.sampled_from(_restricted(p))},
)
def _outcome_not_allowed(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    pathway = walk.pathway
    if not pathway.outcomes:
        return None
    outcome = pathway.outcomes[draw(st.integers(0, len(pathway.outcomes) - 1))].outcome
    points = open_points(
        walk, lambda i: not pathway.allows_outcome(outcome, walk.snapshots[i].number)
    )
    return inserted(
        draw,
        walk,
        "outcome_not_allowed_here",
        "outcome_not_allowed_here",
        points,
        lambda i: {"type": outcome},
    )


@way(
    "unknown_route",
    "field",
    "unknown_route",
    "an escalation on a route the stage lacks",
    applies=_several_stages,
)
def _unknown_route(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    last = walk.pathway.last_number
    points = open_points(walk, lambda i: walk.snapshots[i].number < last)
    return inserted(
        draw,
        walk,
        "unknown_route",
        "unknown_route",
        points,
        lambda i: {"type": "escalated", "route": NOT_AN_ID},
    )
