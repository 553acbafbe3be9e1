"""Plain-English descriptions for the JSON Schemas the models give.

Pydantic writes a schema's shape from the models; the words an author reads in an editor's
tooltip are kept in one table per format (`"Definition.property": "words"`), so that they can
be read and reviewed together, and a test can require one for every property.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

ROOT = "(root)"
"""The name the tables give the schema's own top-level object."""


def described(schema: dict[str, Any], table: Mapping[str, str]) -> dict[str, Any]:
    """`schema` with each property that the table names given that description.

    Raises `KeyError` for a table entry that names no property: a description left behind
    by a renamed field would otherwise go unnoticed.
    """
    unused = set(table)
    for owner, name, prop in properties(schema):
        key = f"{owner}.{name}"
        if key in table:
            prop["description"] = table[key]
            unused.discard(key)
    if unused:
        raise KeyError(f"descriptions of properties that do not exist: {sorted(unused)}")
    return schema


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every property of the schema, as (the definition that has it, its name, its schema)."""
    yield from _properties_of(ROOT, schema)
    for owner, definition in schema.get("$defs", {}).items():
        yield from _properties_of(owner, definition)
    for index, branch in enumerate(schema.get("oneOf", ())):
        yield from _properties_of(f"{ROOT}.oneOf[{index}]", branch)


def _properties_of(owner: str, definition: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    for name, prop in definition.get("properties", {}).items():
        yield owner, name, prop
