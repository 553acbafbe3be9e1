"""Reading many escalations from one file, one at a time: JSON Lines or a CSV of flat events.

Each reader yields a `Record` per escalation, in the order of the file, holding the events or
the problem that kept them from being read: a bad line is a record of its own, never the end
of the batch. Only one escalation is held at a time, so a file of any length reads in the
same memory.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from .._errors import HistoryError, HistoryProblem
from .._text import excerpt
from ..history._json import strict_json

MAX_LINE_BYTES = 16 * 1024 * 1024
"""The longest line of JSON Lines read: the largest history file `evaluate` reads."""

ID_COLUMN = "escalation_id"


@dataclass(frozen=True, slots=True)
class Record:
    """One escalation as read: its id (None where it could not be read), the line it starts
    on, and its events, or the problems that kept them from being read."""

    id: Any
    line: int
    events: list[Any] | None = None
    problems: tuple[HistoryProblem, ...] = ()
    raw: bytes | None = None
    """A JSON line not read yet: it is read where it is evaluated, in a worker with `jobs`,
    so that the process reading the file only splits it into lines."""

    def read(self) -> Record:
        """The record with its line read (itself, if there is nothing to read)."""
        return self if self.raw is None else _json_record(self.raw, self.line)


def read_json_lines(stream: IO[bytes]) -> Iterator[Record]:
    """Records from JSON Lines: one object a line, `{"id": ..., "events": [...]}`. Blank
    lines are skipped."""
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            _skip_rest_of_line(stream)
            yield _refused(
                None,
                number,
                "line_too_long",
                f"a line is at most {MAX_LINE_BYTES // (1024 * 1024)} MiB",
            )
            continue
        if not raw.strip():
            continue
        yield Record(None, number, raw=raw)


def _skip_rest_of_line(stream: IO[bytes]) -> None:
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        if not chunk or chunk.endswith(b"\n"):
            return


def _json_record(raw: bytes, number: int) -> Record:
    try:
        value = strict_json(raw, wrappers=1)
    except HistoryError as error:
        return Record(None, number, problems=error.problems)
    if not isinstance(value, dict):
        return _refused(
            None,
            number,
            "record_not_an_object",
            'each line is an object: {"id": ..., "events": [...]}',
        )
    record_id = value.get("id")
    unknown = sorted(set(value) - {"id", "events"})
    if unknown:
        names = ", ".join(repr(excerpt(str(k))) for k in unknown)
        return _refused(
            record_id, number, "unknown_field", f"a line has only `id` and `events`, not {names}"
        )
    if record_id is None or isinstance(record_id, (bool, dict, list, float)):
        return _refused(
            record_id if isinstance(record_id, str) else None,
            number,
            "missing_id",
            "each line needs an `id`: text or a whole number",
        )
    if "events" not in value:
        return _refused(record_id, number, "missing_field", "each line needs its `events`")
    return Record(record_id, number, events=value["events"])


def read_csv(stream: IO[bytes]) -> Iterator[Record]:
    """Records from a CSV of flat events, one event a row, with a header row.

    The column `escalation_id` says which escalation a row belongs to; the rows of one
    escalation come together (a file sorted or grouped by it), in any order of time. Rows of
    one id that come back after another id's are a record of their own: reading does not keep
    every id it has seen, so that a file of any length reads in the same memory.

    Every other column is a field of the event (`type`, `at`, `to_stage`, `agency`, ...), a
    named date as `dates.NAME`; an empty cell is a field left out. A `to_stage` of digits is
    a stage number.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        yield from _csv_records(csv.reader(text))
    finally:
        text.detach()  # the stream is the caller's to close


def _csv_records(reader: Any) -> Iterator[Record]:
    try:
        header = next(reader)
    except StopIteration:
        return
    except (csv.Error, UnicodeDecodeError) as error:
        yield _refused(None, 1, "invalid_csv", f"the header row cannot be read: {error}")
        return
    if ID_COLUMN not in header:
        yield _refused(
            None,
            1,
            "missing_id_column",
            f"the header row has no `{ID_COLUMN}` column; add one, naming which "
            "escalation each row belongs to",
        )
        return
    id_at = header.index(ID_COLUMN)
    current: str | None = None
    start = 0
    events: list[Any] = []
    problems: list[HistoryProblem] = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except (csv.Error, UnicodeDecodeError) as error:
            # The row is lost, so its escalation cannot be evaluated: it becomes an error
            # record rather than a history with an event silently missing.
            problems.append(HistoryProblem("invalid_csv", f"row {reader.line_num}: {error}"))
            if current is None:
                yield Record(None, reader.line_num, problems=tuple(problems))
                problems = []
            continue
        if not any(cell.strip() for cell in row):
            continue
        escalation = row[id_at] if id_at < len(row) else ""
        if escalation != current:
            if current is not None:
                yield _gathered(current, start, events, problems)
            current, start, events, problems = escalation, reader.line_num, [], []
        events.append(_event(header, row, id_at))
    if current is not None:
        yield _gathered(current, start, events, problems)


def _gathered(
    record_id: str, line: int, events: list[Any], problems: list[HistoryProblem]
) -> Record:
    if problems:
        return Record(record_id, line, problems=tuple(problems))
    return Record(record_id, line, events=events)


def _event(header: list[str], row: list[str], id_at: int) -> dict[str, Any]:
    event: dict[str, Any] = {}
    for column, (name, cell) in enumerate(zip(header, row, strict=False)):
        if column == id_at or cell == "":
            continue
        if name.startswith("dates."):
            event.setdefault("dates", {})[name[len("dates.") :]] = cell
        elif name == "to_stage" and cell.isdigit():
            event[name] = int(cell)
        else:
            event[name] = cell
    if len(row) > len(header):
        event["(a cell past the last column)"] = row[len(header)]
    return event


def _refused(record_id: Any, line: int, code: str, message: str) -> Record:
    return Record(record_id, line, problems=(HistoryProblem(code, message),))
