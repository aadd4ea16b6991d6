"""How ``make unit`` shares the tests out under pytest-xdist (``tests/conftest.py``).

Each module runs on one worker, so its module-scoped fixtures are built once; the modules of
``SHARED_WORKER`` share a worker with the others of their scope. pytest-xdist's own
``--dist loadgroup`` silently stopped grouping under pytest 9, so the end-to-end test below
runs a real two-worker session and checks where each test ran.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import LONGEST_FIRST, REPO, SHARED_WORKER, xdist_scope

MODULE = """
import json, os
from pathlib import Path
import pytest

@pytest.fixture(scope="module")
def built():
    return os.environ["PYTEST_XDIST_WORKER"]

@pytest.mark.parametrize("n", range({count}))
def test_one(built, n):
    ran = {{"module": __name__, "worker": os.environ["PYTEST_XDIST_WORKER"], "fixture": built}}
    folder = Path(os.environ["SCHEDULING_RESULTS"])
    (folder / f"{{__name__}}-{{n}}.json").write_text(json.dumps(ran))
"""


def test_a_test_belongs_to_its_module_or_the_scope_its_module_shares() -> None:
    assert xdist_scope("tests/test_json.py::test_x[a::b]") == "tests/test_json.py"
    assert xdist_scope("tests/test_notebooks_rerun.py::test_y") == "notebook-runs"
    assert xdist_scope("tests/test_reliability_secrets.py::test_z") == "notebook-runs"
    assert xdist_scope("tests/test_sandbox_latency.py::test_w") == "serial"


def test_every_module_named_in_the_tables_exists() -> None:
    for module in SHARED_WORKER:
        assert (REPO / module).is_file(), module
    scopes = set(SHARED_WORKER.values())
    for scope in LONGEST_FIRST:
        assert scope in scopes or (REPO / scope).is_file(), scope


def test_serial_tests_are_all_in_the_serial_scope(request: pytest.FixtureRequest) -> None:
    serial = [item.nodeid for item in request.session.items if item.get_closest_marker("serial")]
    if not serial:  # only this module was selected: read the markers from the sources
        serial = [
            f"{module}::?"
            for module, scope in SHARED_WORKER.items()
            if "mark.serial" in (REPO / module).read_text(encoding="utf-8")
        ]
    assert serial
    assert {xdist_scope(nodeid) for nodeid in serial} == {"serial"}


def test_two_workers_run_each_module_whole_on_one_of_them(tmp_path: Path) -> None:
    for name, count in (("test_a.py", 6), ("test_b.py", 6), ("test_c.py", 6)):
        (tmp_path / name).write_text(textwrap.dedent(MODULE.format(count=count)))
    results = tmp_path / "results"
    results.mkdir()
    command = [sys.executable, "-m", "pytest", "-c", str(REPO / "pyproject.toml")]
    command += ["-p", "tests.conftest", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)]
    command += ["-n", "2", "--dist", "loadscope", str(tmp_path)]
    env = {**os.environ, "SCHEDULING_RESULTS": str(results)}
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    workers: dict[str, set[str]] = {}
    for result in results.glob("*.json"):
        ran = json.loads(result.read_text())
        assert ran["worker"] == ran["fixture"]
        workers.setdefault(ran["module"], set()).add(ran["worker"])
    assert sorted(workers) == ["test_a", "test_b", "test_c"], json.dumps(sorted(workers))
    assert len(list(results.glob("*.json"))) == 18
    # Each module ran whole on one worker, and both workers had work.
    assert all(len(ran_on) == 1 for ran_on in workers.values()), workers
    assert len(set().union(*workers.values())) == 2, workers
