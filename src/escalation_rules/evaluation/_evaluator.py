"""`evaluate`: fold an escalation's events over the policy's rules, then read off the answer.

Pure and deterministic: no clock, no I/O, nothing global is changed. Events are put in order
of time (ties keep their input order), events after `as_of` are left out, and each remaining
event is applied by its rule in `_event_rules.RULES`. A rule that refuses an event is recorded
against that event and the fold goes on, so that one `HistoryError` reports every problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic_core import PydanticCustomError

from .._errors import HistoryError, HistoryProblem
from ..history._events import Event, Raised, aware_time, parse_events
from ..policy._model import Pathway, Policy
from ..time._calendar import OutsideCalendar, fixed_offset, instant
from ._event_rules import RULES, open_escalation
from ._result import (
    ActionEntry,
    ActionStateName,
    DueItem,
    Evaluation,
    ExplanationStep,
    PolicyRef,
    RoleRef,
    StageRef,
    TimelineEntry,
)
from ._state import ActionState, Context, Refusal, State


def evaluate(
    policy: Policy,
    events: Iterable[Event | Mapping[str, Any]],
    as_of: dt.datetime | str | None = None,
) -> Evaluation:
    """Where an escalation stands: its stage, who must act, by when, and why.

    `events` are Event objects or plain JSON-like dicts, in any order: they are put in order
    of time, and events at the same instant keep their input order. `as_of`, if given, is a
    timezone-aware datetime or ISO 8601 text with its offset (`2026-12-20T10:00:00+00:00`):
    events after it are left out and overdue items are those whose deadline is before it.
    Raises `HistoryError` listing every problem of the history (and for an `as_of` that is
    naive, not a time, or outside the years a time may have).
    """
    return evaluate_with_state(policy, events, as_of)[0]


def evaluate_with_state(
    policy: Policy,
    events: Iterable[Event | Mapping[str, Any]],
    as_of: dt.datetime | str | None = None,
) -> tuple[Evaluation, State]:
    """`evaluate`, with the fold's final state beside the result, for the tools that tell
    more than the result holds (how each deadline was counted)."""
    as_of = None if as_of is None else _as_of(as_of)
    parsed = parse_events(events)
    if not parsed:
        raise HistoryError(
            [HistoryProblem("empty_history", "the history has no events; it starts with raised")]
        )
    order = sorted(range(len(parsed)), key=lambda i: instant(parsed[i].at))
    # as_of is left as given: any time, in any zone, compares rightly with a time in UTC.
    included = [(i, parsed[i]) for i in order if as_of is None or instant(parsed[i].at) <= as_of]
    if not included:
        raise HistoryError(
            [
                HistoryProblem(
                    "not_raised_yet",
                    "no event is at or before as_of: the escalation had not been raised then",
                )
            ]
        )
    ctx = Context(policy, policy.working_calendar, policy.roles_by_id)
    state = _fold(ctx, included)
    return _conclude(ctx, state, as_of), state


def _as_of(value: object) -> dt.datetime:
    """`as_of` as an aware time: a datetime with its offset, or ISO 8601 text with one, read
    as event times are; anything else (a date, a number, a naive time) is refused."""
    try:
        return aware_time(value)
    except PydanticCustomError as error:
        raise HistoryError([HistoryProblem(error.type, f"as_of: {error.message()}")]) from None


def _fold(ctx: Context, included: list[tuple[int, Event]]) -> State:
    first_index, first = included[0]
    if not isinstance(first, Raised):
        raise HistoryError(
            [
                HistoryProblem(
                    "first_not_raised",
                    f"the earliest event is {first.type!r}; a history starts with a raised "
                    "event, at or before every other event",
                    first_index,
                    first.id,
                )
            ]
        )
    problems: list[HistoryProblem] = []
    try:
        ctx.calendar.check_moment(first.at)
        state, opening = open_escalation(ctx, first, first_index)
    except (Refusal, OutsideCalendar) as refusal:
        raise HistoryError([_problem(refusal, first_index, first)]) from None
    problems.extend(_problem(r, first_index, first) for r in opening)
    for index, event in included[1:]:
        try:
            ctx.calendar.check_moment(event.at)
            state = RULES[event.type](ctx, state, event, index)
        except (Refusal, OutsideCalendar) as refusal:
            problems.append(_problem(refusal, index, event))
    if problems:
        raise HistoryError(problems)
    return state


def _problem(refusal: Refusal | OutsideCalendar, index: int, event: Event) -> HistoryProblem:
    if isinstance(refusal, OutsideCalendar):
        return HistoryProblem("outside_calendar", str(refusal), index, event.id)
    return HistoryProblem(refusal.code, refusal.message, index, event.id)


def _conclude(ctx: Context, state: State, as_of: dt.datetime | None) -> Evaluation:
    # The result's models are made without validating again what the fold has made: its
    # values have their types already (the JSON round trip of every result is tested), and
    # validating them cost as much as the fold itself.
    pathway = state.pathway
    visit = state.current
    step = pathway.step(visit.number)
    holder = step.holder(visit.route)
    # A result names the same few roles and stages many times over; being frozen, each is
    # made once and shared.
    roles: dict[str, RoleRef] = {}
    stages: dict[int, StageRef] = {}

    def role(role_id: str) -> RoleRef:
        found = roles.get(role_id)
        if found is None:
            found = roles[role_id] = _role(ctx, state, role_id)
        return found

    def stage(number: int) -> StageRef:
        found = stages.get(number)
        if found is None:
            found = stages[number] = _stage_ref(pathway, number)
        return found

    responsible = role(holder.responsible)
    tz = ctx.calendar.timezone
    is_open = state.status == "open"

    def overdue(deadline: dt.datetime | None) -> bool | None:
        if as_of is None:
            return None
        return deadline is not None and instant(deadline) < as_of

    # The same moments recur (a stage's end is the next one's start, a clock starts where a
    # stage was entered), so each is turned into its fixed offset once. Keyed with `fold`:
    # in the repeated autumn hour two different moments of one zone compare equal.
    offsets: dict[tuple[dt.datetime, int], dt.datetime] = {}

    def local(moment: dt.datetime | None) -> dt.datetime | None:
        if moment is None:
            return None
        key = (moment, moment.fold)
        found = offsets.get(key)
        if found is None:
            found = offsets[key] = fixed_offset(moment, tz)
        return found

    due: list[DueItem] = []
    if is_open:
        due.append(
            DueItem.made(
                kind="stage",
                id=step.id,
                title=step.title,
                role=responsible,
                deadline=local(visit.deadline),
                counted_from=local(visit.counted_from),
                if_missed=holder.if_missed,
                overdue=overdue(visit.deadline),
                why=visit.why,
                source=visit.source,
            )
        )
    actions: list[ActionEntry] = []
    for item in state.actions:
        owner = role(item.role_id)
        if item.outstanding:
            due.append(
                DueItem.made(
                    kind="action",
                    id=item.action.id,
                    title=item.action.title,
                    role=owner,
                    deadline=local(item.deadline),
                    counted_from=local(item.counted_from),
                    if_missed=item.action.if_missed,
                    overdue=overdue(item.deadline),
                    why=item.why,
                    source=item.action.source,
                )
            )
        actions.append(_action_entry(item, owner, local))
    deadlines = [d.deadline for d in due if d.deadline is not None]
    next_role = None
    if is_open and visit.number < pathway.last_number:
        upcoming = pathway.step(visit.number + 1).holder()
        next_role = role(upcoming.responsible)
    policy = ctx.policy
    return Evaluation.made(
        policy=PolicyRef.made(
            id=policy.id,
            version=policy.version,
            effective_from=policy.effective_from,
            digest=policy.digest,
        ),
        status=state.status,
        pathway=pathway.id,
        category=state.category,
        agency=state.agency,
        receiving_agency=state.receiving_agency,
        as_of=as_of,
        stage=stage(visit.number),
        route=visit.route,
        responsible_role=responsible,
        next_role=next_role,
        deadline=min(deadlines, key=instant) if deadlines else None,
        stage_deadline=local(visit.deadline) if is_open else None,
        due=tuple(due),
        overdue=None if as_of is None else any(d.overdue for d in due),
        significant_harm=state.significant_harm,
        timeline=tuple(
            TimelineEntry.made(
                stage=stage(v.number),
                route=v.route,
                entered_at=local(v.entered_at),
                left_at=local(v.left_at),
                deadline=local(v.deadline),
                met=(
                    None
                    if v.left_at is None or v.deadline is None
                    else instant(v.left_at) <= instant(v.deadline)
                ),
                entered_by=v.entered.by,
                entered_note=v.entered.note,
                entered_reason=v.entered.reason,
                left_by=v.left.by if v.left else None,
                left_note=v.left.note if v.left else None,
                left_reason=v.left.reason if v.left else None,
            )
            for v in state.visits
        ),
        actions=tuple(actions),
        warnings=state.warnings,
        explanation=tuple(
            ExplanationStep.made(
                event_index=s.event_index,
                event_id=s.event_id,
                at=local(s.at),
                text=s.text,
                source=s.source,
                by=s.by,
                note=s.note,
            )
            for s in state.steps
        ),
    )


def _action_entry(
    item: ActionState,
    role: RoleRef,
    local: Callable[[dt.datetime | None], dt.datetime | None],
) -> ActionEntry:
    if item.done_at is not None:
        state: ActionStateName = "done"
        met = item.deadline is None or instant(item.done_at) <= instant(item.deadline)
    elif item.lapsed_at is not None:
        state, met = "lapsed", False
    else:
        state, met = "due", None
    return ActionEntry.made(
        id=item.action.id,
        title=item.action.title,
        kind="agreed" if item.agreed else "required",
        role=role,
        triggered_at=local(item.triggered_at) or item.triggered_at,
        deadline=local(item.deadline),
        counted_from=local(item.counted_from),
        done_at=local(item.done_at),
        lapsed_at=local(item.lapsed_at),
        state=state,
        met=met,
        if_missed=item.action.if_missed,
        source=item.action.source,
    )


def _role(ctx: Context, state: State, role_id: str) -> RoleRef:
    role = ctx.roles.get(role_id)
    if role is None:  # the whole-policy checks make this unreachable for a loaded policy
        return RoleRef.made(id=role_id, title=role_id)
    return RoleRef.made(id=role.id, title=role.title_among(state.agency, state.receiving_agency))


def _stage_ref(pathway: Pathway, number: int) -> StageRef:
    step = pathway.step(number)
    return StageRef.made(number=number, id=step.id, title=step.title, source=step.source)
