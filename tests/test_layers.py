"""The package's layers import one way: a lower layer never imports a higher one.

Read from the source files' import statements, so a new module lands in a layer or fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import escalation_rules

PACKAGE = Path(escalation_rules.__file__).parent

# Each layer may import itself and those listed before it.
LAYERS = (
    "_base",  # _errors, _files, _json_schema, _model_base, _phrase, _suggestions, _text
    "time",
    "policy",
    "history",
    "evaluation",
    "scenarios",
    "batch",
    "authoring",
    "testing",
    "cli",
    "_face",  # __init__, __main__
)
ROOT_MODULES = {
    "_errors": "_base",
    "_model_base": "_base",
    "_phrase": "_base",
    "_suggestions": "_base",
    "_files": "_base",
    "_json_schema": "_base",
    "_text": "_base",
    "__init__": "_face",
    "__main__": "_face",
}


def _layer(parts: tuple[str, ...]) -> str:
    """The layer of a module given by its path inside the package, without `.py`."""
    return parts[0] if parts[0] in LAYERS else ROOT_MODULES[parts[0]]


def _imported_layers(file: Path) -> set[str]:
    here = file.relative_to(PACKAGE).with_suffix("").parts
    package = here[:-1]
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            base = package[: len(package) - (node.level - 1)]
            target = (*base, *(node.module.split(".") if node.module else ()))
            if not target:  # `from . import x` at the top: x is a module of the root
                target = (node.names[0].name,)
            found.add(_layer(target))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
            "escalation_rules."
        ):
            found.add(_layer(tuple(node.module.split(".")[1:2])))
    return found


def test_every_module_is_in_a_layer() -> None:
    for file in PACKAGE.rglob("*.py"):
        parts = file.relative_to(PACKAGE).with_suffix("").parts
        assert _layer(parts) in LAYERS, file


def test_lower_layers_never_import_higher_ones() -> None:
    wrong = []
    for file in sorted(PACKAGE.rglob("*.py")):
        layer = _layer(file.relative_to(PACKAGE).with_suffix("").parts)
        for imported in _imported_layers(file):
            if LAYERS.index(imported) > LAYERS.index(layer):
                wrong.append(f"{file.relative_to(PACKAGE)} ({layer}) imports {imported}")
    assert wrong == []


def test_the_project_cites_only_itself() -> None:
    """Policies, scenarios, docs and code cite the project's own docs, never a file beside it."""
    root = Path(__file__).resolve().parent.parent
    folders = ("src", "tests", "docs", "examples", "benchmarks")
    files = [root / "README.md"]
    files += [f for folder in folders for f in (root / folder).rglob("*") if f.is_file()]
    forbidden = ("DESIGN" + ".md", "../" + "shared")
    citing = [
        str(f.relative_to(root))
        for f in files
        if f.suffix in {".py", ".md", ".yaml", ".yml", ".json", ".toml", ".txt"}
        and any(word in f.read_text(encoding="utf-8", errors="replace") for word in forbidden)
    ]
    assert citing == []
