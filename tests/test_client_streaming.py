"""``iter_all``: pages fetched concurrently, yielded in order, with a bounded look-ahead.

Against a recording MockTransport; the routers below answer early pages slowest so that
concurrent fetches finish out of order.
"""

from __future__ import annotations

import gc
import threading
import time
import weakref
from collections.abc import Iterator

import httpx
import pytest

from tests.client_helpers import Recorder, json_reply, query
from tests.test_client_applications import account_of, client_for, hal_page
from tests.test_client_numbers import client_for as numbers_client_for
from tests.test_client_numbers import owned
from vonage_widgets.client import PAGE_WINDOW, PAGE_WORKERS
from vonage_widgets.errors import ServerError
from vonage_widgets.models import Application, ApplicationPage

_WAIT = 5.0  # seconds any worker may block in these tests, so a bug cannot hang the suite


def page_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("vonage-page")]


def wait_until(condition: object, timeout: float = _WAIT) -> bool:
    """Poll ``condition()`` until true or ``timeout`` seconds pass (bounded)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.01)
    return False


def test_pages_arrive_out_of_order_but_are_yielded_in_order() -> None:
    recorder = account_of(23, delay=0.05)  # page 2 answers last
    calls: list[tuple[int, int]] = []
    with client_for(recorder) as client:
        apps = client.applications.iter_all(page_size=3, progress=lambda d, t: calls.append((d, t)))
        assert recorder.requests == []  # lazy: nothing is sent before the first item is asked
        ids = [app.id for app in apps]
    assert ids == [f"app-{n:03d}" for n in range(23)]
    assert calls == [(n, 8) for n in range(1, 9)]  # in page order, in this thread
    assert sorted(int(query(r)["page"]) for r in recorder.requests) == list(range(1, 9))
    assert wait_until(lambda: page_threads() == [])


def test_list_all_and_iter_all_agree() -> None:
    with client_for(account_of(31, delay=0.02)) as client:
        listed = client.applications.list_all(page_size=4)
        streamed = list(client.applications.iter_all(page_size=4))
        sequential = list(client.applications.iter(page_size=4))
    assert [a.id for a in listed] == [a.id for a in streamed] == [a.id for a in sequential]


def test_a_slow_reader_holds_a_bounded_number_of_pages() -> None:
    recorder = account_of(200)  # 200 pages of 1
    with client_for(recorder) as client:
        apps = client.applications.iter_all(page_size=1)
        first = next(apps)
        assert first.id == "app-000"
        # The reader pauses on page 1: the workers fetch the window ahead and stop there.
        assert wait_until(lambda: len(recorder.requests) == 1 + PAGE_WINDOW)
        time.sleep(0.2)
        assert len(recorder.requests) == 1 + PAGE_WINDOW
        for _ in range(10):
            next(apps)  # now reading page 11
        assert wait_until(lambda: len(recorder.requests) == 11 + PAGE_WINDOW)
        time.sleep(0.2)
        assert len(recorder.requests) == 11 + PAGE_WINDOW  # never more than the window ahead
        apps.close()


def test_pages_already_read_are_not_kept_alive() -> None:
    with client_for(account_of(40)) as client:
        apps = client.applications.iter_all(page_size=2)
        early: list[weakref.ref[Application]] = [weakref.ref(next(apps)) for _ in range(2)]
        for _ in range(2 * (PAGE_WINDOW + 2)):  # read well past page 1 and its window
            next(apps)
        gc.collect()
        assert [ref() for ref in early] == [None, None]
        apps.close()


def test_stopping_early_cancels_the_pages_not_yet_requested() -> None:
    recorder = account_of(500)
    with client_for(recorder) as client:
        for number, _app in enumerate(client.applications.iter_all(page_size=1)):
            if number == 2:
                break  # the generator is closed here: workers stop, the pool shuts down
        sent = len(recorder.requests)
        assert sent <= PAGE_WINDOW + 3
        assert page_threads() == []  # no worker outlives the iteration
        time.sleep(0.1)
        assert len(recorder.requests) == sent


def test_a_failed_page_stops_the_listing_without_fetching_the_rest() -> None:
    def route(request: httpx.Request) -> httpx.Response:
        page = int(query(request)["page"])
        if page == 3:
            return json_reply(500, {"title": "Internal Server Error"})
        return json_reply(200, hal_page(page, 1, 300))

    recorder = Recorder(router=route)
    with client_for(recorder) as client:
        with pytest.raises(ServerError):
            client.applications.list_all(page_size=1)
        assert len(recorder.requests) <= PAGE_WINDOW + PAGE_WORKERS + 1  # not all 300 pages
        with pytest.raises(ServerError):
            list(client.applications.iter_all(page_size=1))
    assert page_threads() == []


def test_a_failure_ahead_stops_the_reader_before_a_slow_earlier_page() -> None:
    """Page 3 fails while page 2 is still on its way: page 2 is never handed out."""
    release = threading.Event()

    def route(request: httpx.Request) -> httpx.Response:
        page = int(query(request)["page"])
        if page == 2:
            release.wait(_WAIT)  # bounded: never hangs the suite
        if page == 3:
            return json_reply(500, {"title": "Internal Server Error"})
        return json_reply(200, hal_page(page, 1, 50))

    recorder = Recorder(router=route)
    read: list[str | None] = []
    failures: list[ServerError] = []

    def reader() -> None:
        with client_for(recorder) as client:
            try:
                for app in client.applications.iter_all(page_size=1):
                    read.append(app.id)
            except ServerError as error:
                failures.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert wait_until(lambda: any(query(r)["page"] == "3" for r in recorder.requests))
        time.sleep(0.2)  # the reader sees page 3's failure while page 2 is still blocked
    finally:
        release.set()  # the in-flight page 2 finishes; the pool then shuts down
        thread.join(_WAIT)
    assert not thread.is_alive()
    assert len(failures) == 1
    assert read == ["app-000"]  # page 2 arrived after the failure and was not yielded
    pages = sorted(int(query(r)["page"]) for r in recorder.requests)
    assert pages[-1] <= 2 + PAGE_WINDOW  # nothing beyond the window of the page being read


def test_numbers_iter_all_streams_in_order() -> None:
    recorder = owned(9, delay=0.04)
    calls: list[tuple[int, int]] = []
    with numbers_client_for(recorder) as client:
        numbers: Iterator[object] = client.numbers.iter_all(
            progress=lambda d, t: calls.append((d, t)), size=2, country="GB"
        )
        assert recorder.requests == []
        msisdns = [n.msisdn for n in numbers]  # type: ignore[attr-defined]
    assert msisdns == [f"4477009{n:05d}" for n in range(9)]
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert {query(r)["country"] for r in recorder.requests} == {"GB"}


@pytest.mark.parametrize("count", [0, 1, 2])
def test_numbers_iter_all_small_accounts_use_one_request(count: int) -> None:
    recorder = owned(count)
    with numbers_client_for(recorder) as client:
        assert len(list(client.numbers.iter_all(size=2))) == count
    assert len(recorder.requests) == 1


# -- list_all pauses the cyclic garbage collector while it builds its list --------------------


@pytest.fixture
def gc_on() -> Iterator[None]:
    """Every test below starts with the collector on and leaves it as it found it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_list_all_pauses_the_collector_and_switches_it_back_on(gc_on: None) -> None:
    seen: list[bool] = []
    with client_for(account_of(9)) as client:
        client.applications.list_all(page_size=2, progress=lambda *_: seen.append(gc.isenabled()))
        assert gc.isenabled()
        assert seen == [False] * 5
    seen.clear()
    with numbers_client_for(owned(5)) as client:
        client.numbers.list_all(progress=lambda *_: seen.append(gc.isenabled()), size=2)
    assert seen == [False] * 3
    assert gc.isenabled()


def test_iter_all_never_pauses_the_collector(gc_on: None) -> None:
    seen: list[bool] = []
    with client_for(account_of(9)) as client:
        for _ in client.applications.iter_all(page_size=2):
            seen.append(gc.isenabled())  # the caller's code between items runs as usual
    assert seen == [True] * 9


def test_reading_a_page_pauses_the_collector_even_in_iter_all(
    gc_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Decoding a page only builds objects that live until the page is read; the pause ends
    # before the caller's code runs (the test above).
    paused_while_reading: list[bool] = []
    read_page = ApplicationPage.from_api

    def recording_from_api(data: object) -> ApplicationPage:
        paused_while_reading.append(not gc.isenabled())
        return read_page(data)

    monkeypatch.setattr(ApplicationPage, "from_api", recording_from_api)
    with client_for(account_of(9)) as client:
        assert len(list(client.applications.iter_all(page_size=2))) == 9
    assert paused_while_reading == [True] * 5
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(gc_on: None) -> None:
    gc.disable()
    with client_for(account_of(5)) as client:
        client.applications.list_all(page_size=2)
    assert not gc.isenabled()


def test_the_collector_is_back_on_after_a_failure(gc_on: None) -> None:
    def route(request: httpx.Request) -> httpx.Response:
        page = int(query(request)["page"])
        if page == 2:
            return json_reply(500, {"title": "Internal Server Error"})
        return json_reply(200, hal_page(page, 1, 5))

    with client_for(Recorder(router=route)) as client, pytest.raises(ServerError):
        client.applications.list_all(page_size=1)
    assert gc.isenabled()


def test_concurrent_list_alls_switch_the_collector_on_once_both_end(gc_on: None) -> None:
    inside = threading.Barrier(2, timeout=_WAIT)
    paused_inside: list[bool] = []

    def route(request: httpx.Request) -> httpx.Response:
        page = int(query(request)["page"])
        if page == 1:
            inside.wait()  # both calls are under way at once
        return json_reply(200, hal_page(page, 2, 6))

    def listing() -> None:
        with client_for(Recorder(router=route)) as client:
            client.applications.list_all(
                page_size=2, progress=lambda *_: paused_inside.append(not gc.isenabled())
            )

    first = threading.Thread(target=listing)
    second = threading.Thread(target=listing)
    first.start()
    second.start()
    first.join(_WAIT)
    second.join(_WAIT)
    assert not first.is_alive()
    assert not second.is_alive()
    assert gc.isenabled()
    assert paused_inside == [True] * 6  # 3 pages each, all read while paused
