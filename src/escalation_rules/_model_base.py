"""Shared pieces of the frozen models: the base class and the constrained text types.

Every text field is strict: YAML's `5.1` is a number and `2026-12-25` a date, and neither is
quietly turned into text; the loader then tells the author to quote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Any, TypeVar, overload

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
)

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

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


class FrozenMap(Mapping[K, V]):
    """A mapping that cannot change: hashable, picklable and deep-copyable, unlike
    `MappingProxyType`, so that a policy can be a cache key or go to another process."""

    __slots__ = ("_data", "_hash")
    _data: dict[K, V]
    _hash: int | None

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        object.__setattr__(self, "_data", dict(data))
        object.__setattr__(self, "_hash", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("a FrozenMap cannot be changed")

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    # The dict's own, not Mapping's, which go through `__getitem__` and an exception: a
    # role's title is looked up at every step of an evaluation.
    def __contains__(self, key: object) -> bool:
        return key in self._data

    @overload
    def get(self, key: K, /) -> V | None: ...
    @overload
    def get(self, key: K, default: V | T, /) -> V | T: ...
    def get(self, key: K, default: object = None, /) -> object:
        return self._data.get(key, default)

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._data.items())))
        assert self._hash is not None
        return self._hash

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        return (type(self), (dict(self._data),))

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def _freeze_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    return FrozenMap(value)


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

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False, defer_build=True)

    def _derived(self, name: str) -> Any:
        """A private attribute (a table derived from the fields when the model was made),
        read from pydantic's store: read as an attribute it goes through pydantic's
        `__getattr__`, and took 2 µs, longer than counting working days."""
        return self.__pydantic_private__[name]  # type: ignore[index]
