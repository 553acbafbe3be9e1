"""`explain`: the story of an escalation in sentences a manager can read.

What happened when and by whom, with the paragraph each step applied; how each deadline was
counted, naming the weekend days, bank holidays and closures a count of working days passed
over; what is due now, from whom, by when, and what the document says happens if it is
missed. It is told from the evaluation and the fold's final state, and reads no clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .._phrase import text_of
from .._text import printable
from ..history._events import Event
from ..policy._model import Policy
from ..time._calendar import WorkingCalendar, instant
from ..time._deadlines import passed_over
from ..time._words import clock, long_date
from ._evaluator import evaluate_with_state
from ._result import DueItem, Evaluation
from ._state import ActionState, Context, State, Visit, stage_label


def explain(
    policy: Policy,
    events: Iterable[Event | Mapping[str, Any]],
    as_of: dt.datetime | str | None = None,
) -> str:
    """The story of an escalation under `policy`, as plain text; `events` and `as_of` as for
    `evaluate`, which raises `HistoryError` for a history it refuses."""
    result, state = evaluate_with_state(policy, events, as_of)
    return tell(policy, result, state)


def tell(policy: Policy, result: Evaluation, state: State) -> str:
    """The story, one statement a line. Each line is made printable on its own, so that a note
    holding a line break or a terminal escape can never forge a line of the story."""
    calendar = policy.working_calendar
    word = policy.words.stage.lower()
    lines = [
        *_heading(policy, result, calendar),
        "",
        "What happened",
        *_happened(result, calendar),
        "",
        "How each deadline was counted",
        *_counted(policy, result, state, calendar),
        "",
        "What is due now",
        *_due(result, calendar, stage_label(state.pathway, result.stage.number, word)),
        *_assumed(result),
    ]
    return "\n".join(printable(line) for line in lines) + "\n"


def when(moment: dt.datetime, calendar: WorkingCalendar) -> str:
    """A moment as a manager reads it: `Monday 21 December 2026 at 17:00 GMT`."""
    local = moment.astimezone(calendar.timezone)
    return f"{long_date(local)} at {clock(local)}"


def _day(day: dt.date) -> str:
    return long_date(day)


def _heading(policy: Policy, result: Evaluation, calendar: WorkingCalendar) -> list[str]:
    pathway = policy.pathway(result.pathway)
    version = f", version {policy.version}" if policy.version else ""
    lines = [
        f"{policy.title}: {pathway.title if pathway else result.pathway}",
        f"Policy {policy.id}{version}, encoding {policy.document!r}.",
    ]
    if result.as_of is None:
        lines.append(
            "No time was given to judge it at (--as-of), so every event counts and nothing is "
            "judged overdue or in time."
        )
    else:
        lines.append(f"As it stood on {when(result.as_of, calendar)}.")
    stage = f"{policy.words.stage.lower()} {result.stage.number} ({result.stage.title})"
    if result.status == "open":
        lines.append(f"It is open, at {stage}, held by {result.responsible_role.title}.")
    else:
        ended = result.status.replace("_", " ")
        lines.append(f"It ended at {stage}: {ended}.")
    return lines


def _happened(result: Evaluation, calendar: WorkingCalendar) -> Iterator[str]:
    for step in result.explanation:
        by = f" By {step.by}." if step.by else ""
        note = f" Note: {step.note!r}." if step.note else ""
        text = _sentence(step.text)
        yield f"- {when(step.at, calendar)}: {text}{by}{note} (paragraph {step.source})"


def _counted(
    policy: Policy, result: Evaluation, state: State, calendar: WorkingCalendar
) -> Iterator[str]:
    pathway = state.pathway
    stage_word = policy.words.stage.lower()
    ctx = Context(policy, policy.working_calendar, policy.roles_by_id)
    for visit in state.visits:
        label = stage_label(pathway, visit.number, stage_word)
        responsible = pathway.step(visit.number).holder(visit.route).responsible
        what = f"{label[0].upper()}{label[1:]}, held by {state.role_title(ctx, responsible)}"
        line = _deadline_line(what, visit, calendar)
        if visit.left_at is not None:
            line += f" Left on {when(visit.left_at, calendar)}{_in_time(visit.left_at, visit)}."
        yield f"{line} (paragraph {visit.source})"
    for item in state.actions:
        kind = "agreed" if item.agreed else "required"
        role = state.role_title(ctx, item.role_id)
        what = f"The {kind} action {item.action.title!r}, for {role}"
        line = _deadline_line(what, item, calendar)
        if item.done_at is not None:
            line += f" Done on {when(item.done_at, calendar)}{_in_time(item.done_at, item)}."
        elif item.lapsed_at is not None:
            line += f" No longer owed from {when(item.lapsed_at, calendar)}, by the policy's rule."
        yield f"{line} (paragraph {item.action.source})"


def _in_time(moment: dt.datetime, item: Visit | ActionState) -> str:
    if item.deadline is None:
        return ""
    return ", in time" if instant(moment) <= instant(item.deadline) else ", after the deadline"


def _sentence(text: str) -> str:
    """The text ended with one full stop, also where it ends with a quoted sentence."""
    return text if text.endswith((".", ".'", '."')) else text + "."


def _deadline_line(what: str, item: Visit | ActionState, calendar: WorkingCalendar) -> str:
    if item.deadline is None:
        return f"- {what}: {_sentence(text_of(item.why))}"
    why = _sentence(text_of(item.why))
    line = f"- {what}: due by {when(item.deadline, calendar)}; {why}"
    if item.working_days and item.counted_from is not None:
        skipped = passed_over(calendar, item.counted_from, item.deadline)
        if skipped:
            line += (
                " Not counted, as they are not working days: "
                + _listed(f"{_day(day)} ({_reason(calendar, day)})" for day in skipped)
                + "."
            )
        else:
            line += " No weekend day, bank holiday or closure fell in between."
    return line


def _reason(calendar: WorkingCalendar, day: dt.date) -> str:
    why = calendar.why_not_working(day) or ""
    if why.startswith("not in the working week"):
        return "weekend" if day.weekday() >= 5 else "not a working day of the week"
    return why


def _listed(items: Iterable[str]) -> str:
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _due(result: Evaluation, calendar: WorkingCalendar, stage: str) -> Iterator[str]:
    if not result.due:
        yield f"- Nothing: the escalation ended ({result.status.replace('_', ' ')})."
        return
    for item in result.due:
        yield _due_line(item, result, calendar, stage)


def _due_line(item: DueItem, result: Evaluation, calendar: WorkingCalendar, stage: str) -> str:
    """One item due; `stage` is the current stage as the story names it."""
    if item.kind == "stage":
        what = f"{item.role.title} must bring {stage} to an outcome"
    else:
        what = f"{item.role.title} must {_lower_first(item.title)}"
    if item.deadline is None:
        line = f"- {what}; the document sets no deadline."
    else:
        line = f"- {what} by {when(item.deadline, calendar)}."
        if item.overdue is True:
            assert result.as_of is not None
            line += f" It is overdue: {_late_by(item.deadline, result.as_of)} late."
        elif item.overdue is False:
            line += " It is not overdue."
    if item.if_missed:
        line += f" If it is missed, the document says: {item.if_missed!r}."
    return f"{line} (paragraph {item.source})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _late_by(deadline: dt.datetime, as_of: dt.datetime) -> str:
    minutes = int((instant(as_of) - instant(deadline)).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return _listed(words) if words else "less than a minute"


def _assumed(result: Evaluation) -> list[str]:
    if not result.warnings:
        return []
    return ["", "What was assumed", *(f"- {w.message}." for w in result.warnings)]
