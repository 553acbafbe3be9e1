"""The evaluation: what `evaluate` answers, as frozen models that dump to plain JSON."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

Status = Literal["open", "resolved", "resolved_with_dissent", "withdrawn"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StageRef(_Value):
    """A stage by number (from 1; the final referral is one past the last stage), id, title."""

    number: int
    id: str
    title: str
    source: str


class RoleRef(_Value):
    """A role, titled for the raiser's agency type where the policy gives it another title."""

    id: str
    title: str


class DueItem(_Value):
    """Something outstanding: the current stage's outcome, or a required action."""

    kind: Literal["stage", "action"]
    id: str
    title: str
    role: RoleRef
    deadline: dt.datetime | None
    overdue: bool | None
    why: str
    source: str


class TimelineEntry(_Value):
    """One stage visited: when it was entered and left, its deadline, and whether it was met."""

    stage: StageRef
    entered_at: dt.datetime
    left_at: dt.datetime | None
    deadline: dt.datetime | None
    met: bool | None


class ExplanationStep(_Value):
    """One step of the reasoning, citing the paragraph of the document it applied."""

    event_index: int | None
    event_id: str | None
    at: dt.datetime
    text: str
    source: str


class Evaluation(_Value):
    """Where an escalation stands: status, stage, who must act, by when, and why."""

    policy: str
    status: Status
    pathway: str
    category: str | None
    agency: str | None
    as_of: dt.datetime | None
    stage: StageRef
    responsible_role: RoleRef
    next_role: RoleRef | None
    deadline: dt.datetime | None
    due: tuple[DueItem, ...]
    overdue: bool | None
    significant_harm: bool
    timeline: tuple[TimelineEntry, ...]
    explanation: tuple[ExplanationStep, ...]
