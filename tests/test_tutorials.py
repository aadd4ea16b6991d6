"""The user's working copies of the packaged tutorials: copied once, updated only while
unedited, never overwritten once the user changed them; the installed files never touched."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import pytest

from vonage_widgets import lab, tutorials
from vonage_widgets.tutorials import MANIFEST_NAME, copy_tutorials, user_tutorials_dir


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "installed"
    folder.mkdir()
    for name in ("01-a.ipynb", "02-b.ipynb"):
        (folder / name).write_text(json.dumps({"cells": [], "name": name}), encoding="utf-8")
        (folder / name).chmod(0o444)  # installed files may well be read-only
    (folder / "notes.txt").write_text("not a notebook", encoding="utf-8")
    return folder


def test_first_run_copies_every_notebook_and_leaves_the_source_alone(
    source: Path, tmp_path: Path
) -> None:
    before = _snapshot(source)
    target = tmp_path / "home" / "tutorials"
    report = copy_tutorials(source, target)
    assert report.copied == ["01-a.ipynb", "02-b.ipynb"]
    assert report.kept == report.updated == []
    assert sorted(p.name for p in target.iterdir()) == [MANIFEST_NAME, "01-a.ipynb", "02-b.ipynb"]
    for name in report.copied:
        assert (target / name).read_bytes() == (source / name).read_bytes()
        assert (target / name).stat().st_mode & stat.S_IWUSR  # the user can edit the copy
    assert _snapshot(source) == before
    assert str(target) in report.summary()
    assert "copied 01-a.ipynb, 02-b.ipynb" in report.summary()
    again = copy_tutorials(source, target)
    assert (again.copied, again.updated, again.kept) == ([], [], [])
    assert again.summary().endswith("up to date.")


def test_an_edited_copy_is_never_overwritten(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "tutorials"
    copy_tutorials(source, target)
    (target / "01-a.ipynb").write_text('{"mine": true}', encoding="utf-8")
    (source / "01-a.ipynb").chmod(0o644)
    (source / "01-a.ipynb").write_text('{"new": "release"}', encoding="utf-8")
    report = copy_tutorials(source, target)
    assert report.kept == ["01-a.ipynb"]
    assert (target / "01-a.ipynb").read_text(encoding="utf-8") == '{"mine": true}'
    assert "kept your edited 01-a.ipynb" in report.summary()


def test_an_unedited_copy_follows_a_new_release(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "tutorials"
    copy_tutorials(source, target)
    (source / "02-b.ipynb").chmod(0o644)
    (source / "02-b.ipynb").write_text('{"new": "release"}', encoding="utf-8")
    report = copy_tutorials(source, target)
    assert report.updated == ["02-b.ipynb"]
    assert (target / "02-b.ipynb").read_text(encoding="utf-8") == '{"new": "release"}'


def test_a_same_named_file_the_user_made_is_kept(source: Path, tmp_path: Path) -> None:
    target = tmp_path / "tutorials"
    target.mkdir()
    (target / "02-b.ipynb").write_text("their own", encoding="utf-8")
    report = copy_tutorials(source, target)
    assert report.copied == ["01-a.ipynb"]
    assert report.kept == ["02-b.ipynb"]
    assert (target / "02-b.ipynb").read_text(encoding="utf-8") == "their own"


def test_the_working_folder_is_under_the_home(tmp_path: Path) -> None:
    environ = {"VONAGE_WIDGETS_HOME": str(tmp_path)}
    assert user_tutorials_dir(environ) == tmp_path / "tutorials"


def test_a_checkout_opens_its_notebooks_without_copying(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("VONAGE_WIDGETS_HOME", str(tmp_path))
    assert tutorials.packaged_tutorials() is None  # a checkout has notebooks/, no package data
    folder = lab.prepare_notebook_dir()
    assert folder.name == "notebooks"
    assert list(tmp_path.iterdir()) == []
    assert capsys.readouterr().out == ""
    assert lab.prepare_notebook_dir(tmp_path / "x") == tmp_path / "x"
