"""Ways of breaking a history with one event the course refuses, or with a wrong `as_of`.

A refused event changes nothing, so inserting one where the course stands as the way needs
leaves the rest of the history valid: the error must name that one event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from hypothesis import strategies as st

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


@way("event_after_outcome")
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


def _forbidden_targets(walk: Walk, number: int) -> list[int]:
    allowed = {number + 1, *skip_targets(walk.pathway, number)}
    rule = walk.pathway.skipping
    if rule is not None and rule.allowed == "with_reason":
        allowed = {number + 1}  # a skip without the reason the rule asks for
    return [t for t in range(number + 2, walk.pathway.last_number + 1) if t not in allowed]


@way("forbidden_skip")
def _forbidden_skip(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = open_points(walk, lambda i: bool(_forbidden_targets(walk, walk.snapshots[i].number)))
    point = pick_point(draw, points)
    if point is None:
        return None
    target = draw(st.sampled_from(_forbidden_targets(walk, walk.snapshots[point].number)))
    rule = walk.pathway.skipping
    with_reason = rule is not None and rule.allowed == "with_reason"
    event = {"type": "escalated", "to_stage": stage_ref(draw, walk.pathway, target)}
    events, index = insert(walk, point, event)
    code = "skip_needs_reason" if with_reason else "skip_not_allowed"
    return InvalidHistory("forbidden_skip", events, code, index)


def _before_last(walk: Walk) -> Callable[[int], bool]:
    return lambda i: walk.snapshots[i].number < walk.pathway.last_number


@way("stage_not_later")
def _stage_not_later(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    def event(i: int) -> Json:
        back = draw(st.integers(1, walk.snapshots[i].number))
        return {"type": "escalated", "to_stage": stage_ref(draw, walk.pathway, back)}

    points = open_points(walk, _before_last(walk))
    return inserted(draw, walk, "stage_not_later", "stage_not_later", points, event)


@way("unknown_stage")
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


@way("stage_as_boolean")
def _stage_as_boolean(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = open_points(walk, _before_last(walk))
    event = {"type": "escalated", "to_stage": True}
    return inserted(draw, walk, "stage_as_boolean", "stage_ref", points, lambda i: event)


@way("past_last_stage")
def _past_last_stage(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if not walk.snapshots[-1].open:
        return None
    events = copy_events(walk)
    last = events[-1]["at"]
    for _ in range(walk.pathway.last_number - walk.snapshots[-1].number + 1):
        events.append({"type": "escalated", "at": last})
    return InvalidHistory("past_last_stage", events, "no_further_stage", len(events) - 1)


# -- actions, significant harm, agreed timescales --------------------------------------------


@way("unknown_action")
def _unknown_action(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = list(range(len(walk.events)))
    event = {"type": "action_done", "action": NOT_AN_ID}
    return inserted(draw, walk, "unknown_action", "unknown_action", points, lambda i: event)


@way("action_not_required")
def _action_not_required(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    actions = [a.id for a in walk.pathway.all_actions()]

    def waiting(i: int) -> list[str]:
        return [a for a in actions if a not in walk.snapshots[i].triggered]

    points = [i for i in range(len(walk.events)) if waiting(i)]
    return inserted(
        draw,
        walk,
        "action_not_required",
        "action_not_required",
        points,
        lambda i: {"type": "action_done", "action": draw(st.sampled_from(waiting(i)))},
    )


@way("action_done_twice")
def _action_done_twice(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = [i for i, s in enumerate(walk.snapshots) if s.done]
    return inserted(
        draw,
        walk,
        "action_done_twice",
        "action_already_done",
        points,
        lambda i: {"type": "action_done", "action": draw(st.sampled_from(walk.snapshots[i].done))},
    )


@way("significant_harm_repeated")
def _harm_repeated(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = open_points(walk, lambda i: walk.snapshots[i].harm)
    event = {"type": "significant_harm"}
    return inserted(
        draw,
        walk,
        "significant_harm_repeated",
        "significant_harm_repeated",
        points,
        lambda i: event,
    )


@way("no_significant_harm_rule")
def _no_harm_rule(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if walk.pathway.significant_harm is not None:
        return None
    event = {"type": "significant_harm"}
    name = "no_significant_harm_rule"
    return inserted(draw, walk, name, name, open_points(walk), lambda i: event)


@way("significant_harm_to_stage")
def _harm_to_stage(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    rule = walk.pathway.significant_harm
    if rule is None or rule.jump == "discretion":
        return None
    points = open_points(walk, lambda i: not walk.snapshots[i].harm)
    return inserted(
        draw,
        walk,
        "significant_harm_to_stage",
        "to_stage_not_allowed",
        points,
        lambda i: {"type": "significant_harm", "to_stage": walk.pathway.last_number},
    )


@way("significant_harm_stage_not_later")
def _harm_backwards(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    rule = walk.pathway.significant_harm
    if rule is None or rule.jump != "discretion":
        return None

    def event(i: int) -> Json:
        back = draw(st.integers(1, walk.snapshots[i].number))
        return {"type": "significant_harm", "to_stage": stage_ref(draw, walk.pathway, back)}

    points = open_points(walk, lambda i: not walk.snapshots[i].harm)
    return inserted(
        draw, walk, "significant_harm_stage_not_later", "stage_not_later", points, event
    )


def _agreeable(walk: Walk, i: int) -> bool:
    """Whether the pathway lets the parties agree a timescale where the course stands."""
    return walk.pathway.allows_agreement(walk.snapshots[i].number)


@way("agreement_not_allowed")
def _agreement_not_allowed(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    name, code = "agreement_not_allowed", "timescale_agreement_not_allowed"

    def event(i: int) -> Json:
        return {"type": "timescale_agreed", "deadline": walk.events[i]["at"]}

    points = open_points(walk, lambda i: not _agreeable(walk, i))
    return inserted(draw, walk, name, code, points, event)


@way("agreed_deadline_before_agreement")
def _agreed_before(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    rule = walk.pathway.agreed_timescales
    if rule is None or not rule.allowed:
        return None

    def event(i: int) -> Json:
        earlier = walk.times[i].astimezone(dt.UTC) - dt.timedelta(
            minutes=draw(st.integers(1, 10**5))
        )
        return {"type": "timescale_agreed", "deadline": earlier.isoformat()}

    name, code = "agreed_deadline_before_agreement", "agreed_deadline_before_agreement"
    points = open_points(walk, lambda i: _agreeable(walk, i))
    return inserted(draw, walk, name, code, points, event)


@way("outcome_not_allowed_here")
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


@way("unknown_route")
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


@way("agreed_action_id_taken")
def _agreed_id_taken(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    ids = [a.id for a in walk.pathway.all_actions()]
    if not ids:
        return None

    def event(i: int) -> Json:
        return {
            "type": "action_agreed",
            "action": ids[draw(st.integers(0, len(ids) - 1))],
            "title": "a task",
            "deadline": walk.events[i]["at"],
        }

    return inserted(
        draw, walk, "agreed_action_id_taken", "action_id_taken", open_points(walk), event
    )


@way("unknown_date")
def _unknown_date(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    events = copy_events(walk)
    events[0] = {**events[0], "dates": {NOT_AN_ID: walk.events[0]["at"]}}
    return InvalidHistory("unknown_date", events, "unknown_date", 0)


@way("date_after_raise")
def _date_after_raise(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if not walk.pathway.dates:
        return None
    later = walk.times[0].astimezone(dt.UTC) + dt.timedelta(minutes=draw(st.integers(1, 10**4)))
    events = copy_events(walk)
    events[0] = {**events[0], "dates": {walk.pathway.dates[0].id: later.isoformat()}}
    return InvalidHistory("date_after_raise", events, "date_after_raise", 0)


# -- as_of -----------------------------------------------------------------------------------


@way("naive_as_of")
def _naive_as_of(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    as_of = walk.times[-1].replace(tzinfo=None)
    return InvalidHistory("naive_as_of", copy_events(walk), "naive_time", None, as_of)


@way("as_of_before_raised")
def _as_of_before(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    as_of = walk.times[0].astimezone(dt.UTC) - dt.timedelta(seconds=draw(st.integers(1, 10**7)))
    return InvalidHistory("as_of_before_raised", copy_events(walk), "not_raised_yet", None, as_of)
