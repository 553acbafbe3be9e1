"""`invalid_histories`: histories broken in one known way each, with the way named.

Each way starts from a valid walk (`_walk.py`) and breaks it once, at a point where that way
applies: one field of one event is spoilt (`_breaking.py`), or an event the rules refuse is
inserted where the course stands as the way needs (`_refusals.py`). The record says the way,
the problem `code` that `HistoryError` reports for it, and the `index` of the event that
problem names (None for the history as a whole).
"""

from __future__ import annotations

from collections.abc import Iterable

from hypothesis import reject
from hypothesis import strategies as st

from ..policy._model import Policy
from . import _refusals  # noqa: F401  (registers its ways)
from ._breaking import WAYS, InvalidHistory
from ._histories import check_pathway
from ._moments import pick
from ._walk import walks

__all__ = ["INVALID_WAYS", "InvalidHistory", "invalid_histories"]

INVALID_WAYS: tuple[str, ...] = tuple(sorted(WAYS))
"""The names of the ways `invalid_histories` breaks a history."""


def invalid_histories(
    policy: Policy,
    pathway: str | None = None,
    *,
    ways: Iterable[str] | None = None,
    max_events: int = 8,
) -> st.SearchStrategy[InvalidHistory]:
    """Histories of `policy` broken in exactly one named way each (see `INVALID_WAYS`).

    Among them: a naive time, an event after the outcome, an unknown field or event type, a
    duplicate id, a skip the pathway forbids (or one without the reason it asks for), a stage
    that is not later, an action not yet required or done twice, significant harm twice or
    where there is no rule for it, a timescale agreed where none may be, an `as_of` without a
    zone or before the escalation was raised. Only the ways that can apply to the policy's
    pathway and to the drawn history are used; `ways` narrows them further.
    """
    check_pathway(policy, pathway)
    chosen = tuple(INVALID_WAYS if ways is None else ways)
    unknown = sorted(set(chosen) - set(WAYS))
    if unknown or not chosen:
        raise ValueError(f"unknown ways {unknown}; the ways are: {', '.join(INVALID_WAYS)}")
    return _broken(policy, pathway, chosen, max_events)


@st.composite
def _broken(
    draw: st.DrawFn, policy: Policy, pathway: str | None, ways: tuple[str, ...], max_events: int
) -> InvalidHistory:
    walk = draw(walks(policy, pathway, max_events=max_events))
    remaining = list(ways)
    while remaining:
        name = pick(draw, remaining)
        broken = WAYS[name](draw, walk)
        if broken is not None:
            return broken
        remaining.remove(name)
    # Every way asked for needs a course this walk did not take (such as a skip the pathway
    # forbids, on a pathway of one stage): leave this example out.
    reject()
