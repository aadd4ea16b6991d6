"""fit_warnings and explain_error: pure functions, real models."""

from __future__ import annotations

from typing import Any

import pytest

from tests.linking_helpers import (
    MESSAGES,
    NOT_OWNED,
    client,
    sandbox,
    voice,
)
from tests.sandbox_helpers import voice_app
from vonage_widgets.client import VonageClient
from vonage_widgets.errors import (
    AuthenticationError,
    ConnectError,
    NumbersError,
    RateLimitedError,
)
from vonage_widgets.linking import explain_error, fit_warnings
from vonage_widgets.models import Application, OwnedNumber

__all__ = ["client", "sandbox", "voice"]


def _number(**fields: Any) -> OwnedNumber:
    return OwnedNumber.model_validate({"country": "GB", "msisdn": "447700900000", **fields})


VOICE_APP = Application.from_api({"id": "v-1", **voice_app("calls")})
MESSAGES_APP = Application.from_api({"id": "m-1", "name": "texts", "capabilities": MESSAGES})
BOTH_APP = Application.from_api(
    {
        "id": "b-1",
        "name": "both",
        "capabilities": {**voice_app()["capabilities"], **MESSAGES},
    }
)
EMPTY_APP = Application.from_api({"id": "e-1", "name": "empty"})


def test_voice_and_sms_number_fits_an_app_with_both() -> None:
    assert fit_warnings(_number(features=["VOICE", "SMS"]), BOTH_APP) == []


def test_voice_number_for_an_app_without_voice() -> None:
    warnings = fit_warnings(_number(features=["VOICE"]), MESSAGES_APP)
    assert len(warnings) == 1
    assert (
        "can receive calls (VOICE) but application 'texts' has no voice capability" in (warnings[0])
    )


def test_sms_only_number_for_a_voice_app() -> None:
    warnings = fit_warnings(_number(features=["SMS"]), VOICE_APP)
    assert any("cannot receive calls (it has SMS, no VOICE)" in w for w in warnings)
    assert any("has no messages capability" in w for w in warnings)


def test_sms_with_its_own_webhook_is_fine_for_a_voice_app() -> None:
    number = _number(features=["VOICE", "SMS"], moHttpUrl="https://example.com/sms")
    assert fit_warnings(number, VOICE_APP) == []


def test_app_without_capabilities() -> None:
    warnings = fit_warnings(_number(features=["VOICE"]), EMPTY_APP)
    assert warnings == [
        "application 'empty' has no capabilities: nothing will answer calls or messages to "
        "447700900000. Add voice or messages to the application first."
    ]


def test_unknown_features_are_not_guessed() -> None:
    assert fit_warnings(_number(), VOICE_APP) == []


def test_sip_forwarding_and_inbound_limits_are_named() -> None:
    number = _number(
        features=["VOICE", "SMS"],
        voiceCallbackType="tel",
        voiceCallbackValue="447700900123",
        limitations=[{"feature": "VOICE", "type": "INBOUND", "reach": "DOMESTIC"}],
    )
    warnings = fit_warnings(number, BOTH_APP)
    assert any("go to tel 447700900123, not to the answer_url" in w for w in warnings)
    assert any("accepts inbound VOICE from domestic senders only" in w for w in warnings)


def test_real_420_from_the_sandbox_is_explained(client: VonageClient, voice: Application) -> None:
    with pytest.raises(NumbersError) as caught:
        # the client's own call; link() would refuse locally after its lookup, update() sends
        client.numbers.update(NOT_OWNED, "GB", app_id=voice.id)
    assert caught.value.status == 420
    message = explain_error(caught.value, msisdn=NOT_OWNED, app_id=voice.id)
    assert message.startswith(f'Vonage refused to change {NOT_OWNED} (HTTP 420 "method failed")')
    assert "the account does not own the number in that country" in message
    assert f"client.numbers.list(pattern='{NOT_OWNED}')" in message


def test_bare_method_failed_is_still_explained() -> None:
    error = NumbersError(420, "420", "method failed")
    message = explain_error(error, msisdn="447700900000", app_id="abc")
    assert "Vonage said" not in message  # nothing more than the label: no empty quote
    assert "application abc does not exist in this account" in message
    assert "not ready for changes" in message


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (AuthenticationError(401, title="Unauthorized"), "VONAGE_API_KEY and VONAGE_API_SECRET"),
        (NumbersError(200, "401", "authentication failed"), "VONAGE_API_SECRET"),
        (RateLimitedError(429), "pass the same list again"),
        (ConnectError("connection refused"), "may or may not have changed"),
    ],
)
def test_other_failures_say_what_to_do(error: Exception, words: str) -> None:
    assert words in explain_error(error, msisdn="447700900000")


def test_wrong_secret_is_refused_with_a_hint(client: VonageClient) -> None:
    with (
        VonageClient(
            client.api_key, "not-the-secret", api_host=client.api_host, rest_host=client.rest_host
        ) as wrong,
        pytest.raises(AuthenticationError) as caught,
    ):
        wrong.numbers.list()
    text = explain_error(caught.value)
    assert "VONAGE_API_KEY" in text
    assert "not-the-secret" not in text
