"""VonageClient construction: credentials, hosts, environment, repr, lifetime."""

from __future__ import annotations

import pytest

from tests.client_helpers import API_KEY, API_SECRET, BASIC, Recorder, Sleeps, json_reply
from vonage_widgets.client import DEFAULT_API_HOST, DEFAULT_REST_HOST, VonageClient
from vonage_widgets.errors import ServerError, ValidationError

ENV = ("VONAGE_API_KEY", "VONAGE_API_SECRET", "VONAGE_API_HOST", "VONAGE_REST_HOST")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def test_defaults() -> None:
    with VonageClient(API_KEY, API_SECRET) as client:
        assert client.api_key == API_KEY
        assert client.api_host == DEFAULT_API_HOST == "https://api.nexmo.com"
        assert client.rest_host == DEFAULT_REST_HOST == "https://rest.nexmo.com"


def test_credentials_and_hosts_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VONAGE_API_KEY", API_KEY)
    monkeypatch.setenv("VONAGE_API_SECRET", API_SECRET)
    monkeypatch.setenv("VONAGE_API_HOST", "http://127.0.0.1:8123/")
    monkeypatch.setenv("VONAGE_REST_HOST", "rest.example.test")
    recorder = Recorder(json_reply(200, {}))
    with VonageClient(transport=recorder.transport) as client:
        assert client.api_host == "http://127.0.0.1:8123"
        assert client.rest_host == "https://rest.example.test"
        client.applications.delete("x")
    assert recorder.last.headers["Authorization"] == BASIC
    assert str(recorder.last.url) == "http://127.0.0.1:8123/v2/applications/x"


def test_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VONAGE_API_KEY", "from-env")
    monkeypatch.setenv("VONAGE_API_HOST", "https://env.example.test")
    with VonageClient(API_KEY, API_SECRET, api_host="arg.example.test") as client:
        assert client.api_key == API_KEY
        assert client.api_host == "https://arg.example.test"


def test_missing_credentials_name_both_variables() -> None:
    with pytest.raises(ValidationError) as caught:
        VonageClient()
    assert caught.value.paths == ["api_key", "api_secret"]
    text = str(caught.value)
    assert "VONAGE_API_KEY" in text
    assert "VONAGE_API_SECRET" in text


def test_missing_secret_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VONAGE_API_KEY", API_KEY)
    monkeypatch.setenv("VONAGE_API_SECRET", "")
    with pytest.raises(ValidationError) as caught:
        VonageClient()
    assert caught.value.paths == ["api_secret"]
    assert "set VONAGE_API_SECRET" in caught.value.for_path("api_secret")[0]


def test_bad_host_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError) as caught:
        VonageClient(API_KEY, API_SECRET, rest_host="ftp://x.test")
    assert caught.value.paths == ["rest_host"]
    monkeypatch.setenv("VONAGE_API_HOST", "gopher://x.test")
    with pytest.raises(ValidationError) as caught:
        VonageClient(API_KEY, API_SECRET)
    assert caught.value.paths == ["VONAGE_API_HOST"]


def test_bad_settings() -> None:
    with pytest.raises(ValidationError) as caught:
        VonageClient(API_KEY, API_SECRET, timeout=0, max_retries=-1)
    assert caught.value.paths == ["timeout", "max_retries"]


def test_missing_ca_bundle_is_a_validation_error(tmp_path: object) -> None:
    with pytest.raises(ValidationError) as caught:
        VonageClient(API_KEY, API_SECRET, verify="/nonexistent/ca.pem")
    assert caught.value.paths == ["verify"]


def test_repr_and_str_show_key_and_hosts_never_the_secret() -> None:
    with VonageClient(API_KEY, API_SECRET, api_host="http://127.0.0.1:9") as client:
        for text in (repr(client), str(client)):
            assert API_KEY in text
            assert "http://127.0.0.1:9" in text
            assert "https://rest.nexmo.com" in text
            assert API_SECRET not in text
            assert "api_secret='***'" in text


def test_default_user_agent() -> None:
    recorder = Recorder(json_reply(204, None))
    with VonageClient(API_KEY, API_SECRET, transport=recorder.transport) as client:
        client.applications.delete("x")
    assert recorder.last.headers["User-Agent"].startswith("vonage-widgets/")
    assert " python/" in recorder.last.headers["User-Agent"]


def test_custom_user_agent() -> None:
    recorder = Recorder(json_reply(204, None))
    with VonageClient(
        API_KEY, API_SECRET, transport=recorder.transport, user_agent="notebook/2"
    ) as client:
        client.applications.delete("x")
    assert recorder.last.headers["User-Agent"] == "notebook/2"


def test_context_manager_closes_the_pool() -> None:
    client = VonageClient(API_KEY, API_SECRET)
    with client:
        assert not client.closed
    assert client.closed
    other = VonageClient(API_KEY, API_SECRET)
    other.close()
    assert other.closed


def test_sleep_is_injectable_by_argument_and_attribute() -> None:
    recorder = Recorder(*[json_reply(503, {}) for _ in range(4)])
    first, second = Sleeps(), Sleeps()
    with VonageClient(
        API_KEY, API_SECRET, transport=recorder.transport, sleep=first, max_retries=1
    ) as client:
        with pytest.raises(ServerError):
            client.applications.delete("a")
        client.sleep = second
        with pytest.raises(ServerError):
            client.applications.delete("a")
    assert first == [0.2]
    assert second == [0.2]


def test_max_retry_after_is_configurable() -> None:
    recorder = Recorder(json_reply(429, {}, {"Retry-After": "100"}), json_reply(204, None))
    sleeps = Sleeps()
    with VonageClient(
        API_KEY, API_SECRET, transport=recorder.transport, sleep=sleeps, max_retry_after=3
    ) as client:
        client.applications.delete("a")
    assert sleeps == [3.0]
