"""Properties of the policy's rules: stages, significant harm, and where deadlines fall.

Deadlines are checked against a working-day calendar computed here, independently of the
library's `_calendar` and `_deadlines`: the `holidays` package and plain date stepping, from
the policy's calendar settings and the time rules of docs/time-rules.md. Instants are compared
in UTC (Python compares two times of one zone on the wall clock, ignoring `fold`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any, overload
from zoneinfo import ZoneInfo

import holidays
from hypothesis import given
from hypothesis import strategies as st

from escalation_rules import Policy, evaluate, load_policy_text
from escalation_rules.policy._model import CalendarSpec, Pathway
from escalation_rules.testing import histories

DAY = dt.timedelta(days=1)
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TERMINAL = ("resolved", "resolved_with_dissent", "withdrawn")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@overload
def utc(moment: dt.datetime) -> dt.datetime: ...
@overload
def utc(moment: None) -> None: ...
def utc(moment: dt.datetime | None) -> dt.datetime | None:
    return None if moment is None else moment.astimezone(dt.UTC)


# -- an independent working-day calendar ----------------------------------------------------


@functools.cache
def bank_holidays(country: str, subdivision: str | None) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision)  # fills in years as asked


@dataclass(frozen=True)
class Calendar:
    spec: CalendarSpec

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.spec.timezone)

    def working(self, day: dt.date) -> bool:
        spec = self.spec
        return (
            WEEK[day.weekday()] in spec.working_week
            and day not in bank_holidays(spec.bank_holidays.country, spec.bank_holidays.subdivision)
            and day not in spec.closure_dates
        )

    def date_of(self, moment: dt.datetime) -> dt.date:
        return moment.astimezone(self.zone).date()

    def close(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.spec.close_of_business, tzinfo=self.zone)

    def nth_working_day_after(self, day: dt.date, n: int) -> dt.date:
        while n:
            day += DAY
            n -= self.working(day)
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days strictly after `start`, up to and including `end`."""
        count, day = 0, start
        while day < end:
            day += DAY
            count += self.working(day)
        return count


@dataclass(frozen=True)
class Due:
    """An expected deadline, and the rule and moment it came from."""

    at: dt.datetime | None
    kind: str
    start: dt.datetime
    days: int = 0


def expected_deadline(cal: Calendar, timescale: Any, start: dt.datetime) -> Due:
    kind = timescale.kind
    day = cal.date_of(start)
    if kind == "working_days":
        moment = cal.close(cal.nth_working_day_after(day, timescale.days))
        return Due(moment, kind, start, timescale.days)
    if kind == "same_working_day":
        if cal.working(day) and utc(start) < utc(cal.close(day)):
            return Due(cal.close(day), kind, start, 0)
        return Due(cal.close(cal.nth_working_day_after(day, 1)), kind, start, 1)
    if kind == "hours":
        return Due(utc(start) + dt.timedelta(hours=timescale.hours), kind, start)
    if kind == "calendar_days":
        return Due(cal.close(day + dt.timedelta(days=timescale.days)), kind, start)
    if kind == "immediately":
        return Due(start, kind, start)
    return Due(None, kind, start)


def assert_working_day_rule(cal: Calendar, got: dt.datetime | None, due: Due) -> None:
    """A working-day or same-working-day deadline: on a working day, at close of business,
    never before the moment it counts from, and exactly N working days after it."""
    if due.kind not in ("working_days", "same_working_day"):
        return
    assert got is not None
    day = cal.date_of(got)
    assert cal.working(day), f"{got} is not a working day"
    assert utc(got) == utc(cal.close(day)), f"{got} is not close of business"
    assert utc(got) >= utc(due.start)
    assert cal.working_days_between(cal.date_of(due.start), day) == due.days or (
        due.kind == "same_working_day" and due.days == 0 and day == cal.date_of(due.start)
    )


# -- what the evaluator should say, worked out from the policy and docs/time-rules.md --------


@dataclass
class Visit:
    number: int
    route: str | None
    entered: dt.datetime
    left: dt.datetime | None
    due: Due


@dataclass
class Action:
    due: Due
    stage: int
    lapses: str
    done: dt.datetime | None = None
    lapsed: dt.datetime | None = None


@dataclass
class Model:
    """The course of a valid history by the rules of docs/time-rules.md, with expected deadlines."""

    policy: Policy
    pathway: Pathway
    raised: dt.datetime
    dates: dict[str, dt.datetime]
    visits: list[Visit]
    actions: dict[str, Action]
    status: str = "open"

    @property
    def cal(self) -> Calendar:
        return Calendar(self.policy.calendar)

    def deadline(self, timescale: Any, entered: dt.datetime, number: int) -> Due:
        """docs/time-rules.md, "Where a clock starts": entry (or trigger), the raise, a named date
        given on the raise (else the raise), or entering a named earlier stage (or one after
        it)."""
        start = entered
        if timescale.counts_from == "raised":
            start = self.raised
        elif timescale.counts_from == "date":
            start = self.dates.get(timescale.from_date, self.raised)
        elif timescale.counts_from == "stage":
            target = self.pathway.number_of(timescale.from_stage)
            assert target is not None
            reached = [v.entered for v in self.visits if v.number >= target]
            start = reached[0] if reached else entered
        return expected_deadline(self.cal, timescale, start)

    def leave(self, moment: dt.datetime, ending: bool) -> None:
        left = self.visits[-1]
        left.left = moment
        for action in self.actions.values():
            if (
                action.done is None
                and action.lapsed is None
                and (
                    (action.lapses == "on_leaving_stage" and action.stage == left.number)
                    or (ending and action.lapses == "on_end")
                )
            ):
                action.lapsed = moment

    def enter(self, number: int, moment: dt.datetime, route: str | None = None) -> None:
        if self.visits:
            self.leave(moment, ending=False)
        step = self.pathway.step(number)
        chosen = next((r for r in step.routes if r.id == route), None)
        if chosen is None and step.routes:
            chosen = step.routes[0]
        timescale = chosen.timescale if chosen is not None else step.timescale
        self.visits.append(
            Visit(
                number,
                chosen.id if chosen else None,
                moment,
                None,
                self.deadline(timescale, moment, number),
            )
        )
        for action in self.pathway.actions:
            target = self.pathway.number_of(action.stage or "")
            if (action.when == "reaching_stage" and target is not None and target <= number) or (
                action.when == "entering_stage" and target == number
            ):
                self.trigger(action, moment)

    def trigger(self, action: Any, moment: dt.datetime) -> None:
        if action.id not in self.actions:
            number = self.visits[-1].number
            due = self.deadline(action.timescale, moment, number)
            self.actions[action.id] = Action(due, number, action.lapses)

    def number(self, ref: int | str) -> int:
        number = ref if isinstance(ref, int) else self.pathway.number_of(ref)
        assert number is not None, ref
        return number

    def apply(self, event: dict[str, Any]) -> None:
        moment, kind, pathway = at(event["at"]), event["type"], self.pathway
        current = self.visits[-1].number
        if kind == "escalated":
            target = self.number(event.get("to_stage", current + 1))
            self.enter(target, moment, event.get("route"))
        elif kind == "significant_harm":
            self.harm(event, moment)
        elif kind == "timescale_agreed":
            self.visits[-1].due = Due(at(event["deadline"]), kind, moment)
        elif kind == "action_agreed":
            due = Due(at(event["deadline"]), kind, moment)
            self.actions[event["action"]] = Action(due, current, "never")
        elif kind == "action_done":
            action = self.actions[event["action"]]
            action.done, action.lapsed = moment, None
        else:
            self.status = kind
            self.leave(moment, ending=True)
            for policy_action in pathway.actions:
                stages = {pathway.number_of(s) for s in policy_action.at_stages}
                if policy_action.when == kind and (not stages or current in stages):
                    self.trigger(policy_action, moment)

    def harm(self, event: dict[str, Any], moment: dt.datetime) -> None:
        rule = self.pathway.significant_harm
        assert rule is not None
        current = self.visits[-1].number
        target = current
        if rule.jump == "fixed":
            target = max(current, self.number(rule.to_stage or ""))
        elif "to_stage" in event:
            target = self.number(event["to_stage"])
        if target != current:
            self.enter(target, moment)
        if rule.timescale is not None:
            sooner = self.deadline(rule.timescale, moment, self.visits[-1].number)
            own = self.visits[-1].due.at
            if sooner.at is not None and (own is None or utc(sooner.at) < utc(own)):
                self.visits[-1].due = sooner
        if rule.required_action is not None:
            self.trigger(rule.required_action, moment)


def model_of(policy: Policy, events: list[dict[str, Any]]) -> Model:
    """The expected course of a valid history given in time order."""
    first = events[0]
    pathway = policy.pathway(first.get("pathway", policy.default_pathway.id))
    assert pathway is not None
    dates = {name: at(text) for name, text in first.get("dates", {}).items()}
    model = Model(policy, pathway, at(first["at"]), dates, [], {})
    model.enter(1, model.raised)
    for action in pathway.actions:
        if action.when == "raised":
            model.trigger(action, model.raised)
    for event in events[1:]:
        model.apply(event)
    return model


# -- the properties --------------------------------------------------------------------------


def case(data: st.DataObject, strategy: st.SearchStrategy[Policy]) -> tuple[Policy, list[Any]]:
    policy = data.draw(strategy, label="policy")
    return policy, data.draw(histories(policy, order="time"), label="events")


@given(data=st.data())
def test_deadlines_follow_the_time_rules(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events = case(data, policy_strategy)
    result = evaluate(policy, events)
    model = model_of(policy, events)
    cal = model.cal
    assert len(result.timeline) == len(model.visits)
    for entry, visit in zip(result.timeline, model.visits, strict=True):
        assert entry.stage.number == visit.number
        assert utc(entry.entered_at) == utc(visit.entered)
        assert utc(entry.left_at) == utc(visit.left)
        assert utc(entry.deadline) == utc(visit.due.at), (entry, visit)
        assert_working_day_rule(cal, entry.deadline, visit.due)
        met = (
            None
            if visit.left is None or visit.due.at is None
            else utc(visit.left) <= utc(visit.due.at)
        )
        assert entry.met == met
    due_actions = {item.id: item for item in result.due if item.kind == "action"}
    open_actions = {k: v for k, v in model.actions.items() if v.done is None and v.lapsed is None}
    assert set(due_actions) == set(open_actions)
    for action_id, action in open_actions.items():
        assert utc(due_actions[action_id].deadline) == utc(action.due.at)
        assert_working_day_rule(cal, due_actions[action_id].deadline, action.due)
    states = {a.id: a.state for a in result.actions}
    for action_id, action in model.actions.items():
        expected = "done" if action.done else "lapsed" if action.lapsed else "due"
        assert states[action_id] == expected, action_id


def allowed_moves(pathway: Pathway, event: dict[str, Any], before: int) -> set[int]:
    """The stage numbers an event may leave the matter at, by the pathway's rules."""
    last = pathway.last_number
    if event["type"] == "escalated":
        moves = {before + 1}
        rule = pathway.skipping
        if rule is not None and rule.allowed == "with_reason" and event.get("reason"):
            moves |= set(range(before + 2, last + 1))
        if rule is not None and rule.allowed == "to_named_stages":
            moves |= {pathway.number_of(s) or 0 for s in rule.to_stages} - set(range(before + 1))
        return moves
    rule = pathway.significant_harm
    if event["type"] == "significant_harm" and rule is not None:
        if rule.jump == "fixed":
            return {max(before, pathway.number_of(rule.to_stage or "") or 0)}
        if rule.jump == "discretion" and "to_stage" in event:
            return set(range(before + 1, last + 1))
    return {before}


@given(data=st.data())
def test_stages_move_only_as_the_policy_allows(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events = case(data, policy_strategy)
    results = [evaluate(policy, events[: k + 1]) for k in range(len(events))]
    pathway = policy.pathway(results[0].pathway)
    assert pathway is not None
    assert results[0].stage.number == 1
    for event, before, after in zip(events[1:], results, results[1:], strict=False):
        assert after.stage.number >= before.stage.number, "a stage never goes back"
        assert after.stage.number in allowed_moves(pathway, event, before.stage.number), event
        step = pathway.step(after.stage.number)
        holder = step.holder(after.route)
        assert (after.stage.id, after.responsible_role.id) == (step.id, holder.responsible)


@given(data=st.data())
def test_significant_harm_follows_the_policy_rule(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy, events = case(data, policy_strategy)
    pathway = policy.pathway(evaluate(policy, events[:1]).pathway)
    assert pathway is not None
    rule = pathway.significant_harm
    harmed = [i for i, e in enumerate(events) if e["type"] == "significant_harm"]
    if rule is None or not harmed:
        if rule is None or any(e["type"] in TERMINAL for e in events):
            return
        events.append({"type": "significant_harm", "at": events[-1]["at"]})
        harmed = [len(events) - 1]
    k = harmed[0]
    before, after = evaluate(policy, events[:k]), evaluate(policy, events[: k + 1])
    harm_at = at(events[k]["at"])
    cal = Calendar(policy.calendar)
    assert (before.significant_harm, after.significant_harm) == (False, True)
    assert after.stage.number in allowed_moves(pathway, events[k], before.stage.number)
    model = model_of(policy, events[:k])
    number = after.stage.number
    moved = number != before.stage.number
    own: dt.datetime | None = before.due[0].deadline
    if moved:
        timescale = pathway.step(number).holder().timescale
        own = model.deadline(timescale, harm_at, number).at
    stage_deadline = after.due[0].deadline
    sooner = model.deadline(rule.timescale, harm_at, number) if rule.timescale else None
    if sooner is not None and sooner.at is not None and (own is None or utc(sooner.at) < utc(own)):
        assert utc(stage_deadline) == utc(sooner.at)
        assert_working_day_rule(cal, stage_deadline, sooner)
    else:
        assert utc(stage_deadline) == utc(own)
    if rule.required_action is not None:
        action = rule.required_action
        item = next(d for d in after.due if d.kind == "action" and d.id == action.id)
        expected = model.deadline(action.timescale, harm_at, number)
        assert utc(item.deadline) == utc(expected.at)
        assert_working_day_rule(cal, item.deadline, expected)
        holder = pathway.step(number).holder(after.route)
        assert item.role.id == (action.role or holder.responsible)


# -- regressions: defects these properties found, as plain examples --------------------------

LONDON = ZoneInfo("Europe/London")


def one_stage(timescale: str, *, harm: str = "", calendar: str = "") -> Policy:
    text = f"""\
id: regression
title: Regression
document: Regression
{calendar}
roles: [{{id: worker, title: Worker, source: "1"}}]
pathways:
  - id: only
    title: Only
    source: "1"
    stages:
      - {{id: first, title: First, responsible: worker, timescale: {timescale}, source: "1"}}
      - {{id: second, title: Second, responsible: worker, timescale: {timescale}, source: "1"}}
{harm}
"""
    return load_policy_text(text, "regression.yaml")


def test_same_working_day_when_close_of_business_is_in_the_skipped_hour() -> None:
    """Close of business 01:30 on the day the clocks go forward is 01:30 GMT (02:30 BST); a
    stage entered at 02:00 BST (01:00 UTC) is before it, so it is due that day. The evaluator
    compared wall clocks (02:00 > 01:30) and gave the next day."""
    policy = one_stage(
        "{kind: same_working_day, source: '1'}",
        calendar="calendar: {working_week: [monday, tuesday, wednesday, thursday, friday, "
        "saturday, sunday], close_of_business: '01:30'}",
    )
    result = evaluate(policy, [{"type": "raised", "at": "2001-03-25T01:00:00+00:00"}])
    assert utc(result.deadline) == dt.datetime(2001, 3, 25, 1, 30, tzinfo=dt.UTC)


def test_significant_harm_never_lengthens_a_deadline_in_the_repeated_hour() -> None:
    """The stage was due at 01:45 BST (00:45 UTC); significant harm at 01:15 GMT (01:15 UTC),
    due immediately, is later and must not replace it. Compared on the wall clock, 01:15
    seemed earlier, and the deadline moved half an hour later."""
    policy = one_stage(
        "{kind: immediately, source: '1'}",
        harm="    significant_harm: {jump: none, source: '2', "
        "timescale: {kind: immediately, source: '2'}}",
    )
    events = [
        {"type": "raised", "at": "2026-10-25T00:45:00+00:00"},
        {"type": "significant_harm", "at": "2026-10-25T01:15:00+00:00"},
    ]
    result = evaluate(policy, events)
    assert utc(result.deadline) == dt.datetime(2026, 10, 25, 0, 45, tzinfo=dt.UTC)


def test_events_in_the_policy_zone_are_ordered_by_the_moment_not_the_wall_clock() -> None:
    """Raised at 01:45 BST, escalated at 01:15 GMT half an hour later, both as datetimes in
    Europe/London: the evaluator sorted them by wall clock and refused the history."""
    policy = one_stage("{kind: hours, hours: 1, source: '1'}")
    raised = dt.datetime(2026, 10, 25, 1, 45, tzinfo=LONDON)
    escalated = dt.datetime(2026, 10, 25, 1, 15, tzinfo=LONDON, fold=1)
    result = evaluate(
        policy,
        [{"type": "raised", "at": raised}, {"type": "escalated", "at": escalated}],
        as_of=dt.datetime(2026, 10, 25, 1, 20, tzinfo=LONDON, fold=1),
    )
    assert result.stage.number == 2
    assert result.timeline[0].met is True
    assert result.overdue is False  # due 02:15 GMT; as_of 01:20 GMT
    late = evaluate(
        policy,
        [{"type": "raised", "at": raised}],
        as_of=dt.datetime(2026, 10, 25, 1, 50, tzinfo=LONDON, fold=1),
    )
    assert late.overdue is True  # due 01:45 GMT (00:45 UTC + 1 h); as_of 01:50 GMT
