"""Ways of breaking a history with one event the course refuses, or with a wrong `as_of`.

A refused event changes nothing, so inserting one where the course stands as the way needs
leaves the rest of the history valid: the error must name that one event.
"""

from __future__ import annotations

import datetime as dt
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


# -- actions, significant harm, agreed timescales --------------------------------------------


@way("unknown_action", "field", "unknown_action", "action_done for an action nobody has")
def _unknown_action(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    points = list(range(len(walk.events)))
    event = {"type": "action_done", "action": NOT_AN_ID}
    return inserted(draw, walk, "unknown_action", "unknown_action", points, lambda i: event)


def _harm_action(pathway: Pathway) -> bool:
    rule = pathway.significant_harm
    return rule is not None and rule.required_action is not None


def _not_on_raise(pathway: Pathway) -> bool:
    """Whether the pathway has an action the raise does not trigger."""
    return _harm_action(pathway) or any(
        action.when != "raised" and not action.fires_on_entering(pathway, 1)
        for action in pathway.actions
    )


@way(
    "action_not_required",
    "rule",
    "action_not_required",
    "action_done for an action not yet triggered",
    applies=_not_on_raise,
    aim=lambda p: {"significant_harm": False} if _harm_action(p) else {},
)
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


@way(
    "action_done_twice",
    "rule",
    "action_already_done",
    "action_done twice for one action",
    aim=lambda p: {"agreed_actions": True},
)
def _action_done_twice(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    # Done once in the history already, or done twice over where it is still due.
    points = [i for i, s in enumerate(walk.snapshots) if s.done or s.pending]
    point = pick_point(draw, points)
    if point is None:
        return None
    snapshot = walk.snapshots[point]
    action = draw(st.sampled_from(snapshot.done + snapshot.pending))
    events, index = insert(walk, point, {"type": "action_done", "action": action})
    if action in snapshot.pending:
        events.insert(index + 1, dict(events[index]))
        index += 1
    return InvalidHistory("action_done_twice", events, "action_already_done", index)


@way(
    "significant_harm_repeated",
    "rule",
    "significant_harm_repeated",
    "significant harm identified twice",
    applies=lambda p: p.significant_harm is not None,
    aim=lambda p: {"significant_harm": True},
)
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


@way(
    "no_significant_harm_rule",
    "rule",
    "no_significant_harm_rule",
    "significant harm where the pathway has no rule for it",
    applies=lambda p: p.significant_harm is None,
)
def _no_harm_rule(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if walk.pathway.significant_harm is not None:
        return None
    event = {"type": "significant_harm"}
    name = "no_significant_harm_rule"
    return inserted(draw, walk, name, name, open_points(walk), lambda i: event)


@way(
    "significant_harm_to_stage",
    "rule",
    "to_stage_not_allowed",
    "significant harm naming a stage where the rule names none",
    applies=lambda p: p.significant_harm is not None and p.significant_harm.jump != "discretion",
    aim=lambda p: {"significant_harm": False},
)
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


@way(
    "significant_harm_stage_not_later",
    "rule",
    "stage_not_later",
    "significant harm naming a stage not later than the current one",
    applies=lambda p: p.significant_harm is not None and p.significant_harm.jump == "discretion",
    aim=lambda p: {"significant_harm": False},
)
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


def _stages_where(pathway: Pathway, agreeable: bool) -> list[int]:
    numbers = range(1, pathway.last_number + 1)
    return [n for n in numbers if pathway.allows_agreement(n) == agreeable]


@way(
    "agreement_not_allowed",
    "rule",
    "timescale_agreement_not_allowed",
    "a timescale agreed where the pathway provides for none",
    applies=lambda p: bool(_stages_where(p, False)),
    aim=lambda p: {"stage": st.sampled_from(_stages_where(p, False))},
)
def _agreement_not_allowed(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    name, code = "agreement_not_allowed", "timescale_agreement_not_allowed"

    def event(i: int) -> Json:
        return {"type": "timescale_agreed", "deadline": walk.events[i]["at"]}

    points = open_points(walk, lambda i: not _agreeable(walk, i))
    return inserted(draw, walk, name, code, points, event)


@way(
    "agreed_deadline_before_agreement",
    "rule",
    "agreed_deadline_before_agreement",
    "a timescale agreed with a deadline before the agreement",
    applies=lambda p: bool(_stages_where(p, True)),
    aim=lambda p: {"stage": st.sampled_from(_stages_where(p, True))},
)
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


@way(
    "agreed_action_id_taken",
    "rule",
    "action_id_taken",
    "an agreed action with the id of one of the policy's",
    applies=lambda p: bool(p.all_actions()),
)
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


@way("unknown_date", "field", "unknown_date", "a named date the pathway does not ask for")
def _unknown_date(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    events = copy_events(walk)
    events[0] = {**events[0], "dates": {NOT_AN_ID: walk.events[0]["at"]}}
    return InvalidHistory("unknown_date", events, "unknown_date", 0)


@way(
    "date_after_raise",
    "rule",
    "date_after_raise",
    "a named date after the raise",
    applies=lambda p: bool(p.dates),
)
def _date_after_raise(draw: st.DrawFn, walk: Walk) -> InvalidHistory | None:
    if not walk.pathway.dates:
        return None
    later = walk.times[0].astimezone(dt.UTC) + dt.timedelta(minutes=draw(st.integers(1, 10**4)))
    events = copy_events(walk)
    events[0] = {**events[0], "dates": {walk.pathway.dates[0].id: later.isoformat()}}
    return InvalidHistory("date_after_raise", events, "date_after_raise", 0)


# -- as_of -----------------------------------------------------------------------------------


@way("naive_as_of", "field", "naive_time", "as_of without a UTC offset")
def _naive_as_of(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    as_of = walk.times[-1].replace(tzinfo=None)
    return InvalidHistory("naive_as_of", copy_events(walk), "naive_time", None, as_of)


@way("as_of_before_raised", "rule", "not_raised_yet", "as_of before the raise")
def _as_of_before(draw: st.DrawFn, walk: Walk) -> InvalidHistory:
    as_of = walk.times[0].astimezone(dt.UTC) - dt.timedelta(seconds=draw(st.integers(1, 10**7)))
    return InvalidHistory("as_of_before_raised", copy_events(walk), "not_raised_yet", None, as_of)
