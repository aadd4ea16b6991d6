"""``custom_data`` in a GET answer query is read by ``_json.loads``: a value it refuses is
kept as the text it arrived as, and the answer is still served (it used to crash on deep
nesting and let ``NaN`` and lone surrogates through)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.webhooks_helpers import ANSWER_QUERY, TALK_NCCO, serving
from vonage_widgets.webhooks import AnswerRequest, WebhookServer

DEEP = '{"a": ' + "[" * 100_000 + "]" * 100_000 + "}"


@pytest.mark.parametrize(
    "text",
    [DEEP, '{"a": NaN}', '{"a": 1e400}', '{"a": "\\ud800"}', '{"a": ' + "1" * 4301 + "}"],
    ids=["deep", "NaN", "1e400", "surrogate", "4301 digits"],
)
def test_custom_data_that_is_not_plain_json_stays_text(text: str) -> None:
    assert AnswerRequest.from_payload({"custom_data": text}).custom_data == text


def test_custom_data_within_the_limits_is_decoded() -> None:
    nested: Any = {"k": "v"}
    for _ in range(98):  # 99 levels in all, with the object holding them
        nested = [nested]
    decoded = AnswerRequest.from_payload({"custom_data": '\ufeff{"x": [1.5, null]}'})
    assert decoded.custom_data == {"x": [1.5, None]}
    deep_ok = AnswerRequest.from_payload({"custom_data": json.dumps({"n": nested})})
    assert deep_ok.custom_data == {"n": nested}


def test_an_answer_with_deeply_nested_custom_data_is_served() -> None:
    seen: list[object] = []

    def answer(call: AnswerRequest) -> list[dict[str, Any]]:
        seen.append(call.custom_data)
        return TALK_NCCO

    # 2000 levels: past json.loads's recursion limit, yet short enough for a request line.
    deep = "[" * 2000 + "]" * 2000
    with serving(WebhookServer(answer)) as http:
        response = http.get("/webhooks/answer", params={**ANSWER_QUERY, "custom_data": deep})
    assert response.status_code == 200, response.text[:300]
    assert response.json() == TALK_NCCO
    assert seen == [deep]
