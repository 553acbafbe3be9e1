"""`python -m escalation_rules` runs the command line."""

from .cli._main import main

main()
