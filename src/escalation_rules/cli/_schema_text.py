"""The JSON Schemas as text, exactly as the files under `schema/` hold them."""

from __future__ import annotations

import json

SCHEMAS = ("policy", "scenario", "history")
"""What `schema --for` may name; each schema's models are loaded only when it is asked for."""


def schema_text(kind: str) -> str:
    """A schema as the files under `schema/` hold it."""
    if kind == "policy":
        from ..policy._schema import policy_schema as schema
    elif kind == "scenario":
        from ..scenarios._schema import scenario_schema as schema
    elif kind == "history":
        from ..scenarios._schema import history_schema as schema
    else:
        raise ValueError(f"no schema is named {kind!r}; the schemas are: {', '.join(SCHEMAS)}")
    return json.dumps(schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
