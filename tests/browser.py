"""A real headless Chromium for the page tests, from the system's packages.

Found on the PATH; where it is missing and this runs as root with apt-get (as CI does), it is
installed from Debian's packages; only where neither works do the tests skip, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_INSTALL = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]


def _found() -> str | None:
    return next((path for name in _NAMES if (path := shutil.which(name))), None)


def chromium() -> tuple[str | None, str]:
    """The path of a Chromium, or None and why there is none."""
    found = _found()
    if found is not None:
        return found, ""
    if os.environ.get("ESCALATION_RULES_NO_BROWSER_INSTALL"):
        return None, "no Chromium on the PATH, and ESCALATION_RULES_NO_BROWSER_INSTALL is set"
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("apt-get") is None:
        return None, (
            "no Chromium on the PATH, and it cannot be installed here (not root, or no "
            "apt-get); install your system's chromium package to run the page tests"
        )
    for attempt in (_INSTALL, ["apt-get", "update", "-qq"], _INSTALL):
        try:
            subprocess.run(attempt, capture_output=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired):
            break
        if attempt is not _INSTALL[0] and (found := _found()) is not None:
            return found, ""
    return _found(), "apt-get could not install the chromium package"


def mermaid_script(folder: str) -> tuple[str | None, str]:
    """Mermaid's own renderer (mermaid.min.js, from the npm registry) installed into `folder`,
    or None and why not; code hosts draw a page's Mermaid blocks with it."""
    npm = shutil.which("npm")
    if npm is None:
        return None, "npm is not installed, so Mermaid's renderer cannot be fetched"
    command = [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", folder]
    try:
        done = subprocess.run(
            [*command, "mermaid@11"], capture_output=True, timeout=300, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"npm could not install mermaid ({error})"
    script = os.path.join(folder, "node_modules", "mermaid", "dist", "mermaid.min.js")
    if done.returncode != 0 or not os.path.exists(script):
        return None, f"npm could not install mermaid: {done.stderr.decode(errors='replace')[:200]}"
    return script, ""
