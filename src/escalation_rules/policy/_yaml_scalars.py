"""How the strict YAML reader turns a scalar's text into a value.

Plain (unquoted) scalars follow the YAML 1.2 core schema, plus `YYYY-MM-DD` dates and full
timestamps: `17:00` stays text, where YAML 1.1 reads it as the number 1020. Standard tags
(`!!str`, `!!int`, ...) are applied; the reader refuses the rest.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

# YAML 1.2 core schema, plain scalars only (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUES = frozenset({"true", "True", "TRUE"})
_FALSES = frozenset({"false", "False", "FALSE"})
YAML11_BOOLEANS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
)
_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"([-+]?)\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TIMESTAMP = re.compile(
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[Tt]|[ \t]+)"
    r"([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?"
    r"(?:[ \t]*(Z|([-+])([0-9]{1,2})(?::?([0-9]{2}))?))?"
)

_YAML_TAG = "tag:yaml.org,2002:"
_STR, _INT_TAG, _FLOAT_TAG, _BOOL, _NULL = (
    _YAML_TAG + name for name in ("str", "int", "float", "bool", "null")
)
SCALAR_TAGS = frozenset({_STR, _INT_TAG, _FLOAT_TAG, _BOOL, _NULL})
SEQ, MAP = _YAML_TAG + "seq", _YAML_TAG + "map"
KIND_OF_TAG = {SEQ: "list", MAP: "mapping"}
STANDARD_TAGS = "!!str, !!int, !!float, !!bool, !!null, !!seq and !!map"


def _as_int(text: str) -> int | None:
    if _INT.fullmatch(text):
        return int(text, 10)
    if _OCT.fullmatch(text):
        return int(text[2:], 8)
    if _HEX.fullmatch(text):
        return int(text[2:], 16)
    return None


def _as_float(text: str) -> float | None:
    if _FLOAT.fullmatch(text):
        return float(text)
    if inf := _INF.fullmatch(text):
        return float(f"{inf.group(1)}inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return None


def _as_bool(text: str) -> bool | None:
    return True if text in _TRUES else False if text in _FALSES else None


def _as_date(text: str) -> dt.date | dt.datetime | None:
    try:
        if match := _DATE.fullmatch(text):
            return dt.date(*(int(part) for part in match.groups()))
        if match := _TIMESTAMP.fullmatch(text):
            return _timestamp(match)
    except ValueError:  # 2026-02-30: looks like a date, is not one, so stays text
        return None
    return None


def _timestamp(match: re.Match[str]) -> dt.datetime:
    year, month, day, hour, minute, second, fraction, zone, sign, zh, zm = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz: dt.tzinfo | None = None
    if zone == "Z":
        tz = dt.UTC
    elif zone:
        offset = dt.timedelta(hours=int(zh), minutes=int(zm or 0))
        tz = dt.timezone(-offset if sign == "-" else offset)
    return dt.datetime(
        int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
    )


def resolve_plain(text: str) -> object:
    """A plain scalar by the core schema; what matches no rule is text."""
    if text in _NULLS:
        return None
    for convert in (_as_bool, _as_int, _as_float, _as_date):
        value = convert(text)
        if value is not None:
            return value
    return text


def tagged(tag: str, text: str) -> tuple[bool, object]:
    """A scalar with a standard tag: (True, value), or (False, None) if the text does not fit."""
    if tag == _STR:
        return True, text
    if tag == _NULL:
        return text in _NULLS, None
    converters: dict[str, Callable[[str], object]] = {
        _INT_TAG: _as_int,
        _FLOAT_TAG: lambda t: float(i) if (i := _as_int(t)) is not None else _as_float(t),
        _BOOL: _as_bool,
    }
    value = converters[tag](text)
    return value is not None, value


def written_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag
