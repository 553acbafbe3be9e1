"""The bank holidays of a country and subdivision, from the holidays package.

The package gives any one country's holidays only after importing the module of every
country it knows, and the version it reports only after importing importlib.metadata: with
working out a century of holidays, about 0.15 s at the start of every command, a third of
the time of `escalation-rules validate`. So the four nations of the United Kingdom, the
calendars the bundled policies use, are also kept as a table (`bank_holidays.json`) made from
the package at one version, and that table is used only while that same version of the
package is installed. Any other version, country or subdivision is asked of the package, as
is any installation whose version cannot be read off its files, so a table that could be out
of date is never used: a bank holiday the package adds in a later release (a state funeral,
a coronation) is counted from the day that release is installed.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import warnings
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

SNAPSHOT = Path(__file__).with_name("bank_holidays.json")
SNAPSHOT_PLACES = (("GB", "ENG"), ("GB", "NIR"), ("GB", "SCT"), ("GB", "WLS"))


class HolidayTable(NamedTuple):
    """The years whose holidays are known (first, last), a note saying so where they are
    fewer than asked for, and the bank holidays of those years with their names."""

    years: tuple[int, int]
    note: str
    days: dict[dt.date, str]


def bank_holidays(
    country: str, subdivision: str | None, first_year: int, last_year: int
) -> HolidayTable:
    """The bank holidays of `first_year` to `last_year` (of those the package has full data
    for: see `_asked_of_the_package`). A new dict each time: the caller may add to it."""
    kept = _kept(country, subdivision, first_year, last_year)
    if kept is not None:
        return kept
    return _asked_of_the_package(country, subdivision, first_year, last_year)


def check_known(country: str, subdivision: str | None) -> None:
    """Raise ValueError, saying what to write instead, unless the package knows the country
    and the subdivision."""
    if subdivision is not None and (country, subdivision) in SNAPSHOT_PLACES and _usable():
        return
    import holidays

    try:
        # Imports the module of every country the package knows (see the module's note).
        holidays.country_holidays(country, subdiv=subdivision, years=())
    except NotImplementedError:
        pass
    else:
        return
    supported = holidays.list_supported_countries()
    if country not in supported:
        raise ValueError(
            f"the holidays package has no country {country!r}; write a two-letter "
            "country code such as GB"
        )
    subdivisions = supported[country]
    if subdivision is not None and subdivision not in subdivisions:
        raise ValueError(
            f"{country} has no subdivision {subdivision!r}; write one of " + ", ".join(subdivisions)
        )


def _kept(
    country: str, subdivision: str | None, first_year: int, last_year: int
) -> HolidayTable | None:
    """The kept table of the place, if there is one for these years and this version."""
    if subdivision is None or (country, subdivision) not in SNAPSHOT_PLACES or not _usable():
        return None
    snapshot = _snapshot()
    if (snapshot["first_year"], snapshot["last_year"]) != (first_year, last_year):
        return None
    table = snapshot["places"][f"{country}-{subdivision}"]
    days = {
        dt.date.fromisoformat(day): name for name, dates in table["days"].items() for day in dates
    }
    return HolidayTable((table["years"][0], table["years"][1]), table["note"], days)


@cache
def _usable() -> bool:
    """Whether the kept table was made from the version of the package installed now (and
    is there to be read: an installation that left it out asks the package)."""
    try:
        made_from = _snapshot()["holidays"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    installed = installed_version()
    return installed is not None and installed == made_from


@cache
def _snapshot() -> dict[str, Any]:
    return dict(json.loads(SNAPSHOT.read_text(encoding="utf-8")))


def installed_version() -> str | None:
    """The version of the holidays package that `import holidays` would load, read off the
    name of the record pip installed beside it (`holidays-0.109.dist-info`); None where
    there is not exactly one such record. Found without importing either the package or
    importlib.metadata, which together cost more than the table saves."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))).parent
    try:
        names = os.listdir(folder)
    except OSError:
        return None
    found = [
        name[len("holidays-") : -len(".dist-info")]
        for name in names
        if name.startswith("holidays-") and name.endswith(".dist-info")
    ]
    return found[0] if len(found) == 1 else None


def _asked_of_the_package(
    country: str, subdivision: str | None, first_year: int, last_year: int
) -> HolidayTable:
    """The package says what it covers in two ways: a country's `start_year`/`end_year`,
    and a warning when a year is asked for that its tables do not reach (India's Hindu
    holidays end in 2035). The longest run of years with neither problem is taken."""
    import holidays

    probe = holidays.country_holidays(country, subdiv=subdivision)
    first = max(first_year, int(probe.start_year))
    last = min(last_year, int(probe.end_year))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = holidays.country_holidays(country, subdiv=subdivision, years=range(first, last + 1))
    if caught:  # find which years, one at a time: rare, so the cost is paid rarely
        good = []
        for year in range(first, last + 1):
            with warnings.catch_warnings(record=True) as year_warnings:
                warnings.simplefilter("always")
                holidays.country_holidays(country, subdiv=subdivision, years=year)
            good.append(not year_warnings)
        first, last = _longest_run(good, first)
    days = {day: str(name) for day, name in found.items() if first <= day.year <= last}
    if (first, last) == (first_year, last_year):
        return HolidayTable((first, last), "", days)
    note = f" (the holiday data for {country} covers only these years)"
    return HolidayTable((first, last), note, days)


def _longest_run(good: list[bool], offset: int) -> tuple[int, int]:
    best, start = (offset, offset - 1), None
    for index, ok in enumerate([*good, False]):
        if ok and start is None:
            start = index
        elif not ok and start is not None:
            if index - start > best[1] - best[0] + 1:
                best = (offset + start, offset + index - 1)
            start = None
    return best


def snapshot_text(
    places: Iterable[tuple[str, str]], first_year: int, last_year: int, version: str
) -> str:
    """The kept table of `places`, asked of the package installed now (of version
    `version`), as the text of `bank_holidays.json`."""
    tables: dict[str, dict[str, Any]] = {}
    for country, subdivision in places:
        years, note, days = _asked_of_the_package(country, subdivision, first_year, last_year)
        by_name: dict[str, list[str]] = {}
        for day, name in sorted(days.items()):
            by_name.setdefault(name, []).append(day.isoformat())
        tables[f"{country}-{subdivision}"] = {"years": list(years), "note": note, "days": by_name}
    head = {
        "about": "Bank holidays from the holidays package, used only with that version of it; "
        "remade by `python -m escalation_rules.time._bank_holidays`.",
        "holidays": version,
        "first_year": first_year,
        "last_year": last_year,
    }
    # A line for each holiday's dates, so that a change of the package shows as a change of
    # the lines of the holidays it changed.
    lines = [f" {json.dumps(key)}: {json.dumps(value)}," for key, value in head.items()]
    lines.append(' "places": {')
    for number, (place, table) in enumerate(tables.items()):
        lines.append(f"  {json.dumps(place)}: {{")
        lines.append(f'   "years": {json.dumps(table["years"])},')
        lines.append(f'   "note": {json.dumps(table["note"])},')
        lines.append('   "days": {')
        names = list(table["days"].items())
        for at, (name, dates) in enumerate(names):
            comma = "," if at < len(names) - 1 else ""
            lines.append(f"    {json.dumps(name, ensure_ascii=False)}: {json.dumps(dates)}{comma}")
        lines.append("   }")
        lines.append("  }" + ("," if number < len(tables) - 1 else ""))
    lines.append(" }")
    return "{\n" + "\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    from ._calendar import FIRST_YEAR, LAST_YEAR

    version = installed_version()
    if version is None:
        raise SystemExit("the installed holidays package's version cannot be read off its files")
    text = snapshot_text(SNAPSHOT_PLACES, FIRST_YEAR, LAST_YEAR, version)
    SNAPSHOT.write_text(text, encoding="utf-8")
    print(f"{SNAPSHOT.name}: holidays {version}, {len(SNAPSHOT_PLACES)} places")
