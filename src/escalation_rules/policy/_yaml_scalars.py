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
NUMBER_TAGS = frozenset({_INT_TAG, _FLOAT_TAG})
MAX_DIGITS = 30
"""A longer number is refused: no count in a policy comes near it, and Python refuses to read
an integer of more than 4,300 digits, or a float beyond 1e308."""
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
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


def number_refusal(text: str) -> tuple[str, str] | None:
    """(code, message) for a number the reader refuses to guess at, or None.

    `010` is 8 to a YAML 1.1 reader and 10 to a YAML 1.2 one, so it is ambiguous; a number of
    hundreds of digits is a mistake, and too large for Python to read as one.
    """
    if _LEADING_ZERO.fullmatch(text):
        plain = text.lstrip("+-").lstrip("0") or "0"
        return (
            "ambiguous_number",
            f"`{text}` starts with 0, which some YAML readers take as an octal number (010 "
            f"is 8 to them); write {plain} without the leading zero, or put the value in "
            f'quotes if you mean text: "{text}"',
        )
    numeric = (_INT, _FLOAT, _HEX, _OCT)
    if len(text) > MAX_DIGITS and any(pattern.fullmatch(text) for pattern in numeric):
        return (
            "number_too_long",
            f"this number has {len(text):,} characters; a number in a policy has at most "
            f"{MAX_DIGITS} digits: check the value, or put it in quotes if you mean text",
        )
    return None


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
    try:
        value = converters[tag](text)
    except (ValueError, OverflowError):  # a number too large for Python to hold
        return False, None
    return value is not None, value


def written_tag(tag: str) -> str:
    written = "!!" + tag.removeprefix(_YAML_TAG) if tag.startswith(_YAML_TAG) else tag
    return written if len(written) <= 60 else written[:57] + "..."
