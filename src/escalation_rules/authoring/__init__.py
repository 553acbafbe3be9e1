"""Tools for policy authors: lint, and the readable page of a policy.

from escalation_rules.authoring import lint
for finding in lint("my_policy.yaml", document=open("procedure.txt").read()):
    print(finding)
"""

from ._lint import CODES, LintFinding, lint

__all__ = ["CODES", "LintFinding", "lint"]
