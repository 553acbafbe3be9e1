"""Bank holidays: the table kept for the United Kingdom's four nations is the holidays
package's answer, and is used only with the version of the package it was made from.

The kept table spares every command importing the package (which imports the module of every
country it knows): `validate` of a bundled policy imports no part of it.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import holidays
import pytest

from escalation_rules import PolicyError, load_policy_text
from escalation_rules.time import _bank_holidays as bank
from escalation_rules.time import _calendar
from escalation_rules.time._calendar import FIRST_YEAR, LAST_YEAR, WorkingCalendar

SNAPSHOT = json.loads(bank.SNAPSHOT.read_text(encoding="utf-8"))
BUNDLED = Path(bank.__file__).resolve().parent.parent / "policies"


@pytest.fixture
def another_version(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The package installed is not the version the table was made from."""
    monkeypatch.setattr(bank, "installed_version", lambda: "0.0.1")
    bank._usable.cache_clear()
    yield
    bank._usable.cache_clear()


def test_the_version_is_read_off_the_installed_files() -> None:
    assert bank.installed_version() == importlib.metadata.version("holidays")


def test_the_kept_table_is_the_package_answer() -> None:
    installed = importlib.metadata.version("holidays")
    if SNAPSHOT["holidays"] != installed:
        pytest.skip(
            f"the kept table is of holidays {SNAPSHOT['holidays']}, this is {installed}, so "
            "it is not used here; remake it with `python -m escalation_rules.time._bank_holidays`"
        )
    assert bank.SNAPSHOT.read_text(encoding="utf-8") == bank.snapshot_text(
        bank.SNAPSHOT_PLACES, FIRST_YEAR, LAST_YEAR, installed
    )
    assert bank._usable()
    for country, subdivision in bank.SNAPSHOT_PLACES:
        kept = bank.bank_holidays(country, subdivision, FIRST_YEAR, LAST_YEAR)
        found = holidays.country_holidays(
            country, subdiv=subdivision, years=range(FIRST_YEAR, LAST_YEAR + 1)
        )
        assert kept.days == {day: str(name) for day, name in found.items()}
        assert (kept.years, kept.note) == ((FIRST_YEAR, LAST_YEAR), "")


def test_england_by_hand() -> None:
    days = bank.bank_holidays("GB", "ENG", FIRST_YEAR, LAST_YEAR).days
    christmas_2026 = {
        d: n for d, n in days.items() if dt.date(2026, 12, 20) < d < dt.date(2027, 1, 5)
    }
    assert christmas_2026 == {
        dt.date(2026, 12, 25): "Christmas Day",
        dt.date(2026, 12, 26): "Boxing Day",
        dt.date(2026, 12, 28): "Boxing Day (observed)",
        dt.date(2027, 1, 1): "New Year's Day",
    }
    # The state funeral of 2022, a bank holiday of that year only.
    assert days[dt.date(2022, 9, 19)].startswith("State Funeral")


def test_another_version_of_the_package_is_asked_instead(another_version: None) -> None:
    assert not bank._usable()
    asked = bank.bank_holidays("GB", "ENG", FIRST_YEAR, LAST_YEAR)
    found = holidays.country_holidays("GB", subdiv="ENG", years=range(FIRST_YEAR, LAST_YEAR + 1))
    assert asked.days == {day: str(name) for day, name in found.items()}
    with pytest.raises(ValueError, match="GB has no subdivision 'XYZ'"):
        bank.check_known("GB", "XYZ")


def test_another_version_changes_no_deadline(another_version: None) -> None:
    # Built past the memo of calendars, which the policies loaded so far share.
    build = _calendar._build.__wrapped__
    asked = build("Europe/London", "GB", "ENG", (0, 1, 2, 3, 4), (), dt.time(17, 0))
    kept = WorkingCalendar.build(
        timezone="Europe/London",
        country="GB",
        subdivision="ENG",
        working_week=(0, 1, 2, 3, 4),
        closure_dates=(),
        close_of_business=dt.time(17, 0),
    )
    assert asked is not kept
    assert asked.non_working_reasons == kept.non_working_reasons
    assert asked.non_working_reasons[dt.date(2026, 12, 28)] == "Boxing Day (observed)"
    assert asked.years == kept.years and asked.coverage_note == kept.coverage_note == ""
    assert asked.add(dt.date(2026, 12, 23), 1) == kept.add(dt.date(2026, 12, 23), 1)
    assert asked.add(dt.date(2026, 12, 23), 1) == dt.date(2026, 12, 24)


def test_without_the_table_the_package_is_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bank, "SNAPSHOT", bank.SNAPSHOT.with_name("nowhere.json"))
    bank._snapshot.cache_clear()
    bank._usable.cache_clear()
    try:
        assert not bank._usable()
        table = bank.bank_holidays("GB", "ENG", FIRST_YEAR, LAST_YEAR)
        assert table.days[dt.date(2026, 12, 28)] == "Boxing Day (observed)"
    finally:
        bank._snapshot.cache_clear()
        bank._usable.cache_clear()


def test_a_place_the_table_does_not_keep_is_asked_of_the_package() -> None:
    table = bank.bank_holidays("IE", None, FIRST_YEAR, LAST_YEAR)
    assert table.days[dt.date(2026, 3, 17)] == "Saint Patrick's Day"
    text = "id: p\ntitle: P\ncalendar:\n  bank_holidays:\n    country: GB\n    subdivision: XYZ\n"
    with pytest.raises(PolicyError, match="GB has no subdivision 'XYZ'; write one of"):
        load_policy_text(text + "roles: []\npathways: []\n", "p.yaml")


@pytest.mark.skipif(not BUNDLED.is_dir(), reason="the bundled policies are not beside the code")
def test_validate_imports_nothing_of_the_holidays_package() -> None:
    if not bank._usable():
        pytest.skip("the kept table is not of the installed holidays version, so it is asked")
    code = (
        "import io, sys\n"
        "from escalation_rules.cli import run\n"
        f"assert run(['validate', {str(BUNDLED / 'newcastle.yaml')!r}], io.StringIO(), "
        "io.StringIO()) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'holidays'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
