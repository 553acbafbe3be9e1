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
from .._phrase import text_of
from ..history._events import Event, Raised, aware_time
from ..history._reading import parse_events
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
from ._state import ActionState, Context, Refusal, State, Step, Visit, step_text


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
    # In UTC: two times of one zone compare by their wall clocks, ignoring `fold` (`instant`).
    moments = [instant(event.at) for event in parsed]
    order = sorted(range(len(parsed)), key=moments.__getitem__)
    # as_of is left as given: any time, in any zone, compares rightly with a time in UTC.
    included = [(i, parsed[i]) for i in order if as_of is None or moments[i] <= as_of]
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
    """The headline of the result now; its due items, timeline, actions and explanation when
    first read (see `Evaluation.made_later`)."""
    pathway = state.pathway
    visit = state.current
    holder = pathway.step(visit.number).holder(visit.route)
    parts = _Parts(ctx, state, as_of)
    is_open = state.status == "open"
    deadlines = [item.deadline for item in state.actions if item.outstanding and item.deadline]
    if is_open and visit.deadline is not None:
        deadlines.insert(0, visit.deadline)
    next_role = None
    if is_open and visit.number < pathway.last_number:
        next_role = parts.role(pathway.step(visit.number + 1).holder().responsible)
    policy = ctx.policy
    return Evaluation.made_later(
        parts,
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
        stage=parts.stage(visit.number),
        route=visit.route,
        responsible_role=parts.role(holder.responsible),
        next_role=next_role,
        deadline=parts.local(min(deadlines, key=instant)) if deadlines else None,
        stage_deadline=parts.local(visit.deadline) if is_open else None,
        overdue=None if as_of is None else any(instant(d) < as_of for d in deadlines),
        significant_harm=state.significant_harm,
        warnings=state.warnings,
    )


class _Parts:
    """The parts of one result, each made once: the result's models are made without
    validating again what the fold has made (its values have their types already, and the
    JSON round trip of every result is tested), and a result names the same few roles,
    stages and moments many times over."""

    def __init__(self, ctx: Context, state: State, as_of: dt.datetime | None) -> None:
        self.ctx = ctx
        self.state = state
        self.as_of = as_of
        self.roles: dict[str, RoleRef] = {}
        self.stages: dict[int, StageRef] = {}
        # Keyed by the moment's identity, which is quicker to hash than its value: the same
        # few objects recur (an event's time is when a stage was entered, an action was
        # triggered, a step was taken). Each is kept alive in `kept`, so that no key is ever
        # another moment's. (By value, two moments of the repeated autumn hour in one zone
        # would compare equal.)
        self.offsets: dict[int, dt.datetime] = {}
        self.kept: list[dt.datetime] = []

    def role(self, role_id: str) -> RoleRef:
        found = self.roles.get(role_id)
        if found is None:
            found = self.roles[role_id] = _role(self.ctx, self.state, role_id)
        return found

    def stage(self, number: int) -> StageRef:
        found = self.stages.get(number)
        if found is None:
            found = self.stages[number] = _stage_ref(self.state.pathway, number)
        return found

    def local(self, moment: dt.datetime | None) -> dt.datetime | None:
        """The moment with its fixed offset in the policy's zone (see `fixed_offset`)."""
        if moment is None:
            return None
        found = self.offsets.get(id(moment))
        if found is None:
            found = fixed_offset(moment, self.ctx.calendar.timezone)
            self.offsets[id(moment)] = found
            self.kept.append(moment)
        return found

    def overdue(self, deadline: dt.datetime | None) -> bool | None:
        if self.as_of is None:
            return None
        return deadline is not None and instant(deadline) < self.as_of

    def field(self, name: str) -> tuple[Any, ...]:
        model = _MODELS[name]
        return tuple(model.made(**item) for item in self._items(name))

    def plain(self) -> dict[str, tuple[dict[str, Any], ...]]:
        due, timeline, actions, explanation = (self._items(name) for name in _MODELS)
        # The same dicts, each role and stage made plain too (each its own dict, so that a
        # caller who changes one changes nothing else).
        for item in due:
            item["role"] = dict(item["role"].__dict__)
        for item in timeline:
            item["stage"] = dict(item["stage"].__dict__)
        for item in actions:
            item["role"] = dict(item["role"].__dict__)
        return {
            "due": tuple(due),
            "timeline": tuple(timeline),
            "actions": tuple(actions),
            "explanation": tuple(explanation),
        }

    def _items(self, name: str) -> list[dict[str, Any]]:
        """The fields of each item of the later field `name` (see `_MODELS`), in the order of
        its model's fields; roles and stages as models."""
        if name == "due":
            return self._due()
        if name == "timeline":
            return [self._visit(visit) for visit in self.state.visits]
        if name == "actions":
            return [_action_entry(a, self.role(a.role_id), self.local) for a in self.state.actions]
        return [self._step(step) for step in self.state.steps]

    def _due(self) -> list[dict[str, Any]]:
        state, local = self.state, self.local
        due: list[dict[str, Any]] = []
        if state.status == "open":
            visit = state.current
            step = state.pathway.step(visit.number)
            holder = step.holder(visit.route)
            due.append(
                {
                    "kind": "stage",
                    "id": step.id,
                    "title": step.title,
                    "role": self.role(holder.responsible),
                    "deadline": local(visit.deadline),
                    "counted_from": local(visit.counted_from),
                    "if_missed": holder.if_missed,
                    "overdue": self.overdue(visit.deadline),
                    "why": text_of(visit.why),
                    "source": visit.source,
                }
            )
        for item in state.actions:
            if item.outstanding:
                due.append(
                    {
                        "kind": "action",
                        "id": item.action.id,
                        "title": item.action.title,
                        "role": self.role(item.role_id),
                        "deadline": local(item.deadline),
                        "counted_from": local(item.counted_from),
                        "if_missed": item.action.if_missed,
                        "overdue": self.overdue(item.deadline),
                        "why": text_of(item.why),
                        "source": item.action.source,
                    }
                )
        return due

    def _visit(self, v: Visit) -> dict[str, Any]:
        local = self.local
        return {
            "stage": self.stage(v.number),
            "route": v.route,
            "entered_at": local(v.entered_at),
            "left_at": local(v.left_at),
            "deadline": local(v.deadline),
            "met": (
                None
                if v.left_at is None or v.deadline is None
                else instant(v.left_at) <= instant(v.deadline)
            ),
            "entered_by": v.entered.by,
            "entered_note": v.entered.note,
            "entered_reason": v.entered.reason,
            "left_by": v.left.by if v.left else None,
            "left_note": v.left.note if v.left else None,
            "left_reason": v.left.reason if v.left else None,
        }

    def _step(self, s: Step) -> dict[str, Any]:
        return {
            "event_index": s.event_index,
            "event_id": s.event_id,
            "at": self.local(s.at),
            "text": step_text(s),
            "source": s.source,
            "by": s.by,
            "note": s.note,
        }


_MODELS: dict[str, type[DueItem | TimelineEntry | ActionEntry | ExplanationStep]] = {
    "due": DueItem,
    "timeline": TimelineEntry,
    "actions": ActionEntry,
    "explanation": ExplanationStep,
}
"""The model of each item of each later field, in the order of the fields."""


def _action_entry(
    item: ActionState,
    role: RoleRef,
    local: Callable[[dt.datetime | None], dt.datetime | None],
) -> dict[str, Any]:
    if item.done_at is not None:
        state: ActionStateName = "done"
        met = item.deadline is None or instant(item.done_at) <= instant(item.deadline)
    elif item.lapsed_at is not None:
        state, met = "lapsed", False
    else:
        state, met = "due", None
    return {
        "id": item.action.id,
        "title": item.action.title,
        "kind": "agreed" if item.agreed else "required",
        "role": role,
        "triggered_at": local(item.triggered_at) or item.triggered_at,
        "deadline": local(item.deadline),
        "counted_from": local(item.counted_from),
        "done_at": local(item.done_at),
        "lapsed_at": local(item.lapsed_at),
        "state": state,
        "met": met,
        "if_missed": item.action.if_missed,
        "source": item.action.source,
    }


def _role(ctx: Context, state: State, role_id: str) -> RoleRef:
    role = ctx.roles.get(role_id)
    if role is None:  # the whole-policy checks make this unreachable for a loaded policy
        return RoleRef.made(id=role_id, title=role_id)
    return RoleRef.made(id=role.id, title=role.title_among(state.agency, state.receiving_agency))


def _stage_ref(pathway: Pathway, number: int) -> StageRef:
    step = pathway.step(number)
    return StageRef.made(number=number, id=step.id, title=step.title, source=step.source)
