"""A pathway of a policy: its stages and routes, required actions, and the rules for moving
along it (significant harm, skipping, agreed timescales, outcomes, named dates).

Stages are numbered from 1 in the order written. The final referral, where a pathway has one,
comes after the last stage and is numbered one past it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, cast

from pydantic import Field, PrivateAttr, StrictBool, model_validator
from pydantic_core import PydanticCustomError

from .._model_base import Frozen, FrozenMap, Id, Note, Source, Title
from ..time._timescales import Timescale


class Category(Frozen):
    """An area of disagreement, or a reason code, that a raised event may name."""

    id: Id
    title: Title
    source: Source


IfMissed = Annotated[
    Note,
    Field(description="What the document says happens when the deadline passes, in its words."),
]


@dataclass(frozen=True, slots=True)
class Holder:
    """Who holds a stage (on one of its routes), with whom, for how long, and where it is said."""

    route: str | None
    responsible: str
    counterpart: str | None
    timescale: Timescale
    if_missed: str | None
    source: str


class _OwnsTimescale(Frozen):
    """A stage, route, referral, action or rule with a timescale: the timescale's `source`,
    left out, is its owner's (the paragraph is usually the same, and writing it twice a few
    lines apart is what authors forget)."""

    @model_validator(mode="before")
    @classmethod
    def _timescale_source(cls, data: object) -> object:
        if isinstance(data, dict) and "source" in data:
            timescale = data.get("timescale")
            if isinstance(timescale, dict) and "source" not in timescale:
                return {**data, "timescale": {**timescale, "source": data["source"]}}
        return data


class Route(_OwnsTimescale):
    """One of several ways a stage may be taken, chosen by the `escalated` event's `route`."""

    id: Id
    title: Title
    responsible: Id
    counterpart: Id | None = None
    timescale: Timescale
    if_missed: IfMissed | None = None
    note: Note | None = None
    source: Source

    def holder(self) -> Holder:
        return Holder(
            self.id,
            self.responsible,
            self.counterpart,
            self.timescale,
            self.if_missed,
            self.source,
        )


class Stage(_OwnsTimescale):
    """One step of a pathway: who holds it, with whom, and for how long.

    A stage either names `responsible` and `timescale` itself, or offers `routes`, each with
    its own; the first route is the default.
    """

    id: Id
    title: Title
    responsible: Id | None = None
    counterpart: Id | None = None
    timescale: Timescale | None = None
    routes: Annotated[tuple[Route, ...], Field(max_length=20)] = ()
    if_missed: IfMissed | None = None
    note: Note | None = None
    source: Source

    @model_validator(mode="before")
    @classmethod
    def _one_holder(cls, data: object) -> object:
        # Before the fields: they are optional here, since a stage with routes has neither. A
        # field the stage does not know (`responsable:`) is the likelier mistake; its own error,
        # with "did you mean", says so, and this one would only hide it.
        if not isinstance(data, dict) or any(key not in cls.model_fields for key in data):
            return data
        stage = data.get("id", "")
        if data.get("routes"):
            written = [
                f for f in ("responsible", "counterpart", "timescale") if data.get(f) is not None
            ]
            if written:
                raise PydanticCustomError(
                    "routes_and_holder",
                    "stage '{stage}' offers routes, and each route says its own responsible "
                    "role and timescale; remove {fields} from the stage, or remove its routes",
                    {"stage": stage, "fields": " and ".join(f"`{f}:`" for f in written)},
                )
            return data
        hints = {
            "responsible": "`responsible:` with the id of a role declared under `roles:`",
            "timescale": "`timescale:` with a `kind:` and the fields that kind needs",
        }
        missing = [f for f in hints if data.get(f) is None]
        if missing:
            raise PydanticCustomError(
                "stage_missing_field",
                "stage '{stage}' needs {fields}, which is missing; add {hints}, or give the "
                "stage `routes:`, each with its own",
                {
                    "stage": stage,
                    "fields": " and ".join(f"`{f}:`" for f in missing),
                    "hints": " and ".join(hints[f] for f in missing),
                },
            )
        return data

    _holders: dict[str | None, Holder] = PrivateAttr()
    """Who holds the stage on each route, and on None (the stage itself, or its first
    route); made once, never changed."""

    def model_post_init(self, context: object, /) -> None:
        holders: dict[str | None, Holder] = {r.id: r.holder() for r in self.routes}
        if self.routes:
            holders[None] = holders[self.routes[0].id]
        elif self.responsible is not None and self.timescale is not None:
            holders[None] = Holder(
                None,
                self.responsible,
                self.counterpart,
                self.timescale,
                self.if_missed,
                self.source,
            )
        self._holders = holders

    def holder(self, route: str | None = None) -> Holder:
        """Who holds the stage on `route` (None: the stage itself, or its first route)."""
        found = cast("dict[str | None, Holder]", self._derived("_holders")).get(route)
        if found is not None:
            return found
        if route is not None and self.routes:
            raise KeyError(route)
        # The whole-policy checks make a stage without routes name both of these.
        raise AssertionError(f"stage {self.id!r} names no responsible role or no timescale")

    def route(self, route_id: str) -> Route | None:
        return next((r for r in self.routes if r.id == route_id), None)


class FinalReferral(_OwnsTimescale):
    """Where the matter goes when the last stage does not resolve it."""

    id: Id
    title: Title
    responsible: Id
    timescale: Timescale
    if_missed: IfMissed | None = None
    note: Note | None = None
    source: Source

    routes: ClassVar[tuple[Route, ...]] = ()
    _holder: Holder = PrivateAttr()

    def model_post_init(self, context: object, /) -> None:
        self._holder = Holder(
            None, self.responsible, None, self.timescale, self.if_missed, self.source
        )

    def holder(self, route: str | None = None) -> Holder:
        return cast(Holder, self._derived("_holder"))

    def route(self, route_id: str) -> Route | None:
        return None


Lapse = Literal["never", "on_leaving_stage", "on_end"]


class RequiredAction(_OwnsTimescale):
    """Something that must be done, by a role, within a timescale, once it is triggered.

    Without `role`, the action falls to the role responsible for the stage current when
    the action is triggered. `lapses` says when it stops being owed though not done: `never`
    (the default), `on_leaving_stage` (when the stage current at its trigger is left, by a
    move or by the end of the escalation) or `on_end` (when the escalation ends). A lapsed
    action is never overdue.
    """

    id: Id
    title: Title
    role: Id | None = None
    timescale: Timescale
    lapses: Lapse = "never"
    if_missed: IfMissed | None = None
    source: Source


ActionTrigger = Literal[
    "raised",
    "entering_stage",
    "reaching_stage",
    "resolved",
    "resolved_with_dissent",
    "withdrawn",
]
STAGE_TRIGGERS = frozenset({"entering_stage", "reaching_stage"})
Outcome = Literal["resolved", "resolved_with_dissent", "withdrawn"]
OUTCOMES: tuple[Outcome, ...] = ("resolved", "resolved_with_dissent", "withdrawn")


class TriggeredAction(RequiredAction):
    """A required action triggered by the escalation's course.

    `when: entering_stage` triggers it when the matter enters `stage` itself; a permitted skip
    past that stage does not. `when: reaching_stage` triggers it the first time the matter
    reaches `stage` or any later stage, so a skip past that stage still triggers it.
    """

    when: ActionTrigger
    stage: Id | None = None
    at_stages: tuple[Id, ...] = Field(
        default=(),
        description=(
            "With an outcome trigger: the stages at which that outcome requires the action "
            "(Brighton & Hove's written record at stage two); empty means at any stage."
        ),
    )

    def fires_on_outcome(self, pathway: Pathway, outcome: str, number: int) -> bool:
        """Whether recording `outcome` at stage `number` triggers this action."""
        if self.when != outcome:
            return False
        return not self.at_stages or number in pathway.numbers_of(self.at_stages)

    def fires_on_entering(self, pathway: Pathway, number: int) -> bool:
        """Whether entering stage `number` of `pathway` triggers this action."""
        target = pathway.number_of(self.stage) if self.stage is not None else None
        if target is None:
            return False
        if self.when == "entering_stage":
            return target == number
        return self.when == "reaching_stage" and target <= number


class SignificantHarmRule(_OwnsTimescale):
    """What happens at once when a child is identified as at risk of significant harm.

    `jump`: `none` (the stage does not change), `fixed` (go to `to_stage`), or `discretion`
    (the significant_harm event's own `to_stage` chooses; without one the stage stays).
    `timescale`: the deadline for the stage the matter is at afterwards. It never lengthens a
    deadline already running; an `unspecified` timescale leaves the deadline as it was and the
    evaluation carries its words.
    """

    jump: Literal["none", "fixed", "discretion"]
    to_stage: Id | None = None
    timescale: Timescale | None = None
    required_action: RequiredAction | None = None
    source: Source


class SkippingRule(Frozen):
    """Whether an escalation may pass over stages: never, with a reason, or to named stages."""

    allowed: Literal["never", "with_reason", "to_named_stages"]
    to_stages: tuple[Id, ...] = ()
    source: Source


class TimescaleAgreement(Frozen):
    """Whether the parties may agree a different deadline for the current stage.

    `at_stages` limits it to the stages named (Brighton & Hove: stage one only); empty means
    at every stage.
    """

    allowed: StrictBool
    at_stages: tuple[Id, ...] = ()
    source: Source


class OutcomeRule(Frozen):
    """Where an outcome may be recorded: only at the stages named (Pan-Dorset 7: dissent
    remains after a decision is reached at the senior level)."""

    outcome: Outcome
    at_stages: Annotated[tuple[Id, ...], Field(min_length=1)]
    source: Source


class NamedDate(Frozen):
    """A date the pathway asks for on `raised` (the conference; when the concern arose)."""

    id: Id
    title: Title
    source: Source


class Pathway(Frozen):
    """One route through a policy: ordered stages and the rules that govern moving along them."""

    id: Id
    title: Title
    default: StrictBool = False
    note: Note | None = None
    categories: tuple[Category, ...] = ()
    stages: Annotated[tuple[Stage, ...], Field(min_length=1, max_length=50)]
    final_referral: FinalReferral | None = None
    significant_harm: SignificantHarmRule | None = None
    skipping: SkippingRule | None = None
    agreed_timescales: TimescaleAgreement | None = None
    actions: tuple[TriggeredAction, ...] = ()
    dates: tuple[NamedDate, ...] = ()
    outcomes: tuple[OutcomeRule, ...] = ()
    source: Source

    _actions_by_id: FrozenMap[str, RequiredAction] = PrivateAttr()
    _numbers: FrozenMap[str, int] = PrivateAttr()
    _on_entering: tuple[tuple[TriggeredAction, ...], ...] = PrivateAttr()

    def model_post_init(self, context: object, /) -> None:
        # Tables the evaluator looks in at every step, made once: looked up once per recorded
        # `action_done`, a scan would make evaluation quadratic.
        self._actions_by_id = FrozenMap((action.id, action) for action in self.all_actions())
        numbers = {stage.id: number for number, stage in enumerate(self.stages, start=1)}
        if self.final_referral is not None:
            numbers.setdefault(self.final_referral.id, len(self.stages) + 1)
        self._numbers = FrozenMap(numbers)
        self._on_entering = tuple(
            tuple(a for a in self.actions if a.fires_on_entering(self, number))
            for number in range(self.last_number + 1)
        )

    @property
    def actions_by_id(self) -> Mapping[str, RequiredAction]:
        """Every action of the pathway (its own and significant harm's), by id."""
        return cast(FrozenMap[str, RequiredAction], self._derived("_actions_by_id"))

    def entering_actions(self, number: int) -> tuple[TriggeredAction, ...]:
        """The actions that entering stage `number` triggers (`fires_on_entering`), in the
        order written."""
        return cast("tuple[tuple[TriggeredAction, ...], ...]", self._derived("_on_entering"))[
            number
        ]

    @property
    def last_number(self) -> int:
        """The highest stage number: the final referral's where there is one."""
        return len(self.stages) + (1 if self.final_referral is not None else 0)

    def step(self, number: int) -> Stage | FinalReferral:
        """The stage with this number, or the final referral (one past the last stage)."""
        if 1 <= number <= len(self.stages):
            return self.stages[number - 1]
        if number == len(self.stages) + 1 and self.final_referral is not None:
            return self.final_referral
        raise IndexError(number)

    def number_of(self, stage_id: str) -> int | None:
        return cast(FrozenMap[str, int], self._derived("_numbers")).get(stage_id)

    def all_actions(self) -> tuple[RequiredAction, ...]:
        harm = self.significant_harm
        extra = (harm.required_action,) if harm and harm.required_action else ()
        return (*self.actions, *extra)

    def outcome_rule(self, outcome: str) -> OutcomeRule | None:
        return next((rule for rule in self.outcomes if rule.outcome == outcome), None)

    def numbers_of(self, stage_ids: tuple[str, ...]) -> tuple[int, ...]:
        """The numbers of the stages named (ids the whole-policy checks have confirmed)."""
        return tuple(self.number_of(s) or 0 for s in stage_ids)

    def allows_outcome(self, outcome: str, number: int) -> bool:
        """Whether `outcome` may be recorded at stage `number` (its outcome rule, if any)."""
        rule = self.outcome_rule(outcome)
        return rule is None or number in self.numbers_of(rule.at_stages)

    def allows_agreement(self, number: int) -> bool:
        """Whether the parties may agree a timescale at stage `number`."""
        rule = self.agreed_timescales
        if rule is None or not rule.allowed:
            return False
        return not rule.at_stages or number in self.numbers_of(rule.at_stages)
