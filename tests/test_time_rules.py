"""The time rules of docs/time-rules.md, each worked out by hand on the England calendar.

Bank holidays used: 2026-12-25 (Fri), 2026-12-28 (Mon, Boxing Day substitute), 2027-01-01 (Fri),
2022-09-19 (Mon, one-off: State Funeral), 2023-05-08 (Mon, one-off: Coronation).
British Summer Time ends 2026-10-25 at 02:00 BST and begins 2026-03-29 at 01:00 GMT.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import deadline_of, worker_policy

from escalation_rules import evaluate, load_policy
from escalation_rules.time._deadlines import show
from escalation_rules.time._words import long_date

WD5 = '{kind: working_days, days: 5, source: "1"}'
WD1 = '{kind: working_days, days: 1, source: "1"}'
SAME = '{kind: same_working_day, source: "1"}'


@pytest.mark.parametrize(
    ("raised", "expected", "why"),
    [
        # Monday 10:00, 5 working days: the following Monday 17:00 (docs/time-rules.md's first).
        ("2026-12-07T10:00:00+00:00", "2026-12-14T17:00:00+00:00", "plain week"),
        # Mon 21 Dec: 22, 23, 24, (25, 28 holidays), 29, 30.
        ("2026-12-21T09:30:00+00:00", "2026-12-30T17:00:00+00:00", "Christmas"),
        # Wed 30 Dec: 31, (1 Jan holiday), 4, 5, 6, 7.
        ("2026-12-30T16:00:00+00:00", "2027-01-07T17:00:00+00:00", "New Year"),
        # Raised on a Saturday: its own day never counts; Mon 14 .. Fri 18.
        ("2026-12-12T11:00:00+00:00", "2026-12-18T17:00:00+00:00", "weekend start"),
        # Raised after close of business still does not count its own day.
        ("2026-12-07T18:30:00+00:00", "2026-12-14T17:00:00+00:00", "after close"),
        # One-off holiday: Mon 12 Sep 2022: 13, 14, 15, 16, (19 State Funeral), 20; BST.
        ("2022-09-12T10:00:00+01:00", "2022-09-20T16:00:00+00:00", "state funeral"),
        # One-off holiday: Tue 2 May 2023: 3, 4, 5, (8 Coronation), 9, 10; BST.
        ("2023-05-02T10:00:00+01:00", "2023-05-10T16:00:00+00:00", "coronation"),
        # Across the end of BST: Fri 23 Oct 2026 (BST) to Fri 30 Oct 17:00 GMT.
        ("2026-10-23T10:00:00+01:00", "2026-10-30T17:00:00+00:00", "clocks go back"),
        # Across the start of BST: Fri 27 Mar 2026 (GMT) to Fri 3 Apr 2026... Good Friday is
        # 3 Apr 2026, so: 30, 31 Mar, 1, 2 Apr, (3 Good Friday, 6 Easter Monday), 7 Apr.
        ("2026-03-27T10:00:00+00:00", "2026-04-07T16:00:00+00:00", "clocks go forward, Easter"),
    ],
)
def test_five_working_days(raised: str, expected: str, why: str) -> None:
    assert deadline_of(WD5, raised) == expected, why


def test_local_date_counts_late_in_a_bst_evening() -> None:
    # 23:30 UTC on Thursday 4 June 2026 is 00:30 BST on Friday 5 June: the local date is
    # Friday, so 5 working days end on Friday 12 June, 17:00 BST (16:00 UTC), not Thursday.
    assert deadline_of(WD5, "2026-06-04T23:30:00+00:00") == "2026-06-12T16:00:00+00:00"
    # The same instant written with its BST offset gives the same answer.
    assert deadline_of(WD5, "2026-06-05T00:30:00+01:00") == "2026-06-12T16:00:00+00:00"
    # 22:59 UTC on Thursday is 23:59 BST Thursday: then it is Thursday 11 June.
    assert deadline_of(WD5, "2026-06-04T22:59:00+00:00") == "2026-06-11T16:00:00+00:00"


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        ("2026-12-22T16:59:00+00:00", "2026-12-22T17:00:00+00:00"),  # before close: today
        ("2026-12-22T17:00:00+00:00", "2026-12-23T17:00:00+00:00"),  # at close: next day
        ("2026-12-22T17:30:00+00:00", "2026-12-23T17:00:00+00:00"),  # after close
        # Thursday 24 Dec after close: 25 and 28 are holidays, 26-27 the weekend.
        ("2026-12-24T17:30:00+00:00", "2026-12-29T17:00:00+00:00"),
        ("2026-12-26T10:00:00+00:00", "2026-12-29T17:00:00+00:00"),  # a Saturday holiday
        ("2026-12-25T09:00:00+00:00", "2026-12-29T17:00:00+00:00"),  # Christmas morning
        ("2026-07-01T09:00:00+01:00", "2026-07-01T16:00:00+00:00"),  # BST: 17:00 local
    ],
)
def test_same_working_day(raised: str, expected: str) -> None:
    assert deadline_of(SAME, raised) == expected


def test_hours_are_elapsed_across_the_clock_change() -> None:
    # Sat 24 Oct 2026 12:00 BST is 11:00 UTC; 24 elapsed hours later is Sun 25 Oct 11:00
    # UTC, which reads 11:00 GMT on the wall clock (not 12:00).
    deadline = deadline_of('{kind: hours, hours: 24, source: "1"}', "2026-10-24T12:00:00+01:00")
    assert deadline == "2026-10-25T11:00:00+00:00"
    # Into BST: Sat 28 Mar 2026 12:00 GMT + 24 h = Sun 29 Mar 12:00 UTC = 13:00 BST.
    deadline = deadline_of('{kind: hours, hours: 24, source: "1"}', "2026-03-28T12:00:00+00:00")
    assert deadline == "2026-03-29T12:00:00+00:00"


def test_calendar_days_end_at_close_of_business() -> None:
    # Thu 24 Dec + 7 calendar days = Thu 31 Dec, 17:00; holidays do not matter.
    timescale = '{kind: calendar_days, days: 7, source: "1"}'
    assert deadline_of(timescale, "2026-12-24T09:00:00+00:00") == "2026-12-31T17:00:00+00:00"


def test_immediately_is_the_moment_itself() -> None:
    timescale = '{kind: immediately, source: "1"}'
    assert deadline_of(timescale, "2026-12-24T09:15:00+00:00") == "2026-12-24T09:15:00+00:00"


def test_unspecified_has_no_deadline_and_keeps_the_words() -> None:
    from support import one_stage_policy, raised_at

    policy = one_stage_policy('{kind: unspecified, wording: "without delay", source: "1"}')
    result = raised_at(policy, "2026-12-24T09:15:00+00:00", id="r")
    assert result.deadline is None
    assert result.due[0].deadline is None
    assert "without delay" in result.due[0].why


def test_closure_dates_and_close_of_business_come_from_the_policy() -> None:
    calendar = 'calendar: {close_of_business: "16:30", closure_dates: [2026-12-29, 2026-12-30]}'
    # Thu 24 Dec, 1 working day: 25, 28 holidays, 29, 30 closures: Thu 31 Dec at 16:30.
    assert (
        deadline_of(WD1, "2026-12-24T10:00:00+00:00", calendar=calendar)
        == "2026-12-31T16:30:00+00:00"
    )


def test_another_subdivision_has_its_own_holidays() -> None:
    # Scotland: 2 January 2027 is a Saturday, so 4 January 2027 (Mon) is a Scottish bank
    # holiday as well as the England-wide ones. From Thu 31 Dec 2026, 1 working day:
    # England: (1 Jan holiday) Mon 4 Jan. Scotland: (1, 4 Jan) Tue 5 Jan.
    england = deadline_of(WD1, "2026-12-31T10:00:00+00:00")
    scotland = deadline_of(
        WD1,
        "2026-12-31T10:00:00+00:00",
        calendar="calendar: {bank_holidays: {country: GB, subdivision: SCT}}",
    )
    assert england == "2027-01-04T17:00:00+00:00"
    assert scotland == "2027-01-05T17:00:00+00:00"


def test_counting_from_raised_rather_than_entered() -> None:
    from escalation_rules import evaluate

    policy = worker_policy(
        """\
  - id: only
    title: Only
    source: "1"
    stages:
      - {id: one, title: One, responsible: worker, source: "1",
         timescale: {kind: working_days, days: 4, counts_from: raised, source: "1"}}
      - {id: two, title: Two, responsible: worker, source: "1",
         timescale: {kind: working_days, days: 10, counts_from: raised, source: "1"}}
"""
    )
    # Raised Mon 7 Dec 2026; escalated Thu 10 Dec. Stage 2 counts 10 working days from the
    # raising: 8, 9, 10, 11, 14, 15, 16, 17, 18, 21 -> Mon 21 Dec 17:00.
    result = evaluate(
        policy,
        [
            {"type": "raised", "at": "2026-12-07T10:00:00+00:00"},
            {"type": "escalated", "at": "2026-12-10T10:00:00+00:00"},
        ],
    )
    assert result.deadline is not None
    assert result.deadline.isoformat() == "2026-12-21T17:00:00+00:00"
    assert result.timeline[0].deadline is not None
    assert result.timeline[0].deadline.isoformat() == "2026-12-11T17:00:00+00:00"
    assert result.timeline[0].met is True


def test_a_deadline_outside_the_calendar_years_is_refused() -> None:
    from escalation_rules import HistoryError

    with pytest.raises(HistoryError) as caught:
        deadline_of(WD5, "2099-12-30T10:00:00+00:00")
    assert caught.value.code == "outside_calendar"
    assert caught.value.index == 0


@given(
    moment=st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2099, 12, 31),
        timezones=st.just(dt.UTC),
    )
)
def test_times_are_written_in_english_words_as_strftime_writes_them_in_the_c_locale(
    moment: dt.datetime,
) -> None:
    # The words come from fixed tables, so an application's own locale (setlocale) cannot
    # change an explanation; in the C locale they are what strftime writes.
    calendar = load_policy("newcastle").working_calendar
    local = moment.astimezone(calendar.timezone)
    assert show(moment, calendar) == local.strftime("%a %d %b %Y %H:%M %Z")
    assert long_date(local.date()) == local.strftime("%A %-d %B %Y")


def test_two_deadlines_at_the_same_wall_time_in_the_autumn_hour_keep_their_own_offsets() -> None:
    # Raised Saturday 24 October 2026 at 01:30 BST. 24 elapsed hours end at 01:30 BST on the
    # Sunday (00:30 UTC); 25 end an hour later, at 01:30 GMT (01:30 UTC), after the clocks go
    # back at 02:00 BST. The same wall time twice: each keeps its own offset in the result.
    policy = worker_policy(
        """\
        - id: only
          title: Only
          source: "1"
          stages:
            - id: first
              title: First
              responsible: worker
              timescale: {kind: hours, hours: 24, source: "1"}
              source: "1"
          actions:
            - id: later
              title: Later
              when: raised
              timescale: {kind: hours, hours: 25, source: "1"}
              source: "1"
        """
    )
    result = evaluate(policy, [{"type": "raised", "at": "2026-10-24T01:30:00+01:00"}])
    assert result.stage_deadline is not None
    assert result.stage_deadline.isoformat() == "2026-10-25T01:30:00+01:00"
    assert result.actions[0].deadline is not None
    assert result.actions[0].deadline.isoformat() == "2026-10-25T01:30:00+00:00"
    assert [d.deadline.isoformat() for d in result.due if d.deadline] == [
        "2026-10-25T01:30:00+01:00",
        "2026-10-25T01:30:00+00:00",
    ]
