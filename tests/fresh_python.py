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


def fresh_python_race(setup: str, *, threads: int = 8, report: str = "sorted(results)") -> Any:
    """In a new interpreter: ``setup``, then ``task(k)`` on ``threads`` threads released at once.

    ``setup`` must define ``task(k)`` (``k`` is the thread's number); each return value is
    appended to ``results``. Once every thread has joined, ``report`` (an expression that may
    use ``results`` and anything ``setup`` defined) is printed as JSON and returned. For tests
    that the first uses of lazily built things are safe when they come all at once.
    """
    return fresh_python(
        "import json, threading\n"
        f"{setup}\n"
        f"barrier, results = threading.Barrier({threads}), []\n"
        "def run(k):\n"
        "    barrier.wait(timeout=60)\n"
        "    results.append(task(k))\n"
        f"pool = [threading.Thread(target=run, args=(k,)) for k in range({threads})]\n"
        "[t.start() for t in pool]\n"
        "[t.join(timeout=60) for t in pool]\n"
        f"print(json.dumps({report}))"
    )
