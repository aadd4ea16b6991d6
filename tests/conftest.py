"""Shared fixtures: where the vendored oracle data lives, and small helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.notebook_runs import NotebookRuns

REPO = Path(__file__).resolve().parents[1]
ORACLES = REPO / "tests" / "oracles"
"""Outside data the tests check against (specs, SDK fixtures): see ``tests/oracles/SOURCES.md``."""


@pytest.fixture(scope="session")
def oracles_dir() -> Path:
    """The vendored oracle folder: ``specs/current``, ``specs/examples``, ``specs/ncco.json``."""
    return ORACLES


@pytest.fixture(scope="session")
def notebook_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NotebookRuns]:
    """Every tutorial notebook run twice against one shared sandbox (``tests/notebook_runs.py``):
    built once per session (per worker), for the modules that share its worker (SHARED_WORKER)."""
    from tests.notebook_runs import run_every_notebook_twice  # Jupyter: only when needed

    with run_every_notebook_twice(tmp_path_factory.mktemp("notebook-runs")) as runs:
        yield runs


def load_json(path: Path) -> Any:
    """Read a JSON file."""
    return json.loads(path.read_text(encoding="utf-8"))


def ncco_reference_snippets(oracles: Path) -> list[Any]:
    """The example NCCOs of ``ncco_snippets.json``, one per documented action but stream."""
    return [entry["ncco"] for entry in load_json(oracles / "ncco_snippets.json")["snippets"]]


# -- how pytest-xdist shares the tests out (``make unit``: ``-n UNIT_WORKERS --dist loadscope``)
#
# One scope per test module, so module-scoped fixtures and per-module caches (a sandbox, a smoke
# run of a benchmark) are built once, on one worker. pytest-xdist's own ``--dist loadgroup``
# cannot do this here: it passes a test's ``xdist_group`` to the scheduler by rewriting
# ``item._nodeid``, which pytest 9 no longer reads (a node id now comes from ``item._id``), so
# every test became a scope of its own and each module's fixtures were built on every worker.
# The scheduler below works from the node ids the workers report, which pytest does not change.

SHARED_WORKER = {
    # The session's notebook runs (tests/notebook_runs.py) serve both modules: built once.
    "tests/test_notebooks_rerun.py": "notebook-runs",
    "tests/test_reliability_secrets.py": "notebook-runs",
    # Tests marked ``serial`` (a timing bound) must never run beside each other.
    "tests/test_reliability_faults.py": "serial",
    "tests/test_sandbox_latency.py": "serial",
}
"""Modules that share a worker with others, by the name of their scope."""

LONGEST_FIRST = (
    "notebook-runs",
    "tests/test_benchmarks_smoke.py",
    "tests/test_sandbox_contract.py",
    "serial",
    "tests/test_models_extra_capabilities.py",
    "tests/test_sandbox_http.py",
    "tests/test_widgets_application_form.py",
    "tests/test_messages_api.py",
    "tests/test_calls_retry.py",
    "tests/test_workbook.py",
)
"""The scopes that take longest (``make unit`` lists the slowest tests), handed out first, so
no worker is left running a long one alone at the end; the others follow in file order."""


def xdist_scope(nodeid: str) -> str:
    """The scope of a test under pytest-xdist: its module, or the group its module shares."""
    module = nodeid.split("::", 1)[0]
    return SHARED_WORKER.get(module, module)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """``--dist loadscope`` with :func:`xdist_scope` as the scope, longest scopes first."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModuleScopes(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return xdist_scope(nodeid)

    config.option.loadscopereorder = False  # keep the order the workers collected (below)
    return ModuleScopes(config, log)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On an xdist worker, put the longest scopes first (every worker sorts alike, and the
    scheduler hands scopes out in this order). Everywhere, refuse a ``serial`` test whose
    module is not in the serial scope: it could run beside a timed test."""
    for item in items:
        if item.get_closest_marker("serial") and xdist_scope(item.nodeid) != "serial":
            module = item.nodeid.split("::", 1)[0]
            raise pytest.UsageError(
                f"{item.nodeid} is marked serial: add {module!r} to SHARED_WORKER as 'serial'"
            )
    if hasattr(config, "workerinput"):
        rank = {scope: index for index, scope in enumerate(LONGEST_FIRST)}
        items.sort(key=lambda item: rank.get(xdist_scope(item.nodeid), len(rank)))
