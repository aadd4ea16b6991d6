"""The models agree with the official Application API spec 2.4.1 (the outside oracle).

Names, enums and numeric limits are read from ``specs/current/application.v2.json`` and from
the catalog (which reads the models), never typed here, so a drift on either side fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import load_json
from vonage_widgets.models import (
    CAPABILITIES,
    PRIVACY_SETTINGS,
    Application,
    capability,
    webhook_spec,
)

# Capabilities the spec documents that the package does not model: kept verbatim instead.
UNMODELLED = {"network_apis", "meetings", "video"}


@pytest.fixture(scope="module")
def spec(oracles_dir: Path) -> dict[str, Any]:
    return load_json(oracles_dir / "specs" / "current" / "application.v2.json")


def _create_body(spec: dict[str, Any]) -> dict[str, Any]:
    post = spec["paths"]["/v2/applications"]["post"]
    return post["requestBody"]["content"]["application/json"]["schema"]


def _create_capabilities(spec: dict[str, Any]) -> dict[str, Any]:
    return _create_body(spec)["properties"]["capabilities"]["properties"]


def _response_capabilities(spec: dict[str, Any]) -> dict[str, Any]:
    response = spec["components"]["schemas"]["ApplicationResponse"]
    return response["properties"]["capabilities"]["properties"]


def _webhooks(capability_schema: dict[str, Any]) -> dict[str, Any]:
    return capability_schema.get("properties", {}).get("webhooks", {}).get("properties", {})


def test_spec_is_the_expected_version(spec: dict[str, Any]) -> None:
    assert spec["info"]["version"] == "2.4.1"


def test_every_spec_capability_is_modelled_or_knowingly_kept_verbatim(
    spec: dict[str, Any],
) -> None:
    modelled = {c.name for c in CAPABILITIES}
    for schema in (_create_capabilities(spec), _response_capabilities(spec)):
        assert set(schema) == modelled | UNMODELLED
    assert not modelled & UNMODELLED


@pytest.mark.parametrize("name", ["voice", "messages", "rtc", "verify", "vbc"])
def test_webhook_names_match_the_spec(spec: dict[str, Any], name: str) -> None:
    from_catalog = {w.name for w in capability(name).webhooks}
    assert from_catalog == set(_webhooks(_create_capabilities(spec)[name]))
    assert from_catalog == set(_webhooks(_response_capabilities(spec)[name]))


def _request_webhook_schemas(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (cap, hook, schema)
        for cap, cap_schema in _create_capabilities(spec).items()
        if cap not in UNMODELLED
        for hook, schema in _webhooks(cap_schema).items()
    ]


def test_every_modelled_webhook_is_checked(spec: dict[str, Any]) -> None:
    # Guards the parametrised tests below against silently checking nothing.
    assert len(_request_webhook_schemas(spec)) == sum(len(c.webhooks) for c in CAPABILITIES) == 7


def test_http_methods_per_webhook_match_the_spec(spec: dict[str, Any]) -> None:
    for cap, hook, schema in _request_webhook_schemas(spec):
        expected = tuple(schema["properties"]["http_method"]["enum"])
        assert webhook_spec(cap, hook).methods == expected, f"{cap}.{hook}"


def test_default_method_is_one_of_the_allowed(spec: dict[str, Any]) -> None:
    for cap, hook, _schema in _request_webhook_schemas(spec):
        found = webhook_spec(cap, hook)
        assert found.default_method in found.methods, f"{cap}.{hook}"


@pytest.mark.parametrize("timeout", ["connect_timeout", "socket_timeout"])
def test_voice_timeout_limits_match_the_spec(spec: dict[str, Any], timeout: str) -> None:
    hooks = _webhooks(_create_capabilities(spec)["voice"])
    assert set(hooks) == {"answer_url", "fallback_answer_url", "event_url"}
    for hook, schema in hooks.items():
        limits = schema["properties"][timeout]
        found = getattr(webhook_spec("voice", hook), timeout)
        assert found is not None, hook
        assert (found.minimum, found.maximum, found.default) == (
            limits["minimum"],
            limits["maximum"],
            limits["default"],
        ), f"voice.{hook}.{timeout}"
        assert found.unit == "milliseconds"


def test_only_voice_webhooks_have_timeouts(spec: dict[str, Any]) -> None:
    for cap, hook, schema in _request_webhook_schemas(spec):
        has_timeouts = "connect_timeout" in schema["properties"]
        found = webhook_spec(cap, hook)
        assert (found.connect_timeout is not None) == has_timeouts, f"{cap}.{hook}"
        assert (found.socket_timeout is not None) == has_timeouts, f"{cap}.{hook}"


# conversations_ttl: the spec (1-9000 hours, default 48) and the Node/Java/.NET doc comments
# (0-744) disagree [api-notes §1.5.1]. The spec wins: it is the current published
# contract, the official Python SDK enforces 1-9000 on requests and responses, and its
# recorded responses contain 9000 and 8000, which 0-744 would reject.
@pytest.mark.parametrize("setting", ["conversations_ttl", "leg_persistence_time"])
def test_voice_number_settings_match_the_spec(spec: dict[str, Any], setting: str) -> None:
    limits = _create_capabilities(spec)["voice"]["properties"][setting]
    found = capability("voice").setting(setting)
    assert found.kind == "int"
    assert (found.minimum, found.maximum, found.default) == (
        limits["minimum"],
        limits["maximum"],
        limits["default"],
    )


def test_conversations_ttl_follows_the_spec_not_the_sdk_comments() -> None:
    found = capability("voice").setting("conversations_ttl")
    assert (found.minimum, found.maximum, found.default, found.unit) == (1, 9000, 48, "hours")


def test_regions_match_the_spec(spec: dict[str, Any]) -> None:
    expected = tuple(spec["components"]["schemas"]["VoiceRegion"]["enum"])
    assert capability("voice").setting("region").choices == expected
    assert capability("voice").setting("region").kind == "enum"


@pytest.mark.parametrize("cap", ["voice", "rtc"])
def test_signed_callbacks_default_matches_the_spec(spec: dict[str, Any], cap: str) -> None:
    # The spec writes the default as the string "true".
    raw = _create_capabilities(spec)[cap]["properties"]["signed_callbacks"]["default"]
    found = capability(cap).setting("signed_callbacks")
    assert found.kind == "bool"
    assert found.default is (str(raw).lower() == "true")


def test_messages_version_default_is_the_one_the_spec_names(spec: dict[str, Any]) -> None:
    # The spec has no enum, only "If not populated will be set to v1"; v0.1 is the older
    # format the Node SDK and CLI also accept [api-notes §1.5.2].
    text = _create_capabilities(spec)["messages"]["properties"]["version"]["description"]
    found = capability("messages").setting("version")
    assert found.default is not None
    assert text.endswith(found.default)
    assert found.choices == ("v0.1", "v1")


def test_verify_version_matches_the_spec_example(spec: dict[str, Any]) -> None:
    example = _response_capabilities(spec)["verify"]["properties"]["version"]["example"]
    assert capability("verify").setting("version").choices == (example,)


def test_improve_ai_default_matches_the_spec(spec: dict[str, Any]) -> None:
    raw = _create_body(spec)["properties"]["privacy"]["properties"]["improve_ai"]["default"]
    assert [(s.name, s.default) for s in PRIVACY_SETTINGS] == [("improve_ai", raw)]


def test_required_fields_match_the_spec(spec: dict[str, Any]) -> None:
    required = {name for name, info in Application.model_fields.items() if info.is_required()}
    assert required == set(_create_body(spec)["required"])


def test_voice_settings_are_exactly_the_spec_properties(spec: dict[str, Any]) -> None:
    props = set(_create_capabilities(spec)["voice"]["properties"]) - {"webhooks"}
    assert {s.name for s in capability("voice").settings} == props


def test_vbc_has_no_settings_and_no_webhooks() -> None:
    vbc = capability("vbc")
    assert vbc.webhooks == ()
    assert vbc.settings == ()
