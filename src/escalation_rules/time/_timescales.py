"""How long a stage or a required action has: the six kinds a partnership document uses.

Each kind is its own frozen model, told apart by `kind`, so a policy author's error names
exactly the field that is missing for that kind (a `working_days` timescale without `days`).
The arithmetic that turns a timescale into a deadline lives in `_deadlines.py`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from .._model_base import Frozen, Id, Source, Wording

CountsFrom = Literal["entered", "raised", "stage", "date"]


class _TimescaleBase(Frozen):
    counts_from: CountsFrom = Field(
        default="entered",
        description=(
            "Where the clock starts: `entered` (the default: when this stage was entered, or "
            "the required action was triggered), `raised` (when the escalation was raised), "
            "`stage` (when the matter entered the earlier stage named in `from_stage`), or "
            "`date` (the date named in `from_date`, which the pathway asks for on `raised`)."
        ),
    )
    from_stage: Id | None = Field(
        default=None,
        description=(
            "With `counts_from: stage`: the id of the stage whose entry starts the clock, such "
            "as the stage where a flowchart's day count begins."
        ),
    )
    from_date: Id | None = Field(
        default=None,
        description=(
            "With `counts_from: date`: the id of one of the pathway's `dates`, given on the "
            "`raised` event; where the history does not give it, the clock starts at the raise."
        ),
    )
    source: Source = Field(
        description=(
            "The paragraph of the document the timescale comes from. Left out, it is the "
            "`source` of the stage, route or action it belongs to."
        )
    )

    model_config = ConfigDict(json_schema_extra=lambda schema: _source_optional(schema))


def _source_optional(schema: dict[str, Any]) -> None:
    # Required in the model, but the policy reader fills it from the timescale's owner when
    # it is left out, so an editor must not ask for it.
    required = schema.get("required")
    if isinstance(required, list) and "source" in required:
        required.remove("source")


class WorkingDays(_TimescaleBase):
    """N working days: close of business on the Nth working day after the start's date."""

    kind: Literal["working_days"]
    days: Annotated[int, Field(strict=True, ge=1, le=250)]


class Hours(_TimescaleBase):
    """N elapsed hours from the start, correct across the clock change."""

    kind: Literal["hours"]
    hours: Annotated[int, Field(strict=True, ge=1, le=24 * 366)]


class CalendarDays(_TimescaleBase):
    """N calendar days: close of business on the start's date plus N days."""

    kind: Literal["calendar_days"]
    days: Annotated[int, Field(strict=True, ge=1, le=366)]


class SameWorkingDay(_TimescaleBase):
    """Close of business today if today is a working day and it is before then; else the next."""

    kind: Literal["same_working_day"]


class Immediately(_TimescaleBase):
    """The deadline is the start itself."""

    kind: Literal["immediately"]


class Unspecified(_TimescaleBase):
    """No deadline: the document gives only words, which the evaluation carries."""

    kind: Literal["unspecified"]
    wording: Wording


Timescale = Annotated[
    WorkingDays | Hours | CalendarDays | SameWorkingDay | Immediately | Unspecified,
    Field(discriminator="kind"),
]

TIMESCALE_KINDS: tuple[str, ...] = (
    "working_days",
    "hours",
    "calendar_days",
    "same_working_day",
    "immediately",
    "unspecified",
)
