"""The tutorial notebooks run again and again, in any order, against one persistent sandbox.

``vonage-widgets lab`` starts one sandbox whose state survives between runs and points every
kernel at it (``VONAGE_WIDGETS_SANDBOX_URL``). nbval cannot see what happens there: each of its
runs starts from a fresh temporary database. So here one sandbox (a real ``vonage-widgets
sandbox`` process with a database file) serves every notebook twice in a row, executed into
temporary copies (the stored notebooks are never written), and no cell may raise. The first
pass runs them backwards (notebook 5 on an empty sandbox, notebook 1 after the others have
linked a number), the second forwards (notebook 1 right after itself, then 2 to 5 after it).
The runs are shared with the secret scan (``tests/notebook_runs.py``).
"""

from __future__ import annotations

from tests.notebook_runs import NOTEBOOKS, NotebookRuns
from vonage_widgets.client import VonageClient
from vonage_widgets.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET

TUTORIAL_APPLICATIONS = ("My first voice app", "Voice app in code")


def test_every_notebook_runs_twice_against_one_persistent_sandbox(
    notebook_runs: NotebookRuns,
) -> None:
    assert [path.name[:2] for path in NOTEBOOKS] == ["01", "02", "03", "04", "05"]
    assert [(r.run, r.source.name[:2]) for r in notebook_runs.runs] == [
        (1, "05"), (1, "04"), (1, "03"), (1, "02"), (1, "01"),
        (2, "01"), (2, "02"), (2, "03"), (2, "04"), (2, "05"),
    ]  # fmt: skip
    for run in notebook_runs.runs:
        assert run.error is None, f"run {run.run} of {run.source.name}: a cell raised:\n{run.error}"
        # Every kernel used the shared sandbox, not one of its own.
        assert "shared by vonage-widgets lab" in run.text("Workbook()"), run.source.name

    # Notebook 1 found what its previous run made, and started over.
    started_over = notebook_runs.get(2, "01").text("delete_applications(")
    assert all(repr(name) in started_over for name in TUTORIAL_APPLICATIONS), started_over

    url = notebook_runs.sandbox.url
    with VonageClient(DEFAULT_API_KEY, DEFAULT_API_SECRET, api_host=url, rest_host=url) as client:
        names = [app.name for app in client.applications.list_all()]
        linked = [n for n in client.numbers.list_all() if n.app_id]
    # No second copy of what notebook 1 makes, whatever ran before it.
    for name in TUTORIAL_APPLICATIONS:
        assert names.count(name) == 1, names
    assert linked, "notebooks 3 and 4 link a number"
    # The stored notebooks were never overwritten.
    assert {path: path.read_bytes() for path in NOTEBOOKS} == notebook_runs.stored
