"""Loading a policy: bundled name or file, strict YAML, the model, then the whole-policy checks.

    read the text -> _yaml_reader (data + positions) -> Policy.model_validate -> _checks

Each step reports every problem it finds, with the file, line and column where it is written
and what to write instead, in one PolicyError; a later step runs only when the earlier ones
found nothing, because its errors would follow from theirs. The messages are written for
policy authors by `_messages.py`.
"""

from __future__ import annotations

import functools
import os
from importlib import resources

from pydantic import ValidationError

from .._errors import PolicyError, PolicyProblem
from .._files import FileRefusal, read_limited
from .._suggestions import did_you_mean
from .._text import excerpt
from ..time._calendar import NoWorkingDay
from ._checks import check_policy
from ._messages import finding_problem, no_working_day, not_a_mapping, schema_problems
from ._model import Policy
from ._yaml_reader import MAX_BYTES, YamlDocument, read_yaml

__all__ = ["bundled_policies", "load_policy", "load_policy_text"]

_PACKAGE = "escalation_rules"
_POLICIES = "policies"


def bundled_policies() -> tuple[str, ...]:
    """The names of the policies that come with the library, such as `newcastle`."""
    folder = resources.files(_PACKAGE).joinpath(_POLICIES)
    if not folder.is_dir():
        return ()
    names = (entry.name for entry in folder.iterdir() if entry.is_file())
    return tuple(sorted(name.removesuffix(".yaml") for name in names if name.endswith(".yaml")))


def load_policy(source: str | os.PathLike[str]) -> Policy:
    """Load a bundled policy by name (`"newcastle"`) or a policy file by path.

    A plain name, without a folder and without `.yaml` or `.yml`, is a bundled policy;
    anything else is a path. Raises PolicyError for every problem, never OSError.

    A bundled policy is read once: asked for again, the same immutable `Policy` comes back.
    A file is read anew each time, since it may have been edited.
    """
    if isinstance(source, str) and is_bundled_name(source):
        return _load_bundled(source)
    file = os.fsdecode(source)
    return load_policy_text(_read_file(file), file)


def read_policy_source(source: str | os.PathLike[str]) -> tuple[str, str]:
    """The YAML text of a bundled policy (by name) or a policy file (by path), and the name
    its problems are reported against; for tools that need the text as well as the policy."""
    if isinstance(source, str) and is_bundled_name(source):
        return _read_bundled(source)
    file = os.fsdecode(source)
    return _read_file(file), file


@functools.cache
def _load_bundled(name: str) -> Policy:
    # Only names that load are kept: lru_cache does not keep a call that raised, so an
    # unknown name costs a fresh refusal each time and cannot fill the cache.
    return load_policy_text(*_read_bundled(name))


def load_policy_text(text: str, file: str = "<policy>") -> Policy:
    """Load a policy from YAML text; `file` is the name the problems are reported against."""
    return load_with_positions(text, file)[0]


def load_with_positions(text: str, file: str = "<policy>") -> tuple[Policy, YamlDocument]:
    """`load_policy_text`, with the document read on the way: where each value is written,
    for tools that point at the policy's lines (lint)."""
    document = read_yaml(text, file)
    if document.problems:
        raise PolicyError(document.problems)
    if not isinstance(document.data, dict):
        raise PolicyError([not_a_mapping(document, file)])
    try:
        policy = Policy.model_validate(document.data)
    except ValidationError as error:
        raise PolicyError(schema_problems(error, document, file)) from None
    except NoWorkingDay as error:
        raise PolicyError([no_working_day(document, file, str(error))]) from None
    findings = check_policy(policy)
    if findings:
        raise PolicyError(finding_problem(finding, document, file) for finding in findings)
    return policy, document


# -- reading ---------------------------------------------------------------------------------


def is_bundled_name(source: str) -> bool:
    """Whether `load_policy` reads `source` as a bundled policy's name rather than a path."""
    has_folder = any(sep in source for sep in ("/", os.sep, os.altsep or "/"))
    return not has_folder and not source.lower().endswith((".yaml", ".yml"))


def _read_bundled(name: str) -> tuple[str, str]:
    names = bundled_policies()
    if name not in names:
        raise PolicyError([_unknown_bundled(name, names)])
    file = f"{_PACKAGE}/{_POLICIES}/{name}.yaml"
    raw = resources.files(_PACKAGE).joinpath(_POLICIES, f"{name}.yaml").read_bytes()
    return decode_text(raw, file), file


def _unknown_bundled(name: str, names: tuple[str, ...]) -> PolicyProblem:
    known = f"the bundled policies are {', '.join(names)}" if names else "none is bundled"
    return PolicyProblem(
        "unknown_policy",
        f"there is no bundled policy called '{excerpt(name)}'{did_you_mean(name, names)}; "
        f"{known}. To load a file instead, give its path ending in .yaml, such as "
        f"./{excerpt(name)}.yaml",
        name,
    )


def _read_file(file: str) -> str:
    try:
        raw = read_limited(file, MAX_BYTES, "policy")
    except FileRefusal as refusal:
        raise _file_error(refusal.code, file, refusal.message) from None
    return decode_text(raw, file)


def _file_error(code: str, file: str, message: str) -> PolicyError:
    return PolicyError([PolicyProblem(code, message, file)])


def decode_text(raw: bytes, file: str) -> str:
    """A YAML file's bytes as text: UTF-8, a byte-order mark allowed; else a PolicyError
    pointing at the line and column of the first byte that is not."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise PolicyError(
            [
                PolicyProblem(
                    "not_utf8",
                    f"the file is not UTF-8 text (byte 0x{raw[error.start]:02X} here); save "
                    "it from your editor with the UTF-8 encoding",
                    file,
                    line,
                    column,
                )
            ]
        ) from None
