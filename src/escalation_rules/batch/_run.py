"""Evaluating many escalations: one result or one error per escalation, in input order.

A window of escalations is read, evaluated (in worker processes with `jobs` > 1) and handed
on before the next is read, so memory stays the same however many there are, and the order
of the output is the order of the input.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, TypeVar

from .._errors import HistoryError, HistoryProblem
from ..evaluation._evaluator import evaluate
from ..evaluation._result import Evaluation
from ..history._events import aware_time
from ..policy._model import Policy
from ._records import Record

T = TypeVar("T")
WINDOW = 512
"""Escalations evaluated between reads, per job: enough to keep workers busy, few enough
that memory does not grow with the file."""


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What became of one escalation of a batch: its result, or the problems that refused it."""

    id: Any
    """The escalation's id as the input gave it (None where it could not be read)."""
    line: int | None
    """The line of the input it starts on (None where the input was not a file)."""
    result: Evaluation | None
    problems: tuple[HistoryProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.result is not None

    def as_json(self) -> dict[str, Any]:
        """`{"id", "result"}`, or `{"id", "line", "error": {"kind", "problems"}}`."""
        if self.result is not None:
            return {"id": self.id, "result": self.result.model_dump(mode="json")}
        return {
            "id": self.id,
            "line": self.line,
            "error": {"kind": "history", "problems": [p.as_json() for p in self.problems]},
        }


def evaluate_many(
    policy: Policy,
    escalations: Iterable[Record | Mapping[str, Any] | tuple[Any, Any]],
    *,
    as_of: dt.datetime | str | None = None,
    jobs: int = 1,
) -> Iterator[BatchResult]:
    """Evaluate each escalation under `policy`, yielding a `BatchResult` for each, in order.

    An escalation is `{"id": ..., "events": [...]}`, a pair `(id, events)`, or a record read
    by `read_json_lines` or `read_csv`. One that is refused (a `HistoryError`, or a record
    that could not be read) yields a result with its problems, and the batch goes on.
    `jobs` > 1 evaluates in that many worker processes; the order stays the input's.
    """
    moment = _as_of(as_of)
    return _mapped(_evaluate_one, policy, moment, escalations, jobs)


def evaluate_many_lines(
    policy: Policy,
    escalations: Iterable[Record],
    *,
    as_of: dt.datetime | None = None,
    jobs: int = 1,
) -> Iterator[Lines]:
    """As `evaluate_many`, the results as JSON Lines, the lines of consecutive escalations
    at a time, in order. With `jobs`, each block is made whole in a worker: one piece of
    bytes comes back per block, and the process that reads and writes decodes nothing."""
    return _mapped(_evaluate_one, policy, as_of, escalations, jobs, blocks=True)


def _as_of(value: dt.datetime | str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return aware_time(value)
    except ValueError as error:
        code = getattr(error, "type", "invalid_as_of")
        raise HistoryError([HistoryProblem(code, f"as_of: {error}")]) from None


def _record(item: Record | Mapping[str, Any] | tuple[Any, Any]) -> Record:
    if isinstance(item, Record):
        return item
    if isinstance(item, Mapping):
        return Record(item.get("id"), 0, events=item.get("events"))
    record_id, events = item
    return Record(record_id, 0, events=events)


def _evaluate_one(policy: Policy, as_of: dt.datetime | None, record: Record) -> BatchResult:
    record = record.read()
    line = record.line or None
    if record.problems:
        return BatchResult(record.id, line, None, record.problems)
    try:
        events: Any = record.events  # as read: evaluate says what is wrong with it
        return BatchResult(record.id, line, evaluate(policy, events, as_of=as_of))
    except HistoryError as error:
        return BatchResult(record.id, line, None, error.problems)


@dataclass(frozen=True, slots=True)
class Lines:
    """The results of consecutive escalations as JSON Lines: UTF-8, each line ending in a
    newline, one line an escalation; and how many of them were evaluated and how many refused."""

    text: bytes
    evaluated: int
    refused: int


LINES_AT_ONCE = 64
"""Escalations whose lines are made and written together, in one process."""


def _lines(policy: Policy, as_of: dt.datetime | None, records: Iterable[Record]) -> Lines:
    evaluated = refused = 0
    texts = []
    for record in records:
        outcome = _evaluate_one(policy, as_of, record)
        texts.append(json.dumps(outcome.as_json(), ensure_ascii=False))
        evaluated += outcome.ok
        refused += not outcome.ok
    texts.append("")
    return Lines("\n".join(texts).encode("utf-8"), evaluated, refused)


def _blocks(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while block := list(islice(items, size)):
        yield block


# -- in order, in one process or several ----------------------------------------------------

_worker: tuple[Any, Policy, dt.datetime | None] | None = None


def _start_worker(work: Any, policy: Policy, as_of: dt.datetime | None) -> None:
    # Each worker process receives the policy once, not with every escalation.
    global _worker
    _worker = (work, policy, as_of)
    # A forked worker holds a copy of everything its parent had; left to the collector, each
    # of its collections would walk all of that and write to every page it shares with the
    # parent. Frozen, only the worker's own objects are collected. The worker is ours alone.
    gc.freeze()


def _in_worker(item: Record | tuple[int, bytes]) -> Any:
    assert _worker is not None
    work, policy, as_of = _worker
    return work(policy, as_of, _received(item))


def _lines_in_worker(block: list[Record | tuple[int, bytes]]) -> Lines:
    assert _worker is not None
    _, policy, as_of = _worker
    return _lines(policy, as_of, map(_received, block))


def _received(item: Record | tuple[int, bytes]) -> Record:
    return Record(None, item[0], raw=item[1]) if isinstance(item, tuple) else item


def _sendable(record: Record) -> Record | tuple[int, bytes]:
    """A line not read yet goes to a worker as its number and bytes, which pickle in a
    fraction of the time a `Record` takes: the reading process is one of the busy ones."""
    if record.raw is not None and record.id is None and not record.problems:
        return (record.line, record.raw)
    return record


def _mapped(
    work: Callable[[Policy, dt.datetime | None, Record], Any],
    policy: Policy,
    as_of: dt.datetime | None,
    escalations: Iterable[Any],
    jobs: int,
    *,
    blocks: bool = False,
) -> Iterator[Any]:
    """`work` on each escalation, in order, in this process or in `jobs` workers; with
    `blocks`, the `Lines` of consecutive escalations instead."""
    if jobs < 1:
        raise ValueError(f"jobs is at least 1, not {jobs}")
    records = (_record(item) for item in escalations)
    if jobs > 1:
        return _in_pool(work, policy, as_of, records, jobs, blocks=blocks)
    if blocks:
        return (_lines(policy, as_of, block) for block in _blocks(records, LINES_AT_ONCE))
    return (work(policy, as_of, record) for record in records)


def _in_pool(
    work: Callable[[Policy, dt.datetime | None, Record], Any],
    policy: Policy,
    as_of: dt.datetime | None,
    records: Iterator[Record],
    jobs: int,
    *,
    blocks: bool = False,
) -> Iterator[Any]:
    """`work` on each record in `jobs` worker processes, in order; with `blocks`, the
    `Lines` of each chunk of records instead."""
    import multiprocessing  # here, not at import: most callers never start a worker

    with multiprocessing.get_context().Pool(
        jobs, initializer=_start_worker, initargs=(work, policy, as_of)
    ) as pool:

        def submit() -> Any:
            window = [_sendable(record) for record in islice(records, WINDOW * jobs)]
            if not window:
                return None
            chunk = max(1, len(window) // (jobs * 4))
            if blocks:
                chunks = [window[at : at + chunk] for at in range(0, len(window), chunk)]
                return pool.map_async(_lines_in_worker, chunks, chunksize=1)
            return pool.map_async(_in_worker, window, chunksize=chunk)

        # The next window is being evaluated while this one is handed on: two at most in
        # memory, and the workers never wait for the reader or the writer.
        pending = submit()
        while pending is not None:
            following = submit()
            yield from pending.get()
            pending = following
