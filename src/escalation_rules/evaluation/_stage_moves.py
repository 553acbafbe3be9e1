"""Moving between stages: entering one, passing over stages, escalating, significant harm.

Entering a stage closes the one before, works out the new deadline and triggers the actions
that entering (or reaching) it requires. Each rule here returns the next state or raises
`Refusal`, like those of `_event_rules.py`, which registers them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from .._suggestions import did_you_mean
from ..history._events import (
    Escalated,
    SignificantHarm,
)
from ..policy._model import Pathway, RequiredAction
from ..time._calendar import instant
from ..time._deadlines import show
from ._state import (
    ActionState,
    Context,
    Refusal,
    State,
    Visit,
    describe_deadline,
    stage_deadline,
    stage_label,
)


def enter(
    ctx: Context,
    state: State,
    number: int,
    at: dt.datetime,
    index: int,
    event_id: str | None,
) -> State:
    pathway = state.pathway
    step = pathway.step(number)
    deadline = stage_deadline(ctx, step.timescale, at, state.raised_at)
    visits = state.visits
    if visits:
        visits = (*visits[:-1], leave(visits[-1], at))
    visit = Visit(number, at, None, deadline.at, deadline.basis, step.timescale.source)
    state = state.evolve(visits=(*visits, visit))
    role = ctx.policy.role(step.responsible)
    state = state.noted(
        index,
        event_id,
        at,
        f"Now at {stage_label(pathway, number)}, held by "
        f"{role.title_for(state.agency) if role else step.responsible}; "
        f"{describe_deadline(ctx, deadline)}.",
        step.source,
    )
    reached = (a for a in pathway.actions if a.fires_on_entering(pathway, number))
    return _trigger_at(ctx, state, reached, at, index, event_id)


def leave(visit: Visit, at: dt.datetime) -> Visit:
    return Visit(visit.number, visit.entered_at, at, visit.deadline, visit.why, visit.source)


def trigger(
    ctx: Context, state: State, actions: Iterable[RequiredAction], event: Any, index: int
) -> State:
    return _trigger_at(ctx, state, actions, event.at, index, event.id)


def _trigger_at(
    ctx: Context,
    state: State,
    actions: Iterable[RequiredAction],
    at: dt.datetime,
    index: int,
    event_id: str | None,
) -> State:
    for action in actions:
        if state.action(action.id) is not None:
            continue  # each action is required once per escalation
        role_id = action.role or state.pathway.step(state.current.number).responsible
        deadline = stage_deadline(ctx, action.timescale, at, state.raised_at)
        item = ActionState(action, role_id, at, deadline.at, deadline.basis)
        state = state.evolve(actions=(*state.actions, item))
        role = ctx.policy.role(role_id)
        state = state.noted(
            index,
            event_id,
            at,
            f"Required of {role.title_for(state.agency) if role else role_id}: "
            f"{action.title}; {describe_deadline(ctx, deadline)}.",
            action.source,
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
    if skip_source is not None:
        state = state.noted(
            index,
            event.id,
            event.at,
            "Stages passed over, as the policy allows"
            + (f": {event.reason}" if event.reason else "")
            + ".",
            skip_source,
        )
    return enter(ctx, state, target, event.at, index, event.id)


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
    state = state.noted(
        index,
        event.id,
        event.at,
        "A risk of significant harm was identified"
        + (
            f"; the matter goes at once to {stage_label(pathway, target)}."
            if target != current
            else "; the stage does not change."
        ),
        rule.source,
    )
    if target != current:
        state = enter(ctx, state, target, event.at, index, event.id)
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
    deadline = stage_deadline(ctx, timescale, event.at, state.raised_at)
    if deadline.at is None:
        return state.noted(
            index,
            event.id,
            event.at,
            f"On significant harm the document says {deadline.wording!r} but sets no "
            "timescale, so the stage's deadline stands.",
            timescale.source,
        )
    if visit.deadline is not None and instant(visit.deadline) <= instant(deadline.at):
        return state.noted(
            index,
            event.id,
            event.at,
            f"On significant harm the stage is {describe_deadline(ctx, deadline)}; the stage's "
            f"own deadline, {show(visit.deadline, ctx.calendar)}, is earlier and stands.",
            timescale.source,
        )
    hastened = Visit(
        visit.number,
        visit.entered_at,
        visit.left_at,
        deadline.at,
        f"on significant harm: {deadline.basis}",
        timescale.source,
    )
    state = state.evolve(visits=(*state.visits[:-1], hastened))
    return state.noted(
        index,
        event.id,
        event.at,
        f"On significant harm the stage is now {describe_deadline(ctx, deadline)}.",
        timescale.source,
    )
