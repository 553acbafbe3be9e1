"""Shared helpers for the tests: times, and small policies written inline."""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

import pytest

from escalation_rules import Evaluation, Policy, PolicyError, evaluate, load_policy_text


def at(text: str) -> dt.datetime:
    """An aware datetime from ISO text (the tests always write the offset)."""
    moment = dt.datetime.fromisoformat(text)
    assert moment.tzinfo is not None, "tests write aware times"
    return moment


def iso(moment: dt.datetime | None) -> str | None:
    """A deadline as UTC ISO text, so that expectations are written unambiguously."""
    return None if moment is None else moment.astimezone(dt.UTC).isoformat()


def one_stage_policy(timescale: str, *, calendar: str = "") -> Policy:
    """A policy of one pathway and one stage with the given timescale (YAML mapping text)."""
    text = f"""\
        id: test
        title: Test partnership
        document: Test procedure
        {calendar}
        roles:
          - id: practitioner
            title: Practitioner
            source: "1"
        pathways:
          - id: only
            title: Only
            source: "1"
            stages:
              - id: first
                title: First
                responsible: practitioner
                timescale: {timescale}
                source: "1"
        """
    return load_policy_text(textwrap.dedent(text), "test.yaml")


def raised_at(policy: Policy, when: str, **extra: Any) -> Evaluation:
    return evaluate(policy, [{"type": "raised", "at": when, **extra}])


def deadline_of(timescale: str, when: str, *, calendar: str = "") -> str | None:
    """The stage deadline, in UTC ISO text, of a one-stage policy raised at `when`."""
    policy = one_stage_policy(timescale, calendar=calendar)
    return iso(raised_at(policy, when).deadline)


def replaced_once(text: str, old: str, new: str) -> str:
    """`text` with `old`, which must be written exactly once, replaced by `new`."""
    assert text.count(old) == 1, f"{old!r} is not written exactly once"
    return text.replace(old, new)


def refused(text: str, file: str = "p.yaml") -> PolicyError:
    """The PolicyError that loading `text` raises."""
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, file)
    return caught.value


def printed(text: str) -> list[str]:
    """`file:line:col: code` of each problem, as the command line prints it."""
    return [": ".join(str(problem).split(": ")[:2]) for problem in refused(text).problems]


def worker_policy(pathway: str) -> Policy:
    """A policy with one role, `worker`, and the one pathway written (YAML under `pathways:`)."""
    header = """\
id: test
title: Test
document: Test
roles: [{id: worker, title: Worker, source: "1"}]
pathways:
"""
    return load_policy_text(header + textwrap.dedent(pathway), "test.yaml")
