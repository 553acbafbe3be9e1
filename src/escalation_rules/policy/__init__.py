"""The policy: its frozen model, the strict YAML reading of it, loading, whole-policy checks,
the messages written for policy authors, and the JSON Schema.

Builds on `time`. Its modules are private; the public API is `escalation_rules`.
"""
