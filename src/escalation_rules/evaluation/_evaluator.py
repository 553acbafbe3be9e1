"""`evaluate`: fold an escalation's events over the policy's rules, then read off the answer.

Pure and deterministic: no clock, no I/O, nothing global is changed. Events are put in order
of time (ties keep their input order), events after `as_of` are left out, and each remaining
event is applied by its rule in `_event_rules.RULES`. A rule that refuses an event is recorded
against that event and the fold goes on, so that one `HistoryError` reports every problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from .._errors import HistoryError, HistoryProblem
from ..history._events import Event, Raised, parse_events
from ..policy._model import Pathway, Policy
from ..time._calendar import OutsideCalendar, instant
from ._event_rules import RULES, open_escalation
from ._result import DueItem, Evaluation, RoleRef, StageRef, TimelineEntry
from ._state import Context, Refusal, State


def evaluate(
    policy: Policy,
    events: Iterable[Event | Mapping[str, Any]],
    as_of: dt.datetime | None = None,
) -> Evaluation:
    """Where an escalation stands: its stage, who must act, by when, and why.

    `events` are Event objects or plain JSON-like dicts. `as_of`, if given, must be
    timezone-aware: events after it are left out and overdue items are those whose deadline
    is before it. Raises `HistoryError` listing every problem of the history.
    """
    if as_of is not None and (as_of.tzinfo is None or as_of.utcoffset() is None):
        raise HistoryError(
            [
                HistoryProblem(
                    "naive_as_of",
                    "as_of has no time zone; give an aware time such as 2026-12-14T10:00:00+00:00",
                )
            ]
        )
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
    ctx = Context(policy, policy.working_calendar)
    state = _fold(ctx, included)
    return _conclude(ctx, state, as_of)


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
        state, opening = open_escalation(ctx, first, first_index)
    except (Refusal, OutsideCalendar) as refusal:
        raise HistoryError([_problem(refusal, first_index, first)]) from None
    problems.extend(_problem(r, first_index, first) for r in opening)
    for index, event in included[1:]:
        try:
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
    pathway = state.pathway
    visit = state.current
    step = pathway.step(visit.number)
    responsible = _role(ctx, step.responsible, state.agency)
    tz = ctx.calendar.timezone

    def overdue(deadline: dt.datetime | None) -> bool | None:
        if as_of is None:
            return None
        return deadline is not None and instant(deadline) < as_of

    due: list[DueItem] = []
    if state.status == "open":
        due.append(
            DueItem(
                kind="stage",
                id=step.id,
                title=step.title,
                role=responsible,
                deadline=_local(visit.deadline, tz),
                overdue=overdue(visit.deadline),
                why=visit.why,
                source=visit.source,
            )
        )
    for item in state.actions:
        if item.done_at is None:
            due.append(
                DueItem(
                    kind="action",
                    id=item.action.id,
                    title=item.action.title,
                    role=_role(ctx, item.role_id, state.agency),
                    deadline=_local(item.deadline, tz),
                    overdue=overdue(item.deadline),
                    why=item.why,
                    source=item.action.source,
                )
            )
    deadlines = [d.deadline for d in due if d.deadline is not None]
    next_role = None
    if state.status == "open" and visit.number < pathway.last_number:
        next_role = _role(ctx, pathway.step(visit.number + 1).responsible, state.agency)
    return Evaluation(
        policy=ctx.policy.id,
        status=state.status,
        pathway=pathway.id,
        category=state.category,
        agency=state.agency,
        as_of=as_of,
        stage=_stage_ref(pathway, visit.number),
        responsible_role=responsible,
        next_role=next_role,
        deadline=min(deadlines, key=instant) if deadlines else None,
        due=tuple(due),
        overdue=None if as_of is None else any(d.overdue for d in due),
        significant_harm=state.significant_harm,
        timeline=tuple(
            TimelineEntry(
                stage=_stage_ref(pathway, v.number),
                entered_at=v.entered_at.astimezone(tz),
                left_at=_local(v.left_at, tz),
                deadline=_local(v.deadline, tz),
                met=(
                    None
                    if v.left_at is None or v.deadline is None
                    else instant(v.left_at) <= instant(v.deadline)
                ),
            )
            for v in state.visits
        ),
        explanation=tuple(s.model_copy(update={"at": s.at.astimezone(tz)}) for s in state.steps),
    )


def _local(moment: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(tz)


def _role(ctx: Context, role_id: str, agency: str | None) -> RoleRef:
    role = ctx.policy.role(role_id)
    if role is None:  # the whole-policy checks make this unreachable for a loaded policy
        return RoleRef(id=role_id, title=role_id)
    return RoleRef(id=role.id, title=role.title_for(agency))


def _stage_ref(pathway: Pathway, number: int) -> StageRef:
    step = pathway.step(number)
    return StageRef(number=number, id=step.id, title=step.title, source=step.source)
