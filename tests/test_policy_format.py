# ruff: noqa: E501  (the policy under test is YAML, written as an author would)
"""What the policy format can say beyond a stage and a timescale, through the public API.

Each deadline is counted by hand in a comment. December 2026: Monday 7, 14, 21 and 28; the 25th
(Friday) and the 28th (Boxing Day, substitute for Saturday 26th) are bank holidays.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from support import at, iso, printed

from escalation_rules import (
    Evaluation,
    HistoryError,
    Policy,
    evaluate,
    load_policy_text,
    policy_schema,
)
from escalation_rules.cli import run

POLICY = """\
id: flow
title: Flowchart Partnership
document: A procedure with a running clock
version: "2.1"
effective_from: 2026-04-01
words:
  stage: Step
  significant_harm: risk to the immediate safety of a child
agency_types:
  - {id: school, title: School, source: "1"}
  - {id: police, title: Police, source: "1"}
roles:
  - {id: worker, title: Worker, source: "1"}
  - id: manager
    title: Line manager
    titles: {school: Designated safeguarding lead}
    source: "2"
  - id: receiving_manager
    title: Manager in the other agency
    titles: {police: Detective sergeant}
    agency: receiving
    source: "2"
  - {id: senior, title: Senior manager, source: "3"}
  - {id: duty, title: Duty manager, source: "4"}
pathways:
  - id: main
    title: Main
    source: "1"
    dates:
      - {id: concern, title: the day the worker became concerned, source: "1.1"}
    stages:
      - id: one
        title: Worker to worker
        responsible: worker
        timescale: {kind: working_days, days: 5, counts_from: date, from_date: concern, source: "1.1"}
        source: "1"
      - id: two
        title: Manager to manager
        responsible: manager
        counterpart: receiving_manager
        timescale: {kind: working_days, days: 4, source: "2"}
        if_missed: The manager discusses the concerns with a senior manager.
        source: "2"
      - id: three
        title: Senior to senior
        responsible: senior
        timescale:
          kind: working_days
          days: 10
          counts_from: stage
          from_stage: two
          source: "3"
        source: "3"
      - id: four
        title: Final step
        source: "4"
        routes:
          - {id: urgent, title: Urgent, responsible: duty, timescale: {kind: same_working_day, source: "4.1"}, source: "4.1"}
          - {id: routine, title: Routine, responsible: senior, timescale: {kind: working_days, days: 20, source: "4.2"}, source: "4.2"}
    outcomes:
      - {outcome: resolved_with_dissent, at_stages: [three, four], source: "5"}
    agreed_timescales: {allowed: true, at_stages: [one], source: "1.2"}
    actions:
      - id: contact_other_manager
        title: Contact the other agency's manager
        role: manager
        when: entering_stage
        stage: two
        lapses: on_leaving_stage
        timescale: {kind: hours, hours: 24, source: "2.1"}
        source: "2.1"
      - id: keep_record
        title: Keep a record
        when: raised
        lapses: on_end
        timescale: {kind: working_days, days: 30, source: "6"}
        source: "6"
      - id: written_record
        title: Written record of the dissent
        when: resolved_with_dissent
        at_stages: [three]
        timescale: {kind: working_days, days: 2, source: "5.1"}
        source: "5.1"
"""


@pytest.fixture(scope="module")
def policy() -> Policy:
    return load_policy_text(POLICY, "flow.yaml")


def raised(when: str = "2026-12-07T10:00:00+00:00", **extra: Any) -> dict[str, Any]:
    return {"type": "raised", "at": when, **extra}


def escalated(when: str, **extra: Any) -> dict[str, Any]:
    return {"type": "escalated", "at": when, **extra}


def codes(policy: Policy, events: list[dict[str, Any]]) -> list[tuple[str, int | None]]:
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, events)
    return [(p.code, p.index) for p in caught.value.problems]


# -- where a clock starts --------------------------------------------------------------------


def test_a_named_date_starts_the_clock(policy: Policy) -> None:
    # Concerned on Wed 2 Dec; 5 working days after it: 3, 4, 7, 8, 9 -> Wed 9 Dec 17:00.
    result = evaluate(policy, [raised(dates={"concern": "2026-12-02T15:00:00+00:00"})])
    assert iso(result.stage_deadline) == "2026-12-09T17:00:00+00:00"
    assert iso(result.due[0].counted_from) == "2026-12-02T15:00:00+00:00"
    assert result.warnings == ()


def test_without_the_named_date_the_clock_starts_at_the_raise_with_a_warning(
    policy: Policy,
) -> None:
    # From Mon 7 Dec: 8, 9, 10, 11, 14 -> Mon 14 Dec 17:00.
    result = evaluate(policy, [raised()])
    assert iso(result.stage_deadline) == "2026-12-14T17:00:00+00:00"
    assert [(w.code, w.index) for w in result.warnings] == [("date_not_given", 0)]
    assert "'concern'" in result.warnings[0].message


def test_a_named_date_after_the_raise_or_unknown_is_refused(policy: Policy) -> None:
    late = raised(dates={"concern": "2026-12-08T10:00:00+00:00"})
    assert codes(policy, [late]) == [("date_after_raise", 0)]
    assert codes(policy, [raised(dates={"concen": "2026-12-01T10:00:00+00:00"})]) == [
        ("unknown_date", 0)
    ]


def test_one_clock_from_entering_an_earlier_stage(policy: Policy) -> None:
    # Step two entered Mon 7 Dec 11:00; step three's 10 working days count from then:
    # 8, 9, 10, 11, 14, 15, 16, 17, 18, 21 -> Mon 21 Dec 17:00, not 10 days from Thu 10 Dec
    # (which would be Thu 24 Dec).
    result = evaluate(
        policy,
        [
            raised(),
            escalated("2026-12-07T11:00:00+00:00"),
            escalated("2026-12-10T09:00:00+00:00"),
        ],
    )
    assert result.stage.number == 3
    assert iso(result.stage_deadline) == "2026-12-21T17:00:00+00:00"
    assert iso(result.due[0].counted_from) == "2026-12-07T11:00:00+00:00"


# -- actions that lapse ----------------------------------------------------------------------


def test_an_action_lapses_when_its_stage_is_left_and_is_never_overdue(policy: Policy) -> None:
    events = [
        raised(),
        escalated("2026-12-07T11:00:00+00:00"),
        escalated("2026-12-07T12:00:00+00:00"),
    ]
    result = evaluate(policy, events, as_of=at("2027-01-29T12:00:00+00:00"))
    contact = next(a for a in result.actions if a.id == "contact_other_manager")
    assert (contact.state, contact.met) == ("lapsed", False)
    assert iso(contact.lapsed_at) == "2026-12-07T12:00:00+00:00"
    assert "contact_other_manager" not in [d.id for d in result.due]
    # The headline deadline is step three's or the record's, never the lapsed 24 hours.
    assert iso(result.deadline) == "2026-12-21T17:00:00+00:00"


def test_an_action_done_after_it_lapsed_is_kept_as_done(policy: Policy) -> None:
    events = [
        raised(),
        escalated("2026-12-07T11:00:00+00:00"),
        escalated("2026-12-07T12:00:00+00:00"),
        {
            "type": "action_done",
            "at": "2026-12-07T13:00:00+00:00",
            "action": "contact_other_manager",
        },
    ]
    contact = next(a for a in evaluate(policy, events).actions if a.id == "contact_other_manager")
    assert (contact.state, contact.met, contact.lapsed_at) == ("done", True, None)


def test_an_action_lapses_on_the_end(policy: Policy) -> None:
    events = [raised(), {"type": "withdrawn", "at": "2026-12-08T10:00:00+00:00"}]
    result = evaluate(policy, events, as_of=at("2027-03-01T12:00:00+00:00"))
    assert [(a.id, a.state) for a in result.actions] == [("keep_record", "lapsed")]
    assert result.due == () and result.overdue is False


# -- outcomes at named stages ----------------------------------------------------------------


def test_an_outcome_limited_to_named_stages_is_refused_elsewhere(policy: Policy) -> None:
    events = [raised(), {"type": "resolved_with_dissent", "at": "2026-12-08T10:00:00+00:00"}]
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, events)
    assert caught.value.code == "outcome_not_allowed_here"
    assert "stage 3 (Senior to senior), stage 4 (Final step) (5)" in str(caught.value)


def test_an_outcome_action_limited_to_a_stage(policy: Policy) -> None:
    to_three = [
        raised(),
        escalated("2026-12-07T11:00:00+00:00"),
        escalated("2026-12-08T10:00:00+00:00"),
    ]
    dissent = {"type": "resolved_with_dissent", "at": "2026-12-09T10:00:00+00:00"}
    at_three = evaluate(policy, [*to_three, dissent])
    # Two working days from Wed 9 Dec: Thu 10, Fri 11 -> Fri 11 Dec 17:00.
    assert [(d.id, iso(d.deadline)) for d in at_three.due] == [
        ("written_record", "2026-12-11T17:00:00+00:00")
    ]
    at_four = evaluate(policy, [*to_three, escalated("2026-12-09T09:00:00+00:00"), dissent])
    assert at_four.due == ()


# -- agreed timescales and agreed actions ----------------------------------------------------


def test_a_timescale_may_be_agreed_only_at_the_stages_named(policy: Policy) -> None:
    agreed = {
        "type": "timescale_agreed",
        "at": "2026-12-08T10:00:00+00:00",
        "deadline": "2026-12-18T12:00:00+00:00",
        "note": "both agree",
    }
    result = evaluate(policy, [raised(), agreed])
    assert iso(result.stage_deadline) == "2026-12-18T12:00:00+00:00"
    assert result.explanation[-1].note == "both agree"
    later = [raised(), escalated("2026-12-07T11:00:00+00:00"), {**agreed}]
    assert codes(policy, later) == [("timescale_agreement_not_allowed", 2)]


def test_agreed_actions_each_have_their_own_deadline(policy: Policy) -> None:
    events = [
        raised(),
        {
            "type": "action_agreed",
            "at": "2026-12-08T10:00:00+00:00",
            "action": "share_plan",
            "title": "Share the plan",
            "deadline": "2026-12-10T12:00:00+00:00",
        },
        {
            "type": "action_agreed",
            "at": "2026-12-08T10:05:00+00:00",
            "action": "visit",
            "title": "Joint visit",
            "deadline": "2026-12-09T16:00:00+00:00",
            "role": "senior",
        },
        {"type": "action_done", "at": "2026-12-09T15:00:00+00:00", "action": "visit"},
    ]
    result = evaluate(policy, events, as_of=at("2026-12-10T13:00:00+00:00"))
    agreed = {a.id: a for a in result.actions if a.kind == "agreed"}
    assert (agreed["visit"].state, agreed["visit"].met, agreed["visit"].role.id) == (
        "done",
        True,
        "senior",
    )
    assert (agreed["share_plan"].state, agreed["share_plan"].role.id) == ("due", "worker")
    share = next(d for d in result.due if d.id == "share_plan")
    assert share.overdue is True and iso(share.deadline) == "2026-12-10T12:00:00+00:00"


def test_agreed_action_refusals(policy: Policy) -> None:
    def agreed(**extra: Any) -> dict[str, Any]:
        return {
            "type": "action_agreed",
            "at": "2026-12-08T10:00:00+00:00",
            "title": "T",
            "deadline": "2026-12-10T12:00:00+00:00",
            **{"action": "task", **extra},
        }

    assert codes(policy, [raised(), agreed(action="keep_record")]) == [("action_id_taken", 1)]
    assert codes(policy, [raised(), agreed(), agreed()]) == [("action_id_taken", 2)]
    assert codes(policy, [raised(), agreed(role="chair")]) == [("unknown_role", 1)]
    assert codes(policy, [raised(), agreed(deadline="2026-12-01T12:00:00+00:00")]) == [
        ("agreed_deadline_before_agreement", 1)
    ]


# -- routes and the receiving agency ---------------------------------------------------------


def to_four(route: str | None) -> list[dict[str, Any]]:
    last = escalated("2026-12-10T15:00:00+00:00", **({"route": route} if route else {}))
    return [
        raised(),
        escalated("2026-12-07T11:00:00+00:00"),
        escalated("2026-12-08T10:00:00+00:00"),
        last,
    ]


def test_a_route_chosen_on_escalation(policy: Policy) -> None:
    urgent = evaluate(policy, to_four(None))
    assert (urgent.route, urgent.responsible_role.id) == ("urgent", "duty")
    assert iso(urgent.stage_deadline) == "2026-12-10T17:00:00+00:00"  # the same working day
    routine = evaluate(policy, to_four("routine"))
    assert (routine.route, routine.responsible_role.id) == ("routine", "senior")
    # 20 working days after Thu 10 Dec: 11-24 Dec are 10; 25 and 28 Dec are bank holidays;
    # 29-31 Dec are 13; 1 Jan is New Year's Day; 4-8 Jan are 18; 11, 12 Jan -> Tue 12 Jan.
    assert iso(routine.stage_deadline) == "2027-01-12T17:00:00+00:00"
    assert routine.timeline[-1].route == "routine"
    assert codes(policy, to_four("urgnt")) == [("unknown_route", 3)]


def test_a_route_on_a_stage_without_routes_is_refused(policy: Policy) -> None:
    assert codes(policy, [raised(), escalated("2026-12-07T11:00:00+00:00", route="urgent")]) == [
        ("unknown_route", 1)
    ]


def test_roles_take_the_title_of_their_own_agency(policy: Policy) -> None:
    events = [
        raised(agency="school", receiving_agency="police"),
        escalated("2026-12-07T11:00:00+00:00"),
    ]
    result = evaluate(policy, events)
    assert result.responsible_role.title == "Designated safeguarding lead"
    assert "Detective sergeant" not in result.responsible_role.title
    assert result.receiving_agency == "police"
    policy_role = policy.role("receiving_manager")
    assert policy_role is not None
    assert policy_role.title_among("school", "police") == "Detective sergeant"


def test_an_agency_without_titles_is_accepted_with_a_warning(policy: Policy) -> None:
    result = evaluate(
        policy,
        [
            raised(agency="gp_practice", dates={"concern": "2026-12-07T09:00:00+00:00"}),
            escalated("2026-12-07T11:00:00+00:00"),
        ],
    )
    assert result.responsible_role.title == "Line manager"
    assert [(w.code, w.index) for w in result.warnings] == [("unknown_agency", 0)]


# -- what the result says --------------------------------------------------------------------


def test_notes_by_and_reasons_are_kept(policy: Policy) -> None:
    events = [
        raised(
            by="school worker", note="first contact", dates={"concern": "2026-12-07T09:00:00+00:00"}
        ),
        escalated(
            "2026-12-07T11:00:00+00:00", by="DSL", note="no agreement", reason="plan stalled"
        ),
    ]
    result = evaluate(policy, events)
    first, second = result.timeline
    assert (first.entered_by, first.entered_note) == ("school worker", "first contact")
    assert (first.left_by, first.left_note, first.left_reason) == (
        "DSL",
        "no agreement",
        "plan stalled",
    )
    assert (second.entered_by, second.entered_reason) == ("DSL", "plan stalled")
    assert any(s.by == "DSL" and s.note == "no agreement" for s in result.explanation)


def test_stage_deadline_and_the_earliest_deadline_can_differ(policy: Policy) -> None:
    result = evaluate(
        policy,
        [
            raised(dates={"concern": "2026-12-07T09:00:00+00:00"}),
            escalated("2026-12-07T11:00:00+00:00"),
        ],
    )
    # Step two: 4 working days from Mon 7 Dec -> Fri 11 Dec; the contact: 24 hours.
    assert iso(result.stage_deadline) == "2026-12-11T17:00:00+00:00"
    assert iso(result.deadline) == "2026-12-08T11:00:00+00:00"
    stage = result.due[0]
    assert stage.if_missed == "The manager discusses the concerns with a senior manager."


def test_the_policy_version_and_digest_are_reported(policy: Policy) -> None:
    result = evaluate(policy, [raised()])
    assert (result.policy.id, result.policy.version) == ("flow", "2.1")
    assert result.policy.effective_from == dt.date(2026, 4, 1)
    assert len(result.policy.digest) == 64
    commented = load_policy_text("# a comment\n" + POLICY, "other.yaml")
    assert commented.digest == policy.digest
    revised = load_policy_text(POLICY.replace('version: "2.1"', 'version: "2.2"'), "flow.yaml")
    assert revised.digest != policy.digest


def test_result_times_carry_a_fixed_offset_and_read_back_equal(policy: Policy) -> None:
    # 28 Oct 2001 00:00 UTC is 01:00 BST, in the hour the clocks go back.
    one_stage = load_policy_text(POLICY.replace("effective_from: 2026-04-01\n", ""), "flow.yaml")
    result = evaluate(one_stage, [raised("2001-10-28T00:00:00+00:00")])
    assert Evaluation.model_validate_json(result.model_dump_json()) == result
    entered = result.timeline[0].entered_at
    assert entered.tzinfo == dt.timezone(dt.timedelta(hours=1))


def test_text_output_uses_the_policys_words(tmp_path: Any, policy: Policy) -> None:
    import io
    import json

    (tmp_path / "flow.yaml").write_text(POLICY)
    (tmp_path / "h.json").write_text(json.dumps([raised()]))
    out, err = io.StringIO(), io.StringIO()
    assert run(["evaluate", str(tmp_path / "flow.yaml"), str(tmp_path / "h.json")], out, err) == 0
    assert "Step 1 of 4: Worker to worker" in out.getvalue()
    assert "Policy: flow, version 2.1" in out.getvalue()


# -- the policy checks for the new fields -----------------------------------------------------


def test_checks_of_the_new_fields() -> None:
    def edited(old: str, new: str) -> list[str]:
        assert POLICY.count(old) == 1
        return printed(POLICY.replace(old, new))

    assert edited("from_stage: two", "from_stage: four") == ["p.yaml:51:23: clock_from_later_stage"]
    assert edited("from_date: concern", "from_date: concerned") == ["p.yaml:35:80: unknown_date"]
    assert edited(
        "      - id: four\n        title: Final step\n",
        "      - id: four\n        title: Final step\n        responsible: duty\n",
    ) == ["p.yaml:54:9: routes_and_holder"]
    assert edited(
        "        when: raised\n        lapses: on_end\n",
        "        when: raised\n        lapses: on_end\n        at_stages: [one]\n",
    ) == ["p.yaml:76:20: unexpected_stage"]
    assert edited(
        "        at_stages: [three]\n", "        at_stages: [three]\n        lapses: on_end\n"
    ) == ["p.yaml:82:17: lapse_not_possible"]
    assert edited("at_stages: [three, four]", "at_stages: [three, fore]") == [
        "p.yaml:61:61: unknown_stage"
    ]


def test_the_schema_describes_the_new_fields() -> None:
    from escalation_rules import policy_schema

    text = str(policy_schema())
    for field in (
        "from_stage",
        "from_date",
        "lapses",
        "at_stages",
        "routes",
        "if_missed",
        "effective_from",
        "receiving",
        "outcomes",
        "words",
    ):
        assert field in text, field


def test_every_result_and_event_field_has_a_description() -> None:
    from pydantic import TypeAdapter

    import escalation_rules as er
    from escalation_rules import Event

    missing = []
    for model in (
        er.Evaluation,
        er.DueItem,
        er.TimelineEntry,
        er.ActionEntry,
        er.PolicyRef,
        er.EvaluationWarning,
        er.ExplanationStep,
        er.RoleRef,
        er.StageRef,
    ):
        missing += [
            f"{model.__name__}.{n}" for n, f in model.model_fields.items() if not f.description
        ]
    schema = TypeAdapter(Event).json_schema()
    for name, definition in schema["$defs"].items():
        for field, spec in definition.get("properties", {}).items():
            if field != "type" and "description" not in spec:
                missing.append(f"{name}.{field}")
    assert missing == []


def test_a_timescale_takes_its_source_from_its_owner() -> None:
    """Written once, on the stage (or route, action, rule): its timescale cites the same."""
    bare = re.sub(r'(timescale: \{[^}]*?), source: "[^"]*"\}', r"\1}", POLICY)
    assert bare != POLICY
    policy = load_policy_text(bare, "flow.yaml")
    for pathway in policy.pathways:
        for stage in pathway.stages:
            for route in stage.routes:
                assert route.timescale.source == route.source
            if stage.timescale is not None:
                assert stage.timescale.source == stage.source
        for action in pathway.all_actions():
            assert action.timescale.source == action.source
    # Where it is written, it stays.
    written = load_policy_text(POLICY, "flow.yaml")
    assert written.pathways[0].stages[0].timescale.source == "1.1"  # type: ignore[union-attr]
    assert written.pathways[0].stages[0].source == "1"
    schema = policy_schema()["$defs"]["WorkingDays"]
    assert "source" not in schema["required"]
