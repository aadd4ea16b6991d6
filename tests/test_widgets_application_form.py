"""ApplicationForm without a server: layout from the catalog, the document, validation.

Widgets are driven the way a browser drives them: by setting ``.value`` and calling
``.click()``; results are read from trait values.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import traitlets

from tests.dropdown_helpers import blank_dropdowns, dropdowns
from tests.widgets_helpers import (
    REFERENCE_METHODS,
    REFERENCE_REGIONS,
    REFERENCE_TIMEOUTS,
    text,
)
from vonage_widgets.errors import FieldError
from vonage_widgets.keys import fingerprint, generate_key_pair
from vonage_widgets.models import ADDRESS_RULE, CAPABILITIES, Application
from vonage_widgets.tables import changes_frame
from vonage_widgets.widgets import ApplicationForm
from vonage_widgets.widgets._document import key_file_name, route_errors, safe_name
from vonage_widgets.widgets._rows import BoolRow, ChoiceRow, FieldRow, IntRow, TextRow

CAPABILITY_NAMES = [spec.name for spec in CAPABILITIES]


@pytest.fixture
def form(tmp_path: Any) -> ApplicationForm:
    """A create-mode form with a valid name and no client."""
    built = ApplicationForm(keys_dir=tmp_path / "keys")
    built.name_row.control.value = "Test application"
    return built


def row(form: ApplicationForm, path: str) -> FieldRow:
    return form.rows[path]


def set_value(form: ApplicationForm, path: str, value: Any) -> None:
    row(form, path).control.value = value


def enable(form: ApplicationForm, capability: str) -> None:
    form.sections[capability].toggle.value = True


# -- layout: everything comes from the catalog -------------------------------------------------


def test_a_toggle_per_modelled_capability_in_catalog_order(form: ApplicationForm) -> None:
    assert list(form.sections) == ["voice", "messages", "rtc", "verify", "vbc"]
    for section in form.sections.values():
        assert section.toggle.value is False
        assert section.body.layout.display == "none"
        assert section.widget in form.children


@pytest.mark.parametrize(("capability", "webhook"), sorted(REFERENCE_METHODS))
def test_method_dropdown_offers_only_the_allowed_methods(
    form: ApplicationForm, capability: str, webhook: str
) -> None:
    method = form.sections[capability].webhooks[webhook].method
    assert isinstance(method, ChoiceRow)
    assert method.choices == REFERENCE_METHODS[(capability, webhook)]
    assert [value for _, value in method.control.options] == list(method.choices)
    if method.choices == ("POST",):
        with pytest.raises(traitlets.TraitError):
            method.control.value = "GET"


def test_every_webhook_of_the_catalog_has_rows(form: ApplicationForm) -> None:
    seen = {(name, hook) for name, section in form.sections.items() for hook in section.webhooks}
    assert seen == set(REFERENCE_METHODS)


@pytest.mark.parametrize(("capability", "webhook"), sorted(REFERENCE_TIMEOUTS))
def test_timeout_boxes_carry_the_reference_ranges_and_defaults(
    form: ApplicationForm, capability: str, webhook: str
) -> None:
    hook = form.sections[capability].webhooks[webhook]
    by_name = {r.key: r for r in hook.timeouts}
    assert set(by_name) == {"connect_timeout", "socket_timeout"}
    for name, (low, high, default) in REFERENCE_TIMEOUTS[(capability, webhook)].items():
        control = by_name[name].control
        assert (control.min, control.max, control.placeholder) == (low, high, str(default))
        assert f"{low} to {high} milliseconds" in text(by_name[name].help.value)


def test_webhooks_without_documented_timeouts_have_no_timeout_boxes(form: ApplicationForm) -> None:
    for name in ("messages", "rtc", "verify"):
        for hook in form.sections[name].webhooks.values():
            assert hook.timeouts == []


def test_voice_settings_come_from_the_catalog(form: ApplicationForm) -> None:
    voice = form.sections["voice"]
    assert isinstance(voice.settings["signed_callbacks"], BoolRow)
    assert voice.settings["signed_callbacks"].control.value is True  # API default
    ttl = voice.settings["conversations_ttl"]
    assert isinstance(ttl, IntRow)
    assert (ttl.control.min, ttl.control.max, ttl.control.placeholder) == (1, 9000, "48")
    leg = voice.settings["leg_persistence_time"]
    assert (leg.control.min, leg.control.max, leg.control.placeholder) == (1, 31, "2")
    region = voice.settings["region"]
    assert isinstance(region, ChoiceRow)
    assert region.choices == REFERENCE_REGIONS
    assert region.control.value == ""  # "(not set)", shown as its label
    assert region.control.index == 0
    # Timeouts and settings sit in a collapsed "Advanced settings" group.
    assert voice.advanced is not None
    assert voice.advanced.selected_index is None
    assert ttl in voice.advanced_rows


def test_messages_and_privacy_settings(form: ApplicationForm) -> None:
    messages = form.sections["messages"]
    version = messages.settings["version"]
    assert isinstance(version, ChoiceRow)
    assert version.choices == ("v0.1", "v1")
    assert version.control.value == "v1"  # the API's default, shown
    assert isinstance(messages.settings["authenticate_inbound_media"], BoolRow)
    [improve_ai] = form.privacy_rows
    assert improve_ai.path == "privacy.improve_ai"
    assert improve_ai.control.value is True


def test_help_text_comes_from_catalog_descriptions(form: ApplicationForm) -> None:
    for spec in CAPABILITIES:
        section = form.sections[spec.name]
        assert spec.description
        assert spec.description in text(section.widget.children[1].value)
        for hook in spec.webhooks:
            address = section.webhooks[hook.name].address
            assert hook.description in text(address.help.value)


# -- toggles and the document ----------------------------------------------------------------

# Valid values for every field of every capability, to prove each one reaches the document.
FILLED: dict[str, dict[str, Any]] = {
    "voice": {
        "webhooks.answer_url.address": "https://example.com/answer",
        "webhooks.answer_url.http_method": "POST",
        "webhooks.answer_url.connect_timeout": "300",
        "webhooks.answer_url.socket_timeout": "5000",
        "webhooks.fallback_answer_url.address": "https://example.com/fallback",
        "webhooks.fallback_answer_url.connect_timeout": "1000",
        "webhooks.event_url.address": "http://example.com:8080/event?x=1",
        "webhooks.event_url.http_method": "GET",
        "webhooks.event_url.socket_timeout": "10000",
        "signed_callbacks": False,
        "conversations_ttl": "9000",
        "leg_persistence_time": "31",
        "region": "apac-australia",
    },
    "messages": {
        "webhooks.inbound_url.address": "https://example.com/inbound",
        "webhooks.status_url.address": "https://example.com/status",
        "version": "v0.1",
        "authenticate_inbound_media": True,
    },
    "rtc": {
        "webhooks.event_url.address": "https://example.com/rtc",
        "webhooks.event_url.http_method": "GET",
        "signed_callbacks": False,
    },
    "verify": {"webhooks.status_url.address": "https://example.com/verify", "version": "v2"},
    "vbc": {},
}


def _wire(value: Any) -> Any:
    return int(value) if isinstance(value, str) and value.isdigit() else value


@pytest.mark.parametrize("capability", CAPABILITY_NAMES)
def test_toggle_reveals_fields_and_untoggle_removes_them_from_the_document(
    form: ApplicationForm, capability: str
) -> None:
    section = form.sections[capability]
    assert "capabilities" not in form.document()

    enable(form, capability)
    assert section.body.layout.display == ""
    for suffix, value in FILLED[capability].items():
        set_value(form, f"capabilities.{capability}.{suffix}", value)
    assert form.errors == {}
    assert form.save_button.disabled is False
    document = form.document()
    built = document["capabilities"][capability]
    for suffix, value in FILLED[capability].items():
        node: Any = built
        for part in suffix.split("."):
            node = node[part]
        assert node == _wire(value), suffix
    assert Application.from_api(document).to_api() == document  # a valid body, losslessly

    section.toggle.value = False
    assert section.body.layout.display == "none"
    assert "capabilities" not in form.document()
    assert form.errors == {}
    # The fields keep what was typed, so switching back on restores it.
    section.toggle.value = True
    assert form.document()["capabilities"][capability] == built


def test_untouched_fields_stay_absent_and_vonage_defaults_apply(form: ApplicationForm) -> None:
    enable(form, "voice")
    set_value(form, "capabilities.voice.webhooks.answer_url.address", "https://example.com/a")
    assert form.document() == {
        "name": "Test application",
        "capabilities": {
            "voice": {"webhooks": {"answer_url": {"address": "https://example.com/a"}}}
        },
    }


def test_address_is_trimmed_and_clearing_it_removes_the_webhook(form: ApplicationForm) -> None:
    enable(form, "voice")
    path = "capabilities.voice.webhooks.answer_url.address"
    set_value(form, path, "  https://example.com/answer\n")
    hooks = form.document()["capabilities"]["voice"]["webhooks"]
    assert hooks == {"answer_url": {"address": "https://example.com/answer"}}
    set_value(form, path, "")
    assert form.document()["capabilities"]["voice"] == {}


def test_a_timeout_without_an_address_asks_for_the_address(form: ApplicationForm) -> None:
    enable(form, "voice")
    set_value(form, "capabilities.voice.webhooks.event_url.connect_timeout", "500")
    path = "capabilities.voice.webhooks.event_url.address"
    assert form.errors == {path: ["is required"]}
    assert "is required" in text(row(form, path).message.value)
    assert form.save_button.disabled is True


# -- every invalid-field rule beside its widget ----------------------------------------------


def _timeout_cases() -> list[tuple[str, str, str]]:
    cases = []
    for (capability, webhook), limits in sorted(REFERENCE_TIMEOUTS.items()):
        for name, (low, high, _default) in limits.items():
            path = f"capabilities.{capability}.webhooks.{webhook}.{name}"
            rule = f"must be between {low} and {high} (milliseconds)"
            cases += [(path, str(low - 1), rule), (path, str(high + 1), rule)]
        cases.append(
            (f"capabilities.{capability}.webhooks.{webhook}.socket_timeout", "2.5", "whole number")
        )
    return cases


def _address_cases() -> list[tuple[str, str, str]]:
    cases = []
    for capability, webhook in sorted(REFERENCE_METHODS):
        path = f"capabilities.{capability}.webhooks.{webhook}.address"
        cases += [
            (path, "ftp://example.com/x", ADDRESS_RULE),
            (path, "example.com/answer", ADDRESS_RULE),
        ]
    return cases


INVALID_CASES = [
    *_timeout_cases(),
    *_address_cases(),
    ("capabilities.voice.webhooks.answer_url.address", "https://", ADDRESS_RULE),
    ("capabilities.voice.webhooks.answer_url.address", "https://exa mple.com", ADDRESS_RULE),
    ("capabilities.voice.webhooks.answer_url.address", "https://example.com:port", ADDRESS_RULE),
    ("name", "", "must not be empty or only spaces"),
    ("name", "   ", "must not be empty or only spaces"),
    ("name", "x" * 256, "must be at most 255 characters"),
    ("capabilities.voice.conversations_ttl", "0", "must be between 1 and 9000 (hours)"),
    ("capabilities.voice.conversations_ttl", "9001", "must be between 1 and 9000 (hours)"),
    ("capabilities.voice.conversations_ttl", "two days", "must be a whole number"),
    ("capabilities.voice.leg_persistence_time", "0", "must be between 1 and 31 (days)"),
    ("capabilities.voice.leg_persistence_time", "32", "must be between 1 and 31 (days)"),
    ("capabilities.voice.leg_persistence_time", "-1", "must be between 1 and 31 (days)"),
]


@pytest.mark.parametrize(("path", "typed", "message"), INVALID_CASES)
def test_invalid_value_shows_its_rule_beside_the_field_and_disables_save(
    form: ApplicationForm, path: str, typed: str, message: str
) -> None:
    capability = path.split(".")[1] if path.startswith("capabilities.") else None
    if capability:
        enable(form, capability)
    parts = path.split(".")
    if "webhooks" in parts and parts[-1] != "address":  # a webhook needs its address
        set_value(form, ".".join([*parts[:-1], "address"]), "https://example.com/hook")
    target = row(form, path)
    assert form.save_button.disabled is False

    target.control.value = typed

    assert list(form.errors) == [path]
    assert any(message in m for m in form.errors[path])
    assert message in text(target.message.value)
    assert form.save_button.disabled is True
    assert form.valid is False
    others = [r for p, r in form.rows.items() if p != path]
    assert all(r.message.value == "" for r in others)
    assert form.general.value == ""
    if capability == "voice" and path.split(".")[-1] != "address":
        # a rule broken inside the collapsed group opens it
        assert form.sections["voice"].advanced.selected_index == 0

    target.control.value = "Fixed name" if path == "name" else ""
    assert form.errors == {}
    assert target.message.value == ""
    assert form.save_button.disabled is False


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ("capabilities.voice.region", "mars"),
        ("capabilities.voice.webhooks.answer_url.http_method", "PUT"),
        ("capabilities.messages.webhooks.inbound_url.http_method", "GET"),
        ("capabilities.verify.webhooks.status_url.http_method", "GET"),
        ("capabilities.messages.version", "v3"),
    ],
)
def test_choice_fields_refuse_values_the_models_reject(
    form: ApplicationForm, path: str, bad: str
) -> None:
    with pytest.raises(traitlets.TraitError):
        set_value(form, path, bad)


def test_errors_are_routed_to_the_nearest_field_or_the_general_area(
    form: ApplicationForm,
) -> None:
    targets = ["name", "capabilities.voice", "capabilities.voice.webhooks.answer_url"]
    errors = [
        FieldError("name", "bad"),
        FieldError("capabilities.voice.webhooks.answer_url.connection_timeout", "old name"),
        FieldError("capabilities.video.webhooks", "nope"),
        FieldError("", "must be a JSON object"),
    ]
    routed, general = route_errors(errors, targets)
    assert routed == {
        "name": ["bad"],
        "capabilities.voice.webhooks.answer_url": ["connection_timeout: old name"],
    }
    assert [e.path for e in general] == ["capabilities.video.webhooks", ""]


def test_api_style_errors_show_beside_fields_and_in_the_general_area(
    form: ApplicationForm,
) -> None:
    enable(form, "voice")
    form._api_errors = [
        FieldError("capabilities.voice.region", "must be one of: na-east"),
        FieldError("capabilities.video", "is not allowed"),
    ]
    form.validate()
    assert "must be one of: na-east" in text(row(form, "capabilities.voice.region").message.value)
    assert "capabilities.video: is not allowed" in text(form.general.value)
    assert form.save_button.disabled is True
    # The person edits something: the API's verdict is stale and goes away.
    set_value(form, "capabilities.voice.region", "eu-west")
    assert form.errors == {}
    assert form.general.value == ""
    assert form.save_button.disabled is False


# -- keys ------------------------------------------------------------------------------------


def test_generate_is_the_default_key_choice_and_nothing_is_generated_until_asked(
    form: ApplicationForm,
) -> None:
    assert form.key_panel.mode == "generate"
    assert form.key_panel.pair is None
    assert "keys" not in form.document()
    frame = form.preview_changes()
    assert frame.iloc[-1].to_dict() == {
        "field": "keys.public_key",
        "before": None,
        "after": "(new key pair, generated when you save)",
    }


def test_generate_keys_puts_the_public_key_in_the_document_and_shows_the_path(
    form: ApplicationForm, tmp_path: Any
) -> None:
    public = form.generate_keys()
    assert form.document()["keys"] == {"public_key": public}
    expected = tmp_path / "keys" / key_file_name("Test application", public)
    assert str(expected) in text(form.key_panel.generate_info.value)
    assert fingerprint(public) in text(form.status.value)
    assert form.key_panel.unsaved is True
    assert not expected.exists()  # saved only when the form saves


def test_own_public_key_is_checked(form: ApplicationForm) -> None:
    panel = form.key_panel
    panel.choice.value = "own"
    assert form.errors == {"keys.public_key": ["paste a public key (PEM) or upload a .pem file"]}
    assert form.save_button.disabled is True
    panel.public_key_text.value = "not a key"
    assert "is not a PEM key" in form.errors["keys.public_key"][0]
    assert "is not a PEM key" in text(panel.slot.message.value)
    pair = generate_key_pair()
    panel.public_key_text.value = pair.public_pem
    assert form.errors == {}
    assert form.save_button.disabled is False
    assert form.document()["keys"] == {"public_key": pair.public_pem}
    assert "✓" in panel.own_status.value


def test_key_choice_untouched_in_edit_mode_keeps_the_current_key() -> None:
    pair = generate_key_pair()
    app = Application.from_api(
        {"id": "app-1", "name": "Kept", "keys": {"public_key": pair.public_pem}}
    )
    edit = ApplicationForm(application=app)
    assert edit.mode == "edit"
    assert edit.key_panel.mode == "keep"
    assert [v for _, v in edit.key_panel.choice.options] == ["keep", "generate", "own"]
    assert edit.document()["keys"] == {"public_key": pair.public_pem}
    assert edit.preview_changes().empty


# -- edit mode: overlay and preview (no server needed) ---------------------------------------

LOADED: dict[str, Any] = {
    "id": "0f0e0d0c-0000-4000-8000-000000000001",
    "name": "Loaded app",
    "capabilities": {
        "voice": {
            "webhooks": {
                "answer_url": {
                    "address": "https://example.com/answer",
                    "http_method": "GET",
                    "connect_timeout": 500,
                    "future_field": {"kept": True},
                },
                "event_url": {"address": "https://example.com/event"},
            },
            "conversations_ttl": 24,
            "voice_extra": "kept",
        },
        "video": {"webhooks": {"archive_status": {"address": "https://v.example", "active": True}}},
    },
    "privacy": {"improve_ai": False},
    "top_level_extra": [1, 2, 3],
    "_links": {"self": {"href": "/v2/applications/0f0e0d0c-0000-4000-8000-000000000001"}},
}


def test_loading_fills_the_fields_and_the_untouched_document_is_the_loaded_one() -> None:
    app = Application.from_api(copy.deepcopy(LOADED))
    edit = ApplicationForm(application=app)
    assert edit.name_row.control.value == "Loaded app"
    assert edit.sections["voice"].toggle.value is True
    assert edit.sections["messages"].toggle.value is False
    assert (
        row(edit, "capabilities.voice.webhooks.answer_url.connect_timeout").control.value == "500"
    )
    assert row(edit, "capabilities.voice.webhooks.event_url.http_method").control.value == "POST"
    assert row(edit, "privacy.improve_ai").control.value is False
    assert edit.document() == app.to_api()
    assert edit.preview_changes().empty
    assert text(edit.preview.value) == "No changes."


def test_edit_overlays_only_the_change_and_keeps_unknown_fields() -> None:
    app = Application.from_api(copy.deepcopy(LOADED))
    edit = ApplicationForm(application=app)
    set_value(edit, "capabilities.voice.webhooks.event_url.address", "https://new.example/event")
    frame = edit.preview_changes()
    assert frame.to_dict("records") == [
        {
            "field": "capabilities.voice.webhooks.event_url.address",
            "before": "https://example.com/event",
            "after": "https://new.example/event",
        }
    ]
    expected = app.to_api()
    expected["capabilities"]["voice"]["webhooks"]["event_url"]["address"] = (
        "https://new.example/event"
    )
    assert edit.document() == expected
    assert "https://new.example/event" in edit.preview.value


def test_changing_a_field_back_restores_the_loaded_absence() -> None:
    edit = ApplicationForm(application=Application.from_api(copy.deepcopy(LOADED)))
    method = row(edit, "capabilities.voice.webhooks.event_url.http_method")
    method.control.value = "GET"
    assert edit.preview_changes()["field"].tolist() == [
        "capabilities.voice.webhooks.event_url.http_method"
    ]
    method.control.value = "POST"  # the API default, and absent in the loaded app
    assert edit.preview_changes().empty
    assert "http_method" not in edit.document()["capabilities"]["voice"]["webhooks"]["event_url"]


def test_switching_a_capability_off_in_edit_mode_removes_only_it() -> None:
    edit = ApplicationForm(application=Application.from_api(copy.deepcopy(LOADED)))
    edit.sections["voice"].toggle.value = False
    assert edit.document()["capabilities"] == {"video": LOADED["capabilities"]["video"]}
    fields = set(edit.preview_changes()["field"])
    assert "capabilities.video.webhooks.archive_status.address" not in fields
    assert "capabilities.voice.conversations_ttl" in fields


def test_reset_discards_changes() -> None:
    app = Application.from_api(copy.deepcopy(LOADED))
    edit = ApplicationForm(application=app)
    set_value(edit, "name", "")
    assert edit.save_button.disabled is True
    edit.reset_button.click()
    assert edit.name_row.control.value == "Loaded app"
    assert edit.document() == app.to_api()
    assert edit.save_button.disabled is False


def test_without_a_client_save_says_so(form: ApplicationForm) -> None:
    form.save_button.click()
    assert "No client" in text(form.status.value)
    assert form.application is None


def test_delete_in_create_mode_does_nothing(form: ApplicationForm) -> None:
    assert form.delete_button.disabled is True
    assert form.delete(confirm=True) is False
    assert "Nothing to delete" in text(form.status.value)


# -- plain helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("My App", "my-app"),
        ("  Ünïcode / slashes\\..", "n-code-slashes"),
        ("!!!", "application"),
        ("a" * 80, "a" * 40),
    ],
)
def test_safe_name(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_changes_frame_marks_absent_fields_as_none() -> None:
    frame = changes_frame({"a": 1, "b": {"c": 2}}, {"a": 1, "b": {"d": 3}})
    assert frame.to_dict("records") == [
        {"field": "b.d", "before": None, "after": 3},
        {"field": "b.c", "before": 2, "after": None},
    ]


def test_text_rows_read_and_show_wire_values() -> None:
    name = TextRow("name", "Name", "", keep_empty=True)
    name.show("x")
    name.mark_pristine()
    assert name.read() == "x"
    assert name.changed is False
    name.control.value = ""
    assert name.read() == ""
    assert name.changed is True


def test_the_form_is_a_displayable_widget(form: ApplicationForm) -> None:
    bundle = form._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert form.widget is form
    state = form.get_state()
    # Results are Python-side traits: never synced to the browser (or a saved notebook).
    assert not {"errors", "mode", "application", "valid"} & set(state)
    assert repr(form) == "ApplicationForm(mode='create', valid=True)"


def test_text_inputs_validate_as_the_person_types(form: ApplicationForm) -> None:
    for path, field in form.rows.items():
        if hasattr(field.control, "continuous_update"):
            assert field.control.continuous_update is True, path
    assert form.key_panel.public_key_text.continuous_update is True


def test_a_preview_on_screen_follows_the_edits() -> None:
    edit = ApplicationForm(application=Application.from_api(copy.deepcopy(LOADED)))
    assert edit.preview.value == ""
    edit.preview_button.click()
    assert text(edit.preview.value) == "No changes."
    set_value(edit, "capabilities.voice.conversations_ttl", "72")
    assert "capabilities.voice.conversations_ttl" in edit.preview.value
    assert "72" in text(edit.preview.value)
    set_value(edit, "capabilities.voice.conversations_ttl", "24")
    assert text(edit.preview.value) == "No changes."


# -- every dropdown shows a choice (an empty box in the browser otherwise) -------------------


class _ListingOnly:
    """Just enough of a client for ``refresh_applications``: a fixed list of applications."""

    def __init__(self, apps: list[Application]) -> None:
        self.applications = self
        self._apps = apps

    def list_all(self) -> list[Application]:
        return list(self._apps)


def test_every_dropdown_shows_one_of_its_options(form: ApplicationForm) -> None:
    assert blank_dropdowns(form) == []
    for section in form.sections.values():
        section.toggle.value = True  # builds its fields: methods and settings dropdowns
    assert len(dropdowns(form)) >= 1 + len(CAPABILITY_NAMES)  # the picker, methods, settings
    assert blank_dropdowns(form) == []
    for path, field in form.rows.items():
        if isinstance(field, ChoiceRow):
            for option in list(field.control.options):
                field.control.value = option[1]
                assert blank_dropdowns(form) == [], (path, option)

    loaded = Application.from_api(copy.deepcopy(LOADED))
    edit = ApplicationForm(_ListingOnly([loaded]), application=loaded)  # type: ignore[arg-type]
    assert blank_dropdowns(edit) == []
    edit.refresh_applications()
    assert edit.app_picker.value == loaded.id
    assert blank_dropdowns(edit) == []
    edit.new()
    assert blank_dropdowns(edit) == []
