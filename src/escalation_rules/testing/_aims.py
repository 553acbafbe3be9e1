"""What a drawn history is aimed at: the options `histories` takes, and the aims of one walk.

Each option of `histories` is left to the kit (None: drawn from a mix that covers everything
the policy allows), fixed (a value), or weighted (a Hypothesis strategy the value is drawn
from). Before a walk starts its options are resolved into `Aims`: the pathway, the stage it
ends at, its outcome, and so on; the walk then takes only courses that meet them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from hypothesis import assume
from hypothesis import strategies as st

from ..policy._model import Pathway, Policy

T = TypeVar("T")

OUTCOMES = ("resolved", "resolved_with_dissent", "withdrawn")
OPEN = "open"

UNKNOWN_AGENCIES = ("youth_justice", "housing_association", "Local Authority (Adults)", "ambulance")
"""Agency types a case-management system may send that a policy has no titles for."""

Order = Literal["time", "any"]


@dataclass(frozen=True, slots=True)
class HistoryOptions:
    """The options of `histories`, as the caller gave them (None: left to the kit)."""

    pathway: Any = None
    stage: Any = None
    outcome: Any = None
    significant_harm: Any = None
    agency: Any = None
    receiving_agency: Any = None
    ties: Any = None
    fractional_seconds: Any = None
    dates: Any = None
    agreed_actions: Any = None
    routes: Any = None
    order: Order = "any"


@dataclass(frozen=True, slots=True)
class Aims:
    """What one walk must do: None for a choice left to the walk as it goes."""

    pathway: Pathway
    stage: int
    outcome: str
    harm: bool | None
    agency: str | None
    receiving_agency: str | None
    ties: bool | None
    fractional: bool
    dates: bool | None
    agreed: bool | None
    routes: bool | None


def _given(draw: st.DrawFn, option: Any) -> Any:
    """The option's value: drawn where it is a strategy, else as given."""
    return draw(option) if isinstance(option, st.SearchStrategy) else option


def stage_number(pathway: Pathway, stage: int | str) -> int | None:
    """The number of the stage `stage` names (a number, or the id of a stage or the final
    referral) on `pathway`, or None where the pathway has no such stage."""
    if isinstance(stage, bool):
        return None
    if isinstance(stage, int):
        return stage if 1 <= stage <= pathway.last_number else None
    referral = pathway.final_referral
    if referral is not None and referral.id == stage:
        return pathway.last_number
    return pathway.number_of(stage)


def feasible(pathway: Pathway, stage: int, outcome: str, harm: bool | None) -> bool:
    """Whether a history on `pathway` can end at `stage` with `outcome`, with significant harm
    identified (True), never (False) or either (None)."""
    if not 1 <= stage <= pathway.last_number:
        return False
    if outcome != OPEN and not pathway.allows_outcome(outcome, stage):
        return False
    rule = pathway.significant_harm
    if harm is True:
        if rule is None:
            return False
        if rule.jump == "fixed" and rule.to_stage is not None:
            return stage >= (pathway.number_of(rule.to_stage) or 1)
    return True


def check_options(policy: Policy, options: HistoryOptions) -> None:
    """Refuse, when the strategy is built, fixed options no history of the policy can meet."""
    if options.order not in ("time", "any"):
        raise ValueError(f"order is 'time' or 'any', not {options.order!r}")
    pathways = candidate_pathways(policy, options.pathway)
    outcome = options.outcome
    if isinstance(outcome, str) and outcome not in (OPEN, *OUTCOMES):
        raise ValueError(f"outcome is one of {', '.join((OPEN, *OUTCOMES))}, not {outcome!r}")
    if any(isinstance(v, st.SearchStrategy) for v in (options.stage, outcome)):
        return
    harm = options.significant_harm
    fixed_harm = harm if isinstance(harm, bool) else None
    for pathway in pathways:
        stages = _stages(pathway, options.stage)
        outcomes = [outcome] if outcome is not None else [OPEN, *OUTCOMES]
        if any(feasible(pathway, n, o, fixed_harm) for n in stages for o in outcomes):
            return
    wanted = ", ".join(
        f"{name}={value!r}"
        for name, value in (
            ("pathway", options.pathway),
            ("stage", options.stage),
            ("outcome", outcome),
            ("significant_harm", harm),
        )
        if value is not None
    )
    raise ValueError(
        f"no history of policy {policy.id!r} can meet {wanted}: the stage must exist on the "
        "pathway, the outcome must be allowed at it, and significant harm needs a rule for it "
        "(where the rule moves the escalation to a stage, the history cannot end before it)"
    )


def candidate_pathways(policy: Policy, pathway: Any) -> list[Pathway]:
    if pathway is None or isinstance(pathway, st.SearchStrategy):
        return list(policy.pathways)
    found = policy.pathway(pathway)
    if found is None:
        ids = ", ".join(p.id for p in policy.pathways)
        raise ValueError(f"policy {policy.id!r} has no pathway {pathway!r}; its pathways: {ids}")
    return [found]


def _stages(pathway: Pathway, stage: Any) -> list[int]:
    if stage is None:
        return list(range(1, pathway.last_number + 1))
    number = stage_number(pathway, stage)
    return [] if number is None else [number]


def draw_aims(draw: st.DrawFn, policy: Policy, options: HistoryOptions) -> Aims:
    """Resolve the options into the aims of one walk: fixed values kept, strategies drawn,
    the rest drawn from the kit's mix."""
    pathway_id = _given(draw, options.pathway)
    pathways = candidate_pathways(policy, pathway_id)
    stage_option = _given(draw, options.stage)
    outcome_option = _given(draw, options.outcome)
    harm_option = _given(draw, options.significant_harm)
    fixed_harm = harm_option if isinstance(harm_option, bool) else None

    def ends(pathway: Pathway) -> list[tuple[int, str]]:
        stages = _stages(pathway, stage_option)
        outcomes = [outcome_option] if outcome_option is not None else [OPEN, *OUTCOMES]
        return [(n, o) for n in stages for o in outcomes if feasible(pathway, n, o, fixed_harm)]

    possible = [p for p in pathways if ends(p)]
    assume(possible)  # only where a strategy drew options no history can meet
    pathway = draw(st.sampled_from(possible))
    # The stage first, uniformly (deep stages as often as the first), then the outcome.
    choices = ends(pathway)
    stages = sorted({n for n, _ in choices})
    stage = draw(st.sampled_from(stages))
    outcomes = [o for n, o in choices if n == stage]
    outcome = draw(st.sampled_from(outcomes))
    return Aims(
        pathway=pathway,
        stage=stage,
        outcome=outcome,
        harm=fixed_harm,
        agency=_agency(draw, policy, options.agency, _RAISER),
        receiving_agency=_agency(draw, policy, options.receiving_agency, _RECEIVER),
        ties=_flag(draw, options.ties),
        fractional=_fractional(draw, options.fractional_seconds),
        dates=_flag(draw, options.dates),
        agreed=_flag(draw, options.agreed_actions),
        routes=_flag(draw, options.routes),
    )


_QUARTER = st.sampled_from((True, False, False, False))


def _fractional(draw: st.DrawFn, option: Any) -> bool:
    value = _flag(draw, option)
    return draw(_QUARTER) if value is None else value


def _flag(draw: st.DrawFn, option: Any) -> bool | None:
    value = _given(draw, option)
    if value is None or isinstance(value, bool):
        return value
    raise ValueError(f"a yes-or-no option takes True, False, None or a strategy, not {value!r}")


# Which agency a history names, left to the kit: the raiser's mostly one of the policy's
# types, now and then one it does not know, sometimes none; the receiver's less often given.
_RAISER = st.sampled_from(("known",) * 6 + ("unknown", "unknown", "none", "none"))
_RECEIVER = st.sampled_from(("known",) * 4 + ("unknown", "none", "none", "none", "none"))


def _agency(
    draw: st.DrawFn, policy: Policy, option: Any, present: st.SearchStrategy[str]
) -> str | None:
    """The option's agency type; left to the kit: one of the policy's types mostly, now and
    then one it does not know, sometimes none."""
    if option is not None:
        value = _given(draw, option)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"an agency type is text, not {value!r}")
        return value
    known = [a.id for a in policy.agency_types]
    unknown = [a for a in UNKNOWN_AGENCIES if a not in known]
    kind = draw(present)
    if kind == "none":
        return None
    if known and kind == "known":
        return draw(st.sampled_from(known))
    return draw(st.sampled_from(unknown))


def with_microseconds(draw: st.DrawFn, moment: dt.datetime) -> dt.datetime:
    """`moment` a fraction of a second later, not on a whole second."""
    later = moment + dt.timedelta(microseconds=draw(st.integers(1, 999_999)))
    return later if later.microsecond else later + dt.timedelta(microseconds=1)
