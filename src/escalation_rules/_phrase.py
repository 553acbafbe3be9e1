"""A sentence made when first read, not when what it tells happened.

The fold notes a sentence at every step (how a deadline was counted, who holds a stage), and
most results are read for their headline only, so most of those sentences were never read:
formatting them was a fifth of the cost of evaluating a history. A `Phrase` keeps the function
and the values that make the sentence, all of them immutable, and makes it the first time it
is turned into text (`str`, or inside an f-string, which may hold other phrases).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Phrase", "Text", "text_of"]


class Phrase:
    """`make(*args)`, made once, when first read; equal to another phrase of the same text."""

    __slots__ = ("_args", "_make", "_text")

    def __init__(self, make: Callable[..., str], *args: object) -> None:
        self._make = make
        self._args = args
        self._text: str | None = None

    def __str__(self) -> str:
        text = self._text
        if text is None:
            # Two threads may both make it; being made of immutable values, it is the same.
            text = self._text = self._make(*self._args)
        return text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase | str):
            return str(self) == str(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"


Text = str | Phrase
"""A sentence, made already or when first read."""


def text_of(text: Text) -> str:
    return text if type(text) is str else str(text)
