"""Tables of applications, capabilities, webhooks and numbers; reference tables; display."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from tests.tables_helpers import (
    make_app,
    make_number,
    recorded_app,
    recorded_numbers,
    recorded_page,
)
from vonage_widgets.models import Application
from vonage_widgets.models.catalog import CAPABILITIES, webhook_spec
from vonage_widgets.tables import (
    APPLICATION_LIST_COLUMNS,
    NUMBER_COLUMNS,
    UNKNOWN_APPLICATION,
    WEBHOOK_COLUMNS,
    applications_list,
    capabilities_reference,
    capabilities_table,
    numbers_table,
    styled,
    webhooks_reference,
    webhooks_table,
)

KNOWN = ["voice", "messages", "rtc", "verify", "vbc"]
HOOK = {"address": "https://example.com/x", "http_method": "POST"}


def rows(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Rows as tuples with every missing value (NaN, <NA>) read as None."""
    return [
        tuple(None if pd.isna(value) else value for value in row)
        for row in frame.itertuples(index=False)
    ]


# ---------------------------------------------------------------- capabilities_table


def test_capabilities_of_recorded_applications(oracles_dir: Path) -> None:
    apps = [
        recorded_app(oracles_dir, "create_application_options.json"),
        recorded_app(oracles_dir, "create_application_basic.json"),
        recorded_app(oracles_dir, "get_application.json"),
    ]
    table = capabilities_table(apps)
    assert list(table.columns) == ["application_id", "application", *KNOWN]
    assert rows(table) == [
        ("ba1a6aa3-8ac6-487d-ac5c-be469e77ddb7", "My Application", *[False] * 5),
        ("33e3329f-d1cc-48f3-9105-55e5a6e475c1", "My Customised Application", *[True] * 5),
        ("1b1b1b1b-1b1b-1b1b-1b1b-1b1b1b1b1b1b", "My Server Demo", True, *[False] * 4),
    ]
    assert all(table[name].dtype == bool for name in KNOWN)


def test_unknown_capabilities_become_sorted_columns_after_the_known_ones() -> None:
    apps = [
        make_app("zoom", "z", video={"webhooks": {}}, voice={}),
        make_app("net", "n", network_apis={"redirect_uri": "https://example.com/cb"}),
        make_app("nothing", "x", meetings=None),  # null counts as absent
    ]
    table = capabilities_table(apps)
    assert list(table.columns) == ["application_id", "application", *KNOWN, "network_apis", "video"]
    assert rows(table) == [
        ("n", "net", False, False, False, False, False, True, False),
        ("x", "nothing", False, False, False, False, False, False, False),
        ("z", "zoom", True, False, False, False, False, False, True),
    ]


def test_unknown_capability_columns_are_sorted_whatever_the_input_order() -> None:
    names = ["zeta", "video", "bulk", "network_apis", "meetings", "alpha", "k9"]
    for shift in range(len(names)):
        order = names[shift:] + names[:shift]
        apps = [make_app(f"app {i}", str(i), **{name: {}}) for i, name in enumerate(order)]
        columns = list(capabilities_table(apps).columns)
        assert columns == ["application_id", "application", *KNOWN, *sorted(names)]


def test_capability_rows_sort_by_name_ignoring_case_then_id_whatever_the_input_order() -> None:
    apps = [
        make_app("beta", "2"),
        make_app("Alpha", "9"),
        make_app("alpha", "1"),
        make_app("alpha", "0"),
        make_app("Gamma", None),
    ]
    expected = [("9", "Alpha"), ("0", "alpha"), ("1", "alpha"), ("2", "beta"), (None, "Gamma")]
    for order in itertools.permutations(apps):
        table = capabilities_table(order)
        assert rows(table[["application_id", "application"]]) == expected
        assert list(table.index) == list(range(len(apps)))


def test_capabilities_table_of_nothing_has_the_known_columns() -> None:
    table = capabilities_table([])
    assert table.empty
    assert list(table.columns) == ["application_id", "application", *KNOWN]
    assert all(table[name].dtype == bool for name in KNOWN)


# ---------------------------------------------------------------- webhooks_table


def test_webhooks_of_the_fully_configured_recorded_application(oracles_dir: Path) -> None:
    app = recorded_app(oracles_dir, "create_application_options.json")
    table = webhooks_table([app])
    assert list(table.columns) == list(WEBHOOK_COLUMNS)
    assert set(table["application_id"]) == {"33e3329f-d1cc-48f3-9105-55e5a6e475c1"}
    assert set(table["application"]) == {"My Customised Application"}
    web = "https://example.com/"
    assert rows(table.iloc[:, 2:]) == [
        ("voice", "answer_url", web + "answer", "POST", 500, 3000, ""),
        ("voice", "fallback_answer_url", web + "fallback", "POST", 500, 3000, ""),
        ("voice", "event_url", web + "event", "POST", 500, 3000, ""),
        ("messages", "inbound_url", web + "inbound", "POST", None, None, ""),
        ("messages", "status_url", web + "status", "POST", None, None, ""),
        ("rtc", "event_url", web + "event", "POST", None, None, ""),
        ("verify", "status_url", web + "status", "POST", None, None, ""),
    ]
    assert str(table["connect_timeout"].dtype) == "Int64"


def test_absent_timeouts_show_the_catalog_default_and_say_so(oracles_dir: Path) -> None:
    (app,) = recorded_page(oracles_dir, "list_applications_basic.json")
    table = webhooks_table([app])
    ident = ("1b1b1b1b-1b1b-1b1b-1b1b-1b1b1b1b1b1b", "dev-application", "voice")
    both = "connect_timeout, socket_timeout"
    assert rows(table) == [
        (*ident, "answer_url", "http://example.com", "GET", 1000, 5000, both),
        (*ident, "event_url", "http://example.com", "POST", 1000, 10000, both),
    ]
    # The numbers are the catalog's (read from the models), not typed in the table code.
    answer = webhook_spec("voice", "answer_url")
    event = webhook_spec("voice", "event_url")
    assert answer.connect_timeout is not None
    assert answer.socket_timeout is not None
    assert event.socket_timeout is not None
    assert table.loc[0, "connect_timeout"] == answer.connect_timeout.default
    assert table.loc[0, "socket_timeout"] == answer.socket_timeout.default
    assert table.loc[1, "socket_timeout"] == event.socket_timeout.default


def test_absent_method_shows_the_default_method_and_set_values_are_kept() -> None:
    app = make_app(
        "a",
        "1",
        voice={
            "webhooks": {
                "answer_url": {"address": "https://a.example.com/answer", "socket_timeout": 2000},
                "event_url": {"address": "https://a.example.com/event", "connect_timeout": 400},
            }
        },
        rtc={"webhooks": {"event_url": {"address": "https://a.example.com/rtc"}}},
    )
    table = webhooks_table([app])
    assert rows(
        table[["webhook", "http_method", "connect_timeout", "socket_timeout", "defaulted"]]
    ) == [
        ("answer_url", "GET", 1000, 2000, "http_method, connect_timeout"),
        ("event_url", "POST", 400, 10000, "http_method, socket_timeout"),
        ("event_url", "POST", None, None, "http_method"),
    ]
    assert list(table["capability"]) == ["voice", "voice", "rtc"]


def test_webhooks_of_unknown_capabilities_are_shown_as_sent() -> None:
    app = make_app(
        "media",
        "m",
        video={
            "webhooks": {
                "session_created": {"address": "https://v.example.com/s", "active": True},
                "archive_status": {"address": "https://v.example.com/a", "active": False},
                "not_a_webhook": {"active": True},
                "junk": "text",
            },
            "storage": {"server_side_encryption": False},
        },
        meetings={
            "webhooks": {
                "room_changed": {
                    "address": "https://m.example.com/r",
                    "http_method": "POST",
                    "connection_timeout": 700,
                    "socket_timeout": True,  # not a number: not shown as one
                }
            }
        },
        network_apis={"redirect_uri": "https://n.example.com/cb"},
        voice={
            "webhooks": {"answer_url": HOOK, "future_url": {"address": "https://f.example.com"}}
        },
    )
    both = "connect_timeout, socket_timeout"
    assert rows(webhooks_table([app]).iloc[:, 2:]) == [
        ("voice", "answer_url", "https://example.com/x", "POST", 1000, 5000, both),
        ("voice", "future_url", "https://f.example.com", None, None, None, ""),
        ("meetings", "room_changed", "https://m.example.com/r", "POST", 700, None, ""),
        ("video", "archive_status", "https://v.example.com/a", None, None, None, ""),
        ("video", "session_created", "https://v.example.com/s", None, None, None, ""),
    ]


def test_webhook_rows_do_not_depend_on_input_order(oracles_dir: Path) -> None:
    apps = [
        *recorded_page(oracles_dir, "list_applications_multiple_pages.json"),
        recorded_app(oracles_dir, "create_application_options.json"),
        make_app("Dev-application", "0", video={"webhooks": {"a": HOOK}}),
        make_app("dev-application", "0", messages={"webhooks": {"status_url": HOOK}}),
    ]
    first = webhooks_table(apps)
    assert_frame_equal(webhooks_table(reversed(apps)), first)
    assert_frame_equal(webhooks_table(apps[2:] + apps[:2]), first)
    # Case-insensitive name first, then the exact name, then id, capability, webhook.
    one_b, three_3 = "1b1b1b1b-1b1b-1b1b-1b1b-1b1b1b1b1b1b", "33e3329f-d1cc-48f3-9105-55e5a6e475c1"
    assert rows(first[["application_id", "application", "capability", "webhook"]])[:6] == [
        ("0", "Dev-application", "video", "a"),
        ("0", "dev-application", "messages", "status_url"),
        (one_b, "dev-application", "voice", "answer_url"),
        (one_b, "dev-application", "voice", "event_url"),
        (three_3, "My Customised Application", "voice", "answer_url"),
        (three_3, "My Customised Application", "voice", "fallback_answer_url"),
    ]


def test_webhooks_table_of_nothing_has_typed_columns() -> None:
    for apps in ([], [make_app("bare", "b")], [make_app("vbc", "v", vbc={})]):
        table = webhooks_table(apps)
        assert table.empty
        assert list(table.columns) == list(WEBHOOK_COLUMNS)
        assert str(table["socket_timeout"].dtype) == "Int64"


# ---------------------------------------------------------------- numbers_table


def test_recorded_numbers_without_applications(oracles_dir: Path) -> None:
    numbers = recorded_numbers(oracles_dir, "list_owned_numbers_basic.json")
    table = numbers_table(list(reversed(numbers)))
    assert list(table.columns) == list(NUMBER_COLUMNS)
    linked = "29f769u7-7ce1-46c9-ade3-f2dedee4fr4t"
    assert rows(table) == [
        ("3400000000", "ES", "mobile-lvn", "SMS", None, None, None),
        ("447007000000", "GB", "mobile-lvn", "SMS, VOICE", linked, None, "app"),
    ]


def test_numbers_name_their_application_or_say_it_is_unknown(oracles_dir: Path) -> None:
    numbers = recorded_numbers(oracles_dir, "list_owned_numbers_basic.json")
    linked = "29f769u7-7ce1-46c9-ade3-f2dedee4fr4t"
    named = numbers_table(numbers, [make_app("Forwarder", linked), make_app("Other", "o")])
    assert list(named["application"].fillna("-")) == ["-", "Forwarder"]
    unknown = numbers_table(numbers, [make_app("Other", "o")])
    assert list(unknown["application"].fillna("-")) == ["-", UNKNOWN_APPLICATION]


def test_number_links_and_voice_callbacks() -> None:
    tel = {"voiceCallbackType": "tel", "voiceCallbackValue": "447700900999"}
    old_voice = {"voiceCallbackType": "app", "voiceCallbackValue": "old"}
    old_messages = {"messagesCallbackType": "app", "messagesCallbackValue": "msg"}
    numbers = [
        make_number("447700900003", features=["VOICE"], **tel),
        make_number("447700900001", features=["VOICE", "MMS", "SMS"], **old_voice),
        make_number("447700900002", type="landline", **old_messages),
        make_number("447700900004", app_id="new", voiceCallbackType="app", voiceCallbackValue="x"),
    ]
    table = numbers_table(numbers, [make_app("Old", "old"), make_app("New", "new")])
    assert rows(table) == [
        ("447700900001", "GB", None, "MMS, SMS, VOICE", "old", "Old", "app"),
        ("447700900002", "GB", "landline", "", "msg", UNKNOWN_APPLICATION, None),
        ("447700900003", "GB", None, "VOICE", None, None, "tel: 447700900999"),
        ("447700900004", "GB", None, "", "new", "New", "app: x"),
    ]


def test_numbers_table_of_nothing() -> None:
    for table in (numbers_table([]), numbers_table([], [make_app("a", "a")])):
        assert table.empty
        assert list(table.columns) == list(NUMBER_COLUMNS)


# ---------------------------------------------------------------- reference tables


def test_capabilities_reference_lists_every_catalog_capability() -> None:
    table = capabilities_reference()
    assert list(table.columns) == ["capability", "title", "description", "webhooks", "settings"]
    assert rows(table) == [
        (
            spec.name,
            spec.title,
            spec.description,
            ", ".join(w.name for w in spec.webhooks),
            ", ".join(s.name for s in spec.settings),
        )
        for spec in CAPABILITIES
    ]
    assert list(table["capability"]) == KNOWN
    assert table.loc[0, "webhooks"] == "answer_url, fallback_answer_url, event_url"
    assert all(table["description"].str.len() > 20)


def test_webhooks_reference_carries_the_catalog_numbers() -> None:
    table = webhooks_reference()
    expected = []
    for spec in CAPABILITIES:
        for hook in spec.webhooks:
            limits: list[int | None] = []
            for timeout in (hook.connect_timeout, hook.socket_timeout):
                if timeout is None:
                    limits += [None, None, None]
                else:
                    limits += [timeout.minimum, timeout.maximum, timeout.default]
            methods = ", ".join(hook.methods)
            expected.append(
                (spec.name, hook.name, methods, hook.default_method, *limits, hook.description)
            )
    assert rows(table) == expected
    assert len(table) == sum(len(spec.webhooks) for spec in CAPABILITIES) == 7


def test_webhooks_reference_matches_the_published_limits() -> None:
    # Outside check [api-notes §1.5.1].
    table = webhooks_reference().set_index(["capability", "webhook"])
    limits = table[[c for c in table.columns if "timeout" in c]]
    assert rows(limits.loc[[("voice", "answer_url")]]) == [(300, 1000, 1000, 1000, 5000, 5000)]
    assert rows(limits.loc[[("voice", "fallback_answer_url")]]) == [
        (300, 1000, 1000, 1000, 5000, 5000)
    ]
    assert rows(limits.loc[[("voice", "event_url")]]) == [(300, 1000, 1000, 1000, 10000, 10000)]
    post_only = [("messages", "inbound_url"), ("messages", "status_url"), ("verify", "status_url")]
    assert list(table.loc[post_only, "methods"]) == ["POST"] * 3
    assert table.loc[("rtc", "event_url"), "methods"] == "GET, POST"
    assert table.loc[("voice", "answer_url"), "default_method"] == "GET"


# ---------------------------------------------------------------- styled


def test_styled_text_is_the_plain_frame_text() -> None:
    frame = capabilities_table([make_app("a", "1", voice={}), make_app("b", "2", video={})])
    shown = styled(frame)
    assert repr(shown) == frame.to_string(index=False)
    assert shown.data is frame
    assert not re.search(r"0x[0-9a-f]{6,}", repr(shown))


def test_styled_html_ticks_booleans_blanks_missing_and_colours_severity() -> None:
    frame = pd.DataFrame(
        {
            "severity": ["error", "info"],
            "ok": [True, False],
            "ms": pd.array([1000, None], dtype="Int64"),
            "name": ["<b>bold</b>", None],
        }
    )
    html = styled(frame, caption="Findings")._repr_html_()
    assert html.count("<table") == 1
    assert "Findings" in html
    cells = re.findall(r"<td [^>]*>(.*?)</td>", html)
    assert cells == ["error", "✓", "1000", "&lt;b&gt;bold&lt;/b&gt;", "info", "", "", ""]
    assert 'class="data row0 col0 vw-error"' in html
    assert "td.vw-error" in html
    assert re.search(r'id="T_vw\d+"', html)  # a counter, not a random uuid


def test_styled_text_has_no_nan_none_or_row_numbers() -> None:
    frame = pd.DataFrame(
        {
            "error": [None, "HTTP 500."],
            "ms": [float("nan"), 2.0],
            "n": pd.array([None, 1], dtype="Int64"),
        }
    )
    text = repr(styled(frame))
    assert "NaN" not in text
    assert "None" not in text
    assert "<NA>" not in text
    assert text.splitlines()[0].split() == ["error", "ms", "n"]  # no index column
    assert "HTTP 500." in text
    html = styled(frame)._repr_html_()
    assert not re.search(r"NaN|None|nan|&lt;NA&gt;", html)


def test_styled_html_shows_ids_short_with_the_whole_id_on_hover() -> None:
    full = "ce8a3aed-13fd-4233-ab8c-09d63df8e906"
    frame = pd.DataFrame({"application_id": [full, None], "name": ["x", "y"], "id": ["a", "b"]})
    html = styled(frame)._repr_html_()
    cells = re.findall(r"<td [^>]*>(.*?)</td>", html)
    assert cells[0] == f'<span title="{full}">ce8a3aed…</span>'
    assert cells[3] == ""  # missing id: blank
    assert cells[2] == "a"  # an "id" column that holds no UUIDs stays as it is
    assert html.count(full) == 1  # only in the hover text
    assert "vw-id" in html
    assert "white-space: nowrap" in html
    assert repr(styled(frame)).count(full) == 1  # the text form keeps the whole id


def test_styled_html_headers_may_wrap_and_change_previews_show_old_and_new_apart() -> None:
    frame = pd.DataFrame({"field": ["name"], "before": ["old <b>"], "after": ["new"]})
    html = styled(frame)._repr_html_()
    assert 'class="data row0 col1 vw-before"' in html
    assert 'class="data row0 col2 vw-after"' in html
    assert "old &lt;b&gt;" in html
    header = styled(pd.DataFrame({"connect_timeout_default": [1]}))._repr_html_()
    assert "connect_<wbr>timeout_<wbr>default" in header


def test_styled_cuts_long_tables_short_for_display_only() -> None:
    frame = pd.DataFrame({"n": range(12)})
    shown = styled(frame, max_rows=10)
    text = repr(shown)
    assert text.startswith(frame.head(10).to_string(index=False))
    assert text.endswith("2 more rows not shown (12 in all; the full table is .data)")
    assert len(re.findall(r"<tr>", shown._repr_html_())) == 11  # header + 10 rows
    assert len(shown.data) == 12
    assert repr(styled(frame, max_rows=None)) == frame.to_string(index=False)


def test_styled_empty_table() -> None:
    frame = capabilities_table([])
    assert repr(styled(frame)) == frame.to_string(index=False)
    assert "<table" in styled(frame)._repr_html_()


@pytest.mark.parametrize("apps", [[], [make_app("x", "1")]])
def test_every_table_keeps_a_fresh_zero_based_index(apps: list[Application]) -> None:
    for table in (capabilities_table(apps), webhooks_table(apps), numbers_table([])):
        assert list(table.index) == list(range(len(table)))


def test_applications_list_names_capabilities_in_catalog_order_then_unknown() -> None:
    apps = [
        Application.from_api(
            {
                "id": "app-2",
                "name": "Both",
                "capabilities": {
                    "zeta_future": {"webhooks": {}},
                    "messages": {"webhooks": {}},
                    "voice": {"webhooks": {}},
                },
            }
        ),
        Application.from_api({"id": "app-1", "name": "Bare"}),
    ]
    frame = applications_list(apps)
    assert list(frame.columns) == list(APPLICATION_LIST_COLUMNS)
    assert frame.to_dict("records") == [
        {"id": "app-2", "name": "Both", "capabilities": "voice, messages, zeta_future"},
        {"id": "app-1", "name": "Bare", "capabilities": "-"},
    ]
    assert list(applications_list([]).columns) == list(APPLICATION_LIST_COLUMNS)
