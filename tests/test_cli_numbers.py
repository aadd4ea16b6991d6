"""``numbers list`` and ``apps link`` / ``apps unlink`` against a loopback sandbox."""

from __future__ import annotations

import httpx
import pytest

from tests import cli_helpers
from tests.cli_helpers import NOT_OWNED, VOICE_ONLY, VOICE_SMS, create_app, run
from vonage_widgets.sandbox import Sandbox

home = cli_helpers.home
sandbox = cli_helpers.sandbox


def _linked_to(box: Sandbox, msisdn: str) -> str | None:
    with httpx.Client(base_url=box.url, auth=(box.api_key, box.api_secret)) as api:
        numbers = api.get("/account/numbers", params={"pattern": msisdn}).json()["numbers"]
    [number] = [n for n in numbers if n["msisdn"] == msisdn]
    linked: str | None = number.get("app_id")
    return linked


def test_numbers_list_with_filters_and_json(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    everything = run(capsys, "numbers", "list", "--json")
    assert everything.code == 0
    assert len(everything.json) == 8  # the sandbox's seeded numbers
    british = run(capsys, "numbers", "list", "--country", "GB", "--json").json
    assert {n["country"] for n in british} == {"GB"}
    assert len(british) == 3

    app_id = create_app(capsys, "voice", "--voice-answer-url", "https://example.com/a")[
        "application"
    ]["id"]
    assert run(capsys, "apps", "link", VOICE_ONLY, "--app", app_id).code == 0

    table = run(capsys, "numbers", "list", "--linked")
    assert table.code == 0
    assert VOICE_ONLY in table.out
    assert "voice" in table.out  # the linked application's name
    assert "1 number" in table.out
    assert VOICE_SMS not in table.out
    unlinked = run(capsys, "numbers", "list", "--unlinked", "--json").json
    assert VOICE_ONLY not in {n["msisdn"] for n in unlinked}
    assert len(unlinked) == 7
    by_app = run(capsys, "numbers", "list", "--app", app_id, "--json").json
    assert [n["msisdn"] for n in by_app] == [VOICE_ONLY]

    contradiction = run(capsys, "numbers", "list", "--app", app_id, "--unlinked")
    assert contradiction.code == 2
    both = run(capsys, "numbers", "list", "--linked", "--unlinked")
    assert both.code == 2
    bad_country = run(capsys, "numbers", "list", "--country", "Britain")
    assert bad_country.code == 1
    assert "country" in bad_country.err


def test_link_unlink_and_relink_needs_force_naming_the_other_app(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    first = create_app(capsys, "first app", "--voice-answer-url", "https://example.com/1")
    second = create_app(capsys, "second app", "--voice-answer-url", "https://example.com/2")
    first_id, second_id = first["application"]["id"], second["application"]["id"]

    linked = run(capsys, "apps", "link", VOICE_ONLY, "--app", first_id)
    assert linked.code == 0, linked.err
    assert linked.out.startswith("Linked:")
    assert _linked_to(sandbox, VOICE_ONLY) == first_id
    again = run(capsys, "apps", "link", VOICE_ONLY, "--app", first_id, "--json")
    assert again.code == 0
    assert again.json["outcome"] == "already linked"

    refused = run(capsys, "apps", "link", VOICE_ONLY, "--app", second_id)
    assert refused.code == 1
    assert "first app" in refused.err
    assert first_id in refused.err
    assert "--force" in refused.err
    assert _linked_to(sandbox, VOICE_ONLY) == first_id  # left where it was

    moved = run(capsys, "apps", "link", VOICE_ONLY, "--app", second_id, "--force", "--json")
    assert moved.code == 0, moved.err
    assert moved.json["action"] == "relink"
    assert moved.json["outcome"] == "linked"
    assert moved.json["previous_app_id"] == first_id
    assert _linked_to(sandbox, VOICE_ONLY) == second_id

    unlinked = run(capsys, "apps", "unlink", VOICE_ONLY)
    assert unlinked.code == 0
    assert "no longer points at second app" in unlinked.out
    assert _linked_to(sandbox, VOICE_ONLY) is None
    twice = run(capsys, "apps", "unlink", VOICE_ONLY, "--json")
    assert twice.code == 0
    assert twice.json["outcome"] == "not linked"


def test_link_errors_name_the_problem_with_documented_codes(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    app_id = create_app(capsys, "target")["application"]["id"]
    not_owned = run(capsys, "apps", "link", NOT_OWNED, "--app", app_id)
    assert not_owned.code == 3
    assert f"does not own {NOT_OWNED}" in not_owned.err

    malformed = run(capsys, "apps", "link", "12", "--app", app_id)
    assert malformed.code == 1
    assert "msisdn: '12' must be a phone number in E.164 format" in malformed.err

    no_app = run(capsys, "apps", "link", VOICE_ONLY, "--app", "no-such-app")
    assert no_app.code == 1
    assert "app_id: no application no-such-app" in no_app.err

    wrong_country = run(capsys, "apps", "link", VOICE_ONLY, "--app", app_id, "--country", "US")
    assert wrong_country.code == 3
    assert "is a GB number, not US" in wrong_country.err

    missing_app = run(capsys, "apps", "link", VOICE_ONLY)
    assert missing_app.code == 2
    assert "--app" in missing_app.err
