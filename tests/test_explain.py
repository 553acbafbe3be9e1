"""`explain`: the story of an escalation, from Python and from the command line, with the
days a count of working days passed over named, worked out by hand from the calendar."""

from __future__ import annotations

import io
import json
from pathlib import Path

from support import one_stage_policy

from escalation_rules import explain as story_of
from escalation_rules import load_policy
from escalation_rules.cli import run

NEWCASTLE = load_policy("newcastle")

# Raised on Monday 14 December 2026 (concern that morning at 09:00), escalated to stage 2 on
# Monday 21 December at 09:30. Stage 2 has 5 working days (5.1.II): Tue 22, Wed 23, Thu 24,
# then Christmas Day (Fri 25), Boxing Day (Sat 26), Sunday 27 and Boxing Day's substitute
# (Mon 28) are passed over, then Tue 29 and Wed 30: due Wednesday 30 December at 17:00.
CHRISTMAS = [
    {
        "type": "raised",
        "at": "2026-12-14T10:00:00+00:00",
        "agency": "school",
        "by": "school practitioner",
        "dates": {"concern": "2026-12-14T09:00:00+00:00"},
    },
    {"type": "escalated", "at": "2026-12-21T09:30:00+00:00", "by": "designated person"},
]


def test_the_story_names_every_day_the_count_passed_over() -> None:
    story = story_of(NEWCASTLE, CHRISTMAS, as_of="2026-12-31T12:00:00+00:00")
    lines = story.splitlines()
    assert lines[:4] == [
        "Newcastle Safeguarding Children Partnership: Professional disagreement",
        "Policy newcastle, version 2, encoding 'Resolving Professional Differences and "
        "Escalation'.",
        "As it stood on Thursday 31 December 2026 at 12:00 GMT.",
        "It is open, at stage 2 (Line manager or safeguarding/designated lead to their "
        "equivalent), held by Designated person.",
    ]
    assert (
        "- Stage 2 (Line manager or safeguarding/designated lead to their equivalent), held by "
        "Designated person: due by Wednesday 30 December 2026 at 17:00 GMT; 5 working days from "
        "Mon 21 Dec 2026 09:30 GMT: close of business on the 5th working day after Mon 21 Dec "
        "2026. Not counted, as they are not working days: Friday 25 December 2026 (Christmas "
        "Day), Saturday 26 December 2026 (Boxing Day), Sunday 27 December 2026 (weekend) and "
        "Monday 28 December 2026 (Boxing Day (observed)). (paragraph 5.1.II)"
    ) in lines
    assert (
        "- Stage 1 (Practitioner to practitioner), held by Practitioner: due by Monday 21 "
        "December 2026 at 17:00 GMT; 5 working days from Mon 14 Dec 2026 09:00 GMT: close of "
        "business on the 5th working day after Mon 14 Dec 2026. Not counted, as they are not "
        "working days: Saturday 19 December 2026 (weekend) and Sunday 20 December 2026 "
        "(weekend). Left on Monday 21 December 2026 at 09:30 GMT, in time. (paragraph 5.1.I)"
    ) in lines


def test_the_story_says_what_is_due_from_whom_by_when_and_what_if_missed() -> None:
    story = story_of(NEWCASTLE, CHRISTMAS, as_of="2026-12-31T12:00:00+00:00")
    due = story[story.index("What is due now") :].splitlines()[1:]
    assert due == [
        "- Designated person must bring stage 2 (Line manager or safeguarding/designated lead "
        "to their equivalent) to an outcome by Wednesday 30 December 2026 at 17:00 GMT. It is "
        "overdue: 19 hours late. If it is missed, the document says: 'If there remains "
        "disagreement Stage 3 is implemented'. (paragraph 5.1.II)",
        "- Practitioner must keep a clear record at all stages, by all parties to the "
        "disagreement; the document sets no deadline. (paragraph 2.5)",
        "- Designated person must discuss the disagreement with the opposite number in the "
        "other agency by Monday 21 December 2026 at 17:00 GMT. It is overdue: 9 days and 19 "
        "hours late. (paragraph 2.4)",
    ]


def test_the_story_tells_what_happened_when_by_whom_under_which_paragraph() -> None:
    story = story_of(NEWCASTLE, CHRISTMAS, as_of="2026-12-22T12:00:00+00:00")
    happened = story[story.index("What happened") : story.index("How each")].splitlines()
    assert happened[1] == (
        "- Monday 14 December 2026 at 10:00 GMT: Raised on the Professional disagreement "
        "pathway. By school practitioner. (paragraph 5.1)"
    )
    assert happened[4].startswith(
        "- Monday 21 December 2026 at 09:30 GMT: Now at stage 2 (Line manager or "
        "safeguarding/designated lead to their equivalent), held by Designated person; due by "
        "Wed 30 Dec 2026 17:00 GMT"
    )
    assert "It is not overdue." in story


def test_without_as_of_the_story_says_nothing_is_judged_overdue() -> None:
    story = story_of(NEWCASTLE, CHRISTMAS)
    assert story.splitlines()[2] == (
        "No time was given to judge it at (--as-of), so every event counts and nothing is "
        "judged overdue or in time."
    )
    assert "overdue:" not in story and "not overdue" not in story


def test_a_count_that_passed_over_no_day_says_so() -> None:
    # Raised on Monday 7 December 2026: 5 working days end Monday 14 December, past a weekend;
    # the same working day rule of significant harm (1.5) passes over nothing at 10:00.
    events = [
        {
            "type": "raised",
            "at": "2026-12-07T10:00:00+00:00",
            "dates": {"concern": "2026-12-07T09:00:00+00:00"},
        },
        {"type": "significant_harm", "at": "2026-12-08T10:00:00+00:00"},
    ]
    story = story_of(NEWCASTLE, events)
    assert "No weekend day, bank holiday or closure fell in between." in story


def test_a_note_cannot_forge_a_line_of_the_story() -> None:
    events = [{**CHRISTMAS[0], "note": "fine\nWhat is due now\n- Nothing"}, CHRISTMAS[1]]
    story = story_of(NEWCASTLE, events)
    assert story.splitlines().count("What is due now") == 1
    assert "- Nothing" not in story.splitlines()
    assert "fine\\nWhat is due now\\n- Nothing" in story


def test_explain_on_the_command_line(tmp_path: Path) -> None:
    history = tmp_path / "h.json"
    history.write_text(json.dumps(CHRISTMAS), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["explain", "newcastle", str(history), "--as-of", "2026-12-31T12:00:00+00:00"], out, err
    )
    assert (code, err.getvalue()) == (0, "")
    assert out.getvalue() == story_of(NEWCASTLE, CHRISTMAS, as_of="2026-12-31T12:00:00+00:00")
    out, err = io.StringIO(), io.StringIO()
    assert run(["explain", "newcastle", "-"], out, err, io.StringIO("[]")) == 1
    assert "empty_history" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    assert run(["explain", "--help"], out, err) == 0
    assert "nothing is judged overdue" in " ".join(out.getvalue().split())


def test_the_story_uses_the_policy_s_word_for_a_stage() -> None:
    policy = one_stage_policy(
        '{kind: working_days, days: 2, source: "1"}', calendar="words: {stage: Step}"
    )
    story = story_of(policy, [{"type": "raised", "at": "2026-12-24T10:00:00+00:00"}])
    assert "It is open, at step 1 (First), held by Practitioner." in story
    # Thursday 24 December: Friday 25 (Christmas Day), the weekend, and Monday 28 (Boxing
    # Day's substitute) are passed over; Tuesday 29 and Wednesday 30 are the two days.
    assert (
        "- Practitioner must bring step 1 (First) to an outcome by Wednesday 30 December 2026 "
        "at 17:00 GMT. (paragraph 1)"
    ) in story
    assert (
        "Not counted, as they are not working days: Friday 25 December 2026 (Christmas Day), "
        "Saturday 26 December 2026 (Boxing Day), Sunday 27 December 2026 (weekend) and Monday "
        "28 December 2026 (Boxing Day (observed))."
    ) in story
