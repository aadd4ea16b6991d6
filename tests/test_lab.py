"""plan_lab: what `vonage-widgets lab` runs, checked without starting JupyterLab."""

from __future__ import annotations

import json
from pathlib import Path

from vonage_widgets.lab import default_notebook_dir, plan_lab, trust_notebooks


def _config(plan_argv: list[str]) -> dict[str, object]:
    path = next(a.split("=", 1)[1] for a in plan_argv if a.startswith("--config="))
    return json.loads(Path(path).read_text())


def test_lab_binds_loopback_serves_the_notebooks_and_turns_off_network_chatter(
    tmp_path: Path,
) -> None:
    plan = plan_lab(tmp_path, port=8123, open_browser=False, environ={})
    try:
        assert f"--ServerApp.root_dir={tmp_path.resolve()}" in plan.argv
        assert "--ServerApp.ip=127.0.0.1" in plan.argv
        assert "--ServerApp.port=8123" in plan.argv
        assert "--ServerApp.open_browser=False" in plan.argv
        lab = _config(plan.argv)["LabApp"]
        assert isinstance(lab, dict)
        assert lab["news_url"] is None
        assert lab["check_for_updates_class"] == "jupyterlab.NeverCheckForUpdate"
        overrides = json.loads((Path(lab["app_settings_dir"]) / "overrides.json").read_text())
        notification = overrides["@jupyterlab/apputils-extension:notification"]
        assert notification == {"fetchNews": "false", "checkForUpdates": False}
        assert "default_url" not in lab  # an empty folder: Lab's own start page
    finally:
        plan.cleanup()
    assert not plan.config_file.parent.exists()


def test_lab_opens_the_first_numbered_notebook(tmp_path: Path) -> None:
    for name in ("README.ipynb", "02-b.ipynb", "01-a b.ipynb"):
        (tmp_path / name).write_text("{}")
    plan = plan_lab(tmp_path, environ={})
    try:
        assert _config(plan.argv)["LabApp"]["default_url"] == "/lab/tree/01-a%20b.ipynb"  # type: ignore[index]
    finally:
        plan.cleanup()


def test_sandbox_unless_both_credentials_are_set(tmp_path: Path) -> None:
    cases = [
        ({}, True),
        ({"VONAGE_API_KEY": "abcd1234"}, True),
        ({"VONAGE_API_KEY": "abcd1234", "VONAGE_API_SECRET": "s3cret-value"}, False),
    ]
    for environ, sandbox in cases:
        plan = plan_lab(tmp_path, environ=environ)
        plan.cleanup()
        assert plan.use_sandbox is sandbox, environ


def test_default_notebook_dir_is_the_checkouts_notebooks() -> None:
    folder = default_notebook_dir()
    assert folder.name == "notebooks"
    assert (folder / "01-create-an-application.ipynb").is_file()


def test_trust_notebooks_signs_them_so_stored_widgets_render(tmp_path: Path) -> None:
    import nbformat
    from nbformat.sign import NotebookNotary

    path = tmp_path / "01-x.ipynb"
    cell = nbformat.v4.new_code_cell("1", execution_count=1)
    cell.outputs = [
        nbformat.v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1)
    ]
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
    data = tmp_path / "jupyter-data"
    data.mkdir()
    notary = NotebookNotary(data_dir=str(data))
    try:
        assert not notary.check_signature(nbformat.read(path, as_version=4))
        assert trust_notebooks([path], data) == [path]
        assert notary.check_signature(nbformat.read(path, as_version=4))
    finally:
        notary.store.close()
