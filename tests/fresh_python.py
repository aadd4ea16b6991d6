"""Run a snippet in a new interpreter: for tests of what importing a module loads or builds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent


def fresh_python(code: str) -> Any:
    """Run ``code`` in a new interpreter at the repository root; its last line, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])
