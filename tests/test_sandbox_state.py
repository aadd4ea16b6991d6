"""Sandbox state: persistence across restarts, concurrency, seeded ids, TLS files, lifecycle."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
import uuid
from pathlib import Path

import httpx
import platformdirs
import pytest

from tests.sandbox_helpers import client, voice_app
from vonage_widgets.errors import ValidationError, VonageWidgetsError
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.ids import SEEDED_EPOCH, Clock, IdFactory
from vonage_widgets.sandbox.store import Store
from vonage_widgets.sandbox.tls import ensure_tls_files


def _create_ids(sandbox: Sandbox, count: int) -> list[str]:
    with client(sandbox) as http:
        return [
            http.post("/v2/applications", json=voice_app(f"s{i}")).json()["id"]
            for i in range(count)
        ]


def test_restart_on_the_same_file_keeps_state(tmp_path: Path) -> None:
    db = tmp_path / "state.sqlite3"
    with Sandbox(db=db, seed=7) as first:
        [app_id] = _create_ids(first, 1)
        with client(first) as http:
            form = {"country": "DE", "msisdn": "493023125000", "app_id": app_id}
            assert http.post("/number/update", data=form).status_code == 200
            http.post("/number/cancel", data={"country": "FR", "msisdn": "33639980000"})
    assert db.is_file()
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    with Sandbox(db=db, seed=7) as second:
        with client(second) as http:
            assert http.get(f"/v2/applications/{app_id}").json()["name"] == "s0"
            linked = http.get("/account/numbers", params={"application_id": app_id}).json()
            assert [n["msisdn"] for n in linked["numbers"]] == ["493023125000"]
            assert http.get("/account/numbers").json()["count"] == 7  # the cancel stuck
        # The seeded id sequence carries on instead of re-issuing the first id.
        [next_id] = _create_ids(second, 1)
        assert next_id != app_id
        with client(second) as http:
            assert http.get("/v2/applications").json()["total_items"] == 2


def test_stop_and_start_keeps_a_temporary_database() -> None:
    sandbox = Sandbox()
    try:
        sandbox.start()
        [app_id] = _create_ids(sandbox, 1)
        sandbox.stop()
        assert not sandbox.running
        with pytest.raises(VonageWidgetsError):
            _ = sandbox.url
        sandbox.start()
        with client(sandbox) as http:
            assert http.get(f"/v2/applications/{app_id}").status_code == 200
        path = sandbox.db_path
    finally:
        sandbox.close()
    assert not path.exists()


def test_default_db_lives_in_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda name: str(tmp_path / name))
    with Sandbox(db="default") as sandbox:
        _create_ids(sandbox, 1)
        assert sandbox.db_path == tmp_path / "vonage-widgets" / "sandbox.sqlite3"
    assert sandbox.db_path.is_file()  # closing never deletes a named database


def test_seed_makes_ids_reproducible() -> None:
    runs = []
    for seed in (42, 42, 43):
        with Sandbox(seed=seed) as sandbox:
            runs.append(_create_ids(sandbox, 3))
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]
    assert len(set(runs[0])) == 3
    assert all(uuid.UUID(i).version == 4 for run in runs for i in run)
    with Sandbox() as unseeded_a, Sandbox() as unseeded_b:
        assert _create_ids(unseeded_a, 2) != _create_ids(unseeded_b, 2)


def test_seeded_clock_ticks_and_real_clock_is_now(tmp_path: Path) -> None:
    seeded = Store(tmp_path / "a.db", ids=IdFactory(1), clock=Clock(fixed=True))
    stamps = [seeded.create_application("k", {"name": str(i)}).created_at for i in range(3)]
    seeded.close()
    assert stamps == ["2025-01-01T00:00:01Z", "2025-01-01T00:00:02Z", "2025-01-01T00:00:03Z"]
    assert SEEDED_EPOCH.year == 2025
    real = Store(tmp_path / "b.db", ids=IdFactory(), clock=Clock())
    stamp = real.create_application("k", {"name": "x"}).created_at
    real.close()
    assert stamp[:4] == time.strftime("%Y", time.gmtime())


def test_eight_threads_fifty_mixed_writes_lose_nothing(tmp_path: Path) -> None:
    threads_count, operations = 8, 50
    failures: list[str] = []
    created: dict[int, list[str]] = {}
    last_name: dict[str, str] = {}
    lock = threading.Lock()

    def worker(number: int, sandbox: Sandbox) -> None:
        mine: list[str] = []
        try:
            with client(sandbox) as http:
                for step in range(operations):
                    if step % 5 == 0 or not mine:  # 10 creates, 40 updates per thread
                        response = http.post("/v2/applications", json=voice_app(f"t{number}"))
                        if response.status_code != 201:
                            failures.append(f"create {response.status_code}")
                            continue
                        mine.append(response.json()["id"])
                    else:
                        app_id = mine[step % len(mine)]
                        name = f"t{number}-s{step}"
                        response = http.put(f"/v2/applications/{app_id}", json=voice_app(name))
                        if response.status_code != 200:
                            failures.append(f"update {response.status_code}")
                        with lock:
                            last_name[app_id] = name
        except Exception as error:  # a worker must report, never die silently
            failures.append(repr(error))
        created[number] = mine

    with Sandbox(db=tmp_path / "busy.sqlite3") as sandbox:
        workers = [
            threading.Thread(target=worker, args=(n, sandbox), daemon=True)
            for n in range(threads_count)
        ]
        for thread in workers:
            thread.start()
        deadline = time.monotonic() + 120
        for thread in workers:
            thread.join(max(0.0, deadline - time.monotonic()))
        assert not any(t.is_alive() for t in workers), "workers did not finish in 120 s"
        assert failures == []
        all_ids = [i for ids in created.values() for i in ids]
        assert len(all_ids) == len(set(all_ids)) == threads_count * (operations // 5)
        with client(sandbox) as http:
            listed = {}
            for page in (1, 2):
                body = http.get("/v2/applications", params={"page_size": 100, "page": page})
                listed |= {a["id"]: a["name"] for a in body.json()["_embedded"]["applications"]}
    assert set(listed) == set(all_ids)
    for app_id, name in last_name.items():
        assert listed[app_id] == name


def test_accounts_are_checked() -> None:
    with pytest.raises(ValidationError) as empty:
        Sandbox(accounts={})
    assert empty.value.paths == ["accounts"]
    with pytest.raises(ValidationError):
        Sandbox(accounts={"a:b": "secret"})
    with pytest.raises(ValidationError):
        Sandbox(accounts={"key": ""})


def test_tls_files_made_once_and_private(tmp_path: Path) -> None:
    first = ensure_tls_files(tmp_path)
    ca_pem, server_pem = first.ca_file.read_bytes(), first.cert_file.read_bytes()
    again = ensure_tls_files(tmp_path)
    assert first == again
    assert again.ca_file.read_bytes() == ca_pem
    assert again.cert_file.read_bytes() == server_pem
    assert stat.S_IMODE(os.stat(first.key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(first.ca_file.parent / "ca-key.pem").st_mode) == 0o600
    assert b"PRIVATE KEY" not in first.ca_file.read_bytes()
    # A new host name re-issues the server certificate under the same CA.
    widened = ensure_tls_files(tmp_path, hosts=("sandbox.test",))
    assert widened.ca_file.read_bytes() == ca_pem
    assert widened.cert_file.read_bytes() != server_pem
    widened_pem = widened.cert_file.read_bytes()
    ensure_tls_files(tmp_path, hosts=("sandbox.test",))
    assert widened.cert_file.read_bytes() == widened_pem  # still covered: not re-issued


def test_tls_sandbox_is_trusted_through_its_ca_only(tmp_path: Path) -> None:
    with Sandbox(db=tmp_path / "t.db", tls=True) as sandbox, client(sandbox) as idle:
        assert sandbox.url.startswith("https://")
        assert sandbox.ca_file == str(tmp_path / "sandbox-tls" / "ca" / "ca.pem")
        assert idle.get("/v2/applications").status_code == 200
        with pytest.raises(httpx.ConnectError):
            httpx.get(sandbox.url + "/v2/applications")  # system trust store: refused
        started = time.monotonic()
        sandbox.stop()  # while the client still holds its connection
        assert time.monotonic() - started < 5
