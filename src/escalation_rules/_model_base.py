"""Shared pieces of the frozen models: the base class and the constrained text types.

Every text field is strict: YAML's `5.1` is a number and `2026-12-25` a date, and neither is
quietly turned into text; the loader then tells the author to quote it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

ID_PATTERN = r"^[a-z][a-z0-9_]*$"

Id = Annotated[
    str,
    StringConstraints(strict=True, pattern=ID_PATTERN, min_length=1, max_length=64),
]
"""An identifier: lower-case letters, digits and underscores, starting with a letter."""

Title = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=200)]
Source = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=120)]
"""The paragraph, section, stage or appendix of the partnership document a rule comes from."""

Wording = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=1000)]
Note = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=2000)]


def _freeze_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


def _thaw_mapping(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


TitlesByAgency = Annotated[
    Mapping[Id, Title],
    AfterValidator(_freeze_mapping),
    PlainSerializer(_thaw_mapping, return_type=dict[str, str]),
    WithJsonSchema(
        {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 200},
        }
    ),
]
"""A read-only mapping from agency type id to the title a role has in that agency type."""


class Frozen(BaseModel):
    """A value that cannot change once built, and that refuses fields it does not know."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)
