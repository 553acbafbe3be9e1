"""Policies round-trip through their dumped form, and the generators cover what policies allow.

A policy dumped with `model_dump(mode="json")` validates back to the same policy, and so does
that dump written as YAML (every text double-quoted, so that the YAML 1.2 reader and PyYAML's
YAML 1.1 writer agree on what is text) and read by `load_policy_text`, through the strict
reader and the whole-policy checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
import yaml
from conftest import bundled
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import NoSuchExample

from escalation_rules import Policy, bundled_policies, load_policy_text
from escalation_rules.policy._model import Pathway
from escalation_rules.testing import histories


class _QuotingDumper(yaml.SafeDumper):
    pass


def _quoted(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_QuotingDumper.add_representer(str, _quoted)


def as_yaml(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False)


@given(data=st.data())
def test_a_policy_round_trips_through_its_dumped_form(
    policy_strategy: st.SearchStrategy[Policy], data: st.DataObject
) -> None:
    policy = data.draw(policy_strategy, label="policy")
    dumped = policy.model_dump(mode="json")
    again = Policy.model_validate(dumped)
    assert again == policy
    assert again.model_dump(mode="json") == dumped
    loaded = load_policy_text(as_yaml(dumped), "dumped.yaml")
    assert loaded == policy
    assert loaded.model_dump(mode="json") == dumped


def test_close_of_business_round_trips() -> None:
    """Regression: close_of_business dumped as "17:00:00", which a policy may not say."""
    policy = bundled(bundled_policies()[0])
    dumped = policy.model_dump(mode="json")
    assert dumped["calendar"]["close_of_business"] == "17:00"
    assert load_policy_text(as_yaml(dumped)).calendar.close_of_business == dt.time(17, 0)


# -- what `histories` draws, for each bundled policy ----------------------------------------

Events = list[dict[str, Any]]


def _skips(pathway: Pathway) -> Callable[[Events], bool]:
    def skipped(events: Events) -> bool:
        number = 1
        for event in events:
            if event["type"] == "escalated":
                to = event.get("to_stage", number + 1)
                target = to if isinstance(to, int) else pathway.number_of(to)
                if target is not None and target > number + 1:
                    return True
                number = target or number
        return False

    return skipped


def _wanted(pathway: Pathway) -> dict[str, Callable[[Events], bool]]:
    """What a history on this pathway can show, by the pathway's own rules."""

    def has(kind: str, **fields: Any) -> Callable[[Events], bool]:
        return lambda events: any(
            e["type"] == kind and all((k in e) == v for k, v in fields.items()) for e in events
        )

    wanted = {
        kind: has(kind) for kind in ("escalated", "resolved", "resolved_with_dissent", "withdrawn")
    }
    if pathway.all_actions():
        wanted["action_done"] = has("action_done")
    harm = pathway.significant_harm
    if harm is not None:
        wanted["significant_harm"] = has("significant_harm")
        if harm.jump == "discretion" and pathway.last_number > 1:
            wanted["significant_harm with to_stage"] = has("significant_harm", to_stage=True)
    if pathway.agreed_timescales is not None and pathway.agreed_timescales.allowed:
        wanted["timescale_agreed"] = has("timescale_agreed")
    rule = pathway.skipping
    if rule is not None and rule.allowed != "never" and pathway.last_number > 2:
        wanted["a permitted skip"] = _skips(pathway)
    return wanted


def _when(policy: Policy) -> dict[str, Callable[[Events], bool]]:
    """The times a history's events should fall at, in the policy's zone and calendar."""
    spec = policy.calendar
    zone = ZoneInfo(spec.timezone)
    bank = holidays.country_holidays(
        spec.bank_holidays.country, subdiv=spec.bank_holidays.subdivision
    )

    def local(event: dict[str, Any]) -> dt.datetime:
        return dt.datetime.fromisoformat(event["at"]).astimezone(zone)

    def clock_change(day: dt.date) -> bool:
        midnight = dt.datetime.combine(day, dt.time(0), zone)
        return midnight.utcoffset() != (midnight + dt.timedelta(days=1)).utcoffset()

    def cob(moment: dt.datetime) -> bool:
        close = dt.datetime.combine(moment.date(), spec.close_of_business)
        return abs(moment.replace(tzinfo=None) - close) <= dt.timedelta(minutes=1)

    def any_event(test: Callable[[dt.datetime], bool]) -> Callable[[Events], bool]:
        return lambda events: any(test(local(e)) for e in events)

    return {
        "an event at a weekend": any_event(lambda t: t.weekday() >= 5),
        "an event on a bank holiday": any_event(lambda t: t.date() in bank),
        "an event the day the clocks change": any_event(lambda t: clock_change(t.date())),
        "an event within a minute of close of business": any_event(cob),
        "an event after close of business": any_event(lambda t: t.time() > spec.close_of_business),
    }


@pytest.mark.parametrize("name", bundled_policies())
def test_histories_show_everything_each_pathway_allows(name: str) -> None:
    policy = bundled(name)
    quick = settings(
        database=None,
        max_examples=3000,
        phases=[Phase.generate],
        suppress_health_check=[HealthCheck.too_slow],
    )
    for pathway in policy.pathways:
        wanted = {**_wanted(pathway), **_when(policy)}
        seen: set[str] = set()
        try:
            find(histories(policy, pathway.id), _shows_all(wanted, seen), settings=quick)
        except NoSuchExample:
            pytest.fail(f"{pathway.id}: no history shows {sorted(set(wanted) - seen)}")


def _shows_all(
    wanted: dict[str, Callable[[Events], bool]], seen: set[str]
) -> Callable[[Events], bool]:
    """True once the histories drawn so far have shown everything wanted, between them."""

    def shows_all(events: Events) -> bool:
        seen.update(what for what, shows in wanted.items() if shows(events))
        return seen == set(wanted)

    return shows_all
