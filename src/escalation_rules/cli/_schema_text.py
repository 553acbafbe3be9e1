"""The JSON Schemas as text, exactly as the files under `schema/` hold them."""

from __future__ import annotations

import json

from ..policy._schema import policy_schema
from ..scenarios._schema import history_schema, scenario_schema

SCHEMAS = {"policy": policy_schema, "scenario": scenario_schema, "history": history_schema}


def schema_text(kind: str) -> str:
    """A schema as the files under `schema/` hold it."""
    return json.dumps(SCHEMAS[kind](), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
