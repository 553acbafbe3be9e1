"""A small case-management integration, written as an integrator would, with bugs to plant.

The system keeps each escalation's events as rows of its own (an insertion id, a stored time,
its own agency names), and shows a dashboard row built from `evaluate`. `check_dashboard` is
the property an integrator writes; `tests/test_planted_bugs.py` checks that the shipped
strategies find each planted bug with it, and `benchmarks/planted_bugs.py` counts how many
examples they need.

The four bugs, each one switched on by name:
- `time_zone`: the offset of an event's time is dropped on the way in (the wall-clock time
  is stored as if it were UTC);
- `overdue_boundary`: the nightly report counts an item overdue at its deadline (`>=`), where
  a deadline is met by an event at it, so it is overdue only after it (`>`);
- `agency_type`: one of the system's agency names is mapped to the wrong agency type of the
  policy (to one whose role titles differ);
- `insertion_order`: rows are read back in insertion order, not time order, so the "last
  activity" shown is the last event entered, not the latest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from escalation_rules import Evaluation, Policy, evaluate

BUGS = ("time_zone", "overdue_boundary", "agency_type", "insertion_order")


def own_name(agency_type: str) -> str:
    """The system's own name for an agency type: what its users pick from a list."""
    return f"{agency_type.replace('_', ' ').title()} (local)"


def wrong_type(policy: Policy) -> tuple[str, str] | None:
    """The agency type the `agency_type` bug maps wrongly, and the type it maps it to: the first
    pair whose titles differ for some role (None where no two types differ)."""
    types = [a.id for a in policy.agency_types]
    for first in types:
        for second in types:
            if first != second and any(
                role.title_for(first) != role.title_for(second) for role in policy.roles
            ):
                return first, second
    return None


@dataclass(frozen=True)
class Row:
    """One escalation on the dashboard."""

    status: str
    stage: int
    responsible: str
    deadline: dt.datetime | None
    overdue: bool | None
    last_activity: dt.datetime


@dataclass
class _Stored:
    insert_id: int
    at: dt.datetime
    fields: dict[str, Any]


@dataclass
class CaseSystem:
    policy: Policy
    bugs: frozenset[str] = frozenset()
    _rows: list[_Stored] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._to_type = {own_name(a.id): a.id for a in self.policy.agency_types}
        pair = wrong_type(self.policy)
        if "agency_type" in self.bugs and pair is not None:
            self._to_type[own_name(pair[0])] = pair[1]

    def record(self, event: dict[str, Any]) -> None:
        """Store one event as the system's form sends it (ISO times, the policy's agency ids)."""
        fields = dict(event)
        at = dt.datetime.fromisoformat(fields.pop("at"))
        if "time_zone" in self.bugs:
            at = at.replace(tzinfo=dt.UTC)
        for name in ("agency", "receiving_agency"):
            if name in fields:
                fields[name] = own_name(fields[name])
        self._rows.append(_Stored(len(self._rows) + 1, at, fields))

    def history(self) -> list[dict[str, Any]]:
        """The stored events, as `evaluate` takes them, in the order the system reads them."""
        if "insertion_order" in self.bugs:
            rows = sorted(self._rows, key=lambda r: r.insert_id)
        else:  # ties keep the order they were entered in, as evaluate expects
            rows = sorted(self._rows, key=lambda r: (r.at, r.insert_id))
        events = []
        for row in rows:
            event = {**row.fields, "at": row.at.isoformat()}
            for name in ("agency", "receiving_agency"):
                if name in event:
                    # A name the system does not map passes through as it is: the policy
                    # then warns of an agency type it has no titles for.
                    event[name] = self._to_type.get(event[name], event[name])
            events.append(event)
        return events

    def dashboard(self, now: dt.datetime) -> Row:
        result: Evaluation = evaluate(self.policy, self.history(), as_of=now)
        deadline = result.deadline
        if deadline is None:
            overdue = False
        elif "overdue_boundary" in self.bugs:
            overdue = now >= deadline
        else:
            overdue = now > deadline
        rows = self.history()
        return Row(
            status=result.status,
            stage=result.stage.number,
            responsible=result.responsible_role.title,
            deadline=deadline,
            overdue=overdue,
            last_activity=dt.datetime.fromisoformat(rows[-1]["at"]),
        )


def check_dashboard(
    policy: Policy, bugs: frozenset[str], events: list[dict[str, Any]], now: dt.datetime
) -> None:
    """The integrator's property: the dashboard row of a system with `bugs` agrees with
    `evaluate` on the same history, and its last activity is the latest event."""
    system = CaseSystem(policy, bugs)
    for event in events:
        system.record(event)
    row = system.dashboard(now)
    expected = evaluate(policy, events, as_of=now)
    assert row.status == expected.status
    assert row.stage == expected.stage.number
    assert row.responsible == expected.responsible_role.title
    assert row.deadline == expected.deadline
    assert row.overdue == bool(expected.overdue)
    assert row.last_activity == max(dt.datetime.fromisoformat(e["at"]) for e in events)
