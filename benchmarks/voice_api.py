"""Item 16: the sandbox's Voice API, JWTs verified per second and calls created per second.

* **JWT verification**: what the sandbox does for each ``/v1/calls`` request before serving
  it (look the application's public key up in SQLite, check ``alg``, the RS256 signature,
  ``iat``/``exp``/``nbf``/``jti`` and the ``acl``), in process, against PyJWT's
  ``jwt.decode`` alone with the public key already loaded (the floor: the signature check
  and the time claims). Tokens are distinct (one per request, as the SDKs send them), minted
  before timing; contenders run in alternating rounds.
* **Calls created**: ``POST /v1/calls`` over loopback HTTP with a fresh JWT each, an NCCO of
  one ``talk``, and the four call events posted to a local webhook server; one client, one
  call at a time. Each call runs to its end (in simulated time) before the reply.
* **Call records read**: ``GET /v1/calls/{uuid}`` with a fresh JWT each.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt

from benchmarks._data import bench_key_pair
from benchmarks._measure import Scale, interleaved_rates
from benchmarks._report import Figure
from vonage_widgets.keys import load_private_key, load_public_key, mint_jwt, verify_application_jwt
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.sandbox.voice_api import VoiceApi
from vonage_widgets.webhooks import WebhookServer

__all__ = ["run"]

_BENCH = "Voice API"
_VERIFY_FACTOR = 50  # a verification is ~50x cheaper than a mint: more of them, stabler figure


def _application(sandbox: Sandbox, public_pem: str, event_url: str) -> str:
    body = {
        "name": "bench voice",
        "keys": {"public_key": public_pem},
        "capabilities": {
            "voice": {
                "webhooks": {
                    "answer_url": {"address": event_url, "http_method": "GET"},
                    "event_url": {"address": event_url, "http_method": "POST"},
                }
            }
        },
    }
    response = httpx.post(
        sandbox.url + "/v2/applications",
        json=body,
        auth=(sandbox.api_key, sandbox.api_secret),
        timeout=60,
    )
    response.raise_for_status()
    app_id: str = response.json()["id"]
    return app_id


def run(scale: Scale) -> list[Figure]:
    """Tokens verified per second (sandbox vs PyJWT alone); calls created and read per second."""
    pair = bench_key_pair()
    key = load_private_key(pair.private_pem)
    public = load_public_key(pair.public_pem)
    hooks = WebhookServer(signature_secret=DEFAULT_SIGNATURE_SECRET)
    with Sandbox() as sandbox, hooks:
        app_id = _application(sandbox, pair.public_pem, hooks.event_url)
        engine = sandbox._calls  # the running sandbox's call engine and store
        if engine is None:
            raise RuntimeError("the sandbox is not running")
        api = VoiceApi(engine)
        tokens = scale.jwt_tokens * _VERIFY_FACTOR
        now = int(time.time())
        minted = [mint_jwt(app_id, key, now=now) for _ in range(tokens)]
        headers = [f"Bearer {t}" for t in minted]

        def lookup(wanted: str) -> str | None:
            found = api.public_key_for(wanted)
            return None if found is None else found[1]

        def sandbox_verify(i: int) -> Any:
            return verify_application_jwt(headers[i], lookup, path="/v1/calls", method="GET")

        def pyjwt_verify(i: int) -> Any:
            return jwt.decode(minted[i], public, algorithms=["RS256"])

        for check in (sandbox_verify, pyjwt_verify):  # both accept every token
            check(0)
        rates = interleaved_rates({"sandbox": sandbox_verify, "pyjwt": pyjwt_verify}, tokens)

        count = scale.requests
        body = {
            "to": [{"type": "phone", "number": "447700900456"}],
            "from": {"type": "phone", "number": "447700900000"},
            "ncco": [{"action": "talk", "text": "Benchmark"}],
        }
        uuids: list[str] = []
        with httpx.Client(base_url=sandbox.url, timeout=60) as client:

            def create(_: int) -> None:
                auth = {"Authorization": f"Bearer {mint_jwt(app_id, key)}"}
                response = client.post("/v1/calls", json=body, headers=auth)
                if response.status_code != 201:
                    raise RuntimeError(f"create refused: {response.status_code}")
                uuids.append(response.json()["uuid"])

            def read(i: int) -> None:
                auth = {"Authorization": f"Bearer {mint_jwt(app_id, key)}"}
                response = client.get(f"/v1/calls/{uuids[i]}", headers=auth)
                if response.status_code != 200:
                    raise RuntimeError(f"read refused: {response.status_code}")

            created = interleaved_rates({"create": create}, count)["create"]
            read_rate = interleaved_rates({"read": read}, count)["read"]
        posted = sum(1 for r in hooks.records if r.kind == "event")
        if posted != 4 * count:
            raise RuntimeError(f"expected {4 * count} events, got {posted}")
    return [
        Figure(
            f"{_BENCH}: JWTs verified by the sandbox",
            rates["sandbox"],
            "tokens/s",
            baseline=rates["pyjwt"],
            notes=f"baseline: PyJWT jwt.decode alone, key loaded once; sandbox adds the SQLite "
            f"key lookup and the claim/acl rules; {tokens:,} distinct tokens each",
        ),
        Figure(
            f"{_BENCH}: calls created (POST /v1/calls)",
            created,
            "calls/s",
            notes=f"{count} calls, one client, fresh JWT each, 4 events each to a local server",
        ),
        Figure(
            f"{_BENCH}: call records read (GET /v1/calls/uuid)",
            read_rate,
            "req/s",
            notes=f"{count} reads, one client, fresh JWT each",
        ),
    ]
