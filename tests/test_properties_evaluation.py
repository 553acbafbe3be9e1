"""Properties of every evaluation, on every bundled policy and on generated ones.

Determinism, input order, time travel, the finality of an outcome, overdue, nothing lost, and
JSON. Each test draws a policy (see `policy_strategy` in conftest.py), a valid history from
`escalation_rules.testing.histories`, and where it matters an `as_of`.

Results are compared through `model_dump(mode="json")`: two aware datetimes in one zone are
compared by Python on the wall clock, ignoring `fold`, so `==` on the models themselves could
call two different instants in the hour the clocks go back equal, or the same instant unequal.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escalation_rules import (
    Evaluation,
    HistoryError,
    Policy,
    bundled_policies,
    evaluate,
    history_from_json,
    load_policy,
)
from escalation_rules.testing import histories, moments

TERMINAL = ("resolved", "resolved_with_dissent", "withdrawn")


def at(event: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(event["at"])


def dump(result: Evaluation) -> dict[str, Any]:
    return result.model_dump(mode="json")


def utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(dt.UTC)


def draw_case(
    data: st.DataObject, policy_strategy: st.SearchStrategy[Policy], **options: Any
) -> tuple[Policy, list[dict[str, Any]], dt.datetime | None]:
    """A policy, a valid history in time order (ties in the order they happen), and an
    as_of: None, an event's own time, or after one."""
    policy = data.draw(policy_strategy, label="policy")
    events = data.draw(histories(policy, order="time", **options), label="events")
    kind = data.draw(st.sampled_from(("none", "event", "after")), label="as_of kind")
    if kind == "none":
        return policy, events, None
    moment = at(data.draw(st.sampled_from(events), label="event for as_of"))
    if kind == "after":
        moment = data.draw(moments(policy, after=moment), label="as_of")
    return policy, events, moment


@given(data=st.data())
def test_same_input_same_result_and_input_untouched(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    before = copy.deepcopy(events)
    first = evaluate(policy, events, as_of=as_of)
    assert events == before
    again = evaluate(policy, copy.deepcopy(events), as_of=as_of)
    assert dump(again) == dump(first)
    objects = history_from_json(json.dumps(events))
    assert dump(evaluate(policy, objects, as_of=as_of)) == dump(first)
    assert dump(evaluate(policy, iter(events), as_of=as_of)) == dump(first)


@given(data=st.data())
def test_input_order_does_not_matter_when_times_differ(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy, ties=False)
    order = data.draw(st.permutations(range(len(events))), label="order")
    shuffled = [events[i] for i in order]
    expected = dump(evaluate(policy, events, as_of=as_of))
    got = dump(evaluate(policy, shuffled, as_of=as_of))
    for step in got["explanation"]:  # an explanation names events by their input index
        step["event_index"] = order[step["event_index"]]
    for warning in got["warnings"]:  # and so does a warning
        warning["index"] = order[warning["index"]]
    assert got == expected


@given(data=st.data())
def test_as_of_is_the_history_as_it_stood_then(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    if as_of is None:
        as_of = at(events[-1])
    known_then = [e for e in events if at(e) <= as_of]
    assert dump(evaluate(policy, events, as_of=as_of)) == dump(
        evaluate(policy, known_then, as_of=as_of)
    )


@given(data=st.data())
def test_an_outcome_is_final(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, _ = draw_case(data, policy_strategy)
    ends = [i for i, e in enumerate(events) if e["type"] in TERMINAL]
    if not ends:
        stage = evaluate(policy, events).stage.number
        pathway = policy.pathway(evaluate(policy, events[:1]).pathway)
        assert pathway is not None
        allowed = [o for o in TERMINAL if pathway.allows_outcome(o, stage)]
        if not allowed:  # the policy lets no outcome be recorded at this stage
            return
        events.append({"type": data.draw(st.sampled_from(allowed)), "at": events[-1]["at"]})
        ends = [len(events) - 1]
    end = ends[0]
    outcome = evaluate(policy, events[: end + 1])
    assert outcome.status == events[end]["type"]
    assert all(item.kind == "action" for item in outcome.due)
    assert outcome.next_role is None
    for later in range(end + 1, len(events)):
        assert events[later]["type"] == "action_done"
        result = dump(evaluate(policy, events[: later + 1]))
        for field in ("status", "stage", "timeline", "significant_harm", "next_role"):
            assert result[field] == dump(outcome)[field]
    kind = data.draw(
        st.sampled_from(("escalated", "significant_harm", "timescale_agreed", *TERMINAL)),
        label="event after the outcome",
    )
    extra: dict[str, Any] = {"type": kind, "at": events[-1]["at"], "id": "after the end"}
    if kind == "timescale_agreed":
        extra["deadline"] = events[-1]["at"]
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, [*events, extra])
    assert ("event_after_outcome", len(events), "after the end") in {
        (p.code, p.index, p.event_id) for p in caught.value.problems
    }


@given(data=st.data())
def test_overdue_exactly_when_a_due_deadline_is_before_as_of(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    result = evaluate(policy, events, as_of=as_of)
    deadlines = [utc(item.deadline) for item in result.due if item.deadline is not None]
    assert utc(result.deadline) == (min(deadlines) if deadlines else None)
    if as_of is None:
        assert result.overdue is None
        assert all(item.overdue is None for item in result.due)
        return
    for item in result.due:
        assert item.overdue == (item.deadline is not None and utc(item.deadline) < utc(as_of))
    assert result.overdue == any(d < utc(as_of) for d in deadlines if d is not None)


@given(data=st.data())
def test_nothing_is_lost(policy_strategy: st.SearchStrategy[Policy], data: st.DataObject) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    result = evaluate(policy, events, as_of=as_of)
    included = {i for i, e in enumerate(events) if as_of is None or at(e) <= as_of}
    named = {step.event_index for step in result.explanation}
    assert named == included
    for step in result.explanation:
        assert step.event_index is not None
        assert step.event_id == events[step.event_index].get("id")
    entered = {utc(entry.entered_at) for entry in result.timeline}
    assert utc(at(events[0])) in entered


@given(data=st.data())
def test_the_result_round_trips_through_json(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    result = evaluate(policy, events, as_of=as_of)
    text = json.dumps(dump(result))
    back = Evaluation.model_validate_json(text)
    # Equal as objects too: result times carry fixed offsets, so even in the hour the clocks
    # go back a time read back compares equal to the one written (PEP 495).
    assert back == result
    assert Evaluation.model_validate_json(result.model_dump_json()) == result
    assert dump(back) == dump(result)
    assert Evaluation.model_validate(json.loads(text)).model_dump_json() == back.model_dump_json()
    assert utc(back.deadline) == utc(result.deadline)
    assert [utc(e.entered_at) for e in back.timeline] == [
        utc(e.entered_at) for e in result.timeline
    ]


@given(data=st.data())
def test_the_zone_a_time_is_written_in_does_not_matter(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    """The same instants, written in another offset, or given as datetimes in the policy's
    own zone (where two times in the hour the clocks go back differ only by `fold`)."""
    policy, events, as_of = draw_case(data, policy_strategy)
    zone: dt.tzinfo = ZoneInfo(policy.calendar.timezone)
    if data.draw(st.booleans(), label="a fixed offset"):
        zone = dt.timezone(dt.timedelta(minutes=data.draw(st.integers(-14 * 60, 14 * 60))))
    moved = [{**e, "at": at(e).astimezone(zone)} for e in events]
    moved_as_of = None if as_of is None else as_of.astimezone(zone)
    got = dump(evaluate(policy, moved, as_of=moved_as_of))
    expected = dump(evaluate(policy, events, as_of=as_of))
    for result in (got, expected):
        result["as_of"] = None if as_of is None else utc(dt.datetime.fromisoformat(result["as_of"]))
    assert got == expected


@given(data=st.data())
def test_a_lapsed_action_is_never_due_overdue_or_met(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    result = evaluate(policy, events, as_of=as_of)
    due = {item.id for item in result.due if item.kind == "action"}
    for action in result.actions:
        if action.state == "lapsed":
            assert action.met is False and action.lapsed_at is not None
            assert action.id not in due
        assert (action.state == "due") == (action.id in due)


@given(data=st.data())
def test_a_clock_never_starts_after_its_deadline(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events, as_of = draw_case(data, policy_strategy)
    result = evaluate(policy, events, as_of=as_of)
    for item in (*result.due, *result.actions):
        if item.deadline is None:
            assert item.counted_from is None
        else:
            assert item.counted_from is not None
            assert utc(item.counted_from) <= utc(item.deadline)


@given(data=st.data())
def test_named_dates_never_make_a_deadline_later(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    """A named date is at or before the raise, so a clock that counts from it ends no later
    than the same clock counted from the raise (what happens when the date is not given)."""
    policy, events, as_of = draw_case(data, policy_strategy)
    if "dates" not in events[0]:
        return
    without = copy.deepcopy(events)
    del without[0]["dates"]
    given_dates = evaluate(policy, events, as_of=as_of)
    not_given = evaluate(policy, without, as_of=as_of)
    pairs = [(given_dates.stage_deadline, not_given.stage_deadline)]
    pairs += [
        (a.deadline, b.deadline)
        for a, b in zip(given_dates.actions, not_given.actions, strict=True)
    ]
    pairs += [
        (a.deadline, b.deadline)
        for a, b in zip(given_dates.timeline, not_given.timeline, strict=True)
    ]
    for with_date, without_date in pairs:
        if with_date is not None and without_date is not None:
            assert utc(with_date) <= utc(without_date)
    assert not any(w.code == "date_not_given" for w in given_dates.warnings) or len(
        events[0]["dates"]
    ) < len(policy.pathway(given_dates.pathway).dates)  # type: ignore[union-attr]


@pytest.mark.parametrize("name", bundled_policies())
def test_a_result_in_the_autumn_hour_reads_back_equal(name: str) -> None:
    # 28 Oct 2001: 00:00 UTC is 01:00 BST, 01:00 UTC is 01:00 GMT, the same wall-clock time.
    policy = load_policy(name)
    events = [
        {"type": "raised", "at": "2001-10-28T00:00:00Z"},
        {"type": "escalated", "at": "2001-10-28T01:00:00Z"},
    ]
    for as_of in (None, "2001-10-28T00:30:00+00:00", "2001-10-28T01:30:00+00:00"):
        result = evaluate(policy, events, as_of=as_of)
        assert Evaluation.model_validate_json(result.model_dump_json()) == result
        offsets = [entry.entered_at.utcoffset() for entry in result.timeline]
        assert offsets == [dt.timedelta(hours=1), dt.timedelta(0)][: len(offsets)]
