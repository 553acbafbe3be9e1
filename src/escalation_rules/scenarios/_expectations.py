"""What a scenario expects of an evaluation, how the two are compared, and the evaluation
written in the same shape, so an author can read what was got beside what was expected."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any

import yaml
from pydantic import Field, StrictBool, StrictInt

from .._model_base import Frozen
from ..evaluation._result import ActionEntry, DueItem, Evaluation, Status, TimelineEntry
from ..history._events import AwareTime
from ..time._calendar import instant

Text = Annotated[str, Field(strict=True, min_length=1, max_length=200)]


class DueExpectation(Frozen):
    """One outstanding item, checked on the fields written."""

    kind: Text | None = None
    id: Text | None = None
    role: Text | None = None
    deadline: AwareTime | None = None
    counted_from: AwareTime | None = None
    overdue: StrictBool | None = None


class TimelineExpectation(Frozen):
    """One stage visited, checked on the fields written."""

    stage: StrictInt | None = None
    route: Text | None = None
    deadline: AwareTime | None = None
    met: StrictBool | None = None


class ActionExpectation(Frozen):
    """One action triggered so far, checked on the fields written."""

    id: Text | None = None
    kind: Text | None = None
    role: Text | None = None
    state: Text | None = None
    deadline: AwareTime | None = None
    met: StrictBool | None = None


class Expectation(Frozen):
    """What the evaluation must say; only the fields written are checked."""

    status: Status | None = None
    pathway: Text | None = None
    stage: StrictInt | None = None
    stage_id: Text | None = None
    responsible_role: Text | None = None
    responsible_title: Text | None = None
    next_role: Text | None = None
    route: Text | None = None
    deadline: AwareTime | None = None
    stage_deadline: AwareTime | None = None
    overdue: StrictBool | None = None
    significant_harm: StrictBool | None = None
    warnings: tuple[Text, ...] | None = None
    due: tuple[DueExpectation, ...] | None = None
    timeline: tuple[TimelineExpectation, ...] | None = None
    actions: tuple[ActionExpectation, ...] | None = None


def actual(result: Evaluation) -> dict[str, Any]:
    """The evaluation in the shape of `expect`, every field filled in, times as ISO text."""
    return {
        "status": result.status,
        "pathway": result.pathway,
        "stage": result.stage.number,
        "stage_id": result.stage.id,
        "responsible_role": result.responsible_role.id,
        "responsible_title": result.responsible_role.title,
        "next_role": result.next_role.id if result.next_role else None,
        "route": result.route,
        "deadline": result.deadline,
        "stage_deadline": result.stage_deadline,
        "overdue": result.overdue,
        "significant_harm": result.significant_harm,
        "warnings": [w.code for w in result.warnings],
        "due": [_due_fields(item) for item in result.due],
        "timeline": [_timeline_fields(item) for item in result.timeline],
        "actions": [_action_fields(item) for item in result.actions],
    }


def mismatches(expect: Expectation, result: Evaluation) -> Iterator[str]:
    """Each way the evaluation differs from what is expected, as a sentence."""
    got = actual(result)
    for name in _SCALARS:
        if name in expect.model_fields_set:
            want = getattr(expect, name)
            have = tuple(got[name]) if name == "warnings" else got[name]
            if not _same(want, have):
                yield f"{name}: expected {show(want)}, got {show(have)}"
    if expect.due is not None:
        yield from _compare_items("due", expect.due, result.due, _due_fields, _due_label)
    if expect.timeline is not None:
        yield from _compare_items(
            "timeline", expect.timeline, result.timeline, _timeline_fields, _timeline_label
        )
    if expect.actions is not None:
        yield from _compare_items(
            "actions", expect.actions, result.actions, _action_fields, _action_label
        )


_SCALARS = (
    "status",
    "pathway",
    "stage",
    "stage_id",
    "responsible_role",
    "responsible_title",
    "next_role",
    "route",
    "deadline",
    "stage_deadline",
    "overdue",
    "significant_harm",
    "warnings",
)


def _due_fields(item: DueItem) -> dict[str, Any]:
    return {
        "kind": item.kind,
        "id": item.id,
        "role": item.role.id,
        "deadline": item.deadline,
        "counted_from": item.counted_from,
        "overdue": item.overdue,
    }


def _timeline_fields(item: TimelineEntry) -> dict[str, Any]:
    return {
        "stage": item.stage.number,
        "route": item.route,
        "deadline": item.deadline,
        "met": item.met,
    }


def _action_fields(item: ActionEntry) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "role": item.role.id,
        "state": item.state,
        "deadline": item.deadline,
        "met": item.met,
    }


def _due_label(values: dict[str, Any]) -> str:
    return f"{values['kind']} {values['id']}"


def _timeline_label(values: dict[str, Any]) -> str:
    return f"stage {values['stage']}"


def _action_label(values: dict[str, Any]) -> str:
    return f"{values['kind']} action {values['id']}"


def _compare_items(
    name: str,
    expected: tuple[Frozen, ...],
    items: tuple[Any, ...],
    fields: Callable[[Any], dict[str, Any]],
    label: Callable[[dict[str, Any]], str],
) -> Iterator[str]:
    got = [fields(item) for item in items]
    if len(expected) != len(got):
        listed = ", ".join(label(values) for values in got)
        yield (
            f"{name}: expected {_count(len(expected))}, got {_count(len(got))}"
            + (f" ({listed})" if listed else "")
        )
        return
    for number, (want, values) in enumerate(zip(expected, got, strict=True), 1):
        for field in sorted(want.model_fields_set):
            if not _same(getattr(want, field), values[field]):
                yield (
                    f"{name} item {number} ({label(values)}): {field}: expected "
                    f"{show(getattr(want, field))}, got {show(values[field])}"
                )


def _count(n: int) -> str:
    return f"{n} item" if n == 1 else f"{n} items"


def _same(expected: Any, got: Any) -> bool:
    if isinstance(expected, dt.datetime) and isinstance(got, dt.datetime):
        # The same instant, whatever zone each is written in; compared in UTC because Python
        # calls two times unequal when either falls in the hour the clocks go back.
        return instant(expected) == instant(got)
    return bool(expected == got and type(expected) is type(got))


def show(value: Any) -> str:
    """A value as a scenario file writes it."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(show(v) for v in value) + "]"
    return repr(value) if isinstance(value, str) else str(value)


def written(result: Evaluation, fields: Iterable[str] | None = None) -> str:
    """The evaluation as the `expect:` block of a scenario file would write it, for an author
    to read beside their own, or to copy once checked by hand against the document.

    `fields`, if given, limits it to those fields of `expect`.
    """
    values = actual(result)
    if fields is not None:
        keep = set(fields)
        values = {k: v for k, v in values.items() if k in keep}
    return yaml_text(as_text(values))


def yaml_text(value: Any) -> str:
    """Plain data as a scenario file would write it: in the order given, each item of a list
    on one line."""
    return yaml.safe_dump(
        value, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000
    )


def as_text(value: Any) -> Any:
    """Plain YAML data, with each time written as ISO text with its offset."""
    if isinstance(value, dict):
        return {k: as_text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [as_text(v) for v in value]
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value
