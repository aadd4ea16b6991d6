"""Secrets never reach an output, and private keys are never lost or overwritten.

Secrets never reach an output (``docs/architecture.md``): users paste real credentials and
private keys into these notebooks and share them afterwards. Checked here:

- every tutorial notebook, run twice in temporary copies against one shared sandbox as
  ``vonage-widgets lab`` runs them (``tests/notebook_runs.py``, with a fake
  ``VONAGE_SIGNATURE_SECRET`` and DEBUG logging in the kernels and the sandbox): outputs,
  stored widget state, the kernels' stderr and the sandbox's log hold no API secret, no
  signature secret and no private key material;
- reprs and ``str()`` of every object a notebook shows, built with real-looking fake secrets;
- the text and traceback of the exceptions a user meets with bad credentials, bad webhook
  signatures and broken keys;
- private key files: mode 0600, never overwritten without ``overwrite=True`` (keys,
  ``Workbook.create_application``, the form), and a key that cannot be saved stays in memory
  with a way to retry.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import ipywidgets as ipw
import nbformat
import pytest
from pydantic import SecretStr

from tests.notebook_runs import NOTEBOOKS, NotebookRuns
from tests.reliability_helpers import (
    FAKE_API_KEY,
    FAKE_API_SECRET,
    FAKE_SIGNATURE_SECRET,
    SandboxProcess,
    closed_port,
    key_pair,
    leaks,
    snapshot,
)
from vonage_widgets.appconfig import apply_application_file, export_application
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import (
    ApiError,
    AuthenticationError,
    ConnectError,
    KeyHandlingError,
    ValidationError,
    VonageWidgetsError,
    WebhookSignatureError,
)
from vonage_widgets.keys import (
    KeyPair,
    generate_key_pair,
    keys_match,
    load_private_key,
    save_private_key,
    sign_webhook,
    verify_signed_webhook,
)
from vonage_widgets.models import Application
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.tables import capabilities_table, webhooks_table
from vonage_widgets.webhooks import WebhookServer
from vonage_widgets.widgets import ApplicationForm
from vonage_widgets.widgets._document import key_file_name
from vonage_widgets.workbook import Workbook

PRIVATE_PEM = key_pair().private_pem.get_secret_value()
PUBLIC_PEM = key_pair().public_pem
ANSWER = "https://example.com/answer"


def _everything(exc: BaseException) -> str:
    """All the text an exception can show: message, repr, attributes, traceback and causes."""
    parts = ["".join(traceback.format_exception(exc)), repr(exc), str(exc)]
    parts += [repr(value) for value in vars(exc).values()]
    return "\n".join(parts)


# -- notebooks -------------------------------------------------------------------------------
# The runs are shared with test_notebooks_rerun (tests/notebook_runs.py): every notebook twice,
# against one sandbox process, with DEBUG logging on in the kernels and in the sandbox.


def _private_key_files(runs: NotebookRuns) -> list[Path]:
    keys = runs.home / "keys"
    return sorted(keys.glob("*.key")) if keys.is_dir() else []


def _key_lines(runs: NotebookRuns) -> list[str]:
    """Every base64 line of every private key the notebooks saved."""
    return [
        line
        for key_file in _private_key_files(runs)
        for line in key_file.read_text().splitlines()[1:-1]
    ]


def test_there_are_notebooks_to_scan() -> None:
    assert len(NOTEBOOKS) >= 4


def test_the_leak_detector_finds_each_kind_of_leak() -> None:
    other = generate_key_pair().private_pem.get_secret_value()
    assert leaks("clean text, ***, -----BEGIN PRIVATE KEY----- line") == []
    assert leaks(json.dumps({"text": other})) == ["private key material"]
    assert leaks(f"x {FAKE_SIGNATURE_SECRET} y", FAKE_SIGNATURE_SECRET) != []
    assert leaks("Authorization: Basic c2FuZGJveDpzYW5kYm94LXNlY3JldA==") != []
    assert leaks("the sandbox-secret") != []


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_notebook_shows_no_secret(notebook_runs: NotebookRuns, notebook: Path) -> None:
    key_lines = _key_lines(notebook_runs)
    for run in notebook_runs.of(notebook):
        assert run.error is None, run.error
        text = run.path.read_text(encoding="utf-8")
        saved = nbformat.reads(text, as_version=4)
        outputs = [o for cell in saved.cells if cell.cell_type == "code" for o in cell.outputs]
        assert len(outputs) >= 3, "the notebook produced almost no output: nothing was scanned"
        assert "DEBUG logging on in this kernel" in text  # the log records are in the scan
        assert "PRIVATE KEY-----" not in text
        assert leaks(text, FAKE_SIGNATURE_SECRET) == []
        # The keys the notebooks themselves made: none of their lines may show anywhere.
        for line in key_lines:
            assert line not in text, f"a line of a saved key is in run {run.run}"


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_logs_show_no_secret(notebook_runs: NotebookRuns, notebook: Path) -> None:
    key_lines = _key_lines(notebook_runs)
    for run in notebook_runs.of(notebook):
        assert "DEBUG logging on in this kernel" in run.stderr  # stderr really was captured
        assert "PRIVATE KEY-----" not in run.stderr
        assert leaks(run.stderr, FAKE_SIGNATURE_SECRET) == []
        for line in key_lines:
            assert line not in run.stderr


def test_sandbox_logs_show_no_secret(notebook_runs: NotebookRuns) -> None:
    log = notebook_runs.sandbox_log
    assert "Vonage sandbox running at" in log
    assert " - DEBUG - " in log or "DEBUG:" in log, "the sandbox logged nothing at DEBUG"
    assert "PRIVATE KEY-----" not in log
    assert leaks(log, FAKE_SIGNATURE_SECRET) == []
    for line in _key_lines(notebook_runs):
        assert line not in log


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_notebook_shows_no_secret(notebook: Path) -> None:
    text = notebook.read_text(encoding="utf-8")
    assert "PRIVATE KEY-----" not in text
    assert leaks(text, FAKE_SIGNATURE_SECRET) == []


def test_notebook_key_files_are_private(notebook_runs: NotebookRuns) -> None:
    key_files = _private_key_files(notebook_runs)
    assert key_files, "notebook 01 saves private keys: none were found"
    for key_file in key_files:
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600, key_file
        assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700, key_file.parent


# -- reprs and str() -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """A sandbox whose account has the fake secret (and the fake signature secret)."""
    with Sandbox(
        accounts={FAKE_API_KEY: FAKE_API_SECRET}, signature_secret=FAKE_SIGNATURE_SECRET
    ) as running:
        yield running


@pytest.fixture
def client(sandbox: Sandbox) -> Iterator[VonageClient]:
    with VonageClient(
        FAKE_API_KEY, FAKE_API_SECRET, api_host=sandbox.url, rest_host=sandbox.url, max_retries=0
    ) as made:
        yield made


@pytest.fixture
def raw(sandbox: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, auth=(FAKE_API_KEY, FAKE_API_SECRET)) as made:
        yield made


@pytest.fixture(scope="module")
def generated(sandbox: Sandbox) -> Application:
    """An application whose create response carried a private key (the sandbox made it)."""
    with VonageClient(
        FAKE_API_KEY, FAKE_API_SECRET, api_host=sandbox.url, rest_host=sandbox.url
    ) as made:
        app = made.applications.create(
            {"name": "generated keys", "capabilities": {"voice": {"webhooks": {}}}}
        )
    assert app.keys is not None
    assert app.keys.private_key is not None
    return app


def _shown(value: object) -> str:
    return "\n".join([repr(value), str(value), format(value)])


def test_client_repr_masks_the_secret(client: VonageClient) -> None:
    assert FAKE_API_KEY in repr(client)
    assert leaks(_shown(client), FAKE_API_SECRET) == []


def test_sandbox_repr_masks_the_secrets(sandbox: Sandbox) -> None:
    assert leaks(_shown(sandbox), FAKE_API_SECRET, FAKE_SIGNATURE_SECRET) == []


def test_sandbox_cli_never_prints_a_given_secret(tmp_path: Path) -> None:
    env = {"VONAGE_SANDBOX_API_KEY": FAKE_API_KEY, "VONAGE_SANDBOX_API_SECRET": FAKE_API_SECRET}
    with SandboxProcess(tmp_path / "cli.sqlite3", env=env) as process:
        url = process.url
        with httpx.Client(base_url=url, auth=(FAKE_API_KEY, FAKE_API_SECRET)) as http:
            assert http.get("/v2/applications").status_code == 200  # the secret was taken
            assert http.get("/v2/applications", auth=(FAKE_API_KEY, "x")).status_code == 401
    assert f"API key:     {FAKE_API_KEY}" in process.output
    assert leaks(process.output, FAKE_API_SECRET) == []


def test_workbook_repr_masks_the_secret_in_every_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("VONAGE_WIDGETS_SANDBOX_URL", "VONAGE_API_KEY", "VONAGE_API_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("VONAGE_WIDGETS_SANDBOX_DB", ":temp:")
    with Workbook(sandbox=True, home=tmp_path) as offline:
        assert offline.mode == "sandbox"
        assert leaks(_shown(offline) + offline._repr_html_()) == []
    with Workbook(api_key=FAKE_API_KEY, api_secret=FAKE_API_SECRET, home=tmp_path) as live:
        assert live.mode == "vonage"
        assert FAKE_API_KEY in repr(live)
        assert leaks(_shown(live) + live._repr_html_() + repr(live.client), FAKE_API_SECRET) == []


def test_webhook_server_repr_masks_the_signature_secret() -> None:
    server = WebhookServer(signature_secret=FAKE_SIGNATURE_SECRET)
    assert leaks(_shown(server), FAKE_SIGNATURE_SECRET) == []
    with server:
        assert leaks(_shown(server), FAKE_SIGNATURE_SECRET) == []
        assert server.has_signature_secret


def test_key_pair_repr_shows_only_a_fingerprint() -> None:
    pair = key_pair()
    assert pair.fingerprint in repr(pair)
    assert leaks(_shown(pair)) == []
    assert leaks(repr(pair.private_pem) + str(pair.private_pem)) == []


def test_application_with_a_private_key_never_shows_it(generated: Application) -> None:
    secret = generated.keys.private_key.get_secret_value()  # type: ignore[union-attr]
    lines = secret.splitlines()[1:-1]
    shown = [
        _shown(generated),
        _shown(generated.keys),
        json.dumps(generated.to_dict()),
        json.dumps(generated.to_api()),
        generated.model_dump_json(),
        json.dumps(export_application(generated)),
        capabilities_table([generated]).to_html(),
        webhooks_table([generated]).to_string(),
    ]
    for text in shown:
        assert "PRIVATE KEY-----" not in text
        assert not any(line in text for line in lines)


def _widget_state_text() -> str:
    return json.dumps(ipw.Widget.get_manager_state(drop_defaults=False), default=str)


def test_form_never_shows_a_generated_private_key(tmp_path: Path) -> None:
    form = ApplicationForm(None, keys_dir=tmp_path)
    form.rows["name"].control.value = "keys in a form"
    form.generate_keys()
    pair = form.key_panel.pair
    assert pair is not None
    secret_lines = pair.private_pem.get_secret_value().splitlines()[1:-1]
    for text in (
        _shown(form),
        form.status.value,
        _widget_state_text(),
        json.dumps(form.document()),
    ):
        assert "PRIVATE KEY-----" not in text
        assert not any(line in text for line in secret_lines)


def test_form_replaces_a_pasted_private_key_with_its_public_half(tmp_path: Path) -> None:
    form = ApplicationForm(None, keys_dir=tmp_path)
    form.key_panel.choice.value = "own"
    form.key_panel.public_key_text.value = PRIVATE_PEM
    assert "PUBLIC KEY" in form.key_panel.public_key_text.value
    form.key_panel.check_path.value = PRIVATE_PEM  # the key itself typed where a path goes
    assert form.key_panel.check_path.value == ""
    assert leaks(_widget_state_text() + form.status.value + repr(form)) == []


# -- exceptions --------------------------------------------------------------------------------

_CALLS: dict[str, Callable[[VonageClient], object]] = {
    "list applications": lambda c: c.applications.list(),
    "get application": lambda c: c.applications.get("some-id"),
    "create application": lambda c: c.applications.create({"name": "x"}),
    "update application": lambda c: c.applications.update("some-id", {"name": "x"}),
    "delete application": lambda c: c.applications.delete("some-id"),
    "list numbers": lambda c: c.numbers.list(),
    "search numbers": lambda c: c.numbers.search("GB"),
    "link number": lambda c: c.numbers.link("442079460000", "app", country="GB"),
    "buy number": lambda c: c.numbers.buy("GB", "442079460000"),
}


@pytest.mark.parametrize("call", list(_CALLS), ids=str)
def test_authentication_errors_never_show_the_secret(sandbox: Sandbox, call: str) -> None:
    wrong = FAKE_API_SECRET[::-1]  # a wrong secret of the same shape
    with (
        VonageClient(
            FAKE_API_KEY, wrong, api_host=sandbox.url, rest_host=sandbox.url, max_retries=0
        ) as bad,
        pytest.raises(AuthenticationError) as caught,
    ):
        _CALLS[call](bad)
    assert caught.value.status == 401
    assert leaks(_everything(caught.value), wrong, FAKE_API_SECRET) == []


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_transport_errors_never_show_the_secret(method: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    dead = VonageClient(
        FAKE_API_KEY, FAKE_API_SECRET, api_host=url, rest_host=url, sleep=lambda s: None
    )
    call = (
        dead.applications.list
        if method == "GET"
        else lambda: dead.applications.create({"name": "x"})
    )
    with dead, pytest.raises(ConnectError) as caught:
        call()
    assert leaks(_everything(caught.value), FAKE_API_SECRET) == []


def test_debug_logs_show_no_secret(
    sandbox: Sandbox, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url = sandbox.url
    with VonageClient(FAKE_API_KEY, FAKE_API_SECRET, api_host=url, rest_host=url) as good:
        app = good.applications.create({"name": "logged"})  # the sandbox makes a key pair
        good.applications.update(str(app.id), {"name": "logged again"})
        good.numbers.link("442079460000", str(app.id), country="GB")
        with Workbook(sandbox=sandbox, api_key=FAKE_API_KEY, home=tmp_path) as wb:
            wb.create_application("logged by the workbook", answer_url=ANSWER)
    dead = f"http://127.0.0.1:{closed_port()}"
    retries = VonageClient(FAKE_API_KEY, FAKE_API_SECRET, api_host=dead, sleep=lambda s: None)
    with retries, pytest.raises(ConnectError):
        retries.applications.list()  # logs each retry
    with WebhookServer(signature_secret=FAKE_SIGNATURE_SECRET) as server:
        _post_event(server, "Bearer not-a-token")
    assert "retry 3 of 3" in caplog.text  # the logs were really captured
    assert "PRIVATE KEY-----" not in caplog.text
    assert leaks(caplog.text, FAKE_API_SECRET, FAKE_SIGNATURE_SECRET) == []


def test_a_host_with_a_password_is_refused_without_echoing_it() -> None:
    with pytest.raises(ValidationError) as caught:
        VonageClient(FAKE_API_KEY, "s", api_host=f"https://user:{FAKE_API_SECRET}@example.com")
    assert caught.value.paths == ["api_host"]
    assert leaks(_everything(caught.value), FAKE_API_SECRET) == []


def _post_event(server: WebhookServer, authorization: str | None) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    body = json.dumps({"uuid": "u-1", "status": "answered"})
    return httpx.post(server.event_url, content=body, headers=headers, timeout=10)


def test_bad_signatures_are_refused_without_showing_the_secret() -> None:
    payload = {"uuid": "u-1", "status": "answered"}
    signed = sign_webhook(payload, FAKE_SIGNATURE_SECRET, api_key="k", application_id="a")
    wrong = sign_webhook(payload, FAKE_SIGNATURE_SECRET + "x", api_key="k", application_id="a")
    headers = [
        f"Bearer {wrong}",
        f"Bearer {signed}x",
        f"Bearer {FAKE_SIGNATURE_SECRET}",
        f"Basic {FAKE_SIGNATURE_SECRET}",
        "Bearer",
        None,
    ]
    with WebhookServer(signature_secret=FAKE_SIGNATURE_SECRET) as server:
        answers = [_post_event(server, header) for header in headers]
        records = server.records
        table = server.requests.to_string() + server.events.to_string()
    assert [a.status_code for a in answers] == [401] * len(headers)
    text = "\n".join([*(a.text for a in answers), *(repr(r) for r in records), table])
    assert leaks(text, FAKE_SIGNATURE_SECRET) == []
    assert all(r.error for r in records)


@pytest.mark.parametrize(
    "token",
    ["garbage", "a.b.c", FAKE_SIGNATURE_SECRET],
    ids=["not-a-jwt", "three-parts", "the-secret-itself"],
)
def test_signature_errors_never_show_the_secret(token: str) -> None:
    with pytest.raises(WebhookSignatureError) as caught:
        verify_signed_webhook(token, FAKE_SIGNATURE_SECRET, payload={"a": 1})
    assert leaks(_everything(caught.value), FAKE_SIGNATURE_SECRET) == []


def test_user_code_errors_are_recorded_with_secrets_redacted() -> None:
    def answer(_request: object) -> object:
        raise RuntimeError(f"oops {FAKE_SIGNATURE_SECRET} {PRIVATE_PEM}")

    with WebhookServer(answer, signature_secret=FAKE_SIGNATURE_SECRET, reject_unsigned=False) as s:
        response = httpx.get(s.answer_url, timeout=10)
        record = s.records[-1]
    assert response.status_code == 500
    assert record.error
    assert "RuntimeError" in record.error
    assert leaks(response.text + repr(record), FAKE_SIGNATURE_SECRET) == []


def _broken_keys(tmp_path: Path) -> dict[str, Any]:
    lines = PRIVATE_PEM.splitlines()
    corrupt = "\n".join([lines[0], *(line[::-1] for line in lines[1:-1]), lines[-1]])
    bad_file = tmp_path / "corrupt.key"
    bad_file.write_text(corrupt)
    return {
        "truncated": "\n".join(lines[:10]),
        "no end line": "\n".join(lines[:-1]),
        "corrupt body": corrupt,
        "escaped newlines, cut": PRIVATE_PEM.replace("\n", "\\n")[:700],
        "corrupt file": bad_file,
        "public key given": PUBLIC_PEM,
        "two blocks glued": PRIVATE_PEM.replace("-----END PRIVATE KEY-----", "") + PUBLIC_PEM,
        "as bytes, cut": PRIVATE_PEM.encode()[:900],
        "secret str, cut": SecretStr(PRIVATE_PEM[:900]),
    }


@pytest.mark.parametrize(
    "case",
    [
        "truncated",
        "no end line",
        "corrupt body",
        "escaped newlines, cut",
        "corrupt file",
        "public key given",
        "two blocks glued",
        "as bytes, cut",
        "secret str, cut",
    ],
)
def test_key_loading_errors_never_show_the_key(tmp_path: Path, case: str) -> None:
    source = _broken_keys(tmp_path)[case]
    with pytest.raises(KeyHandlingError) as caught:
        load_private_key(source)
    assert leaks(_everything(caught.value)) == []


def test_key_text_without_header_is_not_echoed_as_a_path() -> None:
    body_only = "".join(PRIVATE_PEM.splitlines()[1:-1])[:900]
    with pytest.raises(KeyHandlingError) as caught:
        load_private_key(body_only)
    assert body_only[:40] not in _everything(caught.value)


def test_client_never_sends_a_private_key() -> None:
    sent: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(400, json={"title": "Bad Request", "detail": "x"})

    transport = httpx.MockTransport(record)
    mocked = VonageClient("k", "s", transport=transport, max_retries=0)
    with mocked, pytest.raises(VonageWidgetsError):
        mocked.applications.create({"name": "x", "keys": {"public_key": PRIVATE_PEM}})
    assert not any(b"PRIVATE KEY" in body for body in sent)


# -- private key files -------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o022], ids=["umask-000", "umask-022"])
def test_saved_key_and_new_folders_are_private(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        path = save_private_key(key_pair(), tmp_path / "a" / "b" / "app.key")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "a" / "b").stat().st_mode) == 0o700
    assert keys_match(path, PUBLIC_PEM)


def test_an_existing_key_file_is_never_overwritten(tmp_path: Path) -> None:
    target = tmp_path / "app.key"
    target.write_text("precious")
    link = tmp_path / "link.key"
    link.symlink_to(tmp_path / "elsewhere.key")
    for path in (target, link):
        with pytest.raises(KeyHandlingError, match="already exists"):
            save_private_key(key_pair(), path)
    assert target.read_text() == "precious"
    assert not (tmp_path / "elsewhere.key").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.key", "link.key"]


def test_overwrite_with_consent_gives_a_private_file(tmp_path: Path) -> None:
    target = tmp_path / "app.key"
    target.write_text("old")
    target.chmod(0o644)
    save_private_key(key_pair(), target, overwrite=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert keys_match(target, PUBLIC_PEM)


def test_a_failed_save_leaves_no_file_behind(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(KeyHandlingError) as caught:
        save_private_key(key_pair(), tmp_path / "a-file" / "app.key")
    assert "still in memory" in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def _fixed_pair(monkeypatch: pytest.MonkeyPatch, where: str) -> KeyPair:
    pair = generate_key_pair()
    monkeypatch.setattr(where, lambda: pair)
    return pair


def test_workbook_never_overwrites_a_key_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = _fixed_pair(monkeypatch, "vonage_widgets.keys.generate_key_pair")
    with Sandbox() as running, Workbook(sandbox=running, home=tmp_path) as wb:
        target = wb.keys_dir / key_file_name("mine", pair.public_pem)
        target.write_text("precious")
        with httpx.Client(base_url=running.url, auth=(running.api_key, running.api_secret)) as h:
            before = snapshot(h)
            with pytest.raises(KeyHandlingError, match="already exists"):
                wb.create_application("mine", answer_url=ANSWER)
            assert snapshot(h) == before  # nothing was created with a key we could not keep
    assert target.read_text() == "precious"


def test_workbook_key_files_are_private(tmp_path: Path) -> None:
    with Sandbox() as running, Workbook(sandbox=running, home=tmp_path) as wb:
        wb.create_application("private", answer_url=ANSWER)
        first = wb.key_path
        wb.create_application("vonage made it", answer_url=ANSWER, generate_keys=False)
        second = wb.key_path
    for path in (first, second):
        assert path is not None
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "keys").stat().st_mode) == 0o700


def _holds_private_key(value: object, depth: int = 0) -> bool:
    """Whether ``value`` (an error or a result) still carries a private key somewhere."""
    if depth > 3:
        return False
    if isinstance(value, Application):
        return value.keys is not None and value.keys.private_key is not None
    if isinstance(value, SecretStr | KeyPair):
        return True
    if isinstance(value, str):
        return "PRIVATE KEY-----" in value and len(value) > 1000
    attributes = getattr(value, "__dict__", None)
    if isinstance(attributes, dict):
        return any(_holds_private_key(v, depth + 1) for v in attributes.values())
    return False


def _unwritable_keys_dir(tmp_path: Path) -> Path:
    # Runs as root too: a path under a regular file can never be created.
    (tmp_path / "a-file").write_text("not a folder")
    return tmp_path / "a-file" / "keys"


def test_workbook_keeps_a_returned_key_it_cannot_save(tmp_path: Path) -> None:
    with Sandbox() as running, Workbook(sandbox=running, home=tmp_path) as wb:
        wb.keys_dir = _unwritable_keys_dir(tmp_path)
        try:
            result: object = wb.create_application("k", answer_url=ANSWER, generate_keys=False)
        except KeyHandlingError as error:
            result = error
        assert _holds_private_key(result) or _holds_private_key(wb)


def test_apply_keeps_a_returned_key_it_cannot_save(tmp_path: Path) -> None:
    config = tmp_path / "app.json"
    config.write_text(json.dumps({"name": "from a file"}))
    with Sandbox() as running:
        url = running.url
        with VonageClient(running.api_key, running.api_secret, api_host=url, rest_host=url) as c:
            try:
                result: object = apply_application_file(
                    c, config, keys_dir=_unwritable_keys_dir(tmp_path)
                )
            except KeyHandlingError as error:
                result = error
    assert _holds_private_key(result)


class _Recorder:
    """The part of a client the form uses, answering create like Vonage with made keys."""

    def __init__(self, returned_private_key: str | None = None) -> None:
        self.sent: list[dict[str, Any]] = []
        self.returned_private_key = returned_private_key
        self.applications = self

    def list_all(self) -> list[Application]:
        return []

    def create(self, document: dict[str, Any]) -> Application:
        self.sent.append(document)
        keys = dict(document.get("keys") or {})
        if self.returned_private_key is not None:
            keys["private_key"] = self.returned_private_key
        return Application.from_api({**document, "id": f"app-{len(self.sent)}", "keys": keys})


def _filled_form(client: _Recorder, keys_dir: Path) -> ApplicationForm:
    form = ApplicationForm(client, keys_dir=keys_dir)  # type: ignore[arg-type]
    form.rows["name"].control.value = "form keys"
    return form


def test_form_never_overwrites_a_key_file_and_keeps_the_key(tmp_path: Path) -> None:
    client = _Recorder()
    form = _filled_form(client, tmp_path / "keys")
    pair = KeyPair(private_pem=SecretStr(PRIVATE_PEM), public_pem=PUBLIC_PEM)
    form.key_panel.pair = pair
    form.validate()
    target = tmp_path / "keys" / key_file_name("form keys", PUBLIC_PEM)
    target.parent.mkdir()
    target.write_text("precious")
    with pytest.raises(KeyHandlingError, match="already exists"):
        form.save()
    assert target.read_text() == "precious"
    assert client.sent == []  # the request is only sent once the key is safe
    assert form.key_panel.unsaved
    assert form.key_panel.pair is pair
    assert "retry_save_key" in form.status.value
    saved = form.retry_save_key(tmp_path / "elsewhere")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert keys_match(saved, PUBLIC_PEM)
    created = form.save()
    assert created.keys is not None
    assert created.keys.public_key == PUBLIC_PEM
    assert form.key_path == saved


def test_form_keeps_a_generated_key_it_cannot_save(tmp_path: Path) -> None:
    client = _Recorder()
    form = _filled_form(client, _unwritable_keys_dir(tmp_path))
    with pytest.raises(KeyHandlingError):
        form.save()
    assert client.sent == []
    assert form.key_panel.unsaved
    saved = form.retry_save_key(tmp_path)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    form.save()
    assert len(client.sent) == 1
    assert keys_match(saved, client.sent[0]["keys"]["public_key"])


def test_form_keeps_a_returned_key_it_cannot_save(tmp_path: Path) -> None:
    client = _Recorder(returned_private_key=generate_key_pair().private_pem.get_secret_value())
    form = _filled_form(client, _unwritable_keys_dir(tmp_path))
    form.key_panel.choice.value = "own"
    form.key_panel.public_key_text.value = PUBLIC_PEM
    form.save()
    assert form.key_panel.unsaved
    saved = form.retry_save_key(tmp_path)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_the_sandbox_never_stores_or_echoes_a_private_key(
    sandbox: Sandbox, raw: httpx.Client
) -> None:
    body = {"name": "sent a private key", "keys": {"public_key": PUBLIC_PEM}}
    body["keys"]["private_key"] = PRIVATE_PEM  # type: ignore[index]
    created = raw.post("/v2/applications", json=body)
    assert created.status_code in (201, 400)
    shown = created.text
    if created.status_code == 201:
        shown += raw.get(f"/v2/applications/{created.json()['id']}").text
    generated = raw.post("/v2/applications", json={"name": "sandbox made the keys"})
    made = generated.json()["keys"]["private_key"]  # shown once, in this response only
    shown += raw.get(f"/v2/applications/{generated.json()['id']}").text
    shown += raw.get("/v2/applications", params={"page_size": 100}).text
    on_disk = b"".join(
        path.read_bytes() for path in sandbox.db_path.parent.glob(sandbox.db_path.name + "*")
    ).decode("utf-8", "replace")
    for text in (shown, on_disk):
        assert leaks(text) == []
        assert not any(line in text for line in made.splitlines()[1:-1])


def test_api_error_bodies_are_scrubbed(sandbox: Sandbox, raw: httpx.Client) -> None:
    # A 400 about a private key pasted as the public key must not echo the key back.
    response = raw.post("/v2/applications", json={"name": "x", "keys": {"public_key": PRIVATE_PEM}})
    assert response.status_code == 400
    assert leaks(response.text, FAKE_API_SECRET) == []
    error = ApiError.from_problem(400, response.json())
    assert leaks(_everything(error)) == []
