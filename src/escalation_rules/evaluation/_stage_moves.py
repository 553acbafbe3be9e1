"""Moving between stages: entering one, passing over stages, escalating, significant harm.

Entering a stage closes the one before, works out the new deadline and triggers the actions
that entering (or reaching) it requires. Each rule here returns the next state or raises
`Refusal`, like those of `_event_rules.py`, which registers them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from .._phrase import Phrase, Text
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
    role_title,
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
    now_at = Phrase(
        _now_at,
        ctx,
        (state.agency, state.receiving_agency),
        pathway,
        number,
        taken.title if taken else None,
        holder.responsible,
        describe_deadline(ctx, deadline),
    )
    state = state.noted(index, event.id, at, now_at, holder.source, event)
    return _trigger_at(ctx, state, pathway.entering_actions(number), at, index, event)


def _now_at(
    ctx: Context,
    agencies: tuple[str | None, str | None],
    pathway: Pathway,
    number: int,
    route_title: str | None,
    responsible: str,
    deadline: Text,
) -> str:
    return (
        f"Now at {stage_label(pathway, number, ctx.policy.words.stage.lower())}"
        + (f", by the route {route_title!r}" if route_title else "")
        + f", held by {role_title(ctx, *agencies, responsible)}; {deadline}."
    )


def leave(ctx: Context, state: State, at: dt.datetime, index: int, event: Any) -> State:
    """Leave the current stage at `at` (by a move or an outcome); its actions may lapse."""
    visit = state.current
    left = visit.leaving(at, Mark.of(event, index))
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
        state = state.replace_action(item.lapsing(at))
    for item in lapsing:
        lapsed = Phrase(_no_longer_owed, item.action.lapses, item.action.title)
        state = state.noted(index, event.id, at, lapsed, item.action.source, event)
    return state


def _no_longer_owed(lapses: str, title: str) -> str:
    rule = "its stage was left" if lapses == "on_leaving_stage" else "the escalation ended"
    return f"No longer owed, as {rule}: {title}."


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
    visit = state.current  # triggering actions changes neither the stage nor its holder
    holder = state.pathway.step(visit.number).holder(visit.route)
    agencies = (state.agency, state.receiving_agency)
    for action in actions:
        if state.action(action.id) is not None:
            continue  # each action is required once per escalation
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
        required = Phrase(
            _required_of,
            ctx,
            agencies,
            role_id,
            action.title,
            describe_deadline(ctx, deadline),
        )
        state = state.noted(index, event.id, at, required, action.source, event)
    return state


def _required_of(
    ctx: Context,
    agencies: tuple[str | None, str | None],
    role_id: str,
    title: str,
    deadline: Text,
) -> str:
    return f"Required of {role_title(ctx, *agencies, role_id)}: {title}; {deadline}."


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
    identified = Phrase(_identified, ctx, pathway, current, target)
    state = state.noted(index, event.id, event.at, identified, rule.source, event)
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
        stands = Phrase(_earlier_stands, describe_deadline(ctx, deadline), visit.deadline, ctx)
        return state.noted(index, event.id, event.at, stands, timescale.source, event)
    hastened = visit._replace(
        deadline=deadline.at,
        counted_from=deadline.start,
        why=Phrase(_on_significant_harm, deadline.basis),
        source=timescale.source,
        working_days=deadline.working_days,
    )
    state = state.evolve(visits=(*state.visits[:-1], hastened))
    now = Phrase(_hastened, describe_deadline(ctx, deadline))
    return state.noted(index, event.id, event.at, now, timescale.source, event)


def _earlier_stands(deadline: Text, own: dt.datetime, ctx: Context) -> str:
    return (
        f"On significant harm the stage is {deadline}; the stage's own deadline, "
        f"{show(own, ctx.calendar)}, is earlier and stands."
    )


def _on_significant_harm(basis: Text) -> str:
    return f"on significant harm: {basis}"


def _hastened(deadline: Text) -> str:
    return f"On significant harm the stage is now {deadline}."


def _identified(ctx: Context, pathway: Pathway, current: int, target: int) -> str:
    words = ctx.policy.words
    return f"A {words.significant_harm} was identified" + (
        f"; the matter goes at once to {stage_label(pathway, target, words.stage.lower())}."
        if target != current
        else f"; the {words.stage.lower()} does not change."
    )
