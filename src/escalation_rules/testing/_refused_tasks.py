"""Ways of breaking a history with one event its course refuses, about what must be done:
actions, significant harm, agreed timescales and tasks; and the raise's named dates and a
wrong `as_of`.

As in `_refusals.py`, the refused event is inserted where the course stands as the way needs,
so the error must name that one event.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from ..policy._model import Pathway
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
from ._walk import Json, Walk, stage_ref

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
