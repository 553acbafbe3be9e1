"""`invalid_histories`: histories broken in one known way each, with the way named.

Each way starts from a valid walk (`_walk.py`) and breaks it once, at a point where that way
applies: the input's shape is spoilt, or one field of one event (`_breaking.py`), or an event
the rules refuse is inserted where the course stands as the way needs (`_refusals.py`). The
record says the way, the problem `code` that `HistoryError` reports for it, and the `index`
of the event that problem names (None for the history as a whole).

The way is drawn first, uniformly among those that can apply to the policy, then a pathway
it applies to, then a walk aimed at what the way needs (an open end, significant harm, a
stage where no timescale may be agreed), so every way gets a fair share of the examples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from hypothesis import reject
from hypothesis import strategies as st

from ..policy._model import Policy
from . import _refusals, _refused_tasks  # noqa: F401  (they register their ways)
from ._aims import HistoryOptions, candidate_pathways
from ._breaking import KINDS, WAYS, InvalidHistory, InvalidWay, Kind
from ._moments import pick
from ._walk import walks

__all__ = ["INVALID_WAYS", "InvalidHistory", "InvalidWay", "invalid_histories"]

INVALID_WAYS: Mapping[str, InvalidWay] = MappingProxyType(
    {
        name: WAYS[name].info
        for name in sorted(WAYS, key=lambda n: (KINDS.index(WAYS[n].info.kind), n))
    }
)
"""Every way `invalid_histories` breaks a history, by name, grouped by kind (`shape`,
`field`, `rule`), each with the problem code `HistoryError` reports for it."""

_TRIES = 4


def invalid_histories(
    policy: Policy,
    pathway: str | None = None,
    *,
    ways: Iterable[str] | None = None,
    kinds: Iterable[Kind] | None = None,
    max_events: int = 8,
) -> st.SearchStrategy[InvalidHistory]:
    """Histories of `policy` broken in exactly one named way each (see `INVALID_WAYS`).

    Among them: a history that is not a list, an event that is not an object, a naive time,
    an unknown field or event type, a duplicate id, an event after the outcome, a skip the
    pathway forbids (or one without the reason it asks for), a stage that is not later, an
    action not yet required or done twice, significant harm twice or where there is no rule
    for it, a timescale agreed where none may be, an `as_of` without a zone or before the
    escalation was raised. `evaluate(policy, h.events, as_of=h.as_of)` must raise
    `HistoryError` with a problem of code `h.code` naming the event at `h.index`.

    Each way that can apply to the policy's pathways (or to `pathway`) is drawn equally
    often; `ways` (names) and `kinds` (`shape`, `field`, `rule`) narrow them.
    """
    chosen = list(INVALID_WAYS if ways is None else ways)
    unknown = sorted(set(chosen) - set(WAYS))
    if unknown or not chosen:
        raise ValueError(f"unknown ways {unknown}; the ways are: {', '.join(INVALID_WAYS)}")
    if kinds is not None:
        wanted = set(kinds)
        if not wanted or wanted - set(KINDS):
            raise ValueError(f"kinds are {', '.join(KINDS)}, not {sorted(wanted)}")
        chosen = [name for name in chosen if INVALID_WAYS[name].kind in wanted]
    pathways = candidate_pathways(policy, pathway)
    usable = [name for name in chosen if any(WAYS[name].applies(p) for p in pathways)]
    if not usable:
        ids = ", ".join(p.id for p in pathways)
        raise ValueError(f"none of the ways {chosen} can apply to pathways {ids} of {policy.id!r}")
    return _broken(policy, tuple(p.id for p in pathways), tuple(usable), max_events)


@st.composite
def _broken(
    draw: st.DrawFn,
    policy: Policy,
    pathways: tuple[str, ...],
    ways: tuple[str, ...],
    max_events: int,
) -> InvalidHistory:
    way = WAYS[pick(draw, ways)]
    fitting = [p for p in policy.pathways if p.id in pathways and way.applies(p)]
    chosen = pick(draw, fitting)
    options = HistoryOptions(pathway=chosen.id, order="time", **way.aim(chosen))
    for _ in range(_TRIES):
        broken = way.make(draw, draw(walks(policy, options, max_events=max_events)))
        if broken is not None:
            return broken
    # The walks drawn did not take the course the way needs (rare: the aim makes it likely).
    reject()
