"""ApplicationForm builds each capability's fields only when needed, and behaves the same.

A form whose sections are all built up front (by iterating ``form.rows``) is the reference:
every scripted session below must leave the lazy form and the eager one with the same
document, problems, messages and preview.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from ipywidgets.widgets import widget as widget_module

from vonage_widgets.models import CAPABILITIES, Application
from vonage_widgets.widgets import ApplicationForm

CAPABILITY_NAMES = [spec.name for spec in CAPABILITIES]
ANSWER = "capabilities.voice.webhooks.answer_url.address"
RTC_EVENT = "capabilities.rtc.webhooks.event_url.address"

LOADED: dict[str, Any] = {
    "id": "0f0e0d0c-0000-4000-8000-0000000000aa",
    "name": "Loaded app",
    "capabilities": {
        "voice": {
            "webhooks": {
                "answer_url": {
                    "address": "https://example.com/answer",
                    "http_method": "GET",
                    "socket_timeout": 3000,
                },
                "event_url": {"address": "https://example.com/event"},
            },
            "conversations_ttl": 24,
        },
        "messages": {
            "webhooks": {
                "inbound_url": {"address": "https://example.com/in", "http_method": "POST"},
                "status_url": {"address": "https://example.com/status", "http_method": "POST"},
            },
            "version": "v0.1",
        },
        "video": {"webhooks": {"archive_status": {"address": "https://v.example", "active": True}}},
    },
    "privacy": {"improve_ai": False},
}


def built(form: ApplicationForm) -> list[str]:
    return [name for name, section in form.sections.items() if section.built]


def eager(form: ApplicationForm) -> ApplicationForm:
    """The same form with every section built before anything else happens."""
    assert len(list(form.rows)) >= 30  # iterating builds every capability's fields
    assert built(form) == CAPABILITY_NAMES
    return form


def snapshot(form: ApplicationForm) -> dict[str, Any]:
    """What a person or a notebook can observe after a step."""
    frame: pd.DataFrame = form.preview_changes()
    existing = [form.name_row, *form.privacy_rows]
    existing += [row for section in form.sections.values() if section.built for row in section.rows]
    # Rows built only in the eager form must carry no message, so only messages are compared.
    messages = {row.path: row.message.value for row in existing if row.message.value}
    return {
        "document": form.document(),
        "errors": dict(form.errors),
        "valid": form.valid,
        "save_disabled": form.save_button.disabled,
        "messages": messages,
        "slots": {n: s.slot.message.value for n, s in form.sections.items()},
        "general": form.general.value,
        "preview": frame.to_dict("records"),
        "toggles": {n: s.toggle.value for n, s in form.sections.items()},
    }


def widgets_made(build: Callable[[], object]) -> int:
    """How many ipywidgets objects (layouts and styles included) ``build`` creates."""
    before = len(widget_module._instances)
    build()
    return len(widget_module._instances) - before


def test_a_new_form_builds_no_capability_fields(tmp_path: Path) -> None:
    form = ApplicationForm(keys_dir=tmp_path)
    assert built(form) == []
    lazy = widgets_made(lambda: ApplicationForm(keys_dir=tmp_path))
    full = widgets_made(lambda: eager(ApplicationForm(keys_dir=tmp_path)))
    assert lazy * 3 < full  # most of a form's widgets are its capabilities' fields
    for section in form.sections.values():
        assert section.body.children == ()
        assert section.body.layout.display == "none"
        assert section.widget in form.children


def test_switching_a_capability_on_builds_only_its_fields_and_they_validate(
    tmp_path: Path,
) -> None:
    form = ApplicationForm(keys_dir=tmp_path)
    form.name_row.control.value = "Lazy"
    form.sections["voice"].toggle.value = True
    assert built(form) == ["voice"]
    assert form.sections["voice"].body.children  # the fields are on screen
    assert form.sections["voice"].body.layout.display == ""
    assert form.valid
    form.rows[ANSWER].control.value = "not a url"  # the new fields are wired to validation
    assert ANSWER in form.errors
    assert form.rows[ANSWER].message.value  # and the message sits beside the field
    assert form.save_button.disabled
    form.rows[ANSWER].control.value = "https://example.com/answer"
    assert ANSWER not in form.errors
    hooks = form.document()["capabilities"]["voice"]["webhooks"]
    assert hooks == {"answer_url": {"address": "https://example.com/answer"}}


def test_looking_up_one_row_builds_only_its_section(tmp_path: Path) -> None:
    form = ApplicationForm(keys_dir=tmp_path)
    assert form.rows[RTC_EVENT].path == RTC_EVENT
    assert built(form) == ["rtc"]
    assert "name" in form.rows
    assert "privacy.improve_ai" in form.rows
    assert built(form) == ["rtc"]
    assert "capabilities.voice.no_such_field" not in form.rows
    with pytest.raises(KeyError):
        form.rows["capabilities.nope.address"]
    assert form.sections["vbc"].settings == {}  # attributes build on first use too
    assert sorted(built(form)) == sorted(["rtc", "voice", "vbc"])


def test_loading_builds_only_the_capabilities_the_application_has(tmp_path: Path) -> None:
    app = Application.from_api(copy.deepcopy(LOADED))
    form = ApplicationForm(keys_dir=tmp_path, application=app)
    assert built(form) == ["voice", "messages"]
    assert form.document() == app.to_api()
    assert form.preview_changes().empty
    assert form.rows["capabilities.messages.version"].control.value == "v0.1"


ScriptStep = Callable[[ApplicationForm], object]


def _set(path: str, value: object) -> ScriptStep:
    def step(form: ApplicationForm) -> None:
        form.rows[path].control.value = value

    return step


def _toggle(name: str, on: bool) -> ScriptStep:
    def step(form: ApplicationForm) -> None:
        form.sections[name].toggle.value = on

    return step


SCRIPTS: dict[str, list[ScriptStep]] = {
    "create": [
        _set("name", "Scripted"),
        _toggle("rtc", True),
        _set(RTC_EVENT, "ftp://example.com"),
        _toggle("voice", True),
        _set("capabilities.voice.conversations_ttl", "0"),
        _set(ANSWER, "https://example.com/a"),
        _toggle("rtc", False),
        _toggle("verify", True),
        lambda form: form.new(),
        _toggle("messages", True),
    ],
    "edit": [
        _toggle("rtc", True),
        _set(RTC_EVENT, "https://example.com/rtc"),
        _toggle("messages", False),
        _set("capabilities.voice.webhooks.answer_url.socket_timeout", "99999"),
        lambda form: form.preview_changes(),
        _toggle("vbc", True),
        _toggle("messages", True),
        _set("capabilities.messages.version", "v1"),
    ],
    "edit-then-reset": [
        _toggle("verify", True),
        _set("capabilities.verify.webhooks.status_url.address", "https://example.com/v"),
        lambda form: form.reset(),
        _toggle("verify", True),
    ],
}


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_lazy_form_behaves_like_an_eager_one(script: str, tmp_path: Path) -> None:
    def make() -> ApplicationForm:
        if script.startswith("edit"):
            app = Application.from_api(copy.deepcopy(LOADED))
            return ApplicationForm(keys_dir=tmp_path, application=app)
        return ApplicationForm(keys_dir=tmp_path)

    lazy, reference = make(), eager(make())
    assert snapshot(lazy) == snapshot(reference)
    for number, step in enumerate(SCRIPTS[script]):
        step(lazy)
        step(reference)
        assert snapshot(lazy) == snapshot(reference), f"after step {number}"
    assert set(built(lazy)) < set(CAPABILITY_NAMES)  # some fields were never needed
