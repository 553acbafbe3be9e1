"""The evaluator's state: a frozen value that each event turns into the next one."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from ..policy._model import Pathway, Policy, RequiredAction, Stage
from ..time._calendar import WorkingCalendar
from ..time._deadlines import Deadline, deadline_for, show
from ..time._timescales import Timescale
from ._result import ExplanationStep, Status


class Refusal(Exception):
    """An event that breaks a rule; the fold records it against the event and goes on."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Context:
    """What every rule may read and none may change."""

    policy: Policy
    calendar: WorkingCalendar


@dataclass(frozen=True, slots=True)
class Visit:
    """One stage visited: entered, left, its deadline, how that was worked out, and where from."""

    number: int
    entered_at: dt.datetime
    left_at: dt.datetime | None
    deadline: dt.datetime | None
    why: str
    source: str


@dataclass(frozen=True, slots=True)
class ActionState:
    """A required action that has been triggered, and whether it has been done."""

    action: RequiredAction
    role_id: str
    triggered_at: dt.datetime
    deadline: dt.datetime | None
    why: str
    done_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class State:
    """Where the escalation stands after the events applied so far."""

    pathway: Pathway
    raised_at: dt.datetime
    agency: str | None
    category: str | None
    status: Status
    ended_by: int | None
    visits: tuple[Visit, ...]
    actions: tuple[ActionState, ...]
    significant_harm: bool
    steps: tuple[ExplanationStep, ...]

    @property
    def current(self) -> Visit:
        return self.visits[-1]

    def evolve(self, **changes: object) -> State:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def noted(
        self, index: int | None, event_id: str | None, at: dt.datetime, text: str, source: str
    ) -> State:
        if text.endswith((".'.", '.".')):  # a quoted sentence already ends with its stop
            text = text[:-1]
        step = ExplanationStep(
            event_index=index, event_id=event_id, at=at, text=text, source=source
        )
        return self.evolve(steps=(*self.steps, step))

    def action(self, action_id: str) -> ActionState | None:
        for item in self.actions:
            if item.action.id == action_id:
                return item
        return None


def stage_deadline(
    ctx: Context, timescale: Timescale, entered_at: dt.datetime, raised_at: dt.datetime
) -> Deadline:
    return deadline_for(timescale, ctx.calendar, entered_at=entered_at, raised_at=raised_at)


def describe_deadline(ctx: Context, deadline: Deadline) -> str:
    if deadline.at is None:
        return deadline.basis
    return f"due by {show(deadline.at, ctx.calendar)} ({deadline.basis})"


def stage_label(pathway: Pathway, number: int) -> str:
    step = pathway.step(number)
    if isinstance(step, Stage):
        return f"stage {number} ({step.title})"
    return f"the final referral ({step.title})"
