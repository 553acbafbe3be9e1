"""The baseline: Newcastle's professional-disagreement rules as an integrator would hand-build
them, a `transitions` state machine with `workalendar` working days.

It knows only what the benchmark's histories use (the default pathway: raise, escalate to the
next stage, agree a timescale, identify significant harm, an outcome) and answers only what a
dashboard shows: the stage, who holds it, the earliest deadline, whether anything is overdue.
`benchmarks/run.py` checks that it agrees with `evaluate` on every history before timing it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from transitions import Machine
from workalendar.europe import UnitedKingdom

LONDON = ZoneInfo("Europe/London")
CLOSE = dt.time(17, 0)
DAYS = {1: 5, 2: 5, 3: 5, 4: 5, 5: 2}  # 5.1.I-V; stage 6 is the referral to the Chair (4.1)
ROLES = {
    1: "Practitioner",
    2: "Line manager or safeguarding/designated lead",
    3: "Head of Service or equivalent",
    4: "Assistant Director or equivalent",
    5: "Director or equivalent",
    6: "Chair of Newcastle Safeguarding Children Partnership, via the Partnership Manager",
}
LINE_MANAGER = {
    "school": "Designated person",
    "health": "First line manager, or the Designated or Named Professional",
}
STATES = [
    "stage1",
    "stage2",
    "stage3",
    "stage4",
    "stage5",
    "stage6",
    "resolved",
    "resolved_with_dissent",
    "withdrawn",
]
CALENDAR = UnitedKingdom()


def close_of_business(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, CLOSE, LONDON).astimezone(dt.UTC)


def working_days_after(moment: dt.datetime, days: int) -> dt.datetime:
    local = moment.astimezone(LONDON).date()
    return close_of_business(CALENDAR.add_working_days(local, days))


def same_working_day(moment: dt.datetime) -> dt.datetime:
    local = moment.astimezone(LONDON)
    day = local.date()
    if CALENDAR.is_working_day(day) and local.time() < CLOSE:
        return close_of_business(day)
    return close_of_business(CALENDAR.add_working_days(day, 1))


@dataclass
class Escalation:
    """One escalation; the machine adds `state` and the triggers."""

    agency: str | None = None
    concern: dt.datetime | None = None
    raised_at: dt.datetime | None = None
    stage_deadline: dt.datetime | None = None
    actions: dict[str, dt.datetime] = field(default_factory=dict)
    state: str = "stage1"

    def on_enter_stage(self, at: dt.datetime, number: int) -> None:
        self.actions.pop("discuss_with_opposite_number", None)  # lapses on leaving stage 2
        start = at
        if number == 1:
            start = self.concern or at
        self.stage_deadline = working_days_after(start, DAYS[number]) if number in DAYS else None
        if number == 2:  # 2.4, counted from the concern like stage 1
            self.actions["discuss_with_opposite_number"] = working_days_after(
                self.concern or self.raised_at or at, 5
            )


def new_machine(escalation: Escalation) -> Machine:
    machine = Machine(
        model=escalation,
        states=STATES,
        initial="stage1",
        auto_transitions=False,
        send_event=False,
    )
    for number in range(1, 6):
        machine.add_transition("escalate", f"stage{number}", f"stage{number + 1}")
    for outcome in ("resolved", "resolved_with_dissent", "withdrawn"):
        machine.add_transition(outcome, [f"stage{n}" for n in range(1, 7)], outcome)
    return machine


def evaluate_by_hand(events: list[dict[str, Any]], as_of: dt.datetime) -> dict[str, Any]:
    """What the dashboard shows for one history, in time order."""
    escalation = Escalation()
    new_machine(escalation)
    stage = 1
    for event in events:
        at = dt.datetime.fromisoformat(event["at"])
        if at > as_of:
            break
        kind = event["type"]
        if kind == "raised":
            escalation.agency = event.get("agency")
            concern = event.get("dates", {}).get("concern")
            escalation.concern = None if concern is None else dt.datetime.fromisoformat(concern)
            escalation.raised_at = at
            escalation.on_enter_stage(at, 1)
        elif kind == "escalated":
            escalation.escalate()  # type: ignore[attr-defined]
            stage += 1
            escalation.on_enter_stage(at, stage)
        elif kind == "timescale_agreed":
            escalation.stage_deadline = dt.datetime.fromisoformat(event["deadline"])
        elif kind == "significant_harm":
            escalation.actions["child_protection_referral"] = same_working_day(at)
        else:
            getattr(escalation, kind)()
            escalation.stage_deadline = None
            escalation.actions.pop("discuss_with_opposite_number", None)
    deadlines = [d for d in (escalation.stage_deadline, *escalation.actions.values()) if d]
    deadline = min(deadlines, default=None)
    role = ROLES[stage]
    if stage == 2 and escalation.agency in LINE_MANAGER:
        role = LINE_MANAGER[escalation.agency]
    return {
        "status": escalation.state if not escalation.state.startswith("stage") else "open",
        "stage": stage,
        "responsible_role": role,
        "deadline": deadline,
        "overdue": any(d < as_of for d in deadlines),
    }
