"""A strict YAML reader for policy files, with the line and column of every value.

Policy authors are not programmers, so the reader refuses what would surprise them rather
than guess. The data is built here from PyYAML's event stream (the pure-Python parser, which
is a state machine and never recurses), so PyYAML's YAML 1.1 resolver never sees it:

- plain scalars are read by the YAML 1.2 core schema (`17:00` stays text, where YAML 1.1
  makes it the number 1020), plus `YYYY-MM-DD` dates and full timestamps; the YAML 1.1 words
  `yes`, `no`, `on`, `off` are refused, because they mean true or false to other readers;
- quoted and block scalars are always text, and so are mapping keys;
- anchors and aliases are refused (an alias can expand a few hundred bytes into gigabytes),
  as are tags other than the standard ones, duplicate keys, keys that are not plain values,
  and more than one document;
- size, depth and the number of values are checked as the events arrive, before anything
  can run out of memory or stack.

Problems are collected, not raised: the loader decides what to do with them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

import yaml
from yaml.reader import ReaderError

from .._errors import PolicyProblem
from .._text import excerpt
from ._yaml_scalars import (
    KIND_OF_TAG,
    MAP,
    NUMBER_TAGS,
    SCALAR_TAGS,
    SEQ,
    STANDARD_TAGS,
    YAML11_BOOLEANS,
    number_refusal,
    resolve_plain,
    tagged,
    written_tag,
)
from ._yaml_syntax import Position, syntax_message

__all__ = ["MAX_BYTES", "MAX_DEPTH", "MAX_EVENTS", "Path", "Position", "YamlDocument", "read_yaml"]

Path = tuple[str | int, ...]
"""A 1-based (line, column)."""

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_EVENTS = 100_000


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """What was read: the data, where each part of it is written, and what was wrong."""

    data: object
    values: Mapping[Path, Position]
    """Where each value starts, by its path (keys and list indexes from the top)."""
    keys: Mapping[Path, Position]
    """Where each mapping key is written, by the path of the value it names."""
    texts: Mapping[Path, str]
    """The words as written, for plain values YAML read as a number, date, true/false or null."""
    problems: tuple[PolicyProblem, ...]


def read_yaml(text: str, file: str) -> YamlDocument:
    """Read one YAML document strictly; never raises for anything in `text`."""
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        builder = _Builder(file)
        builder.report("too_large", _TOO_LARGE, None)
        return builder.document()
    fast_error: yaml.MarkedYAMLError | None = None
    if _FAST_LOADER is not None and not _PURE_ONLY.search(text):
        # libyaml gives the same events twenty times faster; where it refuses the text, the
        # pure-Python parser reads it again, so what is accepted and every message about what
        # is wrong are the pure parser's alone.
        builder = _Builder(file)
        try:
            for event in yaml.parse(text, Loader=_FAST_LOADER):
                if isinstance(event, yaml.ScalarEvent) and not event.style:
                    if event.value == "":
                        break  # an empty value: libyaml places it elsewhere; read it purely
                    event.style = None  # libyaml's plain style; the pure parser says None
                if not builder.feed(event):
                    return builder.document()
            else:
                return builder.document()
        except yaml.MarkedYAMLError as error:
            fast_error = error
        except (yaml.YAMLError, ValueError, OverflowError):
            pass
    builder = _Builder(file)
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if not builder.feed(event):
                break
    except yaml.MarkedYAMLError as error:
        builder.syntax_error(error)
    except ReaderError as error:
        builder.bad_character(error, text)
    except (ValueError, OverflowError):
        # The pure scanner fails this way on an escape such as "\UFFFFFFFF" that names no
        # character; libyaml, above, said where it is.
        builder.bad_escape(fast_error)
    return builder.document()


_FAST_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
# Where libyaml and the pure parser are known to read differently (libyaml allows a tab after
# `key:`, and takes other line breaks and a byte-order mark its own way), only the pure one reads.
_PURE_ONLY = re.compile("[\t\x85\u2028\u2029\ufeff\ud800-\udfff]")


_TOO_LARGE = (
    f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB, far more than any policy "
    "needs; check that this is the policy file"
)


class _Mark(Protocol):
    line: int
    column: int


def _position(mark: _Mark | None) -> Position:
    # Every event of the pure-Python parser has a mark; the types allow for one without.
    return (1, 1) if mark is None else (mark.line + 1, mark.column + 1)


def _child(path: Path | None, part: str | int) -> Path | None:
    return None if path is None else (*path, part)


@dataclass(slots=True)
class _Frame:
    """An open mapping or sequence. `path` is None when its contents are being discarded
    (a mapping used as a key, or the value of a key that was refused)."""

    container: dict[str, object] | list[object]
    path: Path | None
    is_key: bool = False
    # Mappings only: whether the next node is a value, and the key it goes under (None:
    # the key was refused, so the value is read for its problems and then dropped).
    awaiting_value: bool = False
    key: str | None = None
    seen: dict[str, Position] = field(default_factory=dict)


class _Builder:
    """Turns events into data and positions, one event at a time, without recursion."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.stack: list[_Frame] = []
        self.root: object = None
        self.documents = 0
        self.events = 0
        self.values: dict[Path, Position] = {}
        self.keys: dict[Path, Position] = {}
        self.texts: dict[Path, str] = {}
        self.problems: list[PolicyProblem] = []

    def document(self) -> YamlDocument:
        return YamlDocument(self.root, self.values, self.keys, self.texts, tuple(self.problems))

    def report(self, code: str, message: str, at: Position | None, path: Path | None = ()) -> None:
        line, column = at if at is not None else (None, None)
        self.problems.append(PolicyProblem(code, message, self.file, line, column, path or ()))

    def feed(self, event: yaml.Event) -> bool:
        """Take one event; False once reading must stop."""
        self.events += 1
        if self.events > MAX_EVENTS:
            self.report(
                "too_many_values",
                f"the file has more than {MAX_EVENTS:,} values, far more than any policy "
                "needs; check that this is the policy file",
                _position(event.start_mark),
            )
            return False
        match event:
            case yaml.ScalarEvent():
                return self.on_scalar(event)
            case yaml.MappingStartEvent() | yaml.SequenceStartEvent():
                return self.on_collection_start(event)
            case yaml.MappingEndEvent() | yaml.SequenceEndEvent():
                return self.on_collection_end()
            case yaml.AliasEvent():
                return self.on_alias(event)
            case yaml.DocumentStartEvent():
                return self.on_document_start(event)
            case yaml.StreamEndEvent():
                return self.on_stream_end()
        return True

    # Where the next node goes.

    def _slot(self) -> tuple[Path | None, bool]:
        """The path of the next node (None: discarded), and whether it is a mapping key."""
        if not self.stack:
            return (), False
        top = self.stack[-1]
        if isinstance(top.container, list):
            return _child(top.path, len(top.container)), False
        if not top.awaiting_value:
            return None, True
        return (_child(top.path, top.key) if top.key is not None else None), False

    def _attach(self, value: object) -> None:
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        if top.key is not None:
            top.container[top.key] = value
        top.key, top.awaiting_value = None, False

    def _expect_value(self, key: str | None) -> None:
        """A key has been read; None: it was refused, so its value will be dropped."""
        top = self.stack[-1]
        top.key, top.awaiting_value = key, True

    # Events.

    def on_document_start(self, event: yaml.DocumentStartEvent) -> bool:
        self.documents += 1
        if self.documents == 1:
            return True
        self.report(
            "multiple_documents",
            "a second YAML document starts here; a policy file holds one document, so "
            "remove this '---' line and everything after it, or move it to its own file",
            _position(event.start_mark),
        )
        return False

    def on_stream_end(self) -> bool:
        if self.documents == 0:
            self._empty_file()
        return True

    def _empty_file(self) -> None:
        self.report(
            "empty_file",
            "the file is empty; a policy starts with its fields, such as `id:`, `title:` "
            "and `document:`",
            (1, 1),
        )

    def on_alias(self, event: yaml.AliasEvent) -> bool:
        path, is_key = self._slot()
        self.report(
            "yaml_alias",
            f"`*{excerpt(event.anchor or '')}` repeats a value written elsewhere; YAML aliases "
            "are not allowed in a policy; write the value out in full here",
            _position(event.start_mark),
            path,
        )
        if is_key:
            self._expect_value(None)
        else:
            self._attach(None)
        return True

    def on_scalar(self, event: yaml.ScalarEvent) -> bool:
        path, is_key = self._slot()
        self._check_anchor(event, path)
        if is_key:
            self._key(event)
            return True
        if not self.stack and event.value == "" and event.style is None and event.tag is None:
            self._empty_file()
        at = _position(event.start_mark)
        value = self._scalar_value(event, at, path)
        if path is not None:
            self.values[path] = at
        self._attach(value)
        return True

    def _key(self, event: yaml.ScalarEvent) -> None:
        top = self.stack[-1]
        at = _position(event.start_mark)
        if event.tag is not None and event.tag not in SCALAR_TAGS:
            self._bad_tag(event.tag, at, top.path)
        name = event.value
        if name == "" and event.style is None:
            self.report(
                "empty_key",
                "a field name is missing before ':'; write it as `name: value`",
                at,
                top.path,
            )
            name_accepted = None
        elif name in top.seen:
            line, column = top.seen[name]
            self.report(
                "duplicate_key",
                f"`{excerpt(name)}` is written twice in this mapping (first at line {line}, column "
                f"{column}); keep only one of them",
                at,
                _child(top.path, name),
            )
            name_accepted = None
        else:
            top.seen[name] = at
            name_accepted = name
            if top.path is not None:
                self.keys[(*top.path, name)] = at
        self._expect_value(name_accepted)

    def _scalar_value(self, event: yaml.ScalarEvent, at: Position, path: Path | None) -> object:
        text = event.value
        if event.tag is not None:
            return self._tagged_value(event.tag, text, at, path)
        if event.style is not None:
            return text
        if text in YAML11_BOOLEANS:
            meant = "true" if text.lower() in ("yes", "on") else "false"
            self.report(
                "yaml11_boolean",
                f"YAML 1.1 reads `{text}` as {meant}; write {meant}, or put the word in "
                f'quotes if you mean text: "{text}"',
                at,
                path,
            )
            return text
        if (refusal := number_refusal(text)) is not None:
            self.report(*refusal, at, path)
            return text
        value = resolve_plain(text)
        if not isinstance(value, str) and path is not None:
            self.texts[path] = text
        return value

    def _tagged_value(self, tag: str, text: str, at: Position, path: Path | None) -> object:
        if tag in (SEQ, MAP):
            self._wrong_kind_tag(tag, "single value", at, path)
            return text
        if tag not in SCALAR_TAGS:
            self._bad_tag(tag, at, path)
            return text
        if tag in NUMBER_TAGS and (refusal := number_refusal(text)) is not None:
            self.report(*refusal, at, path)
            return text
        fits, value = tagged(tag, text)
        if not fits:
            self.report(
                "yaml_tag",
                f"'{excerpt(text)}' cannot be read as {written_tag(tag)}; remove "
                f"{written_tag(tag)} or correct the value",
                at,
                path,
            )
            return text
        return value

    def _wrong_kind_tag(self, tag: str, actual: str, at: Position, path: Path | None) -> None:
        self.report(
            "yaml_tag",
            f"{written_tag(tag)} marks a {KIND_OF_TAG[tag]}, but this is a {actual}; "
            f"remove {written_tag(tag)}",
            at,
            path,
        )

    def _bad_tag(self, tag: str, at: Position, path: Path | None) -> None:
        self.report(
            "yaml_tag",
            f"the YAML tag {written_tag(tag)} is not allowed in a policy; remove it (the "
            f"only tags allowed are {STANDARD_TAGS}, and none is needed)",
            at,
            path,
        )

    def _check_anchor(self, event: yaml.NodeEvent, path: Path | None) -> None:
        if event.anchor is not None:
            self.report(
                "yaml_anchor",
                f"`&{excerpt(event.anchor or '')}` names this value for reuse; YAML anchors and "
                "aliases are not allowed in a policy; remove it and write the value out in full "
                "wherever it is needed",
                _position(event.start_mark),
                path,
            )

    def on_collection_start(self, event: yaml.MappingStartEvent | yaml.SequenceStartEvent) -> bool:
        container: dict[str, object] | list[object] = (
            {} if isinstance(event, yaml.MappingStartEvent) else []
        )
        expected_tag = MAP if isinstance(container, dict) else SEQ
        at = _position(event.start_mark)
        path, is_key = self._slot()
        if len(self.stack) >= MAX_DEPTH:
            self.report(
                "too_deep",
                f"lists and mappings are nested more than {MAX_DEPTH} deep here; a policy "
                "needs far fewer; check the brackets and indentation",
                at,
                path,
            )
            return False
        self._check_anchor(event, path)
        if event.tag in (SEQ, MAP) and event.tag != expected_tag:
            self._wrong_kind_tag(event.tag, KIND_OF_TAG[expected_tag], at, path)
        elif event.tag is not None and event.tag != expected_tag:
            self._bad_tag(event.tag, at, path)
        if is_key:
            self.report(
                "non_scalar_key",
                "a list or mapping is used as a field name; a field name is a single word, "
                "written as `name: value`",
                at,
                self.stack[-1].path,
            )
            self.stack.append(_Frame(container, None, is_key=True))
            return True
        if path is not None:
            self.values[path] = at
        self._attach(container)
        self.stack.append(_Frame(container, path))
        return True

    def on_collection_end(self) -> bool:
        frame = self.stack.pop()
        if frame.is_key:
            self._expect_value(None)
        return True

    # Errors that stop the reading.

    def syntax_error(self, error: yaml.MarkedYAMLError) -> None:
        mark = error.problem_mark or error.context_mark
        message, line_start = syntax_message(mark, error.context, error.problem)
        where = line_start or (_position(mark) if mark is not None else None)
        self.report("yaml_syntax", message, where)

    def bad_escape(self, located: yaml.MarkedYAMLError | None) -> None:
        mark = located.problem_mark if located is not None else None
        self.report(
            "yaml_syntax",
            "this is not valid YAML (an escape such as \\U0001F600 in a quoted value names no "
            "Unicode character); correct the escape, or write the character itself",
            _position(mark) if mark is not None else None,
        )

    def bad_character(self, error: ReaderError, text: str) -> None:
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        code = error.character if isinstance(error.character, int) else ord(error.character)
        self.report(
            "bad_character",
            f"the file contains the control character U+{code:04X}, which YAML does not "
            "allow; delete it (it is invisible in most editors: retype the line)",
            (line, column),
        )
