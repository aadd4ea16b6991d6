"""Item 17: the sandbox's Messages API, messages accepted per second and status webhooks posted.

* **Messages accepted**: ``POST /v1/messages`` (an SMS) over loopback HTTP with a fresh
  application JWT each, one client, one message at a time; the reply is ``202`` before any
  status is posted. Baseline: the same requests with Basic auth (no RSA verification), so
  the ratio shows what the JWT check costs.
* **Status webhooks delivered**: from the first send until every message's ``submitted`` and
  ``delivered`` webhooks have been posted (signed) to a local webhook server and answered,
  statuses per second through the background dispatcher.
"""

from __future__ import annotations

import base64
import time

import httpx

from benchmarks._data import bench_key_pair
from benchmarks._measure import Scale, interleaved_rates
from benchmarks._report import Figure
from vonage_widgets.keys import load_private_key, mint_jwt
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls import DEFAULT_SIGNATURE_SECRET
from vonage_widgets.webhooks import WebhookServer

__all__ = ["run"]

_BENCH = "Messages API"


def run(scale: Scale) -> list[Figure]:
    """Messages accepted per second (JWT vs Basic); status webhooks posted per second."""
    pair = bench_key_pair()
    key = load_private_key(pair.private_pem)
    hooks = WebhookServer(signature_secret=DEFAULT_SIGNATURE_SECRET)
    with Sandbox() as sandbox, hooks:
        body = {
            "name": "bench messages",
            "keys": {"public_key": pair.public_pem},
            "capabilities": {"messages": {"webhooks": hooks.messages_webhooks()}},
        }
        created = httpx.post(
            sandbox.url + "/v2/applications",
            json=body,
            auth=(sandbox.api_key, sandbox.api_secret),
            timeout=60,
        )
        created.raise_for_status()
        app_id: str = created.json()["id"]
        basic = base64.b64encode(f"{sandbox.api_key}:{sandbox.api_secret}".encode()).decode()
        sms = {
            "channel": "sms",
            "message_type": "text",
            "to": "447700900555",
            "from": "447700900001",
            "text": "Benchmark",
        }
        uuids: list[str] = []
        count = scale.requests
        with httpx.Client(base_url=sandbox.url, timeout=60) as client:

            def send(authorization: str, message: dict[str, str]) -> None:
                response = client.post(
                    "/v1/messages", json=message, headers={"Authorization": authorization}
                )
                if response.status_code != 202:
                    raise RuntimeError(f"send refused: {response.status_code}")
                uuids.append(response.json()["message_uuid"])

            def with_jwt(_: int) -> None:
                send(f"Bearer {mint_jwt(app_id, key)}", sms)

            def with_basic(_: int) -> None:  # statuses to the same server, via webhook_url
                send(f"Basic {basic}", {**sms, "webhook_url": hooks.status_url})

            started = time.perf_counter()
            rates = interleaved_rates({"jwt": with_jwt, "basic": with_basic}, count)
            for uuid in uuids:
                sandbox.message_statuses(uuid, timeout=120)
            elapsed = time.perf_counter() - started
        posted = sum(1 for r in hooks.records if r.kind == "status")
        if posted != 2 * len(uuids):
            raise RuntimeError(f"expected {2 * len(uuids)} statuses, got {posted}")
    return [
        Figure(
            f"{_BENCH}: messages accepted (POST /v1/messages, JWT)",
            rates["jwt"],
            "msgs/s",
            baseline=rates["basic"],
            notes=f"{count} SMS each way, one client; baseline: Basic auth (no RSA check)",
        ),
        Figure(
            f"{_BENCH}: status webhooks posted (submit to last status)",
            posted / elapsed if elapsed > 0 else None,
            "webhooks/s",
            notes=f"{posted} signed statuses to a local server, sent while the messages were",
        ),
    ]
