"""The command line, `escalation-rules`: argument parsing and text rendering only.

`run(argv, stdout, stderr, stdin)` returns the exit code; `main()` is the console script.
"""

from ._main import main, run

__all__ = ["main", "run"]
