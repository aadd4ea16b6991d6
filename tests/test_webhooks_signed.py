"""Signed webhooks on the local server, and the signature secret kept out of every output."""

from __future__ import annotations

import json
from typing import Any

from tests.webhooks_helpers import ANSWER_BODY, ANSWER_QUERY, TALK_NCCO, event, serving
from vonage_widgets.keys import sign_webhook
from vonage_widgets.webhooks import WebhookServer

SECRET = "webhook-signature-secret-7f3a9c"
API_KEY = "abcd1234"
APP_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"


def bearer(payload: Any, secret: str = SECRET) -> dict[str, str]:
    """The Authorization header Vonage would send for ``payload``."""
    token = sign_webhook(payload, secret, api_key=API_KEY, application_id=APP_ID)
    return {"Authorization": f"Bearer {token}"}


def post_json(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":")).encode()


def test_signed_post_and_get_webhooks_are_verified() -> None:
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET)
    body = post_json(ANSWER_BODY)
    with serving(server) as http:
        posted = http.post(
            "/webhooks/answer",
            content=body,
            headers={**bearer(body), "content-type": "application/json"},
        )
        got = http.get("/webhooks/answer", params=ANSWER_QUERY, headers=bearer(ANSWER_QUERY))
        signed_event = event("completed")
        event_body = post_json(signed_event)
        evented = http.post(
            "/webhooks/event",
            content=event_body,
            headers={**bearer(event_body), "content-type": "application/json"},
        )

    assert posted.status_code == 200
    assert posted.json() == TALK_NCCO
    assert got.status_code == 200
    assert evented.status_code == 204
    assert list(server.requests["signature"]) == ["verified"] * 3


def test_a_signed_body_that_is_pretty_printed_still_verifies() -> None:
    # Vonage hashes the compact serialisation; whitespace in transit must not matter.
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET)
    pretty = json.dumps(ANSWER_BODY, indent=2).encode()
    with serving(server) as http:
        response = http.post(
            "/webhooks/answer",
            content=pretty,
            headers={**bearer(ANSWER_BODY), "content-type": "application/json"},
        )
    assert response.status_code == 200
    assert server.records[0].signature == "verified"


def test_tampered_payload_is_rejected() -> None:
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET)
    tampered = {**ANSWER_BODY, "to": "449999999999"}
    tampered_query = {**ANSWER_QUERY, "from": "440000000000"}
    with serving(server) as http:
        posted = http.post("/webhooks/answer", json=tampered, headers=bearer(ANSWER_BODY))
        got = http.get("/webhooks/answer", params=tampered_query, headers=bearer(ANSWER_QUERY))

    assert posted.status_code == 401
    assert got.status_code == 401
    assert posted.json()["title"] == "invalid signature"
    for record in server.records:
        assert record.signature.startswith("invalid: ")
        assert "payload_hash" in record.signature
        assert record.response_status == 401
        assert record.error is not None


def test_wrong_secret_is_rejected() -> None:
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET)
    with serving(server) as http:
        response = http.post(
            "/webhooks/answer", json=ANSWER_BODY, headers=bearer(ANSWER_BODY, "another-secret")
        )
    assert response.status_code == 401
    assert "does not match" in server.records[0].signature


def test_malformed_authorization_is_rejected() -> None:
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET)
    with serving(server) as http:
        basic = http.post(
            "/webhooks/event",
            json=event("started"),
            headers={"Authorization": "Basic Zm9vOmJhcg=="},
        )
        garbage = http.post(
            "/webhooks/event", json=event("started"), headers={"Authorization": "Bearer nonsense"}
        )
    assert (basic.status_code, garbage.status_code) == (401, 401)
    assert all(r.signature.startswith("invalid: ") for r in server.records)


def test_unsigned_is_rejected_when_required() -> None:
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET)
    with serving(server) as http:
        response = http.get("/webhooks/answer", params=ANSWER_QUERY)
    assert response.status_code == 401
    assert response.json()["title"] == "unsigned webhook"
    assert server.records[0].signature == "unsigned"


def test_unsigned_is_served_but_recorded_when_allowed() -> None:
    server = WebhookServer(TALK_NCCO, signature_secret=SECRET, reject_unsigned=False)
    with serving(server) as http:
        unsigned = http.get("/webhooks/answer", params=ANSWER_QUERY)
        forged = http.post(
            "/webhooks/answer", json=ANSWER_BODY, headers=bearer(ANSWER_BODY, "not-the-secret")
        )
    assert unsigned.status_code == 200
    assert server.records[0].signature == "unsigned"
    assert forged.status_code == 401  # a bad signature is never served


def test_without_a_secret_signatures_are_not_checked() -> None:
    server = WebhookServer(TALK_NCCO)
    with serving(server) as http:
        response = http.post(
            "/webhooks/answer", json=ANSWER_BODY, headers=bearer(ANSWER_BODY, "anything")
        )
    assert response.status_code == 200
    assert server.records[0].signature == "not checked"


def test_the_secret_never_appears_in_repr_records_or_errors() -> None:
    def leaky(call: Any) -> Any:
        raise RuntimeError(f"cannot use {SECRET} here")

    server = WebhookServer(leaky, signature_secret=SECRET, on_event=leaky)
    with serving(server) as http:
        http.get("/webhooks/answer", params=ANSWER_QUERY, headers=bearer(ANSWER_QUERY))
        http.post("/webhooks/event", json=event("input"), headers=bearer(event("input")))
        http.post("/webhooks/event", json=event("x"), headers=bearer(event("x"), "wrong-secret"))
        http.get("/webhooks/answer")
        shown = [repr(server), str(server), server.requests.to_string(), server.events.to_string()]
        shown += [repr(r) for r in server.records]

    assert "signature_secret='***'" in repr(server)
    assert [r.response_status for r in server.records] == [500, 500, 401, 401]
    assert "RuntimeError: cannot use *** here" in (server.records[0].error or "")
    for text in shown:
        assert SECRET not in text
    assert SECRET not in json.dumps([r.response for r in server.records])
