"""Scenario files: a partnership's own checks of a policy, written as YAML that reads like the
document it checks.

A scenario file holds one scenario, or several under `scenarios:` sharing a `policy:`:

    policy: newcastle                 # a bundled name, or a path relative to this file
    scenarios:
      - note: Stage 2 over Christmas: 25 and 28 December are bank holidays
        source: "5.1.II"              # the paragraph the scenario checks
        events:
          - {type: raised, at: "2026-12-14T10:00:00+00:00"}
          - {type: escalated, at: "2026-12-21T09:30:00+00:00"}
        as_of: "2026-12-29T12:00:00+00:00"
        expect:
          status: open
          stage: 2
          responsible_role: line_manager
          deadline: "2026-12-30T17:00:00+00:00"
          overdue: false
      - note: A skip without a reason is refused
        source: "3.1.II"
        events: [...]
        expect_error: skip_needs_reason

`expect` may check `status`, `pathway`, `stage`, `stage_id`, `route`, `responsible_role`,
`responsible_title`, `next_role`, `deadline`, `stage_deadline`, `overdue`, `significant_harm`,
`warnings` (their codes, in order), and item by item `due` (kind, id, role, deadline,
counted_from, overdue), `timeline` (stage, route, deadline, met) and `actions` (id, kind,
role, state, deadline, met). Only the expectations written are checked; `deadline: null`
checks that there is none.
Run a folder with `escalation-rules test FOLDER [--policy POLICY] [--show]`, or from Python
with `run_folder`, or `load_scenarios` and `Scenario.check`. A scenario that cannot be read
fails alone (`load_scenarios(path, partial=True)` keeps the others); a failure names the item
that differs, and `written(evaluation)` gives an evaluation in the shape of `expect:`.
"""

from ._expectations import written
from ._runner import (
    Scenario,
    ScenarioError,
    ScenarioFile,
    ScenarioRun,
    load_scenarios,
    run_folder,
    scenario_files,
)

__all__ = [
    "Scenario",
    "ScenarioError",
    "ScenarioFile",
    "ScenarioRun",
    "load_scenarios",
    "run_folder",
    "scenario_files",
    "written",
]
