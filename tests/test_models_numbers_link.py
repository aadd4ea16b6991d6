"""OwnedNumber.linked_application_id: the one rule for "which application is this number on"."""

from __future__ import annotations

import pytest

from vonage_widgets.models import OwnedNumber
from vonage_widgets.tables import linked_application_id

APP = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"
OLD = "bbbbbbbb-bbbb-cccc-dddd-0123456789ab"


@pytest.mark.parametrize(
    ("listed", "linked"),
    [
        ({"app_id": APP, "voiceCallbackType": "app", "voiceCallbackValue": OLD}, APP),
        ({"voiceCallbackType": "app", "voiceCallbackValue": OLD}, OLD),
        ({"messagesCallbackType": "app", "messagesCallbackValue": OLD}, OLD),
        ({"voiceCallbackType": "tel", "voiceCallbackValue": "447700900001"}, None),
        ({}, None),
    ],
)
def test_the_link_is_app_id_then_an_app_typed_callback(
    listed: dict[str, str], linked: str | None
) -> None:
    number = OwnedNumber.model_validate({"country": "GB", "msisdn": "447700900000", **listed})
    assert number.linked_application_id == linked
    assert linked_application_id(number) == linked  # the tables' name reads the same rule
