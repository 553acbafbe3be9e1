"""`deadline_moments` and `cases`: `as_of` aimed at the deadlines of an evaluation.

A deadline is met by an event at it and missed only after it, so a system that says overdue
at the deadline itself (`>=` for `>`), or that compares wall clocks across the autumn clock
change, is wrong only within a minute of a deadline: a moment drawn at random lands there a
few times in a thousand. These strategies land there most of the time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from ..evaluation._evaluator import evaluate
from ..evaluation._result import Evaluation
from ..policy._model import Policy
from ._histories import histories
from ._moments import in_some_offset, later_moment, pick

NEAR: tuple[dt.timedelta, ...] = (
    dt.timedelta(0),
    dt.timedelta(microseconds=-1),
    dt.timedelta(microseconds=1),
    dt.timedelta(minutes=-1),
    dt.timedelta(minutes=1),
)
"""How far from a deadline an aimed moment falls: at it, a microsecond or a minute either side."""


def deadlines_of(result: Evaluation) -> list[dt.datetime]:
    """Every deadline an evaluation shows (stages, actions, due items), once each, in time
    order."""
    found = [entry.deadline for entry in result.timeline]
    found += [action.deadline for action in result.actions]
    found += [item.deadline for item in result.due]
    instants = {d.astimezone(dt.UTC): d for d in found if d is not None}
    return [instants[k] for k in sorted(instants)]


def deadline_moments(result: Evaluation) -> st.SearchStrategy[dt.datetime]:
    """Moments at, a microsecond either side of, and a minute either side of a deadline of
    `result` (see `deadlines_of`), never before the escalation was raised, written in the
    policy's offset at that instant or in another (the same instant, other text).

    Where the evaluation has no deadline at all (every timescale the document's own words,
    and no agreed timescale or action), the moments fall at and around the times its stages
    were entered instead.
    """
    raised = result.timeline[0].entered_at
    targets = deadlines_of(result) or [entry.entered_at for entry in result.timeline]
    return _aimed(tuple(targets), raised)


@st.composite
def _aimed(draw: st.DrawFn, targets: tuple[dt.datetime, ...], raised: dt.datetime) -> dt.datetime:
    target = pick(draw, targets)
    moment = max(target + pick(draw, NEAR), raised)
    return in_some_offset(draw, moment)


@dataclass(frozen=True, slots=True)
class Case:
    """A valid history and the `as_of` to evaluate it at."""

    events: list[Any]
    as_of: dt.datetime
    aimed_at: dt.datetime | None
    """The deadline `as_of` was aimed at, or None where it was drawn another way."""


def cases(policy: Policy, **history_options: Any) -> st.SearchStrategy[Case]:
    """A history from `histories(policy, **history_options)` and an `as_of` for it.

    Three times in four `as_of` is aimed at a deadline of the history's evaluation (see
    `deadline_moments`); otherwise it is the time of one of its events, or a moment up to
    about 60 days after one (see `moments`). It is never before the raise.
    """
    return histories(policy, **history_options).flatmap(lambda events: _case(policy, events))


@st.composite
def _case(draw: st.DrawFn, policy: Policy, events: list[Any]) -> Case:
    result = evaluate(policy, events)
    kind = draw(st.integers(0, 7))
    if kind < 6 and deadlines_of(result):
        as_of = draw(deadline_moments(result))
        aimed = min(deadlines_of(result), key=lambda d: abs(d - as_of))
        return Case(events, as_of, aimed)
    times = [entry.at for entry in result.explanation]
    moment = pick(draw, times)
    if kind == 7:
        moment = later_moment(draw, policy, moment, ties=False)
    return Case(events, in_some_offset(draw, moment), None)
