"""Batch evaluation: many escalations from JSON Lines or CSV, one result each, in order.

A tool layer, like the command line: it reads files and runs worker processes, which the
evaluation itself never does. The public API is `escalation_rules.evaluate_many`.
"""
