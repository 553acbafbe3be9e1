"""Newcastle's procedure, through the public API, with deadlines worked out by hand.

Paragraphs: 5.1.I-V stages and timescales (5, 5, 5, 5, 2 working days), 4.1 and 5.1.V the
referral to the Partnership Chair, 1.5 significant harm (same working day, no stage jump),
1.7 agreed timescales, 2.4 and 3.1.III role titles, 3.1.II skips need exceptional reasons,
2.5, 6.2, 7.2 required actions, 3.3 dissent after a child protection conference.
"""

from __future__ import annotations

from typing import Any

import pytest
from support import at, iso, worker_policy

from escalation_rules import HistoryError, Policy, evaluate, load_policy


@pytest.fixture(scope="module")
def newcastle() -> Policy:
    return load_policy("newcastle")


def raised(when: str, **extra: Any) -> dict[str, Any]:
    return {"type": "raised", "at": when, **extra}


def escalated(when: str, **extra: Any) -> dict[str, Any]:
    return {"type": "escalated", "at": when, **extra}


CHRISTMAS = [
    raised("2026-12-14T10:00:00+00:00", id="e1", agency="school"),
    escalated("2026-12-21T09:30:00+00:00", id="e2"),  # stage 2
    escalated("2026-12-30T16:00:00+00:00", id="e3"),  # stage 3
    escalated("2027-01-07T12:00:00+00:00", id="e4"),  # stage 4
    escalated("2027-01-14T16:59:00+00:00", id="e5"),  # stage 5
    escalated("2027-01-18T17:00:00+00:00", id="e6"),  # the Partnership Chair
]


def test_every_stage_across_christmas_and_new_year(newcastle: Policy) -> None:
    result = evaluate(newcastle, CHRISTMAS)
    deadlines = [(e.stage.number, iso(e.deadline), e.met) for e in result.timeline]
    assert deadlines == [
        # Mon 14 Dec + 5: 15, 16, 17, 18, 21.
        (1, "2026-12-21T17:00:00+00:00", True),
        # Mon 21 Dec + 5: 22, 23, 24, (25, 28), 29, 30.
        (2, "2026-12-30T17:00:00+00:00", True),
        # Wed 30 Dec + 5: 31, (1 Jan), 4, 5, 6, 7.
        (3, "2027-01-07T17:00:00+00:00", True),
        # Thu 7 Jan + 5: 8, 11, 12, 13, 14.
        (4, "2027-01-14T17:00:00+00:00", True),
        # Thu 14 Jan + 2 (5.1.V): 15, 18. Left at 17:00 exactly: at the deadline is met.
        (5, "2027-01-18T17:00:00+00:00", True),
        # The Chair has no timescale (4.1).
        (6, None, None),
    ]
    assert result.stage.id == "partnership_chair_referral"
    assert result.stage.number == 6
    assert result.responsible_role.id == "partnership_chair"
    assert result.next_role is None
    assert result.deadline is None
    assert result.status == "open"


def test_nothing_lies_beyond_the_partnership_chair(newcastle: Policy) -> None:
    with pytest.raises(HistoryError) as caught:
        evaluate(newcastle, [*CHRISTMAS, escalated("2027-01-19T10:00:00+00:00", id="e7")])
    assert caught.value.code == "no_further_stage"
    assert (caught.value.index, caught.value.event_id) == (6, "e7")


def test_time_travel_to_stage_two(newcastle: Policy) -> None:
    result = evaluate(newcastle, CHRISTMAS, as_of=at("2026-12-29T12:00:00+00:00"))
    assert result.stage.number == 2
    assert result.responsible_role.title == "Designated person"  # school staff, 2.4
    assert result.next_role is not None and result.next_role.id == "head_of_service"
    # Mon 21 Dec + 5 (5.1.II): 22, 23, 24, (25, 28 holidays), 29, 30.
    assert iso(result.stage_deadline) == "2026-12-30T17:00:00+00:00"
    # 2.4's discussion with the opposite number: 5 working days from the raise (no concern
    # date given, so a warning): 15, 16, 17, 18, 21 -> Mon 21 Dec, not recorded as done.
    assert iso(result.deadline) == "2026-12-21T17:00:00+00:00"
    assert result.overdue is True
    assert [w.code for w in result.warnings] == ["date_not_given"]
    late = evaluate(newcastle, CHRISTMAS[:2], as_of=at("2026-12-30T17:00:01+00:00"))
    assert late.overdue is True
    # The stage, the 2.5 record (no deadline) and the 2.4 discussion.
    assert [(d.id, d.overdue) for d in late.due] == [
        ("line_manager_to_line_manager", True),
        ("keep_clear_record", False),
        ("discuss_with_opposite_number", True),
    ]


def test_deadline_met_exactly_at_the_deadline_is_not_overdue(newcastle: Policy) -> None:
    result = evaluate(newcastle, CHRISTMAS[:1], as_of=at("2026-12-21T17:00:00+00:00"))
    assert result.overdue is False


def test_health_and_default_titles(newcastle: Policy) -> None:
    history = [
        raised("2026-12-14T10:00:00+00:00", agency="health"),
        escalated("2026-12-15T10:00:00+00:00"),
    ]
    assert (
        evaluate(newcastle, history).responsible_role.title
        == "First line manager, or the Designated or Named Professional"
    )
    plain = [raised("2026-12-14T10:00:00+00:00"), escalated("2026-12-15T10:00:00+00:00")]
    assert (
        evaluate(newcastle, plain).responsible_role.title
        == "Line manager or safeguarding/designated lead"
    )


def test_significant_harm_after_close_of_business(newcastle: Policy) -> None:
    # 1.5: communicate through child protection procedures on the same working day. Found at
    # 17:30 on Thursday 24 December: 25 and 28 are holidays, so Tuesday 29 December at 17:00.
    history = [
        raised("2026-12-21T10:00:00+00:00"),
        {"type": "significant_harm", "at": "2026-12-24T17:30:00+00:00", "id": "h"},
    ]
    result = evaluate(newcastle, history, as_of=at("2026-12-24T18:00:00+00:00"))
    assert result.significant_harm is True
    assert result.stage.number == 1  # no stage jump
    action = [d for d in result.due if d.kind == "action"]
    assert [(d.id, d.role.id, iso(d.deadline), d.source) for d in action] == [
        ("keep_clear_record", "practitioner", None, "2.5"),
        ("child_protection_referral", "practitioner", "2026-12-29T17:00:00+00:00", "1.5"),
    ]
    # The stage keeps its own deadline (5.1 gives no number for "more quickly"):
    # Mon 21 Dec + 5: 22, 23, 24, 29, 30.
    stage = [d for d in result.due if d.kind == "stage"]
    assert iso(stage[0].deadline) == "2026-12-30T17:00:00+00:00"
    assert iso(result.deadline) == "2026-12-29T17:00:00+00:00"
    assert any(step.source == "5.1" and "more quickly" in step.text for step in result.explanation)


def test_significant_harm_action_done(newcastle: Policy) -> None:
    history = [
        raised("2026-12-21T10:00:00+00:00"),
        {"type": "significant_harm", "at": "2026-12-22T11:00:00+00:00"},
        {
            "type": "action_done",
            "at": "2026-12-22T15:00:00+00:00",
            "action": "child_protection_referral",
        },
    ]
    result = evaluate(newcastle, history, as_of=at("2026-12-23T09:00:00+00:00"))
    assert [d.id for d in result.due] == ["practitioner_to_practitioner", "keep_clear_record"]
    assert result.overdue is False


def test_significant_harm_names_no_stage(newcastle: Policy) -> None:
    history = [
        raised("2026-12-21T10:00:00+00:00"),
        {"type": "significant_harm", "at": "2026-12-22T11:00:00+00:00", "to_stage": 3},
    ]
    with pytest.raises(HistoryError) as caught:
        evaluate(newcastle, history)
    assert caught.value.code == "to_stage_not_allowed"


def test_agreed_timescale_replaces_the_stage_deadline(newcastle: Policy) -> None:
    history = [
        raised("2026-12-14T10:00:00+00:00"),
        {
            "type": "timescale_agreed",
            "at": "2026-12-15T10:00:00+00:00",
            "deadline": "2027-01-08T12:00:00+00:00",
        },
    ]
    result = evaluate(newcastle, history, as_of=at("2027-01-08T12:30:00+00:00"))
    assert iso(result.deadline) == "2027-01-08T12:00:00+00:00"
    assert result.overdue is True
    assert result.due[0].source == "1.7"
    assert iso(result.timeline[0].deadline) == "2027-01-08T12:00:00+00:00"


def test_skipping_needs_an_exceptional_reason(newcastle: Policy) -> None:
    history = [
        raised("2026-12-14T10:00:00+00:00"),
        escalated("2026-12-15T10:00:00+00:00", to_stage=4, id="skip"),
    ]
    with pytest.raises(HistoryError) as caught:
        evaluate(newcastle, history)
    assert (caught.value.code, caught.value.index, caught.value.event_id) == (
        "skip_needs_reason",
        1,
        "skip",
    )
    history[1]["reason"] = "exceptional: the line manager is the subject of the concern"
    result = evaluate(newcastle, history)
    assert result.stage.number == 4
    assert any(step.source == "3.1.II" for step in result.explanation)


def test_reaching_head_of_service_requires_the_escalation_notice(newcastle: Policy) -> None:
    # 7.2: triggered on reaching stage 3, including when stage 3 itself is passed over.
    history = [
        raised("2026-12-14T10:00:00+00:00"),
        escalated(
            "2026-12-15T10:00:00+00:00",
            to_stage="assistant_director_to_assistant_director",
            reason="exceptional",
        ),
    ]
    result = evaluate(newcastle, history)
    notice = [d for d in result.due if d.id == "forward_escalation_notice"]
    assert len(notice) == 1
    assert notice[0].role.id == "head_of_service"
    assert notice[0].deadline is None
    assert notice[0].source == "7.2"


def test_resolution_requires_records(newcastle: Policy) -> None:
    history = [
        raised("2026-12-14T10:00:00+00:00"),
        {"type": "resolved", "at": "2026-12-16T10:00:00+00:00", "note": "agreed"},
        {
            "type": "action_done",
            "at": "2026-12-16T11:00:00+00:00",
            "action": "record_agreed_outcome",
        },
    ]
    result = evaluate(newcastle, history, as_of=at("2026-12-17T10:00:00+00:00"))
    assert result.status == "resolved"
    assert result.next_role is None
    assert [(d.kind, d.id, d.source) for d in result.due] == [
        ("action", "refer_general_issues", "6.2")
    ]
    assert result.overdue is False  # no deadline is set for it
    assert result.timeline[0].met is True


def test_cp_conference_dissent_counts_ten_days_from_the_conference(newcastle: Policy) -> None:
    # 3.3.II: in writing to the CSSU Service Manager no later than 10 working days from the
    # conference. Conference Tue 15 Dec 2026: 16, 17, 18, 21, 22, 23, 24, 29, 30, 31.
    history = [raised("2026-12-15T14:00:00+00:00", pathway="cp_conference_dissent")]
    result = evaluate(newcastle, history)
    assert result.pathway == "cp_conference_dissent"
    assert result.responsible_role.id == "practitioner"
    assert result.next_role is not None and result.next_role.id == "cssu_service_manager"
    assert iso(result.deadline) == "2026-12-31T17:00:00+00:00"


def test_cp_conference_dissent_significant_harm_is_immediate(newcastle: Policy) -> None:
    history = [
        raised("2026-12-15T14:00:00+00:00", pathway="cp_conference_dissent"),
        {"type": "significant_harm", "at": "2026-12-15T14:00:00+00:00"},
    ]
    result = evaluate(newcastle, history, as_of=at("2026-12-15T14:00:01+00:00"))
    action = next(d for d in result.due if d.id == "raise_risk_with_line_manager")
    assert iso(action.deadline) == "2026-12-15T14:00:00+00:00"
    assert action.overdue is True


def test_dissent_outcome_at_conference(newcastle: Policy) -> None:
    history = [
        raised("2026-12-15T14:00:00+00:00", pathway="cp_conference_dissent"),
        escalated("2026-12-18T10:00:00+00:00"),
        {"type": "resolved_with_dissent", "at": "2027-01-12T10:00:00+00:00"},
    ]
    result = evaluate(newcastle, history)
    assert result.status == "resolved_with_dissent"
    # 3.3.II: the record in the conference minutes stays due until done.
    assert [d.id for d in result.due] == ["record_dissent_in_minutes"]
    assert result.timeline[-1].met is None  # the CSSU review has no timescale


def test_the_example_history_in_examples(newcastle: Policy) -> None:
    import json
    from pathlib import Path

    events = json.loads(Path("examples/newcastle_christmas.json").read_text())
    result = evaluate(newcastle, events, as_of=at("2026-12-22T12:00:00+00:00"))
    assert result.stage.number == 2
    assert iso(result.deadline) == "2026-12-30T17:00:00+00:00"


def test_entering_and_reaching_a_stage_differ_on_a_skip() -> None:
    policy = worker_policy(
        """\
  - id: only
    title: Only
    source: "1"
    skipping: {allowed: with_reason, source: "1"}
    stages:
      - {id: one, title: One, responsible: worker, source: "1",
         timescale: {kind: unspecified, wording: soon, source: "1"}}
      - {id: two, title: Two, responsible: worker, source: "1",
         timescale: {kind: unspecified, wording: soon, source: "1"}}
      - {id: three, title: Three, responsible: worker, source: "1",
         timescale: {kind: unspecified, wording: soon, source: "1"}}
    actions:
      - {id: entered_two, title: E, when: entering_stage, stage: two, source: "1",
         timescale: {kind: unspecified, wording: soon, source: "1"}}
      - {id: reached_two, title: R, when: reaching_stage, stage: two, source: "1",
         timescale: {kind: unspecified, wording: soon, source: "1"}}
"""
    )
    skip = [
        raised("2026-12-14T10:00:00+00:00"),
        escalated("2026-12-15T10:00:00+00:00", to_stage=3, reason="urgent"),
    ]
    assert [d.id for d in evaluate(policy, skip).due if d.kind == "action"] == ["reached_two"]
    step = [raised("2026-12-14T10:00:00+00:00"), escalated("2026-12-15T10:00:00+00:00")]
    assert [d.id for d in evaluate(policy, step).due if d.kind == "action"] == [
        "entered_two",
        "reached_two",
    ]
