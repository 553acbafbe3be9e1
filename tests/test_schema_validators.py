"""The JSON Schema of the policy format, read by an independent validator (jsonschema): every
bundled policy passes it, and it asks nothing a strict validator or an editor would read
otherwise than the loader does."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from typing import Any

import jsonschema
import pytest
import yaml

from escalation_rules import bundled_policies, policy_schema


def formats(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["format"]} if "format" in schema else set()
        return found.union(*(formats(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(formats(v) for v in schema))
    return set()


def as_json(value: Any) -> Any:
    """A YAML document as the JSON an editor's validator sees (dates as ISO text)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.mark.parametrize("name", bundled_policies())
def test_every_bundled_policy_passes_the_schema(name: str) -> None:
    text = resources.files("escalation_rules").joinpath("policies", f"{name}.yaml").read_text()
    document = as_json(yaml.safe_load(text))
    validator = jsonschema.Draft202012Validator(
        policy_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(document)] == []


def test_close_of_business_is_hours_and_minutes_not_an_rfc3339_time() -> None:
    # "format": "time" is a time with seconds and an offset; "17:00" is not one.
    assert formats(policy_schema()) == {"date"}
    spec = policy_schema()["$defs"]["CalendarSpec"]["properties"]["close_of_business"]
    validator = jsonschema.Draft202012Validator(spec)
    assert validator.is_valid("17:00") and validator.is_valid("09:30")
    assert not validator.is_valid("17:00:00") and not validator.is_valid("24:00")
    assert spec["default"] == "17:00"
    assert dt.time.fromisoformat(spec["default"]) == dt.time(17, 0)
