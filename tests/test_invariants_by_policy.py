"""Invariants that hold on some bundled policies only, and which: the table in docs/testing.md.

Each invariant is checked where the table says it holds (a property over aimed histories, or
every stage in turn) and broken, by a history worked out by hand from the document, where it
says it does not. The table itself is read from docs/testing.md, so the guide cannot drift
from what the policies do.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled
from hypothesis import given
from hypothesis import strategies as st

from escalation_rules import HistoryError, Policy, bundled_policies, evaluate
from escalation_rules.testing import histories, moments

NAMES = bundled_policies()
GUIDE = Path(__file__).resolve().parent.parent / "docs" / "testing.md"

HARM_NEVER_LATER = "Significant harm never makes the earliest deadline later"
HARM_KEEPS_STAGE = "Significant harm leaves the stage where it is"
DISSENT_ANYWHERE = "`resolved_with_dissent` may be recorded at every stage"
NO_SKIPS = "Every escalation goes to the next stage"

HOLDS: dict[str, set[str]] = {
    HARM_NEVER_LATER: {"halton", "newcastle", "pan_dorset", "rutland"},
    HARM_KEEPS_STAGE: {"halton", "newcastle", "pan_dorset"},
    DISSENT_ANYWHERE: {"newcastle", "rutland"},
    NO_SKIPS: {"brighton_hove", "halton", "pan_dorset"},
}


def at(event: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(event["at"])


def later(deadline: dt.datetime | None) -> tuple[int, dt.datetime]:
    """A sort key where no deadline is later than any."""
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    return (1, far) if deadline is None else (0, deadline.astimezone(dt.UTC))


def guide_table() -> dict[str, set[str]]:
    """The invariants table of docs/testing.md: invariant -> the policies it holds on."""
    if not GUIDE.exists():
        pytest.skip("docs/testing.md is not in this checkout")
    rows: dict[str, set[str]] = {}
    lines = GUIDE.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| invariant |"))
    columns = [c.strip() for c in lines[header].strip("|").split("|")][1:]
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = {
            name for name, mark in zip(columns, cells[1:], strict=True) if mark == "yes"
        }
    return rows


def test_the_guide_says_where_each_invariant_holds() -> None:
    table = guide_table()
    assert set(table) == set(HOLDS)
    for invariant, where in HOLDS.items():
        assert table[invariant] == where, invariant


def harmed(draw: st.DrawFn, policy: Policy) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """An open history without significant harm, and a significant-harm event after it."""
    with_rule = [p.id for p in policy.pathways if p.significant_harm is not None]
    pathway = draw(st.sampled_from(with_rule))
    events = draw(histories(policy, pathway, outcome="open", significant_harm=False, order="time"))
    last = max(at(e) for e in events)
    harm = {"type": "significant_harm", "at": draw(moments(policy, after=last)).isoformat()}
    return events, harm


@pytest.mark.parametrize("name", sorted(HOLDS[HARM_NEVER_LATER]))
@given(data=st.data())
def test_significant_harm_never_makes_the_earliest_deadline_later(
    name: str, data: st.DataObject
) -> None:
    policy = bundled(name)
    events, harm = harmed(data.draw, policy)
    now = at(harm)
    before = evaluate(policy, events, as_of=now).deadline
    after = evaluate(policy, [*events, harm], as_of=now).deadline
    assert later(after) <= later(before)


def test_on_brighton_and_hove_significant_harm_can_make_the_deadline_later() -> None:
    # Stage 2 of the document: the professionals may agree a timescale at stage one. Risk of
    # significant harm gives "discretion as to which stage is initiated" (Professional
    # Challenge); stage three has only the document's words for a timescale, so the agreed
    # deadline goes and no deadline takes its place.
    policy = bundled("brighton_hove")
    events: list[dict[str, Any]] = [
        {"type": "raised", "at": "2026-12-14T10:00:00+00:00"},
        {
            "type": "timescale_agreed",
            "at": "2026-12-14T11:00:00+00:00",
            "deadline": "2026-12-16T17:00:00+00:00",
        },
    ]
    harm = {"type": "significant_harm", "at": "2026-12-15T09:00:00+00:00", "to_stage": 3}
    now = "2026-12-15T09:00:00+00:00"
    before = evaluate(policy, events, as_of=now)
    after = evaluate(policy, [*events, harm], as_of=now)
    assert before.deadline == dt.datetime(2026, 12, 16, 17, tzinfo=dt.UTC)
    assert (after.stage.number, after.deadline) == (3, None)


@pytest.mark.parametrize("name", sorted(HOLDS[HARM_KEEPS_STAGE]))
@given(data=st.data())
def test_significant_harm_leaves_the_stage_where_it_is(name: str, data: st.DataObject) -> None:
    policy = bundled(name)
    events, harm = harmed(data.draw, policy)
    now = at(harm)
    before = evaluate(policy, events, as_of=now).stage
    assert evaluate(policy, [*events, harm], as_of=now).stage == before


@pytest.mark.parametrize(
    ("name", "harm", "stage"),
    [
        ("rutland", {}, 4),  # section 2: "go to stage 4 immediately"
        ("brighton_hove", {"to_stage": 2}, 2),  # discretion as to which stage is initiated
    ],
)
def test_where_significant_harm_moves_the_stage(
    name: str, harm: dict[str, Any], stage: int
) -> None:
    events = [
        {"type": "raised", "at": "2026-12-14T10:00:00+00:00"},
        {"type": "significant_harm", "at": "2026-12-14T11:00:00+00:00", **harm},
    ]
    assert evaluate(bundled(name), events).stage.number == stage


def reach(policy: Policy, pathway: str, number: int) -> list[dict[str, Any]]:
    """A history that escalates one stage at a time to stage `number` of `pathway`."""
    start = dt.datetime(2026, 12, 14, 10, tzinfo=dt.UTC)
    events = [{"type": "raised", "at": start.isoformat(), "pathway": pathway}]
    for step in range(1, number):
        events.append({"type": "escalated", "at": (start + dt.timedelta(hours=step)).isoformat()})
    return events


def dissent_refused_at(policy: Policy) -> list[tuple[str, int]]:
    refused = []
    for pathway in policy.pathways:
        for number in range(1, pathway.last_number + 1):
            events = reach(policy, pathway.id, number)
            events.append({"type": "resolved_with_dissent", "at": "2026-12-15T10:00:00+00:00"})
            try:
                evaluate(policy, events)
            except HistoryError as error:
                assert {p.code for p in error.problems} == {"outcome_not_allowed_here"}
                refused.append((pathway.id, number))
    return refused


@pytest.mark.parametrize("name", NAMES)
def test_where_resolved_with_dissent_may_be_recorded(name: str) -> None:
    refused = dissent_refused_at(bundled(name))
    if name in HOLDS[DISSENT_ANYWHERE]:
        assert refused == []
    else:  # Brighton & Hove stages 3-4, Halton 4, Pan-Dorset 2-3 only
        assert (
            refused
            == {
                "brighton_hove": [
                    ("professional_disagreement", 1),
                    ("professional_disagreement", 2),
                ],
                "halton": [("professional_disagreement", n) for n in (1, 2, 3)],
                "pan_dorset": [("professional_disagreement", 1)],
            }[name]
        )


def skips_accepted(policy: Policy) -> list[tuple[str, int, int]]:
    """Every skip past the next stage the policy accepts (with a reason), as (pathway, from,
    to)."""
    accepted = []
    for pathway in policy.pathways:
        for number in range(1, pathway.last_number - 1):
            for target in range(number + 2, pathway.last_number + 1):
                events = reach(policy, pathway.id, number)
                events.append(
                    {
                        "type": "escalated",
                        "at": "2026-12-15T10:00:00+00:00",
                        "to_stage": target,
                        "reason": "immediate risk",
                    }
                )
                try:
                    evaluate(policy, events)
                except HistoryError as error:
                    assert {p.code for p in error.problems} == {"skip_not_allowed"}
                    continue
                accepted.append((pathway.id, number, target))
    return accepted


@pytest.mark.parametrize("name", NAMES)
def test_where_an_escalation_may_skip_stages(name: str) -> None:
    accepted = skips_accepted(bundled(name))
    if name in HOLDS[NO_SKIPS]:
        assert accepted == []
    elif name == "rutland":  # section 8: a practice alert may go straight to stage 3 or 4
        assert accepted == [
            ("practice_alert", 1, 3),
            ("practice_alert", 1, 4),
            ("practice_alert", 2, 4),
        ]
    else:  # Newcastle 5.1: a stage may be skipped, with the reason recorded
        assert ("professional_disagreement", 1, 6) in accepted
        assert all(p == "professional_disagreement" for p, _, _ in accepted)


def test_no_history_assumes_more_than_it_shows() -> None:
    # The properties above draw open histories without significant harm on a pathway with a
    # rule for it; a policy with no such pathway would make them vacuous.
    for name in HOLDS[HARM_NEVER_LATER] | HOLDS[HARM_KEEPS_STAGE]:
        assert any(p.significant_harm for p in bundled(name).pathways)
