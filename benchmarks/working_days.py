"""Adding N working days: the calendar's binary search against stepping day by day.

Run: python benchmarks/working_days.py
Both are timed in the same run on the same inputs, and the answers are checked to agree; the
figure to quote is the ratio, not the seconds, which depend on the machine.
"""

from __future__ import annotations

import datetime as dt
import random
import timeit

from escalation_rules import load_policy


def main() -> None:
    policy = load_policy("newcastle")
    calendar = policy.working_calendar
    holidays = frozenset(calendar.non_working_reasons)
    week = frozenset(calendar.working_week)

    def stepping(day: dt.date, n: int) -> dt.date:
        while n:
            day += dt.timedelta(days=1)
            if day.weekday() in week and day not in holidays:
                n -= 1
        return day

    rng = random.Random(20261214)
    starts = [dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(3650)) for _ in range(2000)]
    print(f"{'N':>5} {'bisect (us)':>12} {'stepping (us)':>14} {'ratio':>7}")
    for n in (2, 5, 10, 50, 250):
        for day in starts[:200]:
            assert calendar.nth_working_day_after(day, n) == stepping(day, n)
        fast = timeit.timeit(
            lambda n=n: [calendar.nth_working_day_after(d, n) for d in starts], number=5
        )
        slow = timeit.timeit(lambda n=n: [stepping(d, n) for d in starts], number=5)
        per = 5 * len(starts)
        print(f"{n:>5} {fast / per * 1e6:>12.2f} {slow / per * 1e6:>14.2f} {slow / fast:>6.1f}x")


if __name__ == "__main__":
    main()
