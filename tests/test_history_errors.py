"""Every breach of the event rules (README, "Using the library") is a HistoryError naming the
event's index and id."""

from __future__ import annotations

from typing import Any

import pytest
from support import at

from escalation_rules import (
    HistoryError,
    Policy,
    Raised,
    evaluate,
    history_from_json,
    load_policy,
)

R = "2026-12-14T10:00:00+00:00"


@pytest.fixture(scope="module")
def newcastle() -> Policy:
    return load_policy("newcastle")


def problems(
    policy: Policy, events: Any, **kwargs: Any
) -> list[tuple[str, int | None, str | None]]:
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, events, **kwargs)
    return [(p.code, p.index, p.event_id) for p in caught.value.problems]


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([], [("empty_history", None, None)]),
        ("raised", [("history_not_a_list", None, None)]),
        ({"type": "raised"}, [("history_not_a_list", None, None)]),
        ([42], [("event_not_an_object", 0, None)]),
        ([{"at": R}], [("missing_type", 0, None)]),
        ([{"type": "rised", "at": R, "id": "a"}], [("unknown_event_type", 0, "a")]),
        ([{"type": "raised", "at": R, "colour": "red"}], [("unknown_field", 0, None)]),
        ([{"type": "raised"}], [("missing_field", 0, None)]),
        ([{"type": "raised", "at": "2026-12-14T10:00:00"}], [("naive_time", 0, None)]),
        ([{"type": "raised", "at": 1765706400}], [("time_type", 0, None)]),
        ([{"type": "raised", "at": "next Tuesday"}], [("time_format", 0, None)]),
        ([{"type": "raised", "at": R, "by": "x" * 201}], [("invalid_field", 0, None)]),
        ([{"type": "raised", "at": R, "id": ""}], [("invalid_field", 0, "")]),
        (
            [{"type": "raised", "at": R}, {"type": "escalated", "at": R, "to_stage": True}],
            [("stage_ref", 1, None)],
        ),
        (
            [{"type": "raised", "at": R, "id": "x"}, {"type": "withdrawn", "at": R, "id": "x"}],
            [("duplicate_event_id", 1, "x")],
        ),
        (
            [{"type": "escalated", "at": R, "id": "e"}, {"type": "raised", "at": R}],
            [("first_not_raised", 0, "e")],
        ),
        (
            [{"type": "raised", "at": R}, {"type": "raised", "at": R, "id": "again"}],
            [("raised_twice", 1, "again")],
        ),
        (
            [{"type": "raised", "at": R, "pathway": "professional_disagrement"}],
            [("unknown_pathway", 0, None)],
        ),
        ([{"type": "raised", "at": R, "category": "need"}], [("unknown_category", 0, None)]),
    ],
)
def test_bad_histories(newcastle: Policy, events: Any, expected: list[Any]) -> None:
    assert problems(newcastle, events) == expected


def later(kind: str, when: str, **fields: Any) -> dict[str, Any]:
    return {"type": kind, "at": when, **fields}


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        ([later("escalated", "2026-12-15T10:00:00+00:00", to_stage=1)], "stage_not_later"),
        ([later("escalated", "2026-12-15T10:00:00+00:00", to_stage=9)], "unknown_stage"),
        ([later("escalated", "2026-12-15T10:00:00+00:00", to_stage="3")], "unknown_stage"),
        ([later("escalated", "2026-12-15T10:00:00+00:00", to_stage=3)], "skip_needs_reason"),
        ([later("action_done", "2026-12-15T10:00:00+00:00", action="nope")], "unknown_action"),
        (
            [later("action_done", "2026-12-15T10:00:00+00:00", action="record_agreed_outcome")],
            "action_not_required",
        ),
        (
            [
                later(
                    "timescale_agreed",
                    "2026-12-15T10:00:00+00:00",
                    deadline="2026-12-15T09:00:00+00:00",
                ),
            ],
            "agreed_deadline_before_agreement",
        ),
        (
            [
                later("significant_harm", "2026-12-15T10:00:00+00:00"),
                later("significant_harm", "2026-12-15T11:00:00+00:00"),
            ],
            "significant_harm_repeated",
        ),
        (
            [
                later("resolved", "2026-12-15T10:00:00+00:00"),
                later("escalated", "2026-12-15T11:00:00+00:00"),
            ],
            "event_after_outcome",
        ),
        (
            [
                later("resolved", "2026-12-15T10:00:00+00:00"),
                later("withdrawn", "2026-12-15T11:00:00+00:00"),
            ],
            "event_after_outcome",
        ),
        (
            [
                later("resolved", "2026-12-15T10:00:00+00:00"),
                later("action_done", "2026-12-15T11:00:00+00:00", action="record_agreed_outcome"),
                later("action_done", "2026-12-15T12:00:00+00:00", action="record_agreed_outcome"),
            ],
            "action_already_done",
        ),
    ],
)
def test_rule_breaches_name_the_event(newcastle: Policy, events: list[Any], expected: str) -> None:
    history = [{"type": "raised", "at": R}, *events]
    for number, event in enumerate(history):
        event["id"] = f"ev{number}"
    found = problems(newcastle, history)
    assert [code for code, _, _ in found] == [expected]
    index = found[0][1]
    assert index is not None and found[0][2] == f"ev{index}"
    assert index == len(history) - 1


def test_timescale_agreement_only_where_the_policy_provides_for_it(newcastle: Policy) -> None:
    events = [
        {"type": "raised", "at": R, "pathway": "cp_conference_dissent"},
        {"type": "timescale_agreed", "at": R, "deadline": "2027-01-01T10:00:00+00:00"},
    ]
    assert problems(newcastle, events) == [("timescale_agreement_not_allowed", 1, None)]


def test_every_problem_is_reported_together(newcastle: Policy) -> None:
    events = [
        {"type": "raised", "at": R, "id": "a"},
        {"type": "escalated", "at": "2026-12-15T10:00:00+00:00", "to_stage": 4, "id": "b"},
        {"type": "escalated", "at": "2026-12-16T10:00:00+00:00", "to_stage": 1, "id": "c"},
        {"type": "action_done", "at": "2026-12-16T10:00:00+00:00", "action": "x", "id": "d"},
    ]
    assert problems(newcastle, events) == [
        ("skip_needs_reason", 1, "b"),
        ("stage_not_later", 2, "c"),
        ("unknown_action", 3, "d"),
    ]
    structural = [
        {"type": "raised", "at": "2026-12-14T10:00:00"},
        {"type": "escalated", "at": R, "extra": 1},
        {"type": "resolved", "at": R, "note": 3},
    ]
    assert [code for code, _, _ in problems(newcastle, structural)] == [
        "naive_time",
        "unknown_field",
        "invalid_field",
    ]


def test_order_is_by_time_with_ties_in_input_order(newcastle: Policy) -> None:
    events = [
        {"type": "escalated", "at": "2026-12-15T10:00:00+00:00"},
        {"type": "raised", "at": R},
    ]
    assert evaluate(newcastle, events).stage.number == 2
    tie = [{"type": "escalated", "at": R, "id": "e"}, {"type": "raised", "at": R}]
    assert problems(newcastle, tie) == [("first_not_raised", 0, "e")]


def test_events_after_as_of_are_left_out(newcastle: Policy) -> None:
    events = [
        {"type": "raised", "at": R},
        {"type": "escalated", "at": "2026-12-15T10:00:00+00:00"},
    ]
    assert evaluate(newcastle, events, as_of=at("2026-12-15T09:59:59+00:00")).stage.number == 1
    assert evaluate(newcastle, events, as_of=at("2026-12-15T10:00:00+00:00")).stage.number == 2
    assert problems(newcastle, events, as_of=at("2026-12-14T09:00:00+00:00")) == [
        ("not_raised_yet", None, None)
    ]


def test_as_of_must_be_aware(newcastle: Policy) -> None:
    import datetime as dt

    naive = dt.datetime(2026, 12, 15, 10, 0)
    assert problems(newcastle, [{"type": "raised", "at": R}], as_of=naive) == [
        ("naive_time", None, None)
    ]


def test_event_objects_and_dicts_mix(newcastle: Policy) -> None:
    events = [
        Raised(at=at(R), agency="school"),
        {"type": "escalated", "at": "2026-12-15T10:00:00Z"},
    ]
    assert evaluate(newcastle, events).responsible_role.title == "Designated person"


def test_the_input_is_not_modified(newcastle: Policy) -> None:
    import copy

    events = [{"type": "raised", "at": R}, {"type": "escalated", "at": "2026-12-15T10:00:00Z"}]
    before = copy.deepcopy(events)
    evaluate(newcastle, events)
    assert events == before


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('[{"type": "raised", "type": "raised", "at": "2026-12-14T10:00:00Z"}]', "appears twice"),
        ('[{"type": "raised", "at": "2026-12-14T10:00:00Z", "to": NaN}]', "NaN"),
        ('[{"type": "raised", "at": "2026-12-14T10:00:00Z", "to": Infinity}]', "Infinity"),
        ('[{"type": "raised", "at": "2026-12-14T10:00:00Z",', "line 1 column"),
        ("[" * 5000 + "]" * 5000, "cannot be read"),
    ],
)
def test_strict_json(text: str, fragment: str) -> None:
    with pytest.raises(HistoryError) as caught:
        history_from_json(text)
    assert caught.value.code == "invalid_json"
    assert fragment in str(caught.value)
