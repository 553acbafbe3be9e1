"""Time: the working-day calendar, the timescale kinds, and where a deadline falls.

The lowest layer: it imports nothing of the library but the shared model bases. Its modules
are private; the public API is `escalation_rules`.
"""
