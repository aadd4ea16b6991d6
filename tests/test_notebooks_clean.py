"""Every tutorial notebook is stored clean: executed outputs, no widget state, no secrets.

nbval compares stored outputs, so they must exist with their execution counts; nbstripout
must have removed widget state and timings; and nothing a reader or a repository sees may
hold a secret, a private key, a temporary path or the output of a run against the real API.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import nbformat
import pytest

from vonage_widgets.sandbox import DEFAULT_API_SECRET

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
PRIVATE_KEY = re.compile(r"BEGIN (?:[A-Z ]+ )?PRIVATE KEY")
TEMP_PATH = re.compile(r"(?<![\w.])/(?:tmp|var/folders)/")
SKIP_TAGS = {"nbval-skip"}


def _code_cells(nb: Any) -> list[Any]:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def _skipped(cell: Any) -> bool:
    tags = set(cell.get("metadata", {}).get("tags", []))
    marked = any(
        line.strip().lstrip("#").strip() == "NBVAL_SKIP" for line in cell.source.splitlines()
    )
    return marked or bool(tags & SKIP_TAGS)


def _output_text(cell: Any) -> str:
    return json.dumps(cell.get("outputs", []), ensure_ascii=False)


def test_there_are_notebooks() -> None:
    names = [path.name for path in NOTEBOOKS]
    assert "01-create-an-application.ipynb" in names
    assert "02-configure-webhooks.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_valid_with_the_default_kernel(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert (nb.nbformat, nb.nbformat_minor) >= (4, 2)  # widget outputs need 4.2+
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stored_with_execution_counts(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    run = [cell for cell in _code_cells(nb) if not _skipped(cell)]
    assert run, "a notebook without code"
    counts = [cell.execution_count for cell in run]
    assert None not in counts, (
        f"unrun cells: {[c.source[:40] for c in run if not c.execution_count]}"
    )
    assert counts == sorted(counts), "cells were run out of order"
    assert len(set(counts)) == len(counts)
    assert any(cell.outputs for cell in run), "no stored outputs: nbval would check nothing"
    for cell in run:
        tags = set(cell.metadata.get("tags", []))
        for output in cell.outputs:
            assert output.output_type != "error" or "raises-exception" in tags, (
                f"stored error in {cell.source[:60]!r}"
            )


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_shown_widgets_have_their_state_and_no_timings(path: Path) -> None:
    """Each displayed widget renders without a kernel: its model (and the models it refers
    to) are in the notebook's widget state; demo widgets that are never shown are not."""
    nb = nbformat.read(path, as_version=4)
    shown = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in _code_cells(nb)
        for output in cell.outputs
        if WIDGET_VIEW in output.get("data", {})
    ]
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for model in shown:
        assert model in state, f"no saved state for a displayed widget in {path.name}"
    if state:
        text = json.dumps(state)
        refs = set(re.findall(r"IPY_MODEL_([0-9a-f]+)", text))
        assert refs <= set(state), "a saved widget refers to a model that is not saved"
        assert shown, "widget state saved but no widget shown"
    for cell in nb.cells:
        assert "execution" not in cell.metadata  # nbclient timings
        assert "widgets" not in cell.metadata


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_secret_key_or_temporary_path(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not PRIVATE_KEY.search(text), "a private key in the notebook"
    assert DEFAULT_API_SECRET not in text
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        shown = _output_text(cell)
        assert not TEMP_PATH.search(shown), (
            f"a temporary path in the output of {cell.source[:60]!r}"
        )
        assert "Vonage API at" not in shown, "outputs stored from a run against the real API"
    widgets = json.dumps(nb.metadata.get("widgets", {}), ensure_ascii=False)
    assert not TEMP_PATH.search(widgets), "a temporary path in the saved widget state"
    assert not PRIVATE_KEY.search(widgets)


LOOPBACK_PORT = re.compile(r"127\.0\.0\.1:(\d+)")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_read_as_a_users_own_run(path: Path) -> None:
    """One shared sandbox as with `make lab` (tools/run_notebooks.py): no test wording, the
    same two stable ports everywhere."""
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        shown = _output_text(cell)
        assert "temporary database" not in shown
        assert "in this kernel" not in shown
        assert set(LOOPBACK_PORT.findall(shown)) <= {"8800", "8900"}
        assert "NBVAL_" not in cell.source, "a test marker a reader would see: use a tag"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_tables_are_stored_styled_without_nan_index_or_long_ids(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    tables = 0
    for cell in _code_cells(nb):
        for output in cell.outputs:
            data = output.get("data", {})
            if "text/html" not in data or "<table" not in data["text/html"]:
                continue
            tables += 1
            page = data["text/html"]
            assert not re.search(r">\s*(NaN|None|nan|&lt;NA&gt;)\s*<", page), cell.source[:60]
            assert 'class="dataframe"' not in page, f"a bare DataFrame from {cell.source[:60]!r}"
            assert 'class="blank level0"' not in page, "a bare index column"
            for full in re.findall(rf">\s*({UUID})\s*<", page):
                pytest.fail(f"a whole id {full} shown in a table cell of {cell.source[:60]!r}")
    if path.name.startswith(("01", "02", "03", "04")):
        assert tables, "no stored table"


def test_the_checks_catch_what_they_claim(tmp_path: Path) -> None:
    """The scans above are only worth something if they see a planted problem."""
    leaky = {
        "outputs": [
            {"output_type": "stream", "name": "stdout", "text": "saved /tmp/abc/keys/x.key\n"}
        ]
    }
    assert TEMP_PATH.search(_output_text(nbformat.from_dict(leaky)))
    assert not TEMP_PATH.search('"<home>/keys/x.key" and http://host/tmp/x')
    assert PRIVATE_KEY.search("-----BEGIN RSA PRIVATE KEY-----")
    assert PRIVATE_KEY.search("-----BEGIN PRIVATE KEY-----")
    skipped = nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["nbval-skip"]})
    assert _skipped(skipped)
    assert _skipped(nbformat.v4.new_code_cell("# NBVAL_SKIP\nx = 1"))
    assert not _skipped(nbformat.v4.new_code_cell("x = 1"))
