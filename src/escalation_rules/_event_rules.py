"""What each event does to the state: one small function per event type, in one table.

A rule returns the next state, or raises `Refusal` with a code and a message that says what
is wrong and what the history should say instead. It never changes the state it was given.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from typing import Any

from ._calendar import instant
from ._deadlines import show
from ._events import (
    ActionDone,
    Escalated,
    Raised,
    SignificantHarm,
    TimescaleAgreed,
)
from ._policy_model import Pathway, RequiredAction, TriggeredAction
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

Rule = Callable[[Context, State, Any, int], State]


# -- opening --------------------------------------------------------------------------------


def open_escalation(ctx: Context, event: Raised, index: int) -> tuple[State, list[Refusal]]:
    """The state a `raised` event opens, and the non-fatal problems it has."""
    policy = ctx.policy
    pathway = policy.default_pathway
    if event.pathway is not None:
        found = policy.pathway(event.pathway)
        if found is None:
            raise Refusal(
                "unknown_pathway",
                f"this policy has no pathway {event.pathway!r}; "
                + _suggest(event.pathway, (p.id for p in policy.pathways))
                + f"leave it out for the default, {policy.default_pathway.id!r}",
            )
        pathway = found
    problems: list[Refusal] = []
    agency = event.agency
    agency_ids = [a.id for a in policy.agency_types]
    if agency is not None and agency not in agency_ids:
        problems.append(
            Refusal(
                "unknown_agency",
                f"this policy has no agency type {agency!r}; "
                + _suggest(agency, agency_ids)
                + (
                    "its agency types are: " + ", ".join(agency_ids)
                    if agency_ids
                    else "it names no agency types, so leave agency out"
                ),
            )
        )
        agency = None
    category = event.category
    category_ids = [c.id for c in pathway.categories]
    if category is not None and category not in category_ids:
        problems.append(
            Refusal(
                "unknown_category",
                f"pathway {pathway.id!r} has no category {category!r}; "
                + _suggest(category, category_ids)
                + (
                    "its categories are: " + ", ".join(category_ids)
                    if category_ids
                    else "it lists no categories, so leave category out"
                ),
            )
        )
        category = None
    state = State(
        pathway=pathway,
        raised_at=event.at,
        agency=agency,
        category=category,
        status="open",
        ended_by=None,
        visits=(),
        actions=(),
        significant_harm=False,
        steps=(),
    )
    state = state.noted(
        index,
        event.id,
        event.at,
        f"Raised on the {pathway.title} pathway"
        + (f", about {_category_title(pathway, category)}" if category else "")
        + ".",
        pathway.source,
    )
    state = _enter(ctx, state, 1, event.at, index, event.id)
    state = _trigger(ctx, state, (a for a in pathway.actions if a.when == "raised"), event, index)
    return state, problems


# -- moving between stages -------------------------------------------------------------------


def _enter(
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
        visits = (*visits[:-1], _leave(visits[-1], at))
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


def _leave(visit: Visit, at: dt.datetime) -> Visit:
    return Visit(visit.number, visit.entered_at, at, visit.deadline, visit.why, visit.source)


def _trigger(
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


def _require_open(state: State, what: str) -> None:
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
            f"pathway {pathway.id!r} has no stage {ref!r}; {hint}"
            + _suggest(ref, ids)
            + "its stages are: "
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
    _require_open(state, "escalation")
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
    return _enter(ctx, state, target, event.at, index, event.id)


def significant_harm(ctx: Context, state: State, event: SignificantHarm, index: int) -> State:
    _require_open(state, "significant_harm event")
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
        state = _enter(ctx, state, target, event.at, index, event.id)
    if rule.timescale is not None:
        state = _hasten(ctx, state, rule.timescale, event, index)
    if rule.required_action is not None:
        state = _trigger(ctx, state, (rule.required_action,), event, index)
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


def timescale_agreed(ctx: Context, state: State, event: TimescaleAgreed, index: int) -> State:
    _require_open(state, "timescale_agreed event")
    rule = state.pathway.agreed_timescales
    if rule is None or not rule.allowed:
        raise Refusal(
            "timescale_agreement_not_allowed",
            f"the {state.pathway.id!r} pathway does not provide for agreeing a different "
            "timescale; record the stage's outcome or escalate instead",
        )
    if instant(event.deadline) < instant(event.at):
        raise Refusal(
            "agreed_deadline_before_agreement",
            f"the agreed deadline {show(event.deadline, ctx.calendar)} is before the agreement "
            f"itself ({show(event.at, ctx.calendar)}); give a deadline after it",
        )
    visit = state.current
    deadline = event.deadline.astimezone(ctx.calendar.timezone)
    why = f"agreed by the parties on {show(event.at, ctx.calendar)}"
    agreed = Visit(visit.number, visit.entered_at, None, deadline, why, rule.source)
    state = state.evolve(visits=(*state.visits[:-1], agreed))
    return state.noted(
        index,
        event.id,
        event.at,
        f"The parties agreed a timescale for {stage_label(state.pathway, visit.number)}: due by "
        f"{show(deadline, ctx.calendar)}.",
        rule.source,
    )


def action_done(ctx: Context, state: State, event: ActionDone, index: int) -> State:
    pathway = state.pathway
    known = {a.id: a for a in pathway.all_actions()}
    if event.action not in known:
        raise Refusal(
            "unknown_action",
            f"the {pathway.id!r} pathway has no action {event.action!r}; "
            + _suggest(event.action, known)
            + ("its actions are: " + ", ".join(known) if known else "it has no actions"),
        )
    item = state.action(event.action)
    if item is None:
        raise Refusal(
            "action_not_required",
            f"action {event.action!r} is not required at this point: "
            f"{_trigger_text(pathway, known[event.action])}",
        )
    if item.done_at is not None:
        raise Refusal(
            "action_already_done",
            f"action {event.action!r} was already recorded as done at "
            f"{show(item.done_at, ctx.calendar)}; record it once",
        )
    done = ActionState(
        item.action, item.role_id, item.triggered_at, item.deadline, item.why, event.at
    )
    state = state.evolve(actions=tuple(done if a is item else a for a in state.actions))
    late = item.deadline is not None and instant(event.at) > instant(item.deadline)
    return state.noted(
        index,
        event.id,
        event.at,
        f"Done: {item.action.title}"
        + (
            f", after its deadline of {show(item.deadline, ctx.calendar)}."
            if late and item.deadline
            else "."
        ),
        item.action.source,
    )


def _trigger_text(pathway: Pathway, action: RequiredAction) -> str:
    if not isinstance(action, TriggeredAction):
        return "it is required once significant harm is identified"
    if action.when == "reaching_stage":
        return f"it is required once the matter reaches {action.stage}"
    if action.when == "entering_stage":
        return f"it is required when the matter enters {action.stage}"
    if action.when == "raised":
        return "it is required once the escalation is raised"
    return f"it is required once the escalation ends {action.when}"


def _ended(ctx: Context, state: State, event: Any, index: int) -> State:
    _require_open(state, f"{event.type} event")
    visit = state.current
    state = state.evolve(
        status=event.type,
        ended_by=index,
        visits=(*state.visits[:-1], _leave(visit, event.at)),
    )
    words = {
        "resolved": "Resolved with an agreed outcome",
        "resolved_with_dissent": "A decision was made, but disagreement remains",
        "withdrawn": "Withdrawn without an outcome",
    }[event.type]
    step = state.pathway.step(visit.number)
    state = state.noted(
        index,
        event.id,
        event.at,
        f"{words}, at {stage_label(state.pathway, visit.number)}"
        + (f": {event.note}" if event.note else "")
        + ".",
        step.source,
    )
    triggered = (a for a in state.pathway.actions if a.when == event.type)
    return _trigger(ctx, state, triggered, event, index)


def raised_again(ctx: Context, state: State, event: Raised, index: int) -> State:
    raise Refusal(
        "raised_twice",
        "the escalation was already raised by the first event; a history has one raised event",
    )


RULES: dict[str, Rule] = {
    "raised": raised_again,
    "escalated": escalated,
    "significant_harm": significant_harm,
    "timescale_agreed": timescale_agreed,
    "action_done": action_done,
    "resolved": _ended,
    "resolved_with_dissent": _ended,
    "withdrawn": _ended,
}


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def _category_title(pathway: Pathway, category: str) -> str:
    for item in pathway.categories:
        if item.id == category:
            return item.title
    return category
