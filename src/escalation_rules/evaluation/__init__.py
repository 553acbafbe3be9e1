"""Evaluation: the fold of a history over a policy, one rule per event type, and its result.

Builds on `time`, `policy` and `history`. Its modules are private; the public API is
`escalation_rules`.
"""
