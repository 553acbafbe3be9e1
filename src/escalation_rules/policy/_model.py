"""The policy model: one partnership's procedure as frozen, validated data.

A policy is written in YAML (see `policies/` and `_loader.py`), validated into these
models, and then checked as a whole (`_checks.py`). Field-level rules live here; rules
that need the whole policy (does this role exist?) live there, so that each error can name
the ids involved and where they are written.

The model is in three modules: the calendar settings (`_calendar_spec.py`), a pathway and its
parts (`_pathway.py`), and here the policy as a whole, its roles and agency types.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Annotated, Literal, cast

from pydantic import BeforeValidator, Field, PrivateAttr

from .._model_base import Frozen, FrozenMap, Id, Source, Title, TitlesByAgency
from ..time._calendar import WorkingCalendar
from ._calendar_spec import WEEKDAYS, CalendarSpec, PolicyDate, Weekday
from ._pathway import (
    OUTCOMES,
    STAGE_TRIGGERS,
    ActionTrigger,
    Category,
    FinalReferral,
    Holder,
    Lapse,
    NamedDate,
    Outcome,
    OutcomeRule,
    Pathway,
    RequiredAction,
    Route,
    SignificantHarmRule,
    SkippingRule,
    Stage,
    TimescaleAgreement,
    TriggeredAction,
)

__all__ = [
    "OUTCOMES",
    "STAGE_TRIGGERS",
    "WEEKDAYS",
    "ActionTrigger",
    "AgencyType",
    "CalendarSpec",
    "Category",
    "FinalReferral",
    "Holder",
    "Lapse",
    "NamedDate",
    "Outcome",
    "OutcomeRule",
    "Pathway",
    "Policy",
    "RequiredAction",
    "Role",
    "Route",
    "SignificantHarmRule",
    "SkippingRule",
    "Stage",
    "TimescaleAgreement",
    "TriggeredAction",
    "Weekday",
    "Words",
]


def _format_number(value: object) -> object:
    if isinstance(value, bool):  # YAML's true is not the number 1
        raise ValueError(f"format_version is the number 1, not {value!r}")
    return value


class AgencyType(Frozen):
    """A kind of agency a raiser may belong to; roles may have another title in it."""

    id: Id
    title: Title
    source: Source


RoleAgency = Literal["raising", "receiving"]


class Role(Frozen):
    """A position, with the title it has in particular agency types where that differs.

    `agency` says whose position it is: the raising agency's (the default) or the agency the
    disagreement is raised with, so that its title follows that agency's type.
    """

    id: Id
    title: Title
    titles: TitlesByAgency = Field(default_factory=dict, validate_default=True)
    agency: RoleAgency = "raising"
    source: Source

    def title_for(self, agency: str | None) -> str:
        if agency is not None and agency in self.titles:
            return self.titles[agency]
        return self.title

    def title_among(self, raising: str | None, receiving: str | None) -> str:
        """The title in the agency this role belongs to, given both agencies' types."""
        return self.title_for(receiving if self.agency == "receiving" else raising)


class Words(Frozen):
    """The policy's own words where they differ from the library's, for text output."""

    stage: Annotated[str, Field(strict=True, min_length=1, max_length=40)] = Field(
        default="Stage", description='What the document calls a stage, such as "Step".'
    )
    significant_harm: Title = Field(
        default="risk of significant harm",
        description=(
            'How the document words significant harm, such as "risk to the immediate safety '
            'of a child".'
        ),
    )


class Policy(Frozen):
    """One partnership's procedure, validated and immutable; safe to share between threads."""

    format_version: Annotated[Literal[1], BeforeValidator(_format_number)] = 1
    id: Id
    title: Title
    document: Title
    version: Title | None = Field(
        default=None,
        description='The policy\'s own version, as its authors number it, such as "2.1".',
    )
    effective_from: PolicyDate | None = Field(
        default=None, description="The date this version took effect, such as 2024-04-01."
    )
    words: Words = Words()
    # Made when a policy leaves its calendar out, not at import: checking the default's bank
    # holidays imports the holidays package's data for the country, a tenth of a second.
    calendar: CalendarSpec = Field(default_factory=CalendarSpec)
    agency_types: tuple[AgencyType, ...] = ()
    roles: Annotated[tuple[Role, ...], Field(min_length=1)]
    pathways: Annotated[tuple[Pathway, ...], Field(min_length=1)]

    _calendar: WorkingCalendar = PrivateAttr()
    _roles: FrozenMap[str, Role] = PrivateAttr()
    _pathways: FrozenMap[str, Pathway] = PrivateAttr()
    _digest: str = PrivateAttr()

    def model_post_init(self, context: object, /) -> None:
        spec = self.calendar
        self._calendar = WorkingCalendar.build(
            timezone=spec.timezone,
            country=spec.bank_holidays.country,
            subdivision=spec.bank_holidays.subdivision,
            working_week=tuple(WEEKDAYS.index(day) for day in spec.working_week),
            closure_dates=spec.closure_dates,
            close_of_business=spec.close_of_business,
        )
        self._roles = FrozenMap((role.id, role) for role in self.roles)
        self._pathways = FrozenMap((pathway.id, pathway) for pathway in self.pathways)
        canonical = json.dumps(
            self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        self._digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def __repr__(self) -> str:
        # Short, so that a failing property test's report shows which policy, not all of it
        # (Rutland's whole model runs to 14 KB).
        version = "" if self.version is None else f", version={self.version!r}"
        return f"Policy(id={self.id!r}{version}, digest={self._digest[:12]!r})"

    @property
    def digest(self) -> str:
        """sha256 of the policy's canonical form (its JSON, keys sorted): what it says, not how
        it is laid out or commented."""
        return cast(str, self._derived("_digest"))

    @property
    def working_calendar(self) -> WorkingCalendar:
        """The policy's working-day calendar, built once when the policy was loaded."""
        return cast(WorkingCalendar, self._derived("_calendar"))

    @property
    def default_pathway(self) -> Pathway:
        for pathway in self.pathways:
            if pathway.default:
                return pathway
        return self.pathways[0]

    def pathway(self, pathway_id: str) -> Pathway | None:
        return cast(FrozenMap[str, Pathway], self._derived("_pathways")).get(pathway_id)

    def role(self, role_id: str) -> Role | None:
        return self.roles_by_id.get(role_id)

    @property
    def roles_by_id(self) -> Mapping[str, Role]:
        """The roles by id, read-only."""
        return cast(FrozenMap[str, Role], self._derived("_roles"))
