"""Fuzzing every entry point that takes outside input: only the library's own errors come out.

Policy YAML text and files (`load_policy_text`, `load_policy`), event JSON and Python event
objects (`history_from_json`, `evaluate` and its `as_of`), and the command line's arguments and
standard input (`cli.run`). Each input is arbitrary, or a valid one spoilt at random; the
only exceptions allowed are `PolicyError` and `HistoryError` (the command line raises
nothing: it answers with an exit code), and every call must finish within a few seconds.

The CI profile runs each fuzz test with ten times the profile's examples; for the long run:

    HYPOTHESIS_PROFILE=thorough python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import signal
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import bundled
from dateutil.parser import isoparse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from escalation_rules import (
    HistoryError,
    Policy,
    PolicyError,
    bundled_policies,
    evaluate,
    history_from_json,
    load_policy,
    load_policy_text,
)
from escalation_rules.cli import run
from escalation_rules.history._events import aware_time
from escalation_rules.policy._yaml_reader import _PURE_ONLY
from escalation_rules.testing import histories, policies

FUZZ = settings(max_examples=settings.default.max_examples * 10)
FUZZ_SLOW = settings(max_examples=settings.default.max_examples * 5)  # a policy takes ~20 ms
SECONDS = 10


class Hang(Exception):
    pass


@contextlib.contextmanager
def no_hang(seconds: int = SECONDS) -> Iterator[None]:
    """Fail, rather than wait for ever, if the body runs longer than `seconds`."""
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
    ):
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def bundled_text(name: str) -> str:
    folder = resources.files("escalation_rules").joinpath("policies")
    return folder.joinpath(f"{name}.yaml").read_text(encoding="utf-8")


# -- inputs, arbitrary or spoilt -------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["2026-12-14T10:00:00+00:00", "0001-01-01T00:30:00+01:00", "raised"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)

YAML_BITS = (
    ":", "- ", "  ", "\t", "&a ", "*a", "!!python/object:os.system ", "!!binary ", "{", "}", "[",
    "]", "'", '"', "#", "yes", "no", "on", "17:00", "1e999", "0o17", "0x1F", "~", "null", "---",
    "...", "%YAML 1.1\n", "\x00", "\ufeff", "\x85", "\u2028", "\r", "\n", "<<: ", "? ", "|",
    ">-", "2026-02-30", "2026-12-14T10:00:00", ".nan", "-.inf", "9" * 5000, "é",
)  # fmt: skip

JSON_BITS = (
    "[", "]", "{", "}", ",", ":", '"', "\\u0000", "\\ud800", "NaN", "Infinity", "-Infinity",
    "1e999", "9" * 5000, "true", "null", "[" * 5000, '"at"', '"type"', '"raised"', "\ufeff",
    '"0001-01-01T00:30:00+01:00"', '"9999-12-31T23:30:00-01:00"', '"2026-12-14T10:00:00"',
)  # fmt: skip


@st.composite
def spoilt(draw: st.DrawFn, text: str, bits: tuple[str, ...]) -> str:
    """`text` with a few random slices deleted, repeated or replaced by tricky fragments."""
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        how = draw(st.sampled_from(("delete", "repeat", "insert", "replace")))
        piece = draw(st.sampled_from(bits) | st.text(max_size=8))
        if how == "delete":
            text = text[:start] + text[end:]
        elif how == "repeat":
            text = text[:end] + text[start:end] + text[end:]
        elif how == "insert":
            text = text[:start] + piece + text[start:]
        else:
            text = text[:start] + piece + text[end:]
    return text


@st.composite
def policy_texts(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(("bundled", "generated", "structure", "text")))
    if kind == "bundled":
        return draw(spoilt(bundled_text(draw(st.sampled_from(bundled_policies()))), YAML_BITS))
    if kind == "generated":
        data = draw(policies()).model_dump(mode="json")
        return draw(spoilt(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), YAML_BITS))
    if kind == "structure":
        return yaml.safe_dump(draw(json_values), allow_unicode=True)
    return draw(st.text())


def check_policy_text(text: str) -> Policy | None:
    with no_hang():
        try:
            return load_policy_text(text, "fuzz.yaml")
        except PolicyError as error:
            assert error.problems
            return None


@FUZZ_SLOW
@given(text=policy_texts())
@example(text="id: x\ntitle: &a t\ndocument: *a\n")
@example(text="a: " + "[" * 10_000)
@example(text="- " * 10_000)
@example(text="calendar:\n  closure_dates: [0001-01-01]\n")
def test_policy_text_raises_only_policy_error(text: str) -> None:
    check_policy_text(text)


@FUZZ
@given(
    raw=st.binary(max_size=2000) | st.text(max_size=200).map(lambda t: t.encode("utf-8", "replace"))
)
@example(raw=b"\xff\xfeid: x\n")
@example(raw=b"id: caf\xe9\n")
def test_policy_file_raises_only_policy_error(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "policy.yaml"
    path.write_bytes(raw)
    with no_hang():
        try:
            load_policy(path)
        except PolicyError as error:
            assert error.problems and error.file == str(path)


# -- histories -------------------------------------------------------------------------------

EXTREMES = (
    dt.datetime.min.replace(tzinfo=dt.UTC),
    dt.datetime.max.replace(tzinfo=dt.UTC),
    dt.datetime(1, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))),
    dt.datetime(9999, 12, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-1))),
    dt.datetime(1999, 12, 31, 23, 59, tzinfo=dt.UTC),
    dt.datetime(2099, 12, 31, 16, 59, tzinfo=dt.UTC),
    dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
)

aware_times = st.sampled_from(EXTREMES) | st.datetimes(
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-23, minutes=-59))])
)
python_values = st.recursive(
    json_values
    | aware_times
    | st.datetimes()
    | st.binary(max_size=10)
    | st.sampled_from(
        [float("nan"), float("inf"), object(), {1, 2}, ("raised",), dt.date(2026, 1, 1)]
    ),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@st.composite
def spoilt_history(draw: st.DrawFn, policy: Policy) -> list[Any]:
    """A valid history with one field of one event set to something arbitrary, or removed."""
    events: list[Any] = draw(histories(policy, max_events=6))
    index = draw(st.integers(0, len(events) - 1))
    event = events[index]
    field = draw(st.sampled_from([*event, "to_stage", "deadline", "action", "extra"]))
    how = draw(st.sampled_from(("set", "delete", "time")))
    if how == "delete":
        event.pop(field, None)
    elif how == "time":
        event[field] = draw(aware_times).isoformat()
    else:
        event[field] = draw(python_values)
    return events


def check_history(policy: Policy, events: Any, as_of: dt.datetime | None = None) -> None:
    with no_hang():
        try:
            evaluate(policy, events, as_of=as_of)
        except HistoryError as error:
            assert error.problems


def parser_events(text: str, loader: Any) -> list[tuple[Any, ...]] | None:
    """What a PyYAML parser makes of `text`, as comparable tuples; None if it refuses it.

    Positions are compared where the reader uses them: at nodes and document starts."""
    placed = (yaml.NodeEvent, yaml.CollectionStartEvent, yaml.DocumentStartEvent)
    try:
        return [
            (
                type(event).__name__,
                getattr(event, "value", None),
                getattr(event, "style", None) or None,
                getattr(event, "tag", None),
                getattr(event, "anchor", None),
                (event.start_mark.line, event.start_mark.column)
                if isinstance(event, placed)
                else None,
            )
            for event in yaml.parse(text, Loader=loader)
        ]
    except (yaml.YAMLError, ValueError, OverflowError):
        return None


@FUZZ
@given(text=policy_texts())
@example(text="title:\tTest partnership\n")
def test_libyaml_reads_only_what_the_pure_parser_reads_alike(text: str) -> None:
    """The strict reader takes libyaml's events where libyaml accepts the text; that is only
    right if the pure parser, whose reading is the contract, would have made the same."""
    if not hasattr(yaml, "CSafeLoader") or _PURE_ONLY.search(text):
        return
    fast = parser_events(text, yaml.CSafeLoader)
    if fast is None or any(e[0] == "ScalarEvent" and e[1] == "" and e[2] is None for e in fast):
        return  # refused by libyaml, or holding an empty value: the pure parser reads it
    assert fast == parser_events(text, yaml.SafeLoader)


@FUZZ
@given(
    as_of=st.none()
    | st.dates()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.datetimes()
    | st.datetimes(timezones=st.timezones())
)
def test_any_as_of_gives_an_answer_or_a_history_error(as_of: Any) -> None:
    events = [{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}]
    with no_hang():
        try:
            evaluate(bundled("newcastle"), events, as_of=as_of)
        except HistoryError as error:
            assert error.problems


@FUZZ
@given(data=st.data())
def test_history_json_raises_only_history_error(data: st.DataObject) -> None:
    policy = bundled(data.draw(st.sampled_from(bundled_policies())))
    kind = data.draw(st.sampled_from(("spoilt text", "spoilt events", "structure", "text")))
    if kind == "spoilt text":
        valid = json.dumps(data.draw(histories(policy, max_events=6)))
        text: str | bytes = data.draw(spoilt(valid, JSON_BITS))
    elif kind == "spoilt events":
        text = json.dumps(data.draw(spoilt_history(policy)), default=str)
    elif kind == "structure":
        text = json.dumps(data.draw(json_values))
    else:
        text = data.draw(st.text() | st.binary())
    with no_hang():
        try:
            events = history_from_json(text)
        except HistoryError as error:
            assert error.problems
            return
    check_history(policy, events)


@FUZZ
@given(data=st.data())
def test_python_events_raise_only_history_error(data: st.DataObject) -> None:
    policy = bundled(data.draw(st.sampled_from(bundled_policies())))
    events = data.draw(spoilt_history(policy) | python_values)
    as_of = data.draw(st.none() | aware_times)
    check_history(policy, events, as_of)


@pytest.mark.parametrize(
    ("events", "as_of"),
    [
        ([{"type": "raised", "at": "0001-01-01T00:30:00+01:00"}], None),
        ([{"type": "raised", "at": "9999-12-31T23:30:00-01:00"}], None),
        ([{"type": "raised", "at": "2099-12-31T16:59:00+00:00"}], None),
        (
            [
                {"type": "raised", "at": "2026-12-14T10:00:00+00:00"},
                {"type": "timescale_agreed", "at": "2026-12-15T10:00:00+00:00",
                 "deadline": "9999-12-31T23:30:00-01:00"},
            ],
            None,
        ),
        ([{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}], EXTREMES[1]),
        ([{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}], EXTREMES[0]),
        ([{"type": [], "at": "2026-12-14T10:00:00+00:00"}], None),
    ],
    ids=[
        "raised_in_year_1", "raised_in_year_9999", "raised_on_the_last_day_of_the_calendar",
        "agreed_deadline_in_year_9999", "as_of_datetime_max", "as_of_datetime_min",
        "type_is_a_list",
    ],
)  # fmt: skip
def test_history_examples(events: list[dict[str, Any]], as_of: dt.datetime | None) -> None:
    """Regressions: times at the ends of what a datetime holds overflowed (OverflowError), and
    a list as an event's type was looked up in a dict (TypeError)."""
    for name in bundled_policies():
        check_history(bundled(name), events, as_of)


@pytest.mark.parametrize(
    "text",
    [
        '[{"type": "raised", "at": "2026-12-14T10:00:00+00:00", "id": ' + "9" * 5000 + "}]",
        "[" * 100_000,
        '[{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}]\x00',
        '[{"type": "raised", "at": "2026-12-14T10:00:00\\udc00"}]',
    ],
    ids=["number_too_long", "nested_too_deep", "nul_after_the_array", "lone_surrogate_in_a_time"],
)
def test_history_json_examples(text: str) -> None:
    """Regressions: a number too long for Python's int escaped as a bare ValueError, and a
    lone surrogate (JSON's \\udc00) in a time as a UnicodeEncodeError."""
    with pytest.raises(HistoryError):
        history_from_json(text)


# -- the command line ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A folder holding a few files the fuzzed arguments may name, as the working directory."""
    folder = tmp_path_factory.mktemp("cli")
    name = bundled_policies()[0]
    (folder / "policy.yaml").write_text(bundled_text(name), encoding="utf-8")
    (folder / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    (folder / "history.json").write_text(
        json.dumps([{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}]), encoding="utf-8"
    )
    (folder / "bad.json").write_bytes(b"\xff[")
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "one.yaml").write_text(
        f"policy: {name}\nnote: n\nsource: s\nevents: []\nexpect: {{}}\n", encoding="utf-8"
    )
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield folder
    finally:
        os.chdir(before)


WORDS = (
    "validate", "evaluate", "schema", "test", "--as-of", "--format", "json", "text", "--policy",
    "--quiet", "-q", "--help", "-h", "-", "policy.yaml", "broken.yaml", "history.json",
    "bad.json", "scenarios", "missing.json", "2026-12-14T10:00:00+00:00", "2026-12-14T10:00:00",
    "0001-01-01T00:30:00+01:00", "--", "--as-of=", "--format=xml", *bundled_policies(),
)  # fmt: skip
# Arbitrary words, but never a path outside the working folder (no "/" and no "..").
words = st.sampled_from(WORDS) | st.text(max_size=12).filter(
    lambda w: "/" not in w and "\\" not in w and ".." not in w and w not in (".", "~")
)


@FUZZ
@given(argv=st.lists(words, max_size=6), stdin=st.text(max_size=200) | st.sampled_from(["[]", "["]))
@example(
    argv=["evaluate", "policy.yaml", "-", "--as-of", "9999-12-31T23:30:00-01:00"],
    stdin='[{"type": "raised", "at": "2026-12-14T10:00:00+00:00"}]',
)
@example(argv=["evaluate", "policy.yaml", "history.json", "--as-of", "2026\udc00"], stdin="")
@example(
    argv=["evaluate", "policy.yaml", "-"],
    stdin='[{"type": "raised", "at": "0001-01-01T00:30:00+01:00"}]',
)
def test_command_line_only_answers_with_an_exit_code(
    workdir: Path, argv: list[str], stdin: str
) -> None:
    out, err = io.StringIO(), io.StringIO()
    with no_hang():
        code = run(argv, out, err, io.StringIO(stdin))
    assert code in (0, 1, 2)
    if code == 2:
        assert err.getvalue()


@given(
    moment=st.datetimes(
        min_value=dt.datetime(1000, 1, 2),
        max_value=dt.datetime(8999, 12, 30),
        timezones=st.sampled_from(
            [
                dt.UTC,
                dt.timezone(dt.timedelta(hours=-8)),
                dt.timezone(dt.timedelta(hours=5, minutes=30)),
            ]
        ),
    ),
    spec=st.sampled_from(["minutes", "seconds", "milliseconds", "microseconds"]),
    zulu=st.booleans(),
)
def test_both_time_readers_read_the_usual_form_alike(
    moment: dt.datetime, spec: str, zulu: bool
) -> None:
    """The usual ISO 8601 form is read by the standard library for speed, the rest by
    dateutil: for every text of the usual form the two give the same time."""
    text = moment.isoformat(timespec=spec)
    if zulu and text.endswith("+00:00"):
        text = text[: -len("+00:00")] + "Z"
    assert aware_time(text) == isoparse(text)
    assert aware_time(text).utcoffset() == isoparse(text).utcoffset()
