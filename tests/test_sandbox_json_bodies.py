"""``POST /_sandbox/calls`` decodes its body like every other reader of outside JSON.

Bad JSON, nesting past 100 levels, huge numbers, ``NaN`` and lone surrogates are a 400
problem whose ``invalid_parameters`` name the field (``""`` for the body as a whole) and
the rule, never a 500.
"""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox_helpers import sandbox
from vonage_widgets.sandbox import Sandbox
from vonage_widgets.sandbox.calls_route import CALLS_PATH

__all__ = ["sandbox"]  # fixture used here

NUMBER = "442079460000"  # owned by every sandbox account, not linked to any application


def _post(sandbox: Sandbox, content: bytes) -> httpx.Response:
    with httpx.Client(base_url=sandbox.url, trust_env=False, timeout=30) as http:
        return http.post(
            CALLS_PATH,
            content=content,
            auth=(sandbox.api_key, sandbox.api_secret),
            headers={"content-type": "application/json"},
        )


def _reasons(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 400, response.text[:300]
    body = response.json()
    assert body["type"].endswith("#payload-validation")
    return {p["name"]: p["reason"] for p in body["invalid_parameters"]}


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"{not json", "", "the body is not valid JSON: Expecting property name"),
        (b'{"to": NaN}', "", "the body is not valid JSON: NaN is not a JSON number"),
        (b'{"to": "1", "hold_seconds": 1e999}', "", "the number 1e999 is too large"),
        (b'{"to": ' + b"9" * 5000 + b"}", "", "an integer may have at most 4300 digits"),
        (b'{"to": "caf\xe9"}', "", "the body is not UTF-8 text (bad byte at offset 11)"),
        (
            b'{"to": "1", "limits": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
            "",
            "the body is nested too deeply: arrays and objects may nest at most 100 levels",
        ),
        (b'{"to": "\\ud800"}', "to", "must be valid Unicode text (no lone surrogates"),
        (b"[1]", "", "the body must be a JSON object"),
    ],
    ids=["syntax", "NaN", "1e999", "5000 digits", "not UTF-8", "deep", "surrogate", "array"],
)
def test_a_bad_call_body_is_a_400_naming_field_and_rule(
    sandbox: Sandbox, content: bytes, name: str, reason: str
) -> None:
    reasons = _reasons(_post(sandbox, content))
    assert list(reasons) == [name]
    assert reason in reasons[name]


def test_an_empty_or_blank_body_only_lacks_the_number(sandbox: Sandbox) -> None:
    for content in (b"", b" \n"):
        assert _reasons(_post(sandbox, content)) == {"to": "is required: the number to call"}


def test_a_body_within_the_limits_reaches_the_simulator(sandbox: Sandbox) -> None:
    # Decoded fine, so the refusal comes from simulate(): the number has no voice application.
    reasons = _reasons(_post(sandbox, b'\xef\xbb\xbf{"to": "' + NUMBER.encode() + b'"}'))
    assert list(reasons) == ["to"]
    assert "is not linked" in reasons["to"]
