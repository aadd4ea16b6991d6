"""``vonage-widgets sandbox``: starts, prints what a client needs, stops cleanly on Ctrl-C."""

from __future__ import annotations

import os
import queue
import signal
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from vonage_widgets.cli import build_parser, main


@contextmanager
def _running(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[list[str], str]]:
    """Run the CLI; yield the banner lines (up to "Press Ctrl-C") and the URL; then Ctrl-C."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vonage_widgets.cli", "sandbox", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, **(env or {})},
    )
    lines: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: [lines.put(line) for line in stdout], daemon=True)
    reader.start()
    banner: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while not banner or not banner[-1].startswith("Press Ctrl-C"):
            banner.append(lines.get(timeout=max(0.1, deadline - time.monotonic())).rstrip("\n"))
        url = banner[0].rsplit(" ", 1)[-1]
        yield banner, url
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=20) == 0
        reader.join(5)
        rest = []
        while not lines.empty():
            rest.append(lines.get_nowait())
        assert "Sandbox stopped.\n" in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_cli_serves_until_ctrl_c_and_keeps_state(tmp_path: Path) -> None:
    db = tmp_path / "cli.sqlite3"
    with _running("--db", str(db), "--seed", "5") as (banner, url):
        assert url.startswith("http://127.0.0.1:")
        text = "\n".join(banner)
        assert "API key:     sandbox" in text
        assert "sandbox-secret (the documented default)" in text
        assert str(db) in text
        with httpx.Client(base_url=url, auth=("sandbox", "sandbox-secret")) as http:
            created = http.post("/v2/applications", json={"name": "from the cli"})
            assert created.status_code == 201
    assert db.is_file()
    assert not any("Latency" in line for line in banner)
    with _running("--db", str(db), "--latency", "30") as (banner, url):
        assert "  Latency:     30 ms before each answer (simulated)" in banner
        listed = httpx.get(url + "/v2/applications", auth=("sandbox", "sandbox-secret")).json()
        assert [a["name"] for a in listed["_embedded"]["applications"]] == ["from the cli"]


def test_cli_never_prints_a_custom_secret_and_serves_tls(tmp_path: Path) -> None:
    env = {"VONAGE_SANDBOX_API_KEY": "team", "VONAGE_SANDBOX_API_SECRET": "team-secret-99"}
    with _running("--db", str(tmp_path / "t.db"), "--tls", env=env) as (banner, url):
        text = "\n".join(banner)
        assert "team-secret-99" not in text
        assert "API key:     team" in text
        ca_line = next(line for line in banner if line.strip().startswith("CA file:"))
        ca_file = ca_line.split(":", 1)[1].strip()
        assert Path(ca_file).is_file()
        assert url.startswith("https://127.0.0.1:")
        verify = ssl.create_default_context(cafile=ca_file)
        response = httpx.get(url + "/account/numbers", auth=env_auth(env), verify=verify)
        assert response.json()["count"] == 8


def env_auth(env: dict[str, str]) -> tuple[str, str]:
    """The credentials the CLI was given through its environment variables."""
    return env["VONAGE_SANDBOX_API_KEY"], env["VONAGE_SANDBOX_API_SECRET"]


def test_parser_has_the_sandbox_command_and_refuses_half_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VONAGE_SANDBOX_API_KEY", raising=False)
    monkeypatch.delenv("VONAGE_SANDBOX_API_SECRET", raising=False)
    args = build_parser().parse_args(["sandbox", "--port", "8123", "--tls", "--seed", "7"])
    assert (args.command, args.port, args.tls, args.seed, args.db) == (
        "sandbox",
        8123,
        True,
        7,
        "default",
    )
    with pytest.raises(SystemExit):
        main([])  # a command is required
    assert main(["sandbox", "--api-key", "only-a-key", "--db", "temp"]) == 2
    assert "both --api-key and --api-secret" in capsys.readouterr().err


def test_db_default_lives_in_vonage_widgets_home_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("VONAGE_WIDGETS_SANDBOX_DB", "VONAGE_WIDGETS_SANDBOX_URL", "VONAGE_WIDGETS_SEED"):
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    database = home / "sandbox.sqlite3"
    with _running("--db", "default", env={"VONAGE_WIDGETS_HOME": str(home)}) as (banner, url):
        assert f"  Database:    {database}" in banner
        created = httpx.post(
            url + "/v2/applications", json={"name": "kept"}, auth=("sandbox", "sandbox-secret")
        )
        assert created.status_code == 201
    assert database.is_file()
    # The workbook's shared sandbox reads the same file.
    from vonage_widgets.workbook import Workbook

    with Workbook(sandbox=True, home=home) as workbook:
        names = [app.name for app in workbook.client.applications.iter()]
    assert names == ["kept"]


def test_db_default_is_vonage_widgets_home_else_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One rule (vonage_widgets._paths) for the library's Sandbox, the CLI and the workbook.
    import platformdirs

    from vonage_widgets.cli.sandbox import _database
    from vonage_widgets.sandbox import Sandbox

    monkeypatch.delenv("VONAGE_WIDGETS_HOME", raising=False)
    expected = Path(platformdirs.user_data_dir("vonage-widgets")) / "sandbox.sqlite3"
    assert Sandbox(db="default").db_path == expected
    monkeypatch.setenv("VONAGE_WIDGETS_HOME", "~/vw-home")
    assert Sandbox(db="default").db_path == Path.home() / "vw-home" / "sandbox.sqlite3"
    assert _database("default") == "default"  # resolved by the Sandbox, as above
    assert _database("temp") is None
    assert _database("x.db") == "x.db"
