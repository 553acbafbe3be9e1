"""Large and hostile inputs, built on demand: for the bound tests and the benchmark script.

Each builder makes the input that a hardening case in docs/limits.md is about, at the size
the issue measured, so that a regression shows as a test that takes minutes or gigabytes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

_HEAD = """\
id: big
title: Big partnership
document: A procedure
"""


def unknown_roles_policy(roles: int = 6000, stages: int = 2900) -> str:
    """About 600 KB: `roles` roles, and `stages` stages each naming a role that does not exist."""
    lines = [_HEAD, "roles:\n"]
    lines += [f'  - {{id: role_{i:05d}, title: Role {i}, source: "1"}}\n' for i in range(roles)]
    lines.append("pathways:\n")
    for i in range(stages):
        if i % 50 == 0:  # a pathway holds at most 50 stages
            lines.append(f'  - {{id: path_{i:05d}, title: P, source: "1", stages: [\n')
        lines.append(
            f"      {{id: stage_{i:05d}, title: Stage {i}, responsible: nobody_{i:05d}, "
            f'timescale: {{kind: immediately, source: "1"}}, source: "1"}},\n'
        )
        if i % 50 == 49 or i == stages - 1:
            lines.append("    ]}\n")
    return "".join(lines)


def many_actions_policy(actions: int = 4500) -> str:
    """A valid policy of one stage with `actions` required actions, each triggered by the raise."""
    lines = [
        _HEAD,
        'roles:\n  - {id: worker, title: Worker, source: "1"}\n',
        'pathways:\n  - id: main\n    title: Main\n    source: "1"\n    stages:\n',
        "      - id: one\n        title: One\n        responsible: worker\n",
        '        timescale: {kind: working_days, days: 5, source: "1"}\n        source: "1"\n',
        "      - id: two\n        title: Two\n        responsible: worker\n",
        '        timescale: {kind: working_days, days: 5, source: "2"}\n        source: "2"\n',
        "    actions:\n",
    ]
    lines += [
        f"      - {{id: action_{i:05d}, title: Action {i}, role: worker, when: raised, "
        f'timescale: {{kind: working_days, days: 10, source: "1"}}, source: "1"}}\n'
        for i in range(actions)
    ]
    return "".join(lines)


def actions_done_history(actions: int = 4500) -> list[dict[str, Any]]:
    """The raise, then one `action_done` a minute for each action of `many_actions_policy`."""
    start = dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.UTC)
    events: list[dict[str, Any]] = [{"type": "raised", "at": start.isoformat()}]
    events += [
        {
            "type": "action_done",
            "action": f"action_{i:05d}",
            "at": (start + dt.timedelta(seconds=i + 1)).isoformat(),
        }
        for i in range(actions - 1)
    ]
    return events


def agreed_timescales_history(count: int = 10_000) -> list[dict[str, Any]]:
    """The raise, then `count - 1` agreed timescales for stage 1, a second apart."""
    start = dt.datetime(2026, 12, 14, 10, 0, tzinfo=dt.UTC)
    deadline = (start + dt.timedelta(days=30)).isoformat()
    events: list[dict[str, Any]] = [{"type": "raised", "at": start.isoformat()}]
    events += [
        {
            "type": "timescale_agreed",
            "at": (start + dt.timedelta(seconds=i + 1)).isoformat(),
            "deadline": deadline,
        }
        for i in range(count - 1)
    ]
    return events


def nested_empty_lists(size: int = 16 * 1024 * 1024 - 2) -> str:
    """A JSON array of empty arrays, `size` characters long, just under the history limit."""
    return "[" + ",".join(["[]"] * ((size - 2) // 3)) + "]"


def history_json(events: list[dict[str, Any]]) -> str:
    return json.dumps(events)
