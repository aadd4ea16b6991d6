"""The built wheel stands on its own: it ships the tutorials, and they pass nbval installed.

One test, run by ``make wheel`` (part of ``make test``; not in ``make unit``: it builds a
wheel, makes a virtual environment and runs the four notebooks, about two minutes). It works
offline: the wheel is built without build isolation (hatchling comes from the dev
environment), and the fresh environment borrows the dev environment's third-party packages
through a ``.pth`` line (a line of a ``.pth`` file adds a folder to ``sys.path`` without
running that folder's own ``.pth`` files, so the dev checkout's editable install stays out).
Only the wheel is installed into it, and the test checks that ``vonage_widgets`` is imported
from there. The notebook stage runs with a private ``HOME`` and ``TMPDIR``; both must hold
nothing afterwards, and the installed files must be unchanged.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN = REPO / "tests" / "notebooks_plugin.py"

_FOREIGN_VARS = ("VONAGE_API_KEY", "VONAGE_API_SECRET", "VONAGE_WIDGETS_SANDBOX_URL")


def _run(argv: list[str], env: dict[str, str], cwd: Path, timeout: float) -> str:
    done = subprocess.run(
        argv, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, f"{argv[:4]} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


def _digests(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.timeout(900)
def test_the_installed_wheel_ships_the_tutorials_and_they_pass_nbval(tmp_path: Path) -> None:
    home, temp, work = tmp_path / "home", tmp_path / "tmp", tmp_path / "work"
    for folder in (home, temp, work):
        folder.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in _FOREIGN_VARS and k != "PYTHONPATH"}
    env.update(HOME=str(home), TMPDIR=str(temp), PIP_NO_CACHE_DIR="1", PIP_NO_INDEX="1")
    env.pop("VIRTUAL_ENV", None)

    # 1. Build the wheel from the repository; it carries exactly the notebooks of notebooks/.
    dist = tmp_path / "dist"
    pip_wheel = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    _run([*pip_wheel, "--quiet", "-w", str(dist), str(REPO)], env, work, 300)
    (wheel,) = dist.glob("vonage_widgets-*.whl")
    tutorials = {p.name: p.read_bytes() for p in sorted((REPO / "notebooks").glob("*.ipynb"))}
    assert len(tutorials) == 5
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            name.removeprefix("vonage_widgets/tutorials/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("vonage_widgets/tutorials/")
        }
        assert not [n for n in archive.namelist() if n.startswith(("tests/", "notebooks/"))]
        assert not [n for n in archive.namelist() if n.endswith("conftest.py")]
    assert shipped == tutorials

    # 2. A fresh environment with only the wheel installed (third-party packages borrowed).
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], env, work, 300)
    python = venv / "bin" / "python"
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            env,
            work,
            60,
        ).strip()
    )
    (purelib / "zz_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], env, work, 300)
    where = _run(
        [str(python), "-c", "import vonage_widgets; print(vonage_widgets.__file__)"], env, work, 60
    )
    installed = Path(where.strip()).parent
    assert installed == purelib / "vonage_widgets"
    packaged = installed / "tutorials"
    assert sorted(p.name for p in packaged.glob("*.ipynb")) == sorted(tutorials)

    # 3. What `vonage-widgets lab` opens outside a checkout: copies in <home>/tutorials.
    user_home = tmp_path / "user-home"
    lab_env = dict(env, VONAGE_WIDGETS_HOME=str(user_home))
    show = "from vonage_widgets.lab import prepare_notebook_dir as p; print(p())"
    out = _run([str(python), "-c", show], lab_env, work, 60).splitlines()
    assert out[-1] == str(user_home / "tutorials")
    assert "copied 01-create-an-application.ipynb" in out[0]
    assert {p.name: p.read_bytes() for p in (user_home / "tutorials").glob("*.ipynb")} == tutorials

    # 4. The installed tutorials under nbval, as `make notebooks` runs the repository's, with
    # a HOME and a TMPDIR of their own that must hold nothing afterwards.
    before = _digests(installed)
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    shutil.copy(PLUGIN, plugins / "notebooks_plugin.py")
    nb_home, nb_temp = tmp_path / "nbval-home", tmp_path / "nbval-tmp"
    nb_home.mkdir()
    nb_temp.mkdir()
    nbval = [str(python), "-m", "pytest", "-p", "notebooks_plugin", "-p", "no:cacheprovider"]
    nbval += ["--nbval", "--nbval-current-env", "-q", "--rootdir", str(work), str(packaged)]
    nb_env = dict(env, PYTHONPATH=str(plugins), HOME=str(nb_home), TMPDIR=str(nb_temp))
    out = _run(nbval, nb_env, work, 600)
    assert " passed" in out, out[-2000:]
    assert "failed" not in out, out[-2000:]
    assert _digests(installed) == before  # nothing installed was edited or added
    assert sorted(nb_temp.iterdir()) == []  # no keys, databases or folders left in TMPDIR
    assert sorted(nb_home.iterdir()) == []  # nor anything in HOME (.ipython, .jupyter...)
