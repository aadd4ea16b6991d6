"""The CLI as a whole: target selection, exit codes, error text, help, lab, entry points."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests import cli_helpers
from tests.cli_helpers import create_app, run
from vonage_widgets._server import BackgroundServer
from vonage_widgets.cli._output import exit_code_for, format_error
from vonage_widgets.errors import (
    ApiError,
    ConnectError,
    FieldError,
    KeyHandlingError,
    NumbersError,
    ValidationError,
)
from vonage_widgets.sandbox import DEFAULT_API_SECRET, Sandbox

home = cli_helpers.home
sandbox = cli_helpers.sandbox


# -- which API a command talks to ------------------------------------------------------------


def test_embedded_sandbox_keeps_state_between_commands(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VONAGE_WIDGETS_SANDBOX_DB")  # the persistent default database
    created = create_app(capsys, "persisted")
    listed = run(capsys, "apps", "list", "--json")
    assert listed.code == 0
    assert [a["id"] for a in listed.json] == [created["application"]["id"]]
    assert "embedded sandbox" in listed.err
    assert str(home / "sandbox.sqlite3") in listed.err
    assert (home / "sandbox.sqlite3").is_file()


def test_credentials_select_the_vonage_api_and_never_show_the_secret(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with Sandbox() as account, Sandbox() as other:
        # The "real" API, reached through the documented host variables.
        monkeypatch.setenv("VONAGE_API_KEY", account.api_key)
        monkeypatch.setenv("VONAGE_API_SECRET", account.api_secret)
        monkeypatch.setenv("VONAGE_API_HOST", account.url)
        monkeypatch.setenv("VONAGE_REST_HOST", account.url)
        create_app(capsys, "on the account")
        listed = run(capsys, "apps", "list", "--json")
        assert [a["name"] for a in listed.json] == ["on the account"]
        assert f"Vonage API at {account.url}" in listed.err
        assert DEFAULT_API_SECRET not in listed.text

        # An explicit --sandbox-url wins over the credentials (and says so).
        redirected = run(capsys, "apps", "list", "--json", "--sandbox-url", other.url)
        assert redirected.json == []
        assert f"sandbox at {other.url} (from --sandbox-url)" in redirected.err
        assert "not the credentials" in redirected.err

        # Half the credentials: a sandbox, with a note saying why.
        monkeypatch.delenv("VONAGE_API_SECRET")
        monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_URL", other.url)
        half = run(capsys, "apps", "list", "--json")
        assert half.json == []
        assert "VONAGE_API_SECRET is not" in half.err
        assert "VONAGE_WIDGETS_SANDBOX_URL" in half.err


# -- errors and exit codes -------------------------------------------------------------------


def test_error_text_and_exit_codes_follow_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    problem = {
        "title": "Bad Request",
        "detail": "The request failed due to validation errors",
        "invalid_parameters": [
            {"name": "capabilities.voice.webhooks.answer_url.http_method", "reason": "must be GET"}
        ],
    }
    bad = ApiError.from_problem(400, problem, method="POST", url="http://x/v2/applications")
    assert exit_code_for(bad) == 3
    text = format_error(bad)
    assert text.startswith("error: HTTP 400")
    assert "capabilities.voice.webhooks.answer_url.http_method: must be GET" in text
    assert exit_code_for(ApiError.from_problem(503, {"title": "Unavailable"})) == 4
    assert exit_code_for(NumbersError(420, "420", "method failed")) == 3
    assert exit_code_for(ConnectError("refused")) == 4
    assert exit_code_for(KeyHandlingError("unreadable")) == 1
    invalid = ValidationError([FieldError("name", "is required")], subject="application")
    assert exit_code_for(invalid) == 1
    assert "  - name: is required" in format_error(invalid)
    assert exit_code_for(KeyboardInterrupt()) == 130
    missing = FileNotFoundError(2, "No such file or directory", "/nowhere/app.json")
    assert format_error(missing) == "error: No such file or directory '/nowhere/app.json'"
    monkeypatch.setenv("VONAGE_API_SECRET", "s3cret-value-99")
    leaked = format_error(KeyHandlingError("oops s3cret-value-99"))
    assert "s3cret-value-99" not in leaked


@pytest.fixture
def failing_server() -> Iterator[str]:
    """A loopback server that answers every request with HTTP 503 (a problem body)."""

    async def unavailable(request: Request) -> JSONResponse:
        body = {"type": "about:blank", "title": "Service Unavailable", "detail": "try later"}
        return JSONResponse(body, status_code=503, headers={"Retry-After": "0"})

    app = Starlette(routes=[Route("/{path:path}", unavailable, methods=["GET", "POST"])])
    with BackgroundServer(app, name="failing") as server:
        yield server.url


def test_server_errors_and_unreachable_hosts_exit_4(
    home: Path, failing_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    failed = run(capsys, "apps", "list", "--sandbox-url", failing_server)
    assert failed.code == 4
    assert "HTTP 503" in failed.err
    assert "Traceback" not in failed.err

    with Sandbox() as stopped:
        url = stopped.url
    unreachable = run(capsys, "apps", "list", "--sandbox-url", url)
    assert unreachable.code == 4
    assert "Connection refused" in unreachable.err or "ConnectError" in unreachable.err


def test_ctrl_c_exits_130_without_a_traceback(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(data: object) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("vonage_widgets.models.check_ncco", interrupted)
    path = tmp_path / "n.json"
    path.write_text("[]")
    result = run(capsys, "ncco", "validate", str(path))
    assert result.code == 130
    assert result.err.strip() == "error: interrupted"


def test_help_documents_exit_codes_and_commands(capsys: pytest.CaptureFixture[str]) -> None:
    top = run(capsys, "--help")
    assert top.code == 0
    for command in ("apps", "numbers", "ncco", "jwt", "lab", "sandbox"):
        assert command in top.out
    for code in ("0 ", "1 ", "2 ", "3 ", "4 ", "130"):
        assert f"  {code}" in top.out
    create = run(capsys, "apps", "create", "--help")
    assert "exit codes:" in create.out
    assert "--voice-answer-socket-timeout" in create.out
    assert "1000-5000 milliseconds" in create.out  # read from the models' catalog
    assert run(capsys, "apps").code == 2  # a subcommand is required


def test_lab_passes_its_options_to_run_lab(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake_run_lab(notebook_dir: Path | None = None, **options: Any) -> int:
        calls.append((notebook_dir, options))
        return 0

    monkeypatch.setattr("vonage_widgets.lab.run_lab", fake_run_lab)
    assert run(capsys, "lab", "--port", "9123", "--no-browser").code == 0
    assert calls == [(None, {"port": 9123, "open_browser": False})]
    assert run(capsys, "lab", "--notebook-dir", "/tmp/nb").code == 0
    assert calls[-1] == (Path("/tmp/nb"), {"port": 8888, "open_browser": True})


# -- entry points ----------------------------------------------------------------------------


def _clean_env(home_folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in cli_helpers.OUR_VARIABLES}
    env["VONAGE_WIDGETS_HOME"] = str(home_folder)
    env["VONAGE_WIDGETS_SANDBOX_DB"] = ":temp:"
    return env


def test_python_dash_m_and_the_console_script(home: Path, tmp_path: Path) -> None:
    env = _clean_env(home)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"action": "talk"}]))
    module = subprocess.run(
        [sys.executable, "-m", "vonage_widgets.cli", "ncco", "validate", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert module.returncode == 1
    assert "0.text: is required" in module.stdout

    script = Path(sys.executable).parent / "vonage-widgets"
    assert script.is_file(), "the console script is installed with the package"
    with Sandbox() as box:
        url = box.url
        listed = subprocess.run(
            [str(script), "apps", "list", "--json", "--sandbox-url", url],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
    assert f"Target: sandbox at {url}" in listed.stderr
    usage = subprocess.run(
        [str(script), "apps", "delete", "some-id"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert usage.returncode == 2
    assert "--yes" in usage.stderr
