"""An escalation's history: the event models and the strict reading of what integrators send.

Builds on the shared bases only. Its modules are private; the public API is `escalation_rules`.
"""
