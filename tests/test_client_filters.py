"""NumberFilters: one set of owned-number filters for every listing call of client.numbers."""

from __future__ import annotations

import pytest

from tests.client_helpers import API_KEY, API_SECRET, Recorder, Sleeps, json_reply, query
from vonage_widgets.client import NumberFilters, VonageClient
from vonage_widgets.errors import ValidationError

APP_ID = "aaaaaaaa-bbbb-cccc-dddd-0123456789ab"


def client_for(recorder: Recorder) -> VonageClient:
    return VonageClient(
        API_KEY,
        API_SECRET,
        rest_host="https://rest.example.test",
        api_host="https://api.example.test",
        transport=recorder.transport,
        sleep=Sleeps(),
    )


def test_filters_object_and_keyword_arguments_send_the_same_query() -> None:
    wanted = NumberFilters(country="gb", application_id=APP_ID, pattern="4477", size=3)
    recorder = Recorder(json_reply(200, {"count": 0}), json_reply(200, {"count": 0}))
    with client_for(recorder) as client:
        client.numbers.list_all(filters=wanted)
        by_object = query(recorder.last)
        client.numbers.list_all(country="gb", application_id=APP_ID, pattern="4477", size=3)
        by_keywords = query(recorder.last)
    assert by_object == by_keywords
    assert by_object == {
        "size": "3",
        "index": "1",
        "country": "GB",
        "application_id": APP_ID,
        "pattern": "4477",
    }


def test_filters_report_every_problem_at_once_naming_the_fields() -> None:
    with pytest.raises(ValidationError) as caught:
        NumberFilters(country="Britain", search_pattern=5, size=0).params(index=0)
    assert caught.value.paths == [
        "size",
        "index",
        "country",
        "search_pattern",
    ]


def test_filters_and_filter_arguments_together_are_refused() -> None:
    with client_for(Recorder()) as client, pytest.raises(TypeError, match="not both"):
        client.numbers.list(filters=NumberFilters(size=2), country="GB")
