"""`escalation-rules init NAME`: a commented starter policy and a scenario file that checks it.

Both validate and pass as written, so an author starts from something that works and changes
it a field at a time, running `validate` and `test` after each change. The JSON Schemas go
beside them in `schema/`, which the first line of each file names, so that an editor with
yaml-language-server completes and checks them offline.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TextIO

from ._schema_text import schema_text

POLICY = """\
# yaml-language-server: $schema=schema/policy.schema.json
# A starter policy for {title}. Every field is explained above it; replace the examples
# with what your partnership's document says, and cite the paragraph in each `source:`.
# Check it with:   escalation-rules validate {name}.yaml
# Test it with:    escalation-rules test {name}.scenarios.yaml
# The time rules (working days, close of business, clock changes): docs/time-rules.md.

format_version: 1
# The policy's id: lower-case letters, digits and underscores. Scenarios name it.
id: {name}
# The partnership, and the document this policy encodes, as they call themselves.
title: {title}
document: Resolving professional differences (replace with your document's title)
# Your own version number, and the date it took effect; every evaluation reports them.
version: "1"
effective_from: 2026-12-01

# When the clock runs. These are the library's defaults, written out so you can see them.
calendar:
  timezone: Europe/London
  bank_holidays:
    country: GB
    subdivision: ENG          # England; SCT, WLS or NIR for the other nations
  working_week: [monday, tuesday, wednesday, thursday, friday]
  closure_dates: []           # extra days the partnership is closed, such as 2026-12-24
  close_of_business: "17:00"  # in quotes: a date-based deadline falls at this time

# Types of agency, for role titles that differ by agency (a school's line manager is its
# designated safeguarding lead).
agency_types:
  - id: school
    title: School
    source: "1.1"

# Every role a stage or an action names. `titles` gives a title per agency type.
roles:
  - id: practitioner
    title: Practitioner
    source: "2.1"
  - id: line_manager
    title: Line manager
    titles:
      school: Designated safeguarding lead
    source: "2.2"

# A pathway is one route through the procedure; most documents have one.
pathways:
  - id: professional_disagreement
    title: Professional disagreement
    default: true             # the pathway a raised event without `pathway:` takes
    source: "2"
    # The stages, in order. Each has who holds it (`responsible`), usually who they talk to
    # (`counterpart`), and how long it has (`timescale`).
    stages:
      - id: practitioner_to_practitioner
        title: Practitioner to practitioner
        responsible: practitioner
        counterpart: practitioner
        # kind: working_days, hours, calendar_days, same_working_day, immediately, or
        # unspecified (with the document's own `wording:` where it sets no time).
        timescale:
          kind: working_days
          days: 5
          source: "2.1"       # the paragraph that sets the time, which may differ
        if_missed: If the disagreement remains, stage 2 begins.
        source: "2.1"
      - id: manager_to_manager
        title: Line manager to line manager
        responsible: line_manager
        counterpart: line_manager
        timescale:
          kind: working_days
          days: 3
          source: "2.2"
        source: "2.2"
    # What happens at once when a child is at risk of significant harm.
    significant_harm:
      jump: none              # none, fixed (with to_stage:), or discretion
      required_action:
        id: child_protection_referral
        title: Make a referral through child protection procedures
        role: practitioner
        timescale:
          kind: same_working_day
          source: "1.5"
        source: "1.5"
      source: "1.5"
    # Whether a stage may be passed over: never, with_reason, or to_named_stages.
    skipping:
      allowed: never
      source: "2"
    # Tasks the document requires, and when they start to be due.
    actions:
      - id: keep_a_record
        title: Keep a record of the disagreement and the discussions
        # When it becomes due: raised, entering_stage or reaching_stage (with `stage:`), or
        # an outcome (resolved, resolved_with_dissent, withdrawn).
        when: raised
        # When it stops being owed without being done: never, on_leaving_stage or on_end.
        lapses: on_end
        timescale:
          kind: unspecified
          wording: "A record must be kept at every stage."
          source: "2.5"
        source: "2.5"
"""

SCENARIOS = """\
# yaml-language-server: $schema=schema/scenario.schema.json
# Scenarios for {name}.yaml: each a history, a moment, and what the policy must say then.
# Run them with:   escalation-rules test {name}.scenarios.yaml
# Work each deadline out by hand from your document and docs/time-rules.md, then write it
# here: a scenario that passes is a check that the policy says what the document says.
policy: {name}.yaml
scenarios:
  - note: >-
      Raised on Monday 7 December 2026 at 10:00. Five working days: Monday 14 December at
      close of business (17:00; London is on GMT, +00:00, in December).
    source: "2.1"
    events:
      - {{type: raised, at: "2026-12-07T10:00:00+00:00", agency: school}}
    as_of: "2026-12-10T12:00:00+00:00"
    expect:
      status: open
      stage: 1
      responsible_role: practitioner
      deadline: "2026-12-14T17:00:00+00:00"
      overdue: false

  - note: >-
      Escalated on Friday 11 December: the line managers have three working days, to
      Wednesday 16 December at 17:00. For a school the line manager is its designated
      safeguarding lead. On Thursday morning it is overdue.
    source: "2.2"
    events:
      - {{type: raised, at: "2026-12-07T10:00:00+00:00", agency: school}}
      - {{type: escalated, at: "2026-12-11T15:00:00+00:00"}}
    as_of: "2026-12-17T09:00:00+00:00"
    expect:
      stage: 2
      responsible_title: Designated safeguarding lead
      deadline: "2026-12-16T17:00:00+00:00"
      overdue: true
"""

_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}")


def write_starter(name: str, folder: str, stdout: TextIO, stderr: TextIO) -> int:
    """Write NAME.yaml and NAME.scenarios.yaml into `folder`; never over an existing file."""
    if not _NAME.fullmatch(name):
        stderr.write(
            f"init: {name!r} is not a policy id; write lower-case letters, digits and "
            "underscores, starting with a letter, such as north_shire\n"
        )
        return 2
    target = Path(folder)
    files = {
        target / f"{name}.yaml": POLICY,
        target / f"{name}.scenarios.yaml": SCENARIOS,
    }
    existing = [str(path) for path in files if os.path.lexists(path)]
    # The schemas are written where absent and left alone where present: they are the
    # library's, the same for every policy of a folder.
    schemas = {
        target / "schema" / f"{kind}.schema.json": schema_text(kind)
        for kind in ("policy", "scenario")
        if not os.path.lexists(target / "schema" / f"{kind}.schema.json")
    }
    if existing:
        verb = "exists" if len(existing) == 1 else "exist"
        stderr.write(f"init: {' and '.join(existing)} already {verb}; nothing was written\n")
        return 2
    title = name.replace("_", " ").title() + " Safeguarding Children Partnership"
    try:
        target.mkdir(parents=True, exist_ok=True)
        for path, template in files.items():
            with path.open("x", encoding="utf-8") as out:
                out.write(template.format(name=name, title=title))
        for path, text in schemas.items():
            path.parent.mkdir(exist_ok=True)
            with path.open("x", encoding="utf-8") as out:
                out.write(text)
    except OSError as error:
        stderr.write(f"init: cannot write into {folder} ({error.strerror or error})\n")
        return 2
    for path in [*files, *schemas]:
        stdout.write(f"wrote {path}\n")
    stdout.write(
        f"next: escalation-rules validate {target / (name + '.yaml')} && "
        f"escalation-rules test {target / (name + '.scenarios.yaml')}\n"
    )
    return 0
