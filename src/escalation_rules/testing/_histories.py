"""`histories`: valid event histories for any policy, aimed where the caller asks."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, overload

from hypothesis import strategies as st

from ..history._events import _EVENT_ADAPTER, Event
from ..policy._model import Policy
from ._aims import HistoryOptions, Order, check_options
from ._walk import Json, Walk, walks


@overload
def histories(
    policy: Policy,
    pathway: Any = None,
    *,
    stage: Any = None,
    outcome: Any = None,
    significant_harm: Any = None,
    agency: Any = None,
    receiving_agency: Any = None,
    ties: Any = None,
    fractional_seconds: Any = None,
    dates: Any = None,
    agreed_actions: Any = None,
    routes: Any = None,
    order: Order = "any",
    max_events: int = 12,
    form: Literal["json"] = "json",
) -> st.SearchStrategy[list[dict[str, Any]]]: ...


@overload
def histories(
    policy: Policy,
    pathway: Any = None,
    *,
    stage: Any = None,
    outcome: Any = None,
    significant_harm: Any = None,
    agency: Any = None,
    receiving_agency: Any = None,
    ties: Any = None,
    fractional_seconds: Any = None,
    dates: Any = None,
    agreed_actions: Any = None,
    routes: Any = None,
    order: Order = "any",
    max_events: int = 12,
    form: Literal["events"],
) -> st.SearchStrategy[list[Event]]: ...


def histories(
    policy: Policy,
    pathway: Any = None,
    *,
    stage: Any = None,
    outcome: Any = None,
    significant_harm: Any = None,
    agency: Any = None,
    receiving_agency: Any = None,
    ties: Any = None,
    fractional_seconds: Any = None,
    dates: Any = None,
    agreed_actions: Any = None,
    routes: Any = None,
    order: Order = "any",
    max_events: int = 12,
    form: Literal["json", "events"] = "json",
) -> st.SearchStrategy[list[dict[str, Any]]] | st.SearchStrategy[list[Event]]:
    """Valid histories of one escalation under `policy`, which `evaluate` accepts.

    Each history starts with `raised` and goes on with events each allowed where it stands:
    escalations to the next stage, or past it where the pathway's skipping rule allows (with
    a reason where the rule asks for one), significant harm once where the pathway has a
    rule for it (with `to_stage` where the rule leaves it to discretion), agreed timescales
    where the pathway provides for them, agreed actions, `action_done` for required and
    agreed actions once triggered (also after the outcome), and an outcome allowed at the
    stage it is recorded at. Times (see `moments`) fall on weekends, bank holidays, clock
    changes and around close of business, in assorted UTC offsets.

    Every option below is left to the kit when None: drawn from a mix that covers
    everything the policy allows. Give a value to fix it, or a Hypothesis strategy to weight
    it (`agency=st.sampled_from(["school", "school", "health"])`; `st.none()` where the
    option may be absent):

    - `pathway`: a pathway id (any of the policy's when None);
    - `stage`: the stage the history ends at, by number or id (the final referral is one
      past the last stage); left to the kit, each stage is drawn as often as any other;
    - `outcome`: "open" (no outcome), "resolved", "resolved_with_dissent" or "withdrawn";
      only an outcome the pathway allows at the stage is drawn;
    - `significant_harm`: True (identified), False (never) or None (may be);
    - `agency`, `receiving_agency`: the agency type on `raised`; left to the kit, mostly one
      of the policy's types, now and then one it has no titles for (`evaluate` then warns),
      sometimes none;
    - `ties`: True (at least two events share an instant), False (none do) or None (some
      may); events at one instant happen in their input order;
    - `fractional_seconds`: True (every time has microseconds), False, or None (a quarter of
      the histories);
    - `dates`: True (every named date the pathway asks for is given on `raised`), False
      (none), None (some);
    - `agreed_actions`: True (at least one `action_agreed`), False (none), None (may be);
    - `routes`: True (every escalation into a stage with routes names one), False (none
      does: the first route), None (some do);
    - `order`: "time" (events in time order) or "any" (the default: half the histories are
      given out of time order, as a store may hand them over; events at one instant keep
      their order, which is theirs).

    At most `max_events` events, or more where the aims need them (a deep stage, significant
    harm, an agreed action, an outcome). Options no history can meet (a stage the pathway
    does not have, an outcome not allowed at the stage asked for) are refused with
    ValueError when the strategy is built.

    `form="json"` (the default) gives lists of plain JSON-like dicts with ISO 8601 times;
    `form="events"` gives lists of `Event` objects.
    """
    options = HistoryOptions(
        pathway=pathway,
        stage=stage,
        outcome=outcome,
        significant_harm=significant_harm,
        agency=agency,
        receiving_agency=receiving_agency,
        ties=ties,
        fractional_seconds=fractional_seconds,
        dates=dates,
        agreed_actions=agreed_actions,
        routes=routes,
        order=order,
    )
    check_options(policy, options)
    if max_events < 1:
        raise ValueError("max_events must be at least 1: a history starts with raised")
    if form not in ("json", "events"):
        raise ValueError(f"form is 'json' or 'events', not {form!r}")
    events = walk_histories(policy, options, max_events).map(lambda walk: list(walk.events))
    if form == "events":
        return events.map(lambda raw: [_EVENT_ADAPTER.validate_python(e) for e in raw])
    return events


def walk_histories(
    policy: Policy, options: HistoryOptions, max_events: int
) -> st.SearchStrategy[Walk]:
    """Walks whose events are in the order `options.order` asks for."""
    base = walks(policy, options, max_events=max_events)
    if options.order == "time":
        return base.map(_copied)
    return base.flatmap(lambda walk: st.booleans().flatmap(lambda out: _ordered(walk, out)))


def _copied(walk: Walk) -> Walk:
    return Walk(
        walk.policy, walk.pathway, tuple(dict(e) for e in walk.events), walk.times, walk.snapshots
    )


def _ordered(walk: Walk, out_of_order: bool) -> st.SearchStrategy[Walk]:
    walk = _copied(walk)
    if not out_of_order:
        return st.just(walk)
    # Events at one instant form a group that keeps its order; the groups are shuffled.
    groups: dict[dt.datetime, list[int]] = {}
    for index, moment in enumerate(walk.times):
        groups.setdefault(moment.astimezone(dt.UTC), []).append(index)
    return st.permutations(list(groups.values())).map(
        lambda order: _reordered(walk, [i for group in order for i in group])
    )


def _reordered(walk: Walk, indexes: list[int]) -> Walk:
    def pick(items: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(items[i] for i in indexes)

    events: tuple[Json, ...] = pick(walk.events)
    return Walk(walk.policy, walk.pathway, events, pick(walk.times), pick(walk.snapshots))
