"""The evaluation: what `evaluate` answers, as frozen models that dump to plain JSON.

Every time in it carries a fixed UTC offset (the policy's local offset at that instant), never a
`ZoneInfo`: in the repeated autumn hour Python compares a `ZoneInfo` time unequal to the same
instant in any other zone (PEP 495), and a result must compare equal to itself read back.

`evaluate` makes an `Evaluation`'s headline at once and its other fields (`LATER`) when they
are read (`Evaluation.made_later`); either way it holds the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)

Status = Literal["open", "resolved", "resolved_with_dissent", "withdrawn"]
ActionStateName = Literal["due", "done", "lapsed"]


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
    _every_field: ClassVar[set[str]] = set()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._every_field = set(cls.model_fields)

    @classmethod
    def made(cls, **values: object) -> Self:
        """The model with these values, every field given, without validating them.

        For the evaluator only, whose values have their types already: it is what
        `model_construct` does, less its handling of defaults and aliases, which cost as much
        as the fold itself. Every field must be given (a test reads every result back from
        its JSON and compares it whole, so a field left out shows there).
        """
        made = cls.__new__(cls)
        object.__setattr__(made, "__dict__", values)
        # Every field is given, so every result of a class has the same set of fields set:
        # one set a class, not one a value. Pydantic changes it only in `__setattr__`, which a
        # frozen model refuses, and copies it before `model_copy(update=...)` adds to it.
        object.__setattr__(made, "__pydantic_fields_set__", cls._every_field)
        object.__setattr__(made, "__pydantic_extra__", None)
        object.__setattr__(made, "__pydantic_private__", None)
        return made


class PolicyRef(_Value):
    """Which policy, in which version, the evaluation was made under."""

    id: str = Field(description="The policy's id, such as `newcastle`.")
    version: str | None = Field(description="The policy's own version, or None if it has none.")
    effective_from: dt.date | None = Field(
        description="The date that version took effect, or None if the policy does not say."
    )
    digest: str = Field(
        description=(
            "sha256 of the policy's canonical form: two results with the same digest were "
            "made under policies that say the same thing."
        )
    )


class StageRef(_Value):
    """A stage by number (from 1; the final referral is one past the last stage), id, title."""

    number: int = Field(
        description="The stage's number, from 1; the final referral's is one past the last stage."
    )
    id: str = Field(description="The stage's id in the policy.")
    title: str = Field(description="The stage's title in the policy.")
    source: str = Field(description="The paragraph of the document the stage comes from.")


class RoleRef(_Value):
    """A role, titled for the type of the agency it belongs to where the policy gives one."""

    id: str = Field(description="The role's id in the policy.")
    title: str = Field(
        description=(
            "The role's title in the agency it belongs to (the raising or the receiving "
            "agency), where the policy gives one for that agency type; else its default title."
        )
    )


class DueItem(_Value):
    """Something outstanding: the current stage's outcome, or a required or agreed action."""

    kind: Literal["stage", "action"] = Field(
        description=(
            "`stage`: the current stage must reach an outcome; `action`: a task must be done."
        )
    )
    id: str = Field(description="The stage's or the action's id.")
    title: str = Field(description="The stage's or the action's title.")
    role: RoleRef = Field(description="Who must act: this item's own role, not always the stage's.")
    deadline: dt.datetime | None = Field(
        description="When this item is due, or None where the document sets no timescale."
    )
    counted_from: dt.datetime | None = Field(
        description="The instant this item's clock started, or None where there is no deadline."
    )
    if_missed: str | None = Field(
        description="What the document says happens when the deadline passes, or None."
    )
    overdue: bool | None = Field(
        description="Whether the deadline is before `as_of`; None when no `as_of` was given."
    )
    why: str = Field(description="How the deadline was worked out, or the document's own words.")
    source: str = Field(description="The paragraph of the document this item comes from.")


class TimelineEntry(_Value):
    """One stage visited: when it was entered and left, its deadline, and whether it was met."""

    stage: StageRef = Field(description="The stage visited.")
    route: str | None = Field(
        description="The route taken through the stage, where it offers several."
    )
    entered_at: dt.datetime = Field(description="When the matter entered the stage.")
    left_at: dt.datetime | None = Field(
        description="When it left the stage, or None while it is there."
    )
    deadline: dt.datetime | None = Field(
        description="The stage's own deadline, after any agreed timescale; None if none is set."
    )
    met: bool | None = Field(
        description="Whether the stage was left by its deadline; None while open or without one."
    )
    entered_by: str | None = Field(description="`by` of the event that entered the stage.")
    entered_note: str | None = Field(description="`note` of the event that entered the stage.")
    entered_reason: str | None = Field(description="`reason` of the event that entered the stage.")
    left_by: str | None = Field(description="`by` of the event that left the stage.")
    left_note: str | None = Field(description="`note` of the event that left the stage.")
    left_reason: str | None = Field(description="`reason` of the event that left the stage.")


class ActionEntry(_Value):
    """A required or agreed action triggered so far, and its state."""

    id: str = Field(description="The action's id: the policy's, or the one the agreement gave.")
    title: str = Field(description="What is to be done.")
    kind: Literal["required", "agreed"] = Field(
        description="`required` by the policy, or `agreed` by the parties (`action_agreed`)."
    )
    role: RoleRef = Field(description="Who must do it.")
    triggered_at: dt.datetime = Field(description="When it became due.")
    deadline: dt.datetime | None = Field(
        description="When it is due, or None where no timescale is set."
    )
    counted_from: dt.datetime | None = Field(
        description="The instant its clock started, or None where there is no deadline."
    )
    done_at: dt.datetime | None = Field(description="When it was recorded as done, or None.")
    lapsed_at: dt.datetime | None = Field(
        description=(
            "When it stopped being owed without being done (the policy's lapse rule), or None."
        )
    )
    state: ActionStateName = Field(
        description="`due` (outstanding), `done`, or `lapsed` (no longer owed, never overdue)."
    )
    met: bool | None = Field(
        description=(
            "None until done or lapsed; then whether it was done by its deadline. A lapsed "
            "action is never met."
        )
    )
    if_missed: str | None = Field(
        description="What the document says happens when its deadline passes."
    )
    source: str = Field(
        description="The paragraph of the document (or the agreement) it comes from."
    )


class EvaluationWarning(_Value):
    """Something the evaluator had to assume: a named date not given, an unknown agency type."""

    code: str = Field(description="A stable code, such as `date_not_given` or `unknown_agency`.")
    message: str = Field(description="What was assumed, and what the history could say instead.")
    index: int | None = Field(description="The index of the event it concerns, or None.")


class ExplanationStep(_Value):
    """One step of the reasoning, citing the paragraph of the document it applied."""

    event_index: int | None = Field(description="The index of the event applied, in the input.")
    event_id: str | None = Field(description="The `id` of that event, if it had one.")
    at: dt.datetime = Field(description="When the step took effect.")
    text: str = Field(description="What happened and why, in a sentence.")
    source: str = Field(description="The paragraph of the document the step applied.")
    by: str | None = Field(default=None, description="`by` of the event applied.")
    note: str | None = Field(default=None, description="`note` of the event applied.")


class Evaluation(_Value):
    """Where an escalation stands: status, stage, who must act, by when, and why.

    `responsible_role` and `stage_deadline` go together: that role must bring the stage to an
    outcome by then. `deadline` is the earliest of every due item, which may be another role's
    action: read `due` for who must do what by when.
    """

    policy: PolicyRef = Field(description="The policy the evaluation was made under.")
    status: Status = Field(description="`open`, or the outcome that ended the escalation.")
    pathway: str = Field(description="The pathway's id.")
    category: str | None = Field(description="The area of disagreement named on `raised`.")
    agency: str | None = Field(description="The raiser's agency type, as given on `raised`.")
    receiving_agency: str | None = Field(
        description="The agency type of the agency the disagreement was raised with."
    )
    as_of: dt.datetime | None = Field(description="The time the evaluation was made as of.")
    stage: StageRef = Field(
        description="The current stage; once ended, the stage where the escalation ended."
    )
    route: str | None = Field(
        description="The route taken through the current stage, if it offers several."
    )
    responsible_role: RoleRef = Field(description="Who holds the current stage.")
    next_role: RoleRef | None = Field(
        description="Who the matter goes to if this stage does not resolve it; None at the last."
    )
    deadline: dt.datetime | None = Field(
        description=(
            "The earliest outstanding deadline of any due item (the stage's, or an action's, "
            "which may be another role's); None if none is set."
        )
    )
    stage_deadline: dt.datetime | None = Field(
        description=(
            "The current stage's own deadline (after any agreed timescale): when "
            "`responsible_role` must bring it to an outcome. None once ended or if none is set."
        )
    )
    due: tuple[DueItem, ...] = Field(description="Every outstanding item: what, whose, by when.")
    overdue: bool | None = Field(
        description="Whether any due item is past its deadline; None when no `as_of` was given."
    )
    significant_harm: bool = Field(description="Whether significant harm has been identified.")
    timeline: tuple[TimelineEntry, ...] = Field(description="Each stage visited, in order.")
    actions: tuple[ActionEntry, ...] = Field(
        description="Every required or agreed action triggered so far, with its state."
    )
    warnings: tuple[EvaluationWarning, ...] = Field(
        description="What the evaluator had to assume, each naming the event it concerns."
    )
    explanation: tuple[ExplanationStep, ...] = Field(
        description="The reasoning, step by step, each citing the paragraph it applied."
    )

    @classmethod
    def made_later(cls, rest: Later, **headline: object) -> Self:
        """The evaluation with its headline fields now and the others (`LATER`) made by
        `rest`: each when it is first read, all when the whole is compared, hashed, copied or
        pickled. Dumped before then, it is dumped straight from `rest`, with no models made.

        A dashboard reads the headline of every open escalation, and `due` of some: the
        rest's forty-odd models and their sentences cost as much again as the fold. `rest` is
        pure, so that two threads that complete one result at once make equal values, and
        the one that finishes last puts them in place; nobody sees a half-made field.
        """
        made = cls.made(**headline)
        made.__dict__[_REST] = rest
        return made

    def _complete(self, *names: str) -> None:
        """Make the later fields `names` (all of them if none is named) that are not made yet."""
        values = self.__dict__
        rest: Later | None = values.get(_REST)
        if rest is None:
            return
        made = {name: rest.field(name) for name in names or LATER if name not in values}
        values = {**values, **made}
        if values.keys() >= LATER:
            # In the order of the fields, as a result made whole has them: pydantic dumps
            # the fields in the order it finds them.
            values = {name: values[name] for name in _FIELDS}
        # Swapped whole, so that no reader sees a field half made.
        object.__setattr__(self, "__dict__", values)

    if not TYPE_CHECKING:  # type checkers see the fields themselves

        def __getattr__(self, name: str) -> Any:
            if name in LATER:
                self._complete(name)
                return self.__dict__[name]
            return super().__getattr__(name)

    # No return annotation: pydantic would take it for the JSON Schema of a dumped result,
    # in place of the fields' own.
    @model_serializer(mode="wrap")
    def _dump_whole(  # type: ignore[no-untyped-def]
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ):
        rest: Later | None = self.__dict__.get(_REST)
        if rest is not None and _plainly(info):
            # What `handler` makes of the whole result, made without its models: pydantic
            # then dumps these plain values as it would the fields (a test checks that both
            # ways give the same, in either mode).
            return _plain_whole(self.__dict__, rest.plain())
        self._complete()
        dumped: dict[str, Any] = handler(self)
        return dumped

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Evaluation):
            self._complete()
            other._complete()
        return super().__eq__(other)

    def __hash__(self) -> int:
        self._complete()
        return hash(tuple(self.__dict__[name] for name in _FIELDS))

    def __iter__(self) -> Iterator[tuple[str, Any]]:  # type: ignore[override]
        self._complete()
        return super().__iter__()

    def __repr_args__(self) -> Any:
        self._complete()
        return super().__repr_args__()

    def __copy__(self) -> Self:
        self._complete()
        return super().__copy__()

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        self._complete()
        return super().__deepcopy__(memo)

    def __getstate__(self) -> dict[Any, Any]:
        self._complete()
        return super().__getstate__()

    def __repr__(self) -> str:
        # The headline only, so that failure reports stay readable; the rest is in the fields
        # and in `model_dump()`.
        deadline = None if self.deadline is None else self.deadline.isoformat()
        return (
            f"Evaluation(policy={self.policy.id!r}, status={self.status!r}, "
            f"pathway={self.pathway!r}, stage={self.stage.number}, deadline={deadline!r}, "
            f"overdue={self.overdue!r}, due={len(self.due)}, warnings={len(self.warnings)})"
        )


LATER = frozenset({"due", "timeline", "actions", "explanation"})
"""The fields of an `Evaluation` that `evaluate` makes when first needed (`made_later`)."""
_FIELDS = tuple(Evaluation.model_fields)
_REST = "__rest__"


class Later(Protocol):
    """What `made_later` needs of the maker of the later fields (`LATER`)."""

    def field(self, name: str) -> tuple[BaseModel, ...]:
        """One of the later fields, as models."""

    def plain(self) -> dict[str, tuple[dict[str, Any], ...]]:
        """The later fields as `model_dump` makes them: each item a dict of its fields."""


def _plain_whole(
    values: dict[str, Any], later: dict[str, tuple[dict[str, Any], ...]]
) -> dict[str, Any]:
    """The whole result as `model_dump` makes it, from its headline fields and the later ones
    made plain, in the order of the fields."""
    whole: dict[str, Any] = {}
    for name in _FIELDS:
        if name in later:
            whole[name] = later[name]
        elif name in _HEADLINE_MODELS:
            whole[name] = _plain_model(values[name])
        elif name == "warnings":
            whole[name] = tuple(dict(w.__dict__) for w in values[name])
        else:
            whole[name] = values[name]
    return whole


_HEADLINE_MODELS = frozenset({"policy", "stage", "responsible_role", "next_role"})


def _plainly(info: SerializationInfo) -> bool:
    """Whether a dump asks for every field as it is: no field left out, none renamed."""
    return (
        info.mode in ("python", "json")
        and info.include is None
        and info.exclude is None
        and not info.exclude_none
        and not info.exclude_defaults
        and not info.exclude_unset
        and not info.by_alias
        and not info.round_trip
    )


def _plain_model(model: BaseModel | None) -> dict[str, Any] | None:
    """A model of the result as `model_dump` makes it: its fields, none of them a model."""
    return None if model is None else dict(model.__dict__)
