"""What each event does to the state: one small function per event type, in one table.

A rule returns the next state, or raises `Refusal` with a code and a message that says what
is wrong and what the history should say instead. It never changes the state it was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import MappingProxyType
from typing import Any

from .._phrase import Phrase
from .._suggestions import did_you_mean
from ..history._events import (
    ActionAgreed,
    ActionDone,
    Raised,
    TimescaleAgreed,
)
from ..policy._model import Pathway, Policy, RequiredAction, TriggeredAction
from ..time._calendar import WorkingCalendar, instant
from ..time._deadlines import show
from ._stage_moves import enter, escalated, leave, require_open, significant_harm, trigger
from ._state import (
    ActionState,
    AgreedAction,
    Context,
    Refusal,
    State,
    role_title,
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
    dates, refused = _named_dates(ctx, pathway, event)
    problems.extend(refused)
    state = State(
        pathway=pathway,
        raised_at=event.at,
        raised_index=index,
        agency=event.agency,
        receiving_agency=event.receiving_agency,
        category=category,
        dates=MappingProxyType(dates),
        status="open",
        ended_by=None,
        visits=(),
        significant_harm=False,
    )
    state = _agency_warnings(policy, state, event, index)
    raised = Phrase(_raised_on, pathway, category)
    state = state.noted(index, event.id, event.at, raised, pathway.source, event)
    state = enter(ctx, state, 1, event.at, index, event)
    state = trigger(ctx, state, (a for a in pathway.actions if a.when == "raised"), event, index)
    return state, problems


def _raised_on(pathway: Pathway, category: str | None) -> str:
    about = f", about {_category_title(pathway, category)}" if category else ""
    return f"Raised on the {pathway.title} pathway{about}."


def _named_dates(
    ctx: Context, pathway: Pathway, event: Raised
) -> tuple[dict[str, dt.datetime], list[Refusal]]:
    """The named dates of a raised event that the pathway asks for, and the refusals of the
    others: a date it does not ask for, or one after the raise."""
    kept: dict[str, dt.datetime] = {}
    problems: list[Refusal] = []
    date_ids = [d.id for d in pathway.dates]
    for name, moment in sorted((event.dates or {}).items()):
        if name not in date_ids:
            problems.append(
                _not_listed(
                    "unknown_date",
                    f"pathway {pathway.id!r} asks for no date {name!r}",
                    name,
                    date_ids,
                    "the dates it asks for are",
                    "it asks for no dates, so leave dates out",
                )
            )
        elif instant(moment) > instant(event.at):
            problems.append(
                Refusal(
                    "date_after_raise",
                    f"the date {name!r} ({show(moment, ctx.calendar)}) is after the raise "
                    f"({show(event.at, ctx.calendar)}); a named date is one the escalation "
                    "counts from, at or before it was raised",
                )
            )
        else:
            kept[name] = moment
    return kept, problems


def _agency_warnings(policy: Policy, state: State, event: Raised, index: int) -> State:
    """An agency type the policy has no titles for is kept, with a warning: a case-management
    system's own agency names must never lose a record."""
    agency_ids = [a.id for a in policy.agency_types]
    listed = (
        f"its agency types are: {', '.join(agency_ids)}"
        if agency_ids
        else ("it names no agency types")
    )
    for field, agency in (("agency", event.agency), ("receiving_agency", event.receiving_agency)):
        if agency is not None and agency not in agency_ids:
            state = state.warned(
                "unknown_agency",
                f"this policy has no titles for the {field} {agency!r}"
                f"{did_you_mean(agency, agency_ids)}, so its roles keep their default titles; "
                f"{listed}",
                index,
            )
    return state


def timescale_agreed(ctx: Context, state: State, event: TimescaleAgreed, index: int) -> State:
    require_open(state, "timescale_agreed event")
    rule = state.pathway.agreed_timescales
    if rule is None or not rule.allowed:
        raise Refusal(
            "timescale_agreement_not_allowed",
            f"the {state.pathway.id!r} pathway does not provide for agreeing a different "
            "timescale; record the stage's outcome or escalate instead",
        )
    visit = state.current
    pathway = state.pathway
    if not pathway.allows_agreement(visit.number):
        allowed = pathway.numbers_of(rule.at_stages)
        raise Refusal(
            "timescale_agreement_not_allowed",
            f"the policy provides for agreeing a timescale only at stage "
            f"{', '.join(str(n) for n in allowed)} ({rule.source}), and the matter is at "
            f"{stage_label(pathway, visit.number)}; record the stage's outcome or escalate "
            "instead",
        )
    if instant(event.deadline) < instant(event.at):
        raise Refusal(
            "agreed_deadline_before_agreement",
            f"the agreed deadline {show(event.deadline, ctx.calendar)} is before the agreement "
            f"itself ({show(event.at, ctx.calendar)}); give a deadline after it",
        )
    ctx.calendar.check_moment(event.deadline)
    deadline = event.deadline.astimezone(ctx.calendar.timezone)
    why = Phrase(_agreed_on, event.at, ctx.calendar)
    agreed = visit._replace(
        deadline=deadline,
        counted_from=event.at,
        why=why,
        source=rule.source,
        working_days=False,
    )
    state = state.evolve(visits=(*state.visits[:-1], agreed))
    text = Phrase(_timescale_agreed, pathway, visit.number, deadline, ctx.calendar)
    return state.noted(index, event.id, event.at, text, rule.source, event)


def _agreed_on(at: dt.datetime, calendar: WorkingCalendar) -> str:
    return f"agreed by the parties on {show(at, calendar)}"


def _timescale_agreed(
    pathway: Pathway, number: int, deadline: dt.datetime, calendar: WorkingCalendar
) -> str:
    return (
        f"The parties agreed a timescale for {stage_label(pathway, number)}: due by "
        f"{show(deadline, calendar)}."
    )


def action_agreed(ctx: Context, state: State, event: ActionAgreed, index: int) -> State:
    require_open(state, "action_agreed event")
    pathway = state.pathway
    if event.action in {a.id for a in pathway.all_actions()}:
        raise Refusal(
            "action_id_taken",
            f"{event.action!r} is an action of the policy; give the agreed task an id of its own",
        )
    if state.action(event.action) is not None:
        raise Refusal(
            "action_id_taken",
            f"an action {event.action!r} was already agreed; give each agreed task its own id",
        )
    visit = state.current
    role_id = event.role or pathway.step(visit.number).holder(visit.route).responsible
    if ctx.roles.get(role_id) is None:
        ids = [r.id for r in ctx.policy.roles]
        raise _not_listed(
            "unknown_role",
            f"this policy has no role {role_id!r}",
            role_id,
            ids,
            "its roles are",
            "it has no roles",
        )
    if instant(event.deadline) < instant(event.at):
        raise Refusal(
            "agreed_deadline_before_agreement",
            f"the agreed deadline {show(event.deadline, ctx.calendar)} is before the agreement "
            f"itself ({show(event.at, ctx.calendar)}); give a deadline after it",
        )
    action = AgreedAction(event.action, event.title, "agreed by the parties")
    ctx.calendar.check_moment(event.deadline)
    deadline = event.deadline.astimezone(ctx.calendar.timezone)
    why = Phrase(_agreed_on, event.at, ctx.calendar)
    item = ActionState(action, role_id, event.at, visit.number, deadline, event.at, why)
    state = state.add_action(item)
    agencies = (state.agency, state.receiving_agency)
    text = Phrase(_action_agreed, ctx, agencies, role_id, event.title, deadline)
    return state.noted(index, event.id, event.at, text, action.source, event)


def _action_agreed(
    ctx: Context,
    agencies: tuple[str | None, str | None],
    role_id: str,
    title: str,
    deadline: dt.datetime,
) -> str:
    who = role_title(ctx, *agencies, role_id)
    return f"Agreed: {who} to {title}, due by {show(deadline, ctx.calendar)}."


def action_done(ctx: Context, state: State, event: ActionDone, index: int) -> State:
    pathway = state.pathway
    known = pathway.actions_by_id
    item = state.action(event.action)
    if item is None and event.action not in known:
        agreed = [a.action.id for a in state.actions if a.agreed]
        raise _not_listed(
            "unknown_action",
            f"the {pathway.id!r} pathway has no action {event.action!r}, and none was agreed "
            "by that id",
            event.action,
            [*known, *agreed],
            "its actions, and those agreed, are",
            "it has no actions, and none was agreed",
        )
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
    # Done after it lapsed: the record is kept, and it counts as done (met if in time).
    done = item._replace(done_at=event.at, lapsed_at=None)
    state = state.replace_action(done)
    late = item.deadline is not None and instant(event.at) > instant(item.deadline)
    text = Phrase(_done, item.action.title, item.deadline if late else None, ctx.calendar)
    return state.noted(index, event.id, event.at, text, item.action.source, event)


def _done(title: str, late_of: dt.datetime | None, calendar: WorkingCalendar) -> str:
    if late_of is None:
        return f"Done: {title}."
    return f"Done: {title}, after its deadline of {show(late_of, calendar)}."


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
    pathway = state.pathway
    visit = state.current
    rule = pathway.outcome_rule(event.type)
    if rule is not None and not pathway.allows_outcome(event.type, visit.number):
        raise Refusal(
            "outcome_not_allowed_here",
            f"{event.type} may be recorded only at "
            + ", ".join(stage_label(pathway, n) for n in pathway.numbers_of(rule.at_stages))
            + f" ({rule.source}); the matter is at {stage_label(pathway, visit.number)}: "
            "escalate, or record another outcome",
        )
    state = leave(ctx, state, event.at, index, event)
    state = state.evolve(status=event.type, ended_by=index)
    source = rule.source if rule is not None else pathway.step(visit.number).source
    text = Phrase(_ended_text, ctx, pathway, visit.number, event.type, event.note)
    state = state.noted(index, event.id, event.at, text, source, event)
    triggered = (
        a for a in pathway.actions if a.fires_on_outcome(pathway, event.type, visit.number)
    )
    return trigger(ctx, state, triggered, event, index)


def _ended_text(ctx: Context, pathway: Pathway, number: int, outcome: str, note: str | None) -> str:
    words = {
        "resolved": "Resolved with an agreed outcome",
        "resolved_with_dissent": "A decision was made, but disagreement remains",
        "withdrawn": "Withdrawn without an outcome",
    }[outcome]
    label = stage_label(pathway, number, ctx.policy.words.stage.lower())
    return f"{words}, at {label}" + (f": {note}" if note else "") + "."


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
    "action_agreed": action_agreed,
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
