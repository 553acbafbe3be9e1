"""`python -m escalation_rules` runs the command line."""

from ._cli import main

main()
