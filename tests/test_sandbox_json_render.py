"""The sandbox writes and reads JSON with pydantic-core: the same JSON as the stdlib's.

Response bodies are rendered by ``JsonBody`` (pydantic-core's encoder) instead of
Starlette's ``json.dumps`` renderer, and stored documents are read back with pydantic-core's
parser instead of ``json.loads``, because both were most of the cost of a list page
(benchmarks/listing.py). These tests hold them to the stdlib's results.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
from hypothesis import given, settings
from starlette.responses import JSONResponse

from tests.json_strategies import json_values
from tests.sandbox_helpers import sandbox, voice_app
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.app import JsonBody
from vonage_widgets.sandbox.ids import Clock, IdFactory
from vonage_widgets.sandbox.store import Store

__all__ = ["sandbox"]  # fixture used here


@given(json_values)
@settings(max_examples=300, deadline=None)
def test_a_body_decodes_to_the_value_starlette_would_send(value: Any) -> None:
    ours = JsonBody(value).body
    assert json.loads(ours) == json.loads(JSONResponse(value).body) == value


def test_a_list_page_is_byte_for_byte_what_starlette_would_send(sandbox: Sandbox) -> None:
    with httpx.Client(base_url=sandbox.url, trust_env=False, timeout=30) as http:
        auth = (sandbox.api_key, sandbox.api_secret)
        for number in range(3):
            app = voice_app(f"caf\u00e9 \u2028 {number}", custom={"ratio": 0.5, "big": 10**30})
            assert http.post("/v2/applications", json=app, auth=auth).status_code == 201
        response = http.get("/v2/applications", auth=auth)
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert len(body["_embedded"]["applications"]) == 3
    assert response.content == JSONResponse(body).body


@given(document=json_values)
@settings(max_examples=200, deadline=None)
def test_a_stored_document_reads_back_as_written(tmp_path_factory: Any, document: Any) -> None:
    store = Store(
        Path(tmp_path_factory.mktemp("store")) / "db.sqlite3", ids=IdFactory(None), clock=Clock()
    )
    try:
        stored = store.create_application("key", {"name": "x", "extra": document})
        read = store.get_application("key", stored.id)
        assert read is not None
        assert read.document == {"name": "x", "extra": document}
        _, page = store.list_applications("key", offset=0, limit=10)
        assert [row.document for row in page] == [read.document]
    finally:
        store.close()
