"""The one way the library suggests what a misspelt word was meant to be."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_WORD = 64
"""Longer words get no suggestion: no id or field name is that long, and comparing a
megabyte of text with every choice would take minutes."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean 'x'?)` for the closest choice, or nothing if none is close.

    Only choices of about the word's length are compared (a close match has a ratio of at
    least 0.6, which two words whose lengths differ by more than that cannot reach), so the
    cost stays small for a policy of thousands of ids.
    """
    if not word or len(word) > MAX_WORD:
        return ""
    size = len(word)
    # ratio = 2M / (a + b) >= 0.6 needs min(a, b) >= 0.3 (a + b), i.e. b between a/2.33 and 2.33a.
    near = [c for c in choices if 3 * size <= 7 * len(c) and 3 * len(c) <= 7 * size]
    close = difflib.get_close_matches(word, near, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Suggester:
    """`did_you_mean` against one set of choices, for at most `budget` words.

    A policy with thousands of wrong references gets suggestions for the first ones only:
    each costs a comparison with every choice, and an author fixes the first ones first.
    """

    def __init__(self, choices: Iterable[str], budget: int = 20) -> None:
        self.choices = tuple(choices)
        self.budget = budget

    def __call__(self, word: str) -> str:
        if self.budget <= 0:
            return ""
        self.budget -= 1
        return did_you_mean(word, self.choices)
