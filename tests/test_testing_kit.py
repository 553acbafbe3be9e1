"""The testing kit does what its options say: aimed histories, aimed `as_of`, fair invalid
histories, shipped profiles, short reprs.

Each option of `histories` is checked through `evaluate` (the stage reached, the outcome,
significant harm, warnings) or through the events themselves (ties, fractions of a second,
dates, routes, order), on every bundled policy it applies to.
"""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from escalation_rules import Policy, bundled_policies, evaluate
from escalation_rules.testing import (
    INVALID_WAYS,
    cases,
    deadline_moments,
    deadlines_of,
    histories,
    invalid_histories,
    policies,
    profiles,
)

NAMES = bundled_policies()
TERMINAL = ("resolved", "resolved_with_dissent", "withdrawn")


def at(event: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(event["at"])


def raised(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The raised event: the first, unless the history is out of time order."""
    return next(e for e in events if e["type"] == "raised")


def utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC)


def draws(strategy: st.SearchStrategy[Any], count: int, run_seed: int = 0) -> list[Any]:
    """`count` examples of `strategy`, the same on every run."""
    drawn: list[Any] = []

    @seed(run_seed)
    @settings(
        max_examples=count,
        derandomize=False,  # so that the seed counts
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: Any) -> None:
        drawn.append(value)

    collect()
    return drawn


# -- histories aimed at a stage, an outcome, significant harm --------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_a_history_ends_at_the_stage_and_outcome_asked_for(name: str) -> None:
    policy = bundled(name)
    for pathway in policy.pathways:
        for number in range(1, pathway.last_number + 1):
            options: dict[str, Any] = {"pathway": pathway.id, "stage": number}
            for events in draws(histories(policy, **options, outcome="open"), 5):
                result = evaluate(policy, events)
                assert (result.pathway, result.stage.number, result.status) == (
                    pathway.id,
                    number,
                    "open",
                )
            for outcome in TERMINAL:
                if not pathway.allows_outcome(outcome, number):
                    with pytest.raises(ValueError, match="no history of policy"):
                        histories(policy, **options, outcome=outcome)
                    continue
                for events in draws(histories(policy, **options, outcome=outcome), 3):
                    result = evaluate(policy, events)
                    assert (result.stage.number, result.status) == (number, outcome)


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_deep_stages_are_drawn_as_often_as_the_first(name: str) -> None:
    policy = bundled(name)
    pathway = policy.default_pathway
    ends = collections.Counter(
        evaluate(policy, events).stage.number
        for events in draws(histories(policy, pathway.id), 600)
    )
    fair = 600 / pathway.last_number
    assert set(ends) == set(range(1, pathway.last_number + 1))
    # Hypothesis draws by mutating earlier examples, so shares vary, the more so the fewer
    # the draws; none is rare any more (Newcastle's stage 2 was reached in 12% of histories).
    assert min(ends.values()) >= fair / 2, ends


@pytest.mark.parametrize("name", NAMES)
def test_significant_harm_is_identified_or_never_as_asked(name: str) -> None:
    policy = bundled(name)
    for pathway in policy.pathways:
        if pathway.significant_harm is None:
            with pytest.raises(ValueError, match="significant harm needs a rule"):
                histories(policy, pathway.id, significant_harm=True)
            continue
        for wanted in (True, False):
            for events in draws(histories(policy, pathway.id, significant_harm=wanted), 10):
                assert evaluate(policy, events).significant_harm is wanted


def test_a_stage_before_the_one_significant_harm_moves_to_cannot_be_asked_with_it() -> None:
    rutland = bundled("rutland")  # significant harm goes to stage 4 (section 2)
    with pytest.raises(ValueError, match="cannot end before it"):
        histories(rutland, "professional_disagreement", stage=2, significant_harm=True)
    for events in draws(histories(rutland, "professional_disagreement", stage=2), 50):
        assert evaluate(rutland, events).stage.number == 2


def test_options_may_be_strategies_that_weight_them() -> None:
    newcastle = bundled("newcastle")
    drawn = draws(
        histories(newcastle, agency=st.sampled_from(["school", "health"]), stage=st.just(2)), 120
    )
    assert {raised(events)["agency"] for events in drawn} == {"school", "health"}
    assert all(evaluate(newcastle, events).stage.number == 2 for events in drawn)
    absent = draws(histories(newcastle, agency=st.none()), 10)
    assert all("agency" not in raised(events) for events in absent)


def test_options_no_history_can_meet_are_refused_when_the_strategy_is_built() -> None:
    newcastle = bundled("newcastle")
    with pytest.raises(ValueError, match="no pathway"):
        histories(newcastle, "no_such_pathway")
    with pytest.raises(ValueError, match="no history of policy 'newcastle' can meet stage=99"):
        histories(newcastle, stage=99)
    with pytest.raises(ValueError, match="outcome is one of"):
        histories(newcastle, outcome="closed")
    with pytest.raises(ValueError, match="order is"):
        histories(newcastle, order="random")  # type: ignore[arg-type]


# -- agencies, ties, fractions of a second, dates, agreed actions, routes, order -------------


@pytest.mark.parametrize("name", NAMES)
def test_agencies_are_mostly_the_policys_own_and_sometimes_unknown(name: str) -> None:
    policy = bundled(name)
    known = {a.id for a in policy.agency_types}
    seen = collections.Counter()
    for events in draws(histories(policy), 300):
        agency = raised(events).get("agency")
        seen["none" if agency is None else "known" if agency in known else "unknown"] += 1
        if agency is not None and agency not in known:
            codes = {w.code for w in evaluate(policy, events).warnings}
            assert "unknown_agency" in codes
    # At least once each: Hypothesis keeps an example's choices through about six mutations
    # of it, so shares in a short run come in clusters (see the fair-share test).
    assert seen["unknown"] >= 1 and seen["none"] >= 1, seen
    if known:
        assert seen["known"] >= max(seen["unknown"], seen["none"]), seen


def test_an_agency_the_policy_does_not_know_may_be_asked_for() -> None:
    halton = bundled("halton")
    for events in draws(histories(halton, agency="youth_justice", stage=2), 10):
        result = evaluate(halton, events)
        assert result.responsible_role.title == halton.role("line_manager").title  # type: ignore[union-attr]
        assert "unknown_agency" in {w.code for w in result.warnings}


@pytest.mark.parametrize("name", NAMES)
def test_ties_and_fractions_of_a_second_as_asked(name: str) -> None:
    policy = bundled(name)
    for events in draws(histories(policy, ties=True, fractional_seconds=True), 20):
        instants = [utc(at(e)) for e in events]
        assert len(set(instants)) < len(instants)
        assert all(moment.microsecond for moment in instants)
    for events in draws(histories(policy, ties=False, fractional_seconds=False), 20):
        instants = [utc(at(e)) for e in events]
        assert len(set(instants)) == len(instants)
        assert not any(moment.microsecond for moment in instants)
    mixed = draws(histories(policy), 250)
    assert any(any(at(e).microsecond for e in events) for events in mixed)


def test_named_dates_and_agreed_actions_as_asked() -> None:
    newcastle = bundled("newcastle")
    for events in draws(histories(newcastle, "professional_disagreement", dates=True), 10):
        assert set(raised(events)["dates"]) == {"concern"}
        assert "date_not_given" not in {w.code for w in evaluate(newcastle, events).warnings}
    for events in draws(histories(newcastle, dates=False, agreed_actions=True), 10):
        assert "dates" not in raised(events)
        assert any(e["type"] == "action_agreed" for e in events)
    for events in draws(histories(newcastle, agreed_actions=False), 20):
        assert not any(e["type"] == "action_agreed" for e in events)


def _escalations_into_routes(policy: Policy, events: list[dict[str, Any]]) -> list[bool]:
    """For each escalation into a stage that offers routes, whether it names one."""
    pathway = policy.pathway(events[0].get("pathway", policy.default_pathway.id))
    assert pathway is not None
    rule, number, named = pathway.significant_harm, 1, []

    def number_of(ref: int | str) -> int:
        found = ref if isinstance(ref, int) else pathway.number_of(ref)
        assert found is not None
        return found

    for event in events:
        if event["type"] == "escalated":
            number = number_of(event["to_stage"]) if "to_stage" in event else number + 1
            if pathway.step(number).routes:
                named.append("route" in event)
        elif event["type"] == "significant_harm" and rule is not None:
            if "to_stage" in event:
                number = number_of(event["to_stage"])
            elif rule.jump == "fixed" and rule.to_stage is not None:
                number = max(number, number_of(rule.to_stage))
    return named


def test_routes_are_named_or_not_as_asked() -> None:
    with_routes = policies().filter(
        lambda p: any(stage.routes for pathway in p.pathways for stage in pathway.stages)
    )
    for wanted in (True, False):
        drawn = draws(
            with_routes.flatmap(
                lambda p, wanted=wanted: st.tuples(
                    st.just(p), histories(p, routes=wanted, order="time")
                )
            ),
            150,
        )
        named = [n for policy, events in drawn for n in _escalations_into_routes(policy, events)]
        assert named and set(named) == {wanted}


@pytest.mark.parametrize("name", NAMES)
def test_histories_come_in_time_order_or_out_of_it_as_asked(name: str) -> None:
    policy = bundled(name)
    for events in draws(histories(policy, order="time"), 30):
        instants = [utc(at(e)) for e in events]
        assert instants == sorted(instants)
    shuffled = draws(histories(policy, ties=True), 150)
    out_of_order = [e for e in shuffled if [at(x) for x in e] != sorted(at(x) for x in e)]
    assert out_of_order
    for events in shuffled:
        # Out of order or not, each history is valid, and the same as its events in time
        # order: `evaluate` orders them by time, ties in input order.
        in_order = sorted(events, key=lambda e: utc(at(e)))  # sorted() is stable
        got = evaluate(policy, events).model_dump(mode="json", exclude={"explanation", "warnings"})
        want = evaluate(policy, in_order).model_dump(
            mode="json", exclude={"explanation", "warnings"}
        )
        assert got == want


# -- as_of aimed at deadlines ---------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_deadline_moments_fall_at_or_beside_a_deadline(name: str) -> None:
    policy = bundled(name)
    offsets: set[dt.timedelta] = set()
    for case in draws(cases(policy), 200 if name == "newcastle" else 60):
        result = evaluate(policy, case.events)
        raised = utc(result.timeline[0].entered_at)
        assert utc(case.as_of) >= raised
        if case.aimed_at is None:
            continue
        assert case.aimed_at in deadlines_of(result)
        offset = case.as_of - case.aimed_at
        if utc(case.as_of) > raised:
            assert offset in (
                dt.timedelta(0),
                dt.timedelta(microseconds=1),
                dt.timedelta(microseconds=-1),
                dt.timedelta(minutes=1),
                dt.timedelta(minutes=-1),
            )
            offsets.add(offset)
    if name == "newcastle":  # deadlines at every stage: each way of aiming shows
        assert len(offsets) == 5, offsets


@pytest.mark.parametrize("name", NAMES)
def test_most_cases_put_as_of_within_a_minute_of_a_deadline(name: str) -> None:
    policy = bundled(name)
    drawn = draws(cases(policy), 100)
    near = sum(
        any(
            abs(d - case.as_of) <= dt.timedelta(minutes=1)
            for d in deadlines_of(evaluate(policy, case.events))
        )
        for case in drawn
    )
    assert near >= 30, near  # 71-87% on the five policies; see docs/testing.md


def test_deadline_moments_without_deadlines_fall_where_stages_were_entered() -> None:
    halton = bundled("halton")  # every timescale is the document's own words
    events = [{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}]
    result = evaluate(halton, events)
    assert deadlines_of(result) == []
    for moment in draws(deadline_moments(result), 20):
        assert utc(moment) - dt.datetime(2026, 12, 14, 10, tzinfo=dt.UTC) in (
            dt.timedelta(0),
            dt.timedelta(microseconds=1),
            dt.timedelta(minutes=1),
        )


# -- invalid histories ----------------------------------------------------------------------


def test_invalid_ways_are_grouped_and_each_has_its_code() -> None:
    kinds = [way.kind for way in INVALID_WAYS.values()]
    assert kinds == sorted(kinds, key=("shape", "field", "rule").index)
    assert set(kinds) == {"shape", "field", "rule"}
    assert INVALID_WAYS["naive_time"].code == "naive_time"
    assert INVALID_WAYS["forbidden_skip"].code == "skip_not_allowed"
    assert INVALID_WAYS["skip_without_reason"].code == "skip_needs_reason"
    assert INVALID_WAYS["not_a_list"].kind == "shape"
    assert INVALID_WAYS["action_done_twice"].kind == "rule"
    for name, way in INVALID_WAYS.items():
        assert way.name == name and way.code and way.what


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_every_way_that_applies_is_drawn_a_fair_share(name: str) -> None:
    policy = bundled(name)
    applicable = [w for w in INVALID_WAYS if INVALID_WAYS[w].applies_to(policy)]
    fair, seeds = 40, 3
    drawn = collections.Counter(
        broken.way
        for run_seed in range(seeds)
        for broken in draws(invalid_histories(policy), fair * len(applicable), run_seed)
    )
    assert set(drawn) == set(applicable)
    # Each fresh example gives every way the same chance, but Hypothesis then mutates it about
    # six times, keeping its way, so ways come in clusters of about seven: over a short run
    # some come in few clusters, or none (`past_last_stage` was once never drawn, for want of
    # a history it applied to). Over three runs of 40 a way, every way comes in many.
    for way in applicable:
        assert drawn[way] >= fair * seeds / 10, (way, drawn[way])
    for broken in draws(invalid_histories(policy), 20):
        assert broken.code == INVALID_WAYS[broken.way].code


def test_invalid_histories_may_be_narrowed_to_a_kind() -> None:
    newcastle = bundled("newcastle")
    for broken in draws(invalid_histories(newcastle, kinds=["shape"]), 20):
        assert INVALID_WAYS[broken.way].kind == "shape"
    with pytest.raises(ValueError, match="kinds are"):
        invalid_histories(newcastle, kinds=["colour"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="can apply"):
        invalid_histories(bundled("pan_dorset"), ways=["no_significant_harm_rule"])


# -- profiles and reprs -----------------------------------------------------------------------


def test_the_shipped_profiles_register_and_load(monkeypatch: pytest.MonkeyPatch) -> None:
    before = settings.default
    try:
        assert profiles.register() == ("escalation_rules.fast", "escalation_rules.thorough")
        monkeypatch.setenv("HYPOTHESIS_PROFILE", "thorough")
        assert profiles.load_from_environment() == "escalation_rules.thorough"
        assert settings.default.max_examples == 2000
        monkeypatch.delenv("HYPOTHESIS_PROFILE")
        assert profiles.load_from_environment() == "escalation_rules.fast"
        assert settings.default.max_examples == 50 and settings.default.derandomize
        assert settings.default.database is None
    finally:
        settings.register_profile("restored", before)
        settings.load_profile("restored")


def test_a_policy_and_a_result_have_a_short_repr() -> None:
    for name in NAMES:
        policy = bundled(name)
        assert repr(policy) == (
            f"Policy(id={name!r}, version={policy.version!r}, digest={policy.digest[:12]!r})"
        )
    newcastle = bundled("newcastle")
    result = evaluate(
        newcastle,
        [{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}],
        as_of="2026-12-22T10:00:00+00:00",
    )
    assert repr(result) == (
        "Evaluation(policy='newcastle', status='open', pathway='professional_disagreement', "
        "stage=1, deadline='2026-12-21T17:00:00+00:00', overdue=True, due=2, warnings=1)"
    )


def test_the_guide_lists_every_invalid_way_with_its_kind_and_code() -> None:
    guide = Path(__file__).resolve().parent.parent / "docs" / "testing.md"
    if not guide.exists():
        pytest.skip("docs/testing.md is not in this checkout")
    rows = [
        [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        for line in guide.read_text(encoding="utf-8").splitlines()
        if line.startswith("| `")
    ]
    listed = {row[0]: (row[1], row[2], row[3]) for row in rows if row[0] in INVALID_WAYS}
    assert listed == {name: (way.kind, way.code, way.what) for name, way in INVALID_WAYS.items()}
