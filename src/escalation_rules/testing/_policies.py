"""`policies`: valid policies of shapes nobody has written yet, built from the model.

A policy is drawn as the plain data a YAML file would hold, validated by the model, and then
put through the same whole-policy checks the loader runs, so that what comes out is a policy
`load_policy_text` would accept. Calendars are drawn mostly from a small pool (building a
working-day calendar for a century takes a few hundredths of a second, and built calendars
are shared), and now and then made up whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, get_args

from hypothesis import strategies as st

from ..policy._checks import check_policy
from ..policy._model import OUTCOMES, STAGE_TRIGGERS, WEEKDAYS, ActionTrigger, Policy
from ._moments import pick

Json = dict[str, Any]

_WEEK = list(WEEKDAYS[:5])
CALENDARS: tuple[Json, ...] = (
    {},
    {"bank_holidays": {"country": "GB", "subdivision": "SCT"}, "close_of_business": "16:30"},
    {"bank_holidays": {"country": "GB", "subdivision": "NIR"}, "close_of_business": "23:59"},
    {"bank_holidays": {"country": "GB", "subdivision": "WLS"}, "working_week": _WEEK[:4]},
    {"closure_dates": ["2026-12-24", "2026-12-29", "2027-01-04"], "close_of_business": "00:00"},
    # Close of business in the hour the clocks change, on every day of the week.
    {"working_week": list(WEEKDAYS), "close_of_business": "01:30"},
    {
        "timezone": "Australia/Sydney",
        "bank_holidays": {"country": "AU", "subdivision": "NSW"},
        "close_of_business": "18:00",
    },
    {
        "timezone": "America/New_York",
        "bank_holidays": {"country": "US", "subdivision": None},
        "working_week": ["sunday", *_WEEK[:4]],
    },
    {
        "timezone": "UTC",
        "bank_holidays": {"country": "IE", "subdivision": None},
        "working_week": list(WEEKDAYS),
        "close_of_business": "12:00",
    },
    {"timezone": "Asia/Kolkata", "working_week": ["saturday", "sunday"]},
)
"""The pool most generated policies take their calendar from."""

_ZONES = ("Europe/London", "Europe/Dublin", "America/New_York", "Australia/Sydney", "UTC")

_TITLES = ("Practitioner", "Head of Service", "Stage two: managers meet", "Désaccord", "x")
_SOURCES = ("1.5", "5.1.II", "Stage 4", "Appendix One", "Section 2", "7")
_WORDS = ("stage", "line_manager", "head", "a", "role_with_a_long_name", "x9", "panel")


def _title(draw: st.DrawFn) -> str:
    """Mostly a title from a small pool (cheap to draw); now and then any text."""
    if draw(st.integers(0, 4)) < 4:
        return pick(draw, _TITLES)
    return draw(st.text(min_size=1, max_size=30))


def _source(draw: st.DrawFn) -> str:
    return pick(draw, _SOURCES)


def _unique_ids(draw: st.DrawFn, n: int) -> list[str]:
    """`n` distinct ids: a word from a pool, numbered where it repeats."""
    out: list[str] = []
    for index in range(n):
        word = pick(draw, _WORDS)
        out.append(word if word not in out else f"{word}_{index}")
    return out


def _calendar(draw: st.DrawFn) -> Json:
    if draw(st.integers(0, 9)) < 9:
        return dict(pick(draw, CALENDARS))
    week = [day for day in WEEKDAYS if draw(st.booleans())] or ["monday"]
    closures = [
        (dt.date(2001, 1, 1) + dt.timedelta(days=draw(st.integers(0, 35000)))).isoformat()
        for _ in range(draw(st.integers(0, 3)))
    ]
    hour, minute = draw(st.integers(0, 23)), draw(st.integers(0, 59))
    return {
        "timezone": pick(draw, _ZONES),
        "bank_holidays": {"country": "GB", "subdivision": pick(draw, _SUBDIVISIONS)},
        "working_week": week,
        "closure_dates": closures,
        "close_of_business": f"{hour:02d}:{minute:02d}",
        "source": _source(draw),
    }


_SUBDIVISIONS = ("ENG", "SCT", "WLS", "NIR", None)
_KINDS = (
    "working_days",
    "same_working_day",
    "hours",
    "calendar_days",
    "immediately",
    "unspecified",
)


def _timescale(draw: st.DrawFn, stages: Sequence[str] = (), dates: Sequence[str] = ()) -> Json:
    """A timescale whose clock may start at one of `stages` or `dates`, or as the defaults."""
    kind = pick(draw, _KINDS)
    out: Json = {"kind": kind, "source": _source(draw)}
    if kind == "working_days":
        out["days"] = draw(st.integers(1, 20)) if draw(st.booleans()) else draw(st.integers(1, 250))
    elif kind == "hours":
        out["hours"] = (
            draw(st.integers(1, 72)) if draw(st.booleans()) else draw(st.integers(1, 8784))
        )
    elif kind == "calendar_days":
        out["days"] = draw(st.integers(1, 366))
    elif kind == "unspecified":
        out["wording"] = pick(draw, ("as soon as practicable", "without delay"))
    counts_from = pick(draw, (None, "entered", "raised", "stage", "date"))
    if counts_from == "stage" and stages:
        out["counts_from"], out["from_stage"] = counts_from, pick(draw, stages)
    elif counts_from == "date" and dates:
        out["counts_from"], out["from_date"] = counts_from, pick(draw, dates)
    elif counts_from in ("entered", "raised"):
        out["counts_from"] = counts_from
    return out


def _action(
    draw: st.DrawFn, action_id: str, roles: list[str], stages: Sequence[str], dates: Sequence[str]
) -> Json:
    out: Json = {
        "id": action_id,
        "title": _title(draw),
        "timescale": _timescale(draw, stages, dates),
        "source": _source(draw),
    }
    if draw(st.booleans()):
        out["role"] = pick(draw, roles)
    return out


def _step(
    draw: st.DrawFn, step_id: str, roles: list[str], earlier: Sequence[str], dates: Sequence[str]
) -> Json:
    """A stage (or final referral) whose clock may start at itself or an earlier stage."""
    out: Json = {"id": step_id, "title": _title(draw), "source": _source(draw)}
    if draw(st.booleans()):
        out["if_missed"] = pick(draw, ("Stage 3 is implemented", "discuss with a senior manager"))
    timescale = _timescale(draw, [*earlier, step_id], dates)
    out.update(responsible=pick(draw, roles), timescale=timescale)
    return out


def _routed(
    draw: st.DrawFn, stage: Json, roles: list[str], earlier: Sequence[str], dates: Sequence[str]
) -> None:
    """Turn a stage into one offering routes, each with its own role and timescale."""
    del stage["responsible"], stage["timescale"]
    stage.pop("counterpart", None)
    stage["routes"] = [
        {
            "id": route_id,
            "title": _title(draw),
            "responsible": pick(draw, roles),
            "timescale": _timescale(draw, [*earlier, stage["id"]], dates),
            "source": _source(draw),
        }
        for route_id in _unique_ids(draw, draw(st.integers(1, 3)))
    ]


def _pathway(draw: st.DrawFn, pathway_id: str, roles: list[str], max_stages: int) -> Json:
    count = draw(st.integers(1, max_stages))
    ids = _unique_ids(draw, count + 1)
    dates = _unique_ids(draw, draw(st.integers(0, 2)))
    stages = [
        _step(draw, stage_id, roles, ids[:k], dates) for k, stage_id in enumerate(ids[:count])
    ]
    for k, stage in enumerate(stages):
        if draw(st.booleans()):
            stage["counterpart"] = pick(draw, roles)
        if draw(st.integers(0, 4)) == 0:
            _routed(draw, stage, roles, ids[:k], dates)
    out: Json = {"id": pathway_id, "title": _title(draw), "stages": stages, "source": _source(draw)}
    if dates:
        out["dates"] = [{"id": d, "title": _title(draw), "source": "1"} for d in dates]
    targets = ids[:count]
    if draw(st.booleans()):
        out["final_referral"] = _step(draw, ids[count], roles, ids[:count], dates)
        targets = ids
    categories = _unique_ids(draw, draw(st.integers(0, 3)))
    if categories:
        out["categories"] = [{"id": c, "title": _title(draw), "source": "1"} for c in categories]
    actions = _unique_ids(draw, draw(st.integers(0, 3)) + 1)
    if draw(st.booleans()):
        out["significant_harm"] = _harm(draw, targets, roles, actions[-1], dates)
    if draw(st.booleans()):
        allowed = pick(draw, ("never", "with_reason", "to_named_stages"))
        out["skipping"] = {"allowed": allowed, "source": _source(draw)}
        if allowed == "to_named_stages":
            named = [t for t in targets if draw(st.booleans())] or [targets[-1]]
            out["skipping"]["to_stages"] = named
    if draw(st.booleans()):
        out["agreed_timescales"] = {"allowed": draw(st.booleans()), "source": _source(draw)}
        if draw(st.booleans()):
            out["agreed_timescales"]["at_stages"] = _some_of(draw, targets)
    outcomes = [o for o in OUTCOMES if draw(st.integers(0, 3)) == 0]
    if outcomes:
        out["outcomes"] = [
            {"outcome": o, "at_stages": _some_of(draw, targets), "source": _source(draw)}
            for o in outcomes
        ]
    out["actions"] = [_triggered(draw, a, roles, targets, dates) for a in actions[:-1]]
    return out


def _some_of(draw: st.DrawFn, ids: Sequence[str]) -> list[str]:
    """A non-empty selection of `ids`, in order."""
    return [i for i in ids if draw(st.booleans())] or [ids[-1]]


def _harm(
    draw: st.DrawFn, targets: list[str], roles: list[str], action_id: str, dates: Sequence[str]
) -> Json:
    jump = pick(draw, ("none", "fixed", "discretion"))
    out: Json = {"jump": jump, "source": _source(draw)}
    if jump == "fixed":
        out["to_stage"] = pick(draw, targets)
    if draw(st.booleans()):
        out["timescale"] = _timescale(draw, targets, dates)
    if draw(st.booleans()):
        out["required_action"] = _action(draw, action_id, roles, targets, dates)
    return out


_TRIGGERS: tuple[str, ...] = get_args(ActionTrigger)


def _triggered(
    draw: st.DrawFn, action_id: str, roles: list[str], targets: list[str], dates: Sequence[str]
) -> Json:
    out = _action(draw, action_id, roles, targets, dates)
    out["when"] = pick(draw, _TRIGGERS)
    if out["when"] in STAGE_TRIGGERS:
        out["stage"] = pick(draw, targets)
    if out["when"] in OUTCOMES:
        if draw(st.booleans()):
            out["at_stages"] = _some_of(draw, targets)
    elif draw(st.booleans()):
        out["lapses"] = pick(draw, ("never", "on_leaving_stage", "on_end"))
    return out


@st.composite
def _policy_data(draw: st.DrawFn, max_pathways: int, max_stages: int) -> Json:
    agencies = _unique_ids(draw, draw(st.integers(0, 3)))
    roles = _unique_ids(draw, draw(st.integers(1, 5)))
    pathways = _unique_ids(draw, draw(st.integers(1, max_pathways)))
    role_data = []
    for role_id in roles:
        role: Json = {"id": role_id, "title": _title(draw), "source": _source(draw)}
        if draw(st.integers(0, 3)) == 0:
            role["agency"] = "receiving"
        titled = [agency for agency in agencies if draw(st.booleans())]
        if titled:
            role["titles"] = {agency: _title(draw) for agency in titled}
        role_data.append(role)
    pathway_data = [_pathway(draw, p, roles, max_stages) for p in pathways]
    default = draw(st.integers(0, len(pathways) - 1))
    if len(pathways) > 1 or draw(st.booleans()):
        pathway_data[default]["default"] = True
    out: Json = {
        "id": pick(draw, _WORDS),
        "title": _title(draw),
        "document": _title(draw),
        "agency_types": [{"id": a, "title": _title(draw), "source": "1"} for a in agencies],
        "roles": role_data,
        "pathways": pathway_data,
    }
    if draw(st.booleans()):
        out["version"] = pick(draw, ("1", "2.1", "2024-04"))
        out["effective_from"] = pick(draw, ("2019-04-01", "2024-09-01"))
    if draw(st.booleans()):
        out["words"] = {"stage": "Step", "significant_harm": "risk to the immediate safety"}
    calendar = _calendar(draw)
    if draw(st.booleans()) or calendar:
        out["calendar"] = calendar
    return out


def policies(*, max_pathways: int = 3, max_stages: int = 6) -> st.SearchStrategy[Policy]:
    """Valid policies drawn from the model: any number of roles, agency types with their own
    role titles, up to `max_pathways` pathways of up to `max_stages` stages, with or without a
    final referral, stages offering routes, every timescale kind (counting from entry, from
    raising, from an earlier stage or from a named date), every significant-harm jump,
    skipping rule and action trigger, lapsing actions, outcomes limited to named stages,
    roles of the receiving agency, versions and the policy's own words, and assorted calendars
    (time zones, working weeks, bank-holiday regions, closure dates, close of business)."""
    return _policy_data(max_pathways, max_stages).map(_validated)


def _validated(data: Json) -> Policy:
    policy = Policy.model_validate(data)
    findings = check_policy(policy)
    if findings:  # a mistake of this generator, not of the policy author
        raise RuntimeError(f"generated an invalid policy: {findings}")
    return policy
