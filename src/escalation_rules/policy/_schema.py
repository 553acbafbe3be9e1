"""The JSON Schema of the policy format, for editors (yaml-language-server) and validators."""

from __future__ import annotations

from typing import Any

from .._json_schema import described
from ._descriptions import POLICY_DESCRIPTIONS
from ._model import Policy

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def policy_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that a policy file's data must satisfy."""
    schema = Policy.model_json_schema(mode="validation")
    return described(
        {
            "$schema": DIALECT,
            "$id": "urn:escalation-rules:schema:policy",
            "title": "escalation_rules policy",
            "description": (
                "One safeguarding partnership's procedure for resolving professional "
                "disagreements. Every rule carries `source`: the paragraph of the document it "
                "comes from."
            ),
            **{k: v for k, v in schema.items() if k not in {"title", "description"}},
        },
        POLICY_DESCRIPTIONS,
    )
