"""A sentence made when it is read, not when what it tells happened.

The fold notes a sentence at every step (how a deadline was counted, who holds a stage), and
most results are read for their headline only, so most of those sentences were never read:
formatting them was a fifth of the cost of evaluating a history. A `Phrase` keeps the function
and the values that make the sentence, all of them immutable, and makes it when it is turned
into text (`str`, or inside an f-string, which may hold other phrases).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Phrase", "Text", "text_of"]


class Phrase(tuple[object, ...]):
    """`make(*args)`, made each time it is read; equal to another phrase of the same text.

    One object, the tuple of `make` and its arguments, with no room for the text once made:
    a history of 10,000 events notes thousands of phrases, and every object that lives on is
    one more for the collector's full passes to walk while the evaluation grows (in the
    benchmark's history of 10,000 events, one object fewer a phrase spared it a full pass, 45
    ms of 187). A phrase is seldom read twice: the models made of a result keep its text.
    """

    __slots__ = ()

    def __new__(cls, make: Callable[..., str], *args: object) -> Phrase:
        return tuple.__new__(cls, (make, *args))

    def __str__(self) -> str:
        make: Callable[..., str] = self[0]  # type: ignore[assignment]
        return make(*self[1:])

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Phrase | str):
            return str(self) == str(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(str(self))

    def __repr__(self) -> str:
        return f"Phrase({str(self)!r})"


Text = str | Phrase
"""A sentence, made already or when first read."""


def text_of(text: Text) -> str:
    return text if type(text) is str else str(text)
