"""The JSON Schemas of a scenario file and of a history, for editors and validators.

Each is made from the models the files are read into, so the schema and the reader cannot
drift apart; the files under `schema/` are these, written out (a test keeps them current).
"""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from .._json_schema import described
from ..history._descriptions import EVENT_DESCRIPTIONS
from ..history._events import Event
from ..policy._schema import DIALECT
from ._descriptions import SCENARIO_DESCRIPTIONS
from ._runner import Scenario

_HISTORY = TypeAdapter(list[Event])


def history_schema() -> dict[str, Any]:
    """The JSON Schema of a history: the JSON array of events `evaluate` reads."""
    schema = _HISTORY.json_schema(mode="validation")
    return described(
        {
            "$schema": DIALECT,
            "$id": "urn:escalation-rules:schema:history",
            "title": "escalation_rules history",
            "description": (
                "The events of one escalation, in any order (ties at one instant in the order "
                "they happened), as a case-management system sends them."
            ),
            **schema,
        },
        EVENT_DESCRIPTIONS,
    )


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file: one scenario, or `policy` and `scenarios`."""
    scenario = Scenario.model_json_schema(mode="validation")
    events = _HISTORY.json_schema(mode="validation")
    definitions = {**events.pop("$defs", {}), **scenario.pop("$defs", {})}
    scenario["properties"]["events"] = {
        **events,
        "description": "The history: events as `evaluate` reads them.",
    }
    definitions["Scenario"] = scenario
    return described(
        {
            "$schema": DIALECT,
            "$id": "urn:escalation-rules:schema:scenario",
            "title": "escalation_rules scenario file",
            "description": (
                "Scenarios: a history, a moment, and what the policy must make of them (expect) "
                "or the error it must give (expect_error)."
            ),
            "oneOf": [
                {"$ref": "#/$defs/Scenario"},
                {
                    "type": "object",
                    "properties": {
                        "policy": {
                            "type": "string",
                            "description": (
                                "The policy every scenario checks: a bundled name, or a "
                                "path from this file."
                            ),
                        },
                        "scenarios": {
                            "type": "array",
                            "minItems": 1,
                            "items": {"$ref": "#/$defs/Scenario"},
                        },
                    },
                    "required": ["scenarios"],
                    "additionalProperties": False,
                },
            ],
            "$defs": definitions,
        },
        {**EVENT_DESCRIPTIONS, **SCENARIO_DESCRIPTIONS},
    )
