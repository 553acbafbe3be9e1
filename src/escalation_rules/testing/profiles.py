"""Hypothesis settings profiles for property-testing an integration against escalation_rules.

- `fast`: for CI on every push: 50 examples a test, derandomized (the same examples on every
  run, so a red build can be reproduced), no example database (a CI machine keeps none), no
  per-example deadline (a first evaluation builds the policy's calendar, which is slower
  than the rest);
- `thorough`: for a nightly run: 2,000 examples a test, random, with the example database,
  so a failure found one night is tried first the next.

Register them once, in your `conftest.py`, and choose one by an environment variable::

    from escalation_rules.testing import profiles

    profiles.register()                       # as "escalation_rules.fast" and ".thorough"
    profiles.load_from_environment()          # HYPOTHESIS_PROFILE, or "fast" when unset

    # HYPOTHESIS_PROFILE=escalation_rules.thorough pytest   (nightly)

or use one directly on a test: ``@profiles.FAST`` / ``@profiles.THOROUGH`` (each is a
`hypothesis.settings`), or as the parent of your own: ``settings(profiles.FAST,
max_examples=200)``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["FAST", "NAMES", "THOROUGH", "load_from_environment", "register"]

# Drawing a history walks the policy's rules event by event, and a first evaluation builds
# its calendar: a slow example is expected, not a sign of a bad strategy.
_SLOW_IS_FINE = [HealthCheck.too_slow]

FAST = settings(
    max_examples=50,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
"""For CI: 50 examples, the same on every run, no database, no deadline."""

THOROUGH = settings(
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
"""For a nightly run: 2,000 random examples, with the example database, no deadline."""

NAMES = {"fast": FAST, "thorough": THOROUGH}
"""The profiles by their short names."""

PREFIX = "escalation_rules."


def register(prefix: str = PREFIX) -> tuple[str, ...]:
    """Register the profiles with Hypothesis as `prefix` + `fast` and `prefix` + `thorough`
    (by default `escalation_rules.fast` and `escalation_rules.thorough`), and return the
    names registered."""
    for name, profile in NAMES.items():
        settings.register_profile(prefix + name, profile)
    return tuple(prefix + name for name in NAMES)


def load_from_environment(
    variable: str = "HYPOTHESIS_PROFILE", default: str = "fast", prefix: str = PREFIX
) -> str:
    """Load the profile the environment variable names (`default` when it is unset or
    empty); a short name (`fast`, `thorough`) is taken with `prefix`. Registers the profiles
    first. Returns the name loaded."""
    register(prefix)
    name = os.environ.get(variable) or default
    if name in NAMES:
        name = prefix + name
    settings.load_profile(name)  # Hypothesis names the registered profiles if it is unknown
    return name
