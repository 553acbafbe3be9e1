"""What each event does to the state: one small function per event type, in one table.

A rule returns the next state, or raises `Refusal` with a code and a message that says what
is wrong and what the history should say instead. It never changes the state it was given.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._suggestions import did_you_mean
from ..history._events import (
    ActionDone,
    Raised,
    TimescaleAgreed,
)
from ..policy._model import Pathway, RequiredAction, TriggeredAction
from ..time._calendar import instant
from ..time._deadlines import show
from ._stage_moves import enter, escalated, leave, require_open, significant_harm, trigger
from ._state import (
    ActionState,
    Context,
    Refusal,
    State,
    Visit,
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
                f"this policy has no pathway {event.pathway!r}"
                + did_you_mean(event.pathway, (p.id for p in policy.pathways))
                + "; "
                + f"leave it out for the default, {policy.default_pathway.id!r}",
            )
        pathway = found
    problems: list[Refusal] = []
    agency = event.agency
    agency_ids = [a.id for a in policy.agency_types]
    if agency is not None and agency not in agency_ids:
        problems.append(
            _not_listed(
                "unknown_agency",
                f"this policy has no agency type {agency!r}",
                agency,
                agency_ids,
                "its agency types are",
                "it names no agency types, so leave agency out",
            )
        )
        agency = None
    category = event.category
    category_ids = [c.id for c in pathway.categories]
    if category is not None and category not in category_ids:
        problems.append(
            _not_listed(
                "unknown_category",
                f"pathway {pathway.id!r} has no category {category!r}",
                category,
                category_ids,
                "its categories are",
                "it lists no categories, so leave category out",
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
    state = enter(ctx, state, 1, event.at, index, event.id)
    state = trigger(ctx, state, (a for a in pathway.actions if a.when == "raised"), event, index)
    return state, problems


def timescale_agreed(ctx: Context, state: State, event: TimescaleAgreed, index: int) -> State:
    require_open(state, "timescale_agreed event")
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
        raise _not_listed(
            "unknown_action",
            f"the {pathway.id!r} pathway has no action {event.action!r}",
            event.action,
            list(known),
            "its actions are",
            "it has no actions",
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
    require_open(state, f"{event.type} event")
    visit = state.current
    state = state.evolve(
        status=event.type,
        ended_by=index,
        visits=(*state.visits[:-1], leave(visit, event.at)),
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
    return trigger(ctx, state, triggered, event, index)


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


def _category_title(pathway: Pathway, category: str) -> str:
    for item in pathway.categories:
        if item.id == category:
            return item.title
    return category


def _not_listed(
    code: str, what: str, word: str, ids: list[str], listed: str, none_listed: str
) -> Refusal:
    """A word that is not one of the ids the policy lists: what is wrong, and what to write."""
    then = f"{listed}: {', '.join(ids)}" if ids else none_listed
    return Refusal(code, f"{what}{did_you_mean(word, ids)}; {then}")
