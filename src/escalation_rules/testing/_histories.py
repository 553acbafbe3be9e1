"""`histories`: valid event histories for any policy."""

from __future__ import annotations

from typing import Any, Literal, overload

from hypothesis import strategies as st

from ..history._events import _EVENT_ADAPTER, Event
from ..policy._model import Policy
from ._walk import walks


def check_pathway(policy: Policy, pathway: str | None) -> None:
    """Refuse, when the strategy is built, a pathway the policy does not have."""
    if pathway is not None and policy.pathway(pathway) is None:
        ids = ", ".join(p.id for p in policy.pathways)
        raise ValueError(f"policy {policy.id!r} has no pathway {pathway!r}; its pathways: {ids}")


@overload
def histories(
    policy: Policy,
    pathway: str | None = None,
    *,
    max_events: int = 12,
    ties: bool = True,
    form: Literal["json"] = "json",
) -> st.SearchStrategy[list[dict[str, Any]]]: ...


@overload
def histories(
    policy: Policy,
    pathway: str | None = None,
    *,
    max_events: int = 12,
    ties: bool = True,
    form: Literal["events"],
) -> st.SearchStrategy[list[Event]]: ...


def histories(
    policy: Policy,
    pathway: str | None = None,
    *,
    max_events: int = 12,
    ties: bool = True,
    form: Literal["json", "events"] = "json",
) -> st.SearchStrategy[list[dict[str, Any]]] | st.SearchStrategy[list[Event]]:
    """Valid histories of one escalation under `policy`, which `evaluate` accepts.

    Each history starts with `raised` (on `pathway`, or on any pathway of the policy when it
    is None) and goes on with up to `max_events - 1` further events, each allowed where it
    stands: escalations to the next stage, or past it where the pathway's skipping rule
    allows (with a reason where the rule asks for one), significant harm once where the
    pathway has a rule for it (with `to_stage` where the rule leaves it to discretion),
    agreed timescales where the pathway provides for them, `action_done` for every required
    action once triggered (also after the outcome), and one of the three outcomes. The
    raiser's agency type and the category are drawn from the policy's own lists; some events
    carry an `id` (unique in the history) and a `by`.

    Times (see `moments`) fall on weekends, bank holidays, clock changes and around close of
    business, in assorted UTC offsets. Events are in time order; with `ties` (the default)
    some share a time, in which case their input order is the order they happen in.

    `form="json"` (the default) gives lists of plain JSON-like dicts with ISO 8601 times;
    `form="events"` gives lists of `Event` objects.
    """
    check_pathway(policy, pathway)
    if max_events < 1:
        raise ValueError("max_events must be at least 1: a history starts with raised")
    events = walks(policy, pathway, max_events=max_events, ties=ties).map(
        lambda walk: [dict(event) for event in walk.events]
    )
    if form == "events":
        return events.map(lambda raw: [_EVENT_ADAPTER.validate_python(e) for e in raw])
    if form != "json":
        raise ValueError(f"form is 'json' or 'events', not {form!r}")
    return events
