"""The evaluator's state: the value that each event turns into the next one.

One evaluation has one State, which each rule changes in place and returns; the actions and
the explanation are lists that only grow or have an entry replaced, so that a step costs the
same however long the history is (copying them at every step made evaluation quadratic). It
belongs to one call of `evaluate` and never leaves it. A rule that refuses its event may have
changed it before refusing; the history is then refused as a whole, so no result is ever built
from such a state, and at most a later problem's wording can differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .._phrase import Phrase, Text, text_of
from ..policy._model import Lapse, Pathway, Policy, RequiredAction, Role, Stage
from ..time._calendar import WorkingCalendar
from ..time._deadlines import Deadline, deadline_for, show
from ..time._timescales import Timescale
from ._result import EvaluationWarning, Status


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
    roles: Mapping[str, Role]
    """The policy's roles by id, taken once: reading a model's private attribute is slow."""


class Mark(NamedTuple):
    """The event that entered or left a stage: its index, and the words it carried."""

    event_index: int
    by: str | None = None
    note: str | None = None
    reason: str | None = None

    @staticmethod
    def of(event: Any, index: int) -> Mark:
        return Mark(index, event.by, event.note, getattr(event, "reason", None))


class Visit(NamedTuple):
    """One stage visited: entered, left, its deadline, how that was worked out, and where from.

    This and the fold's other records are named tuples: immutable, and quick to make (see
    `Deadline`)."""

    number: int
    route: str | None
    entered_at: dt.datetime
    left_at: dt.datetime | None
    deadline: dt.datetime | None
    counted_from: dt.datetime | None
    why: Text
    source: str
    entered: Mark
    left: Mark | None = None
    working_days: bool = False
    """The deadline was counted in working days (see `Deadline.working_days`)."""

    def leaving(self, at: dt.datetime, left: Mark) -> Visit:
        """This visit, left at `at` by the event `left` (what `_replace` makes, in a third
        of the time: a history leaves a stage at most of its steps)."""
        return Visit(
            self.number,
            self.route,
            self.entered_at,
            at,
            self.deadline,
            self.counted_from,
            self.why,
            self.source,
            self.entered,
            left,
            self.working_days,
        )


class Step(NamedTuple):
    """One step of the explanation, as the fold notes it (see `ExplanationStep`)."""

    event_index: int | None
    event_id: str | None
    at: dt.datetime
    text: Text
    """Made when read: see `step_text`."""
    source: str
    by: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class AgreedAction:
    """A task the parties agreed (`action_agreed`), shaped like a policy's required action."""

    id: str
    title: str
    source: str
    role: str | None = None
    if_missed: str | None = None
    lapses: Lapse = "never"


class ActionState(NamedTuple):
    """A required or agreed action that has been triggered, and whether it was done or lapsed."""

    action: RequiredAction | AgreedAction
    role_id: str
    triggered_at: dt.datetime
    stage_number: int
    deadline: dt.datetime | None
    counted_from: dt.datetime | None
    why: Text
    done_at: dt.datetime | None = None
    lapsed_at: dt.datetime | None = None
    working_days: bool = False
    """The deadline was counted in working days (see `Deadline.working_days`)."""

    @property
    def agreed(self) -> bool:
        return isinstance(self.action, AgreedAction)

    def lapsing(self, at: dt.datetime) -> ActionState:
        """This action, lapsed at `at` (see `Visit.leaving`)."""
        return ActionState(
            self.action,
            self.role_id,
            self.triggered_at,
            self.stage_number,
            self.deadline,
            self.counted_from,
            self.why,
            self.done_at,
            at,
            self.working_days,
        )

    @property
    def outstanding(self) -> bool:
        return self.done_at is None and self.lapsed_at is None


@dataclass(slots=True)
class State:
    """Where the escalation stands after the events applied so far.

    Changed in place by `evolve`: one evaluation has one state, which never leaves it, and
    copying a dozen fields at each of the dozen steps of a history was an eighth of the cost
    of evaluating it."""

    pathway: Pathway
    raised_at: dt.datetime
    raised_index: int
    agency: str | None
    receiving_agency: str | None
    category: str | None
    dates: Mapping[str, dt.datetime]
    status: Status
    ended_by: int | None
    visits: tuple[Visit, ...]
    significant_harm: bool
    actions: list[ActionState] = field(default_factory=list)
    """Every action triggered so far, in the order triggered; see `add_action`."""
    steps: list[Step] = field(default_factory=list)
    """The explanation so far; made into `ExplanationStep`s once, with the result."""
    warnings: tuple[EvaluationWarning, ...] = ()
    _action_at: dict[str, int] = field(default_factory=dict)

    @property
    def current(self) -> Visit:
        return self.visits[-1]

    def evolve(self, **changes: object) -> State:
        for name, value in changes.items():
            setattr(self, name, value)
        return self

    def noted(
        self,
        index: int | None,
        event_id: str | None,
        at: dt.datetime,
        text: Text,
        source: str,
        event: Any,
    ) -> State:
        """Note a step of the explanation, taken on applying `event` (its `by` and `note` are
        kept with it)."""
        self.steps.append(Step(index, event_id, at, text, source, event.by, event.note))
        return self

    def warned(self, code: str, message: str, index: int | None) -> State:
        if any(w.code == code and w.message == message for w in self.warnings):
            return self
        warning = EvaluationWarning.made(code=code, message=message, index=index)
        return self.evolve(warnings=(*self.warnings, warning))

    def action(self, action_id: str) -> ActionState | None:
        at = self._action_at.get(action_id)
        return None if at is None else self.actions[at]

    def add_action(self, item: ActionState) -> State:
        self._action_at[item.action.id] = len(self.actions)
        self.actions.append(item)
        return self

    def replace_action(self, new: ActionState) -> State:
        """Put `new` where the action of the same id is (done, or lapsed)."""
        self.actions[self._action_at[new.action.id]] = new
        return self

    def role_title(self, ctx: Context, role_id: str) -> str:
        return role_title(ctx, self.agency, self.receiving_agency, role_id)


def role_title(ctx: Context, agency: str | None, receiving: str | None, role_id: str) -> str:
    """A role's title for the raising agency's type `agency` and the receiving one's."""
    role = ctx.roles.get(role_id)
    return role.title_among(agency, receiving) if role else role_id


def step_text(step: Step) -> str:
    """The sentence of an explanation step, made now if it was not made yet."""
    text = text_of(step.text)
    if text.endswith((".'.", '.".')):  # a quoted sentence already ends with its stop
        return text[:-1]
    return text


def clock_start(
    ctx: Context, state: State, timescale: Timescale, entered_at: dt.datetime, number: int
) -> tuple[dt.datetime, State]:
    """Where a timescale's clock starts, and the state with any warning that choice needs.

    `entered_at` is when the stage (number `number`) was entered or the action triggered.
    """
    kind = timescale.counts_from
    if kind == "raised":
        return state.raised_at, state
    if kind == "date" and timescale.from_date is not None:
        given = state.dates.get(timescale.from_date)
        if given is not None:
            return given, state
        title = _date_title(state.pathway, timescale.from_date)
        return state.raised_at, state.warned(
            "date_not_given",
            f"the raised event does not give the date {timescale.from_date!r} ({title}) that "
            "the policy counts from, so those clocks count from the raise; give it in the "
            f"raised event's dates as {timescale.from_date!r}",
            state.raised_index,
        )
    if kind == "stage" and timescale.from_stage is not None:
        target = state.pathway.number_of(timescale.from_stage) or 1
        for visit in state.visits:
            if visit.number >= target:
                return visit.entered_at, state
        if number >= target:
            return entered_at, state
        return entered_at, state.warned(
            "stage_not_reached",
            f"the clock of {timescale.source} counts from entering stage "
            f"{timescale.from_stage!r}, which the matter has not reached, so it counts from "
            "when the action was triggered",
            state.raised_index,
        )
    return entered_at, state


def _date_title(pathway: Pathway, date_id: str) -> str:
    return next((d.title for d in pathway.dates if d.id == date_id), date_id)


def work_out(
    ctx: Context, state: State, timescale: Timescale, entered_at: dt.datetime, number: int
) -> tuple[Deadline, State]:
    """The deadline a timescale sets for something entered or triggered at `entered_at`."""
    start, state = clock_start(ctx, state, timescale, entered_at, number)
    return deadline_for(timescale, ctx.calendar, start), state


def describe_deadline(ctx: Context, deadline: Deadline) -> Text:
    if deadline.at is None:
        return deadline.basis
    return Phrase(_due_by, deadline.at, ctx.calendar, deadline.basis)


def _due_by(at: dt.datetime, calendar: WorkingCalendar, basis: Text) -> str:
    return f"due by {show(at, calendar)} ({basis})"


def stage_label(pathway: Pathway, number: int, word: str = "stage") -> str:
    step = pathway.step(number)
    if isinstance(step, Stage):
        return f"{word} {number} ({step.title})"
    return f"the final referral ({step.title})"
