"""Moving between stages: entering one, passing over stages, escalating, significant harm.

Entering a stage closes the one before, works out the new deadline and triggers the actions
that entering (or reaching) it requires. Each rule here returns the next state or raises
`Refusal`, like those of `_event_rules.py`, which registers them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from .._suggestions import did_you_mean
from ..history._events import (
    Escalated,
    SignificantHarm,
)
from ..policy._model import OUTCOMES, Pathway, RequiredAction
from ..time._calendar import instant
from ..time._deadlines import show
from ._state import (
    ActionState,
    Context,
    Mark,
    Refusal,
    State,
    Visit,
    describe_deadline,
    stage_label,
    work_out,
)


def enter(
    ctx: Context,
    state: State,
    number: int,
    at: dt.datetime,
    index: int,
    event: Any,
    route: str | None = None,
) -> State:
    """Enter stage `number` (on `route`) at `at`, leaving the stage before."""
    pathway = state.pathway
    step = pathway.step(number)
    holder = step.holder(route)
    if state.visits:
        state = leave(ctx, state, at, index, event)
    deadline, state = work_out(ctx, state, holder.timescale, at, number)
    visit = Visit(
        number,
        holder.route,
        at,
        None,
        deadline.at,
        deadline.start,
        deadline.basis,
        holder.timescale.source,
        Mark.of(event, index),
        working_days=deadline.working_days,
    )
    state = state.evolve(visits=(*state.visits, visit))
    taken = step.route(holder.route) if holder.route else None
    state = state.noted(
        index,
        event.id,
        at,
        f"Now at {stage_label(pathway, number, ctx.policy.words.stage.lower())}"
        + (f", by the route {taken.title!r}" if taken else "")
        + f", held by {state.role_title(ctx, holder.responsible)}; "
        f"{describe_deadline(ctx, deadline)}.",
        holder.source,
        event,
    )
    reached = (a for a in pathway.actions if a.fires_on_entering(pathway, number))
    return _trigger_at(ctx, state, reached, at, index, event)


def leave(ctx: Context, state: State, at: dt.datetime, index: int, event: Any) -> State:
    """Leave the current stage at `at` (by a move or an outcome); its actions may lapse."""
    visit = state.current
    left = dataclasses.replace(visit, left_at=at, left=Mark.of(event, index))
    state = state.evolve(visits=(*state.visits[:-1], left))
    ending = event.type in OUTCOMES
    return lapse(
        ctx,
        state,
        at,
        index,
        event,
        lambda item: (
            (item.action.lapses == "on_leaving_stage" and item.stage_number == visit.number)
            or (ending and item.action.lapses == "on_end")
        ),
    )


def lapse(
    ctx: Context,
    state: State,
    at: dt.datetime,
    index: int,
    event: Any,
    which: Callable[[ActionState], bool],
) -> State:
    """Mark the outstanding actions `which` selects as lapsed at `at`."""
    lapsing = [item for item in state.actions if item.outstanding and which(item)]
    if not lapsing:
        return state
    for item in lapsing:
        state = state.replace_action(dataclasses.replace(item, lapsed_at=at))
    for item in lapsing:
        rule = (
            "its stage was left"
            if item.action.lapses == "on_leaving_stage"
            else "the escalation ended"
        )
        state = state.noted(
            index,
            event.id,
            at,
            f"No longer owed, as {rule}: {item.action.title}.",
            item.action.source,
            event,
        )
    return state


def trigger(
    ctx: Context, state: State, actions: Iterable[RequiredAction], event: Any, index: int
) -> State:
    return _trigger_at(ctx, state, actions, event.at, index, event)


def _trigger_at(
    ctx: Context,
    state: State,
    actions: Iterable[RequiredAction],
    at: dt.datetime,
    index: int,
    event: Any,
) -> State:
    for action in actions:
        if state.action(action.id) is not None:
            continue  # each action is required once per escalation
        visit = state.current
        holder = state.pathway.step(visit.number).holder(visit.route)
        role_id = action.role or holder.responsible
        deadline, state = work_out(ctx, state, action.timescale, at, visit.number)
        item = ActionState(
            action,
            role_id,
            at,
            visit.number,
            deadline.at,
            deadline.start,
            deadline.basis,
            working_days=deadline.working_days,
        )
        state = state.add_action(item)
        state = state.noted(
            index,
            event.id,
            at,
            f"Required of {state.role_title(ctx, role_id)}: "
            f"{action.title}; {describe_deadline(ctx, deadline)}.",
            action.source,
            event,
        )
    return state


def require_open(state: State, what: str) -> None:
    if state.status != "open":
        raise Refusal(
            "event_after_outcome",
            f"the escalation already ended ({state.status}, event {state.ended_by}); "
            f"no {what} may follow, only action_done",
        )


def _stage_number(pathway: Pathway, ref: int | str) -> int:
    if isinstance(ref, int):
        if 1 <= ref <= pathway.last_number:
            return ref
        raise Refusal(
            "unknown_stage",
            f"pathway {pathway.id!r} has stages 1 to {pathway.last_number}, not {ref}",
        )
    number = pathway.number_of(ref)
    if number is None:
        ids = [s.id for s in pathway.stages]
        if pathway.final_referral is not None:
            ids.append(pathway.final_referral.id)
        hint = "write the stage number as a number, not text; " if ref.isdigit() else ""
        raise Refusal(
            "unknown_stage",
            f"pathway {pathway.id!r} has no stage {ref!r}"
            + did_you_mean(ref, ids)
            + f"; {hint}its stages are: "
            + ", ".join(ids),
        )
    return number


def _check_skip(state: State, target: int, event: Escalated) -> str | None:
    """Refuse a skip the pathway forbids; return the rule's source where one allowed it."""
    current = state.current.number
    if target <= current + 1:
        return None
    pathway = state.pathway
    rule = pathway.skipping
    skipped = f"from {stage_label(pathway, current)} to {stage_label(pathway, target)}"
    if rule is None or rule.allowed == "never":
        where = f" ({rule.source})" if rule else ""
        raise Refusal(
            "skip_not_allowed",
            f"this pathway takes stages in order{where}; escalating {skipped} passes over "
            f"stages; escalate to stage {current + 1} first",
        )
    if rule.allowed == "with_reason" and event.reason is None:
        raise Refusal(
            "skip_needs_reason",
            f"escalating {skipped} passes over stages, which this policy allows only with a "
            f"reason ({rule.source}); add a reason to the event",
        )
    if rule.allowed == "to_named_stages":
        allowed = [pathway.number_of(s) for s in rule.to_stages]
        if target not in allowed:
            raise Refusal(
                "skip_not_allowed",
                f"escalating {skipped} passes over stages; this policy allows going directly "
                f"only to stages {', '.join(str(n) for n in allowed)} ({rule.source})",
            )
    return rule.source


def escalated(ctx: Context, state: State, event: Escalated, index: int) -> State:
    require_open(state, "escalation")
    pathway = state.pathway
    current = state.current.number
    if current == pathway.last_number:
        raise Refusal(
            "no_further_stage",
            (
                f"the matter is already at {stage_label(pathway, current)}; there is no "
                "further stage"
                if pathway.final_referral is not None
                else f"stage {current} is the last stage and this pathway has no final referral"
            )
            + "; record the outcome instead (resolved, resolved_with_dissent or withdrawn)",
        )
    target = current + 1 if event.to_stage is None else _stage_number(pathway, event.to_stage)
    if target <= current:
        raise Refusal(
            "stage_not_later",
            f"stages never go back: the matter is at {stage_label(pathway, current)}, and "
            f"{stage_label(pathway, target)} is not later",
        )
    skip_source = _check_skip(state, target, event)
    route = _route(pathway, target, event.route)
    if skip_source is not None:
        state = state.noted(
            index,
            event.id,
            event.at,
            "Stages passed over, as the policy allows"
            + (f": {event.reason}" if event.reason else "")
            + ".",
            skip_source,
            event,
        )
    return enter(ctx, state, target, event.at, index, event, route)


def _route(pathway: Pathway, target: int, route: str | None) -> str | None:
    """The route an `escalated` event names, checked against the stage it enters."""
    if route is None:
        return None
    step = pathway.step(target)
    label = stage_label(pathway, target)
    ids = [r.id for r in step.routes]
    if not ids:
        raise Refusal(
            "unknown_route",
            f"{label} offers no routes; leave route out",
        )
    if route not in ids:
        raise Refusal(
            "unknown_route",
            f"{label} has no route {route!r}{did_you_mean(route, ids)}; its routes are: "
            + ", ".join(ids),
        )
    return route


def significant_harm(ctx: Context, state: State, event: SignificantHarm, index: int) -> State:
    require_open(state, "significant_harm event")
    pathway = state.pathway
    rule = pathway.significant_harm
    if rule is None:
        raise Refusal(
            "no_significant_harm_rule",
            f"the {pathway.id!r} pathway has no significant-harm rule; raise the concern through "
            "child protection procedures and record it on the pathway that has the rule",
        )
    if state.significant_harm:
        raise Refusal(
            "significant_harm_repeated",
            "significant harm has already been identified in this escalation; record it once",
        )
    if event.to_stage is not None and rule.jump != "discretion":
        raise Refusal(
            "to_stage_not_allowed",
            "this policy does not leave the stage to the raiser's discretion on significant "
            f"harm ({rule.source}); leave to_stage out",
        )
    current = state.current.number
    target = current
    if rule.jump == "fixed" and rule.to_stage is not None:
        target = max(current, pathway.number_of(rule.to_stage) or current)
    elif rule.jump == "discretion" and event.to_stage is not None:
        target = _stage_number(pathway, event.to_stage)
        if target <= current:
            raise Refusal(
                "stage_not_later",
                f"stages never go back: the matter is at {stage_label(pathway, current)}, and "
                f"{stage_label(pathway, target)} is not later; leave to_stage out to stay",
            )
    state = state.evolve(significant_harm=True)
    words = ctx.policy.words
    state = state.noted(
        index,
        event.id,
        event.at,
        f"A {words.significant_harm} was identified"
        + (
            f"; the matter goes at once to {stage_label(pathway, target, words.stage.lower())}."
            if target != current
            else f"; the {words.stage.lower()} does not change."
        ),
        rule.source,
        event,
    )
    if target != current:
        state = enter(ctx, state, target, event.at, index, event)
    if rule.timescale is not None:
        state = _hasten(ctx, state, rule.timescale, event, index)
    if rule.required_action is not None:
        state = trigger(ctx, state, (rule.required_action,), event, index)
    return state


def _hasten(
    ctx: Context, state: State, timescale: Any, event: SignificantHarm, index: int
) -> State:
    """Apply the significant-harm timescale to the current stage, never lengthening it."""
    visit = state.current
    deadline, state = work_out(ctx, state, timescale, event.at, visit.number)
    if deadline.at is None:
        return state.noted(
            index,
            event.id,
            event.at,
            f"On significant harm the document says {deadline.wording!r} but sets no "
            "timescale, so the stage's deadline stands.",
            timescale.source,
            event,
        )
    if visit.deadline is not None and instant(visit.deadline) <= instant(deadline.at):
        return state.noted(
            index,
            event.id,
            event.at,
            f"On significant harm the stage is {describe_deadline(ctx, deadline)}; the stage's "
            f"own deadline, {show(visit.deadline, ctx.calendar)}, is earlier and stands.",
            timescale.source,
            event,
        )
    hastened = dataclasses.replace(
        visit,
        deadline=deadline.at,
        counted_from=deadline.start,
        why=f"on significant harm: {deadline.basis}",
        source=timescale.source,
        working_days=deadline.working_days,
    )
    state = state.evolve(visits=(*state.visits[:-1], hastened))
    return state.noted(
        index,
        event.id,
        event.at,
        f"On significant harm the stage is now {describe_deadline(ctx, deadline)}.",
        timescale.source,
        event,
    )
