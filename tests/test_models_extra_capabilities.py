"""video, meetings and network_apis: checked against spec 2.4.1, kept as the JSON sent.

The oracle is the official spec itself (``specs/current/application.v2.json``): a value is
accepted exactly when it fits both request schemas (create and update; each names the meetings
webhooks its own way), once the nulls the models read as "absent" are set aside. The Vonage
CLI's ``secret`` on a video webhook is the one addition (a string, reference 1.5.6).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import load_json
from vonage_widgets.errors import FieldError, ValidationError
from vonage_widgets.models import (
    CAPABILITIES,
    EXTRA_CAPABILITIES,
    Application,
    ApplicationPage,
    ExtraCapabilities,
    capability,
    validate_application,
    without_extra_capability_nulls,
)

EXTRA = ("video", "meetings", "network_apis")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def spec(oracles_dir: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = load_json(oracles_dir / "specs" / "current" / "application.v2.json")
    return loaded


def _request_capabilities(spec: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    found: dict[str, Any] = body["properties"]["capabilities"]["properties"]
    return found


def _resolved(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


class Oracle:
    """The spec's request schemas for the three capabilities, and what they accept."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        create = _request_capabilities(spec, "/v2/applications", "post")
        update = _request_capabilities(spec, "/v2/applications/{id}", "put")
        self.schemas = {
            name: [self._with_secret(_resolved(spec, s[name])) for s in (create, update)]
            for name in EXTRA
        }

    def _with_secret(self, schema: dict[str, Any]) -> dict[str, Any]:
        schema = copy.deepcopy(schema)
        hooks = schema.get("properties", {}).get("webhooks", {}).get("properties", {})
        if "archive_status" in hooks:  # video: the CLI sends "secret" too
            for hook in hooks.values():
                hook["properties"]["secret"] = {"type": "string"}
        return schema

    def _without_nulls(self, value: Any, schema: dict[str, Any]) -> Any:
        """``value`` without ``null`` at the keys ``schema`` declares (read as absent)."""
        schema = _resolved(self.spec, schema)
        if not isinstance(value, dict) or "properties" not in schema:
            return value
        known = schema["properties"]
        return {
            key: self._without_nulls(item, known[key]) if key in known else item
            for key, item in value.items()
            if not (key in known and item is None)
        }

    def accepts(self, name: str, value: Any) -> bool:
        if value is None:
            return True  # a null capability reads as absent
        for schema in self.schemas[name]:
            root = {**self.spec, "$ref": "#/x-under-test", "x-under-test": schema}
            try:
                jsonschema.Draft4Validator(root).validate(self._without_nulls(value, schema))
            except jsonschema.ValidationError:
                return False
        return True


@pytest.fixture(scope="module")
def oracle(spec: dict[str, Any]) -> Oracle:
    return Oracle(spec)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _wrong_for(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """JSON values ``schema`` refuses (null aside, which reads as absent)."""
    if "enum" in schema:
        return st.sampled_from(["GET", "post", "PUT", ""]) | st.integers(0, 3)
    if "properties" in schema or schema.get("type") == "object":
        return st.booleans() | st.integers(-3, 3) | st.text(max_size=4) | st.just([])
    if schema.get("type") == "boolean":
        return (
            st.integers(-3, 3) | st.sampled_from(["true", "false", ""]) | st.just([]) | st.just({})
        )
    return st.booleans() | st.integers(-3, 3) | st.just([]) | st.just({})


_SHAPED: dict[tuple[int, int, bool], tuple[object, object, st.SearchStrategy[Any]]] = {}


def shaped(schema: dict[str, Any], spec: dict[str, Any], *, junk: bool) -> st.SearchStrategy[Any]:
    """Values shaped like ``schema``: right types only, or (``junk``) now and then wrong ones.

    Objects get any subset of their declared keys (nulls included: they read as absent)
    plus unknown keys; a video webhook may also carry the CLI's ``secret``. Built once per
    schema: :func:`one_wrong` asks again for every example it draws.
    """
    key = (id(schema), id(spec), junk)
    if key not in _SHAPED:  # the schema and spec are kept with it, so their ids stay theirs
        _SHAPED[key] = (schema, spec, _shaped(schema, spec, junk=junk))
    return _SHAPED[key][2]


def _shaped(schema: dict[str, Any], spec: dict[str, Any], *, junk: bool) -> st.SearchStrategy[Any]:
    schema = _resolved(spec, schema)
    if "properties" in schema:
        fields = {k: shaped(v, spec, junk=junk) for k, v in schema["properties"].items()}
        if "active" in fields:
            secret = {"type": "string"}  # the CLI's addition
            fields["secret"] = shaped(secret, spec, junk=junk)
        known = st.fixed_dictionaries({}, optional=fields)
        more = st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=2)
        objects = st.builds(lambda k, m: {**m, **k}, known, more)
        return st.one_of(objects, objects, objects, json_values) if junk else objects
    typed: st.SearchStrategy[Any]
    if "enum" in schema:
        typed = st.sampled_from(schema["enum"])
    elif schema.get("type") == "boolean":
        typed = st.booleans()
    else:
        typed = st.text(max_size=30) | st.just("https://example.com/hook")
    if junk:
        return st.one_of(typed, typed, st.none(), _wrong_for(schema))
    return typed | st.none()


def _typed_leaves(
    value: Any, schema: dict[str, Any], spec: dict[str, Any]
) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """(path, schema) of each key in ``value`` that ``schema`` declares, at every level."""
    schema = _resolved(spec, schema)
    if not isinstance(value, dict) or "properties" not in schema:
        return []
    declared = {**schema["properties"]}
    if "active" in declared:
        declared["secret"] = {"type": "string"}  # the CLI's addition
    found: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    for key, item in value.items():
        if key in declared:
            inner = _resolved(spec, declared[key])
            found.append(((key,), inner))
            found += [((key, *path), deeper) for path, deeper in _typed_leaves(item, inner, spec)]
    return found


@st.composite
def one_wrong(draw: st.DrawFn, schema: dict[str, Any], spec: dict[str, Any]) -> Any:
    """A right-typed value with one declared key, at any depth, of a type the spec refuses.

    Every other key being right, the models must refuse the value too, at that key's path.
    """
    value = draw(shaped(schema, spec, junk=False))
    leaves = _typed_leaves(value, schema, spec)
    if not leaves:
        return value
    (*parents, last), leaf_schema = draw(st.sampled_from(leaves))
    target = value
    for part in parents:
        target = target[part]
    target[last] = draw(_wrong_for(leaf_schema))
    return value


def extra_capability(spec: dict[str, Any], name: str) -> st.SearchStrategy[Any]:
    """Values for ``capabilities.<name>`` shaped by the create or the update schema."""
    schemas = [
        _request_capabilities(spec, "/v2/applications", "post")[name],
        _request_capabilities(spec, "/v2/applications/{id}", "put")[name],
    ]
    wrong = [one_wrong(schema, spec) for schema in schemas]
    return st.one_of(  # mostly one wrong key: it pins each rule down on its own
        *wrong,
        *wrong,
        *wrong,
        *(shaped(schema, spec, junk=False) for schema in schemas),
        *(shaped(schema, spec, junk=True) for schema in schemas),
    )


@pytest.mark.parametrize("name", EXTRA)
def test_the_generator_reaches_both_outcomes(
    spec: dict[str, Any], oracle: Oracle, name: str
) -> None:
    # Guards the property below against checking only one side.
    outcomes: set[bool] = set()

    @settings(max_examples=100, deadline=None, database=None)
    @given(extra_capability(spec, name))
    def collect(value: Any) -> None:
        outcomes.add(oracle.accepts(name, value))

    collect()
    assert outcomes == {True, False}


@pytest.mark.parametrize("name", EXTRA)
def test_the_models_accept_exactly_what_the_spec_accepts(
    spec: dict[str, Any], oracle: Oracle, name: str
) -> None:
    @SETTINGS
    @given(extra_capability(spec, name))
    def check(value: Any) -> None:
        body = {"name": "n", "capabilities": {name: copy.deepcopy(value)}}
        if oracle.accepts(name, value):
            app = validate_application(body)
            assert app.to_api()["capabilities"][name] == value  # kept exactly, nulls too
            assert app.to_api() == body
        else:
            with pytest.raises(ValidationError) as caught:
                validate_application(body)
            assert caught.value.errors
            for error in caught.value.errors:
                assert error.path.startswith(f"capabilities.{name}"), error
                assert "nput should" not in error.message  # our wording, not pydantic's

    check()


@pytest.mark.parametrize("name", EXTRA)
def test_without_nulls_the_stored_value_fits_the_spec(
    spec: dict[str, Any], oracle: Oracle, name: str
) -> None:
    @SETTINGS
    @given(extra_capability(spec, name))
    def check(value: Any) -> None:
        if not oracle.accepts(name, value):
            return
        capabilities = validate_application({"name": "n", "capabilities": {name: value}})
        cleaned = without_extra_capability_nulls(capabilities.to_api()["capabilities"])
        if value is None:
            assert cleaned == {}
            return
        for schema in oracle.schemas[name]:  # no null set aside this time
            root = {**spec, "$ref": "#/x-under-test", "x-under-test": schema}
            jsonschema.Draft4Validator(root).validate(cleaned[name])

    check()


def test_every_problem_is_reported_with_the_others() -> None:
    body = {
        "name": "",
        "capabilities": {
            "voice": {"region": "mars"},
            "video": {
                "webhooks": {"archive_status": {"address": 7, "active": 278, "secret": 1}},
                "storage": {"cloud_storage": "yes"},
            },
            "meetings": {"webhooks": {"rooms_url": {"http_method": "GET"}}},
            "network_apis": [],
        },
    }
    with pytest.raises(ValidationError) as caught:
        validate_application(body)
    hook = "capabilities.video.webhooks.archive_status"
    assert caught.value.errors == [
        FieldError("name", "must not be empty or only spaces"),
        FieldError(
            "capabilities.voice.region",
            "must be one of: na-east, na-west, eu-east, eu-west, apac-sng, apac-australia",
        ),
        FieldError(f"{hook}.address", "must be a string"),
        FieldError(f"{hook}.active", "must be true or false"),
        FieldError(f"{hook}.secret", "must be a string"),
        FieldError("capabilities.video.storage.cloud_storage", "must be true or false"),
        FieldError(
            "capabilities.meetings.webhooks.rooms_url.http_method",
            "must be POST: this webhook only accepts POST",
        ),
        FieldError("capabilities.network_apis", "must be a JSON object"),
    ]


def test_a_listing_reads_them_and_writes_them_back_unchanged() -> None:
    video = {
        "webhooks": {"archive_status": {"address": "", "active": False, "secret": "s"}},
        "storage": {"cloud_storage": None},
        "environment_enabled": True,  # CLI data carries keys the spec lacks: kept
    }
    page = {
        "page": 1,
        "page_size": 10,
        "total_items": 1,
        "total_pages": 1,
        "_embedded": {"applications": [{"id": "a", "name": "n", "capabilities": {"video": video}}]},
    }
    parsed = ApplicationPage.from_api(copy.deepcopy(page))
    assert parsed.to_dict() == page
    assert parsed.applications[0].capabilities is not None
    assert parsed.applications[0].capabilities.model_extra == {"video": video}


def test_the_catalog_describes_them_from_the_spec(spec: dict[str, Any]) -> None:
    assert [c.name for c in EXTRA_CAPABILITIES] == list(EXTRA)
    assert list(ExtraCapabilities.model_fields) == list(EXTRA)
    assert not {c.name for c in CAPABILITIES} & set(EXTRA)  # the form and tables: unchanged
    video, meetings, network = EXTRA_CAPABILITIES
    create = _request_capabilities(spec, "/v2/applications", "post")
    update = _request_capabilities(spec, "/v2/applications/{id}", "put")
    video_schema = _resolved(spec, create["video"])["properties"]
    assert {w.name for w in video.webhooks} == set(video_schema["webhooks"]["properties"])
    assert {s.name for s in video.settings} == {
        f"storage.{n}" for n in video_schema["storage"]["properties"]
    }
    assert all(s.kind == "bool" for s in video.settings)
    assert all(w.methods == () for w in video.webhooks)  # {address, active}: no method
    both = {**create["meetings"]["properties"]["webhooks"]["properties"]}
    both.update(update["meetings"]["properties"]["webhooks"]["properties"])
    assert {w.name for w in meetings.webhooks} == set(both)
    assert {w.methods for w in meetings.webhooks} == {("POST",)}
    assert {w.default_method for w in meetings.webhooks} == {"POST"}
    assert [s.name for s in network.settings] == list(create["network_apis"]["properties"])
    assert {s.kind for s in network.settings} == {"str"}
    with pytest.raises(ValidationError):
        capability("video")  # capability() looks up CAPABILITIES only


def test_nulls_go_only_where_the_spec_types_a_field() -> None:
    capabilities = {
        "voice": {"region": "eu-west"},
        "video": {
            "webhooks": {"archive_status": {"address": None, "active": True, "x": None}},
            "custom": None,
        },
        "meetings": None,
        "future": None,
    }
    app = Application.from_api({"name": "n", "capabilities": capabilities})
    assert app.to_api()["capabilities"] == capabilities
    assert without_extra_capability_nulls(capabilities) == {
        "voice": {"region": "eu-west"},
        "video": {"webhooks": {"archive_status": {"active": True, "x": None}}, "custom": None},
        "future": None,
    }
