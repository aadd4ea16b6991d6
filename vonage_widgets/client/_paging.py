"""Paged listings: the page-size limit, concurrent page fetching, and the collector pause.

Both APIs list in pages of at most :data:`MAX_PAGE_SIZE`. ``list_all``/``iter_all`` fetch pages
2..n on :data:`PAGE_WORKERS` threads (:func:`stream_pages`) while the calling thread reads them
in order.

Why threads and a collector pause live here, and only here: both are about the cost of a large
account, not about either API. A real API answers a page in ~100-300 ms, so a few requests in
flight hide most of the waiting (the connection pool is shared and thread-safe); decoding stays
on the reading thread because parsing holds the GIL. Building thousands of models makes
CPython's cyclic collector re-scan the heap again and again for nothing
(:func:`gc_paused`, measured by ``benchmarks/listing.py``). Keeping both in one module keeps
the API modules plain request/answer code.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TypeVar

import httpx

from vonage_widgets.errors import FieldError

__all__ = [
    "MAX_PAGE_SIZE",
    "PAGE_WINDOW",
    "PAGE_WORKERS",
    "ProgressCallback",
    "gc_paused",
    "range_problems",
    "stream_pages",
]

MAX_PAGE_SIZE = 100
"""Largest page of both list calls: ``page_size`` [api-notes §1.3], ``size`` [api-notes §2.2]."""


PAGE_WORKERS = 4
"""Threads fetching pages 2..n in ``list_all``/``iter_all``: enough to hide a real API's
latency, gentle on rate limits. The reading thread parses the pages, in order."""

PAGE_WINDOW = 2 * PAGE_WORKERS
"""Pages ``iter_all`` requests ahead of the one being read: keeps every worker busy while
bounding what waits in memory (that many raw page bodies, ~90 KB each at 100 per page)."""

ProgressCallback = Callable[[int, int], None]
"""``progress(done_pages, total_pages)``, called from the calling thread after each page."""

_T = TypeVar("_T")


def range_problems(name: str, value: object, low: int, high: int | None) -> list[FieldError]:
    """The problem with a whole-number request argument (a page size, a page number), if any."""
    rule = f"must be between {low} and {high}" if high is not None else f"must be {low} or more"
    if isinstance(value, bool) or not isinstance(value, int):
        return [FieldError(name, f"must be a whole number ({rule})")]
    if value < low or (high is not None and value > high):
        return [FieldError(name, rule)]
    return []


class _GcPause:
    """Counts the pauses running, so nested and concurrent ones pause the collector once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.active = 0
        self.resume = False


_GC_PAUSE = _GcPause()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause CPython's cyclic garbage collector while a listing builds objects that live on.

    Why: the collector re-scans every live object each time the tracked heap has grown by a
    quarter. Building 10,000 applications (~20 tracked objects each) in a kernel already
    holding pandas and friends set off 4-5 full collections, ~40% of ``list_all``'s time
    (benchmarks/listing.py), and none of what is built is garbage. Paused, the heap is
    scanned once afterwards, as usual. Used only around work whose duration the client
    controls: the whole of ``list_all``, and the decoding of one list page (so ``iter_all``,
    which hands control to the caller between items, pauses only while it reads a page).
    Pauses nest and may overlap across threads: the collector is switched back on only if
    it was on, once the last one ends; reference counting frees everything else meanwhile.
    """
    with _GC_PAUSE.lock:
        if _GC_PAUSE.active == 0:
            _GC_PAUSE.resume = gc.isenabled()
            gc.disable()
        _GC_PAUSE.active += 1
    try:
        yield
    finally:
        with _GC_PAUSE.lock:
            _GC_PAUSE.active -= 1
            if _GC_PAUSE.active == 0 and _GC_PAUSE.resume:
                gc.enable()


def stream_pages(
    first_page: Callable[[], tuple[list[_T], int]],
    fetch: Callable[[int], httpx.Response],
    read: Callable[[httpx.Response], list[_T]],
    progress: ProgressCallback | None,
) -> Generator[_T, None, None]:
    """Page 1's items, then pages 2..n fetched concurrently and yielded in page order.

    ``first_page()`` returns page 1's items and how many pages there are. ``fetch(n)``
    runs on the worker threads and only transfers page ``n``; ``read`` decodes and
    validates it in the reading thread. Parsing holds the GIL, so doing it in the workers
    would not make it faster, only keep several pages' JSON trees alive at once; here one
    page is parsed at a time while the workers keep the connection busy.

    At most :data:`PAGE_WINDOW` pages are requested ahead of the page being read, and each
    page is dropped once read, so memory stays bounded however large the account.
    ``progress`` runs in the reading thread, so a widget can update safely. A failed
    request stops the iteration as soon as it is seen (not when its page is reached):
    pages not yet started are cancelled, the few in flight are waited for, so no request
    outlives the iteration, and the error is raised.
    """
    items, total_pages = first_page()
    total = max(total_pages, 1)
    if total_pages <= 1:
        if progress is not None:
            progress(1, total)
        yield from items
        return
    pending: dict[int, Future[httpx.Response]] = {}
    pool = ThreadPoolExecutor(max_workers=PAGE_WORKERS, thread_name_prefix="vonage-page")
    try:
        requested = 1
        for number in range(1, total_pages + 1):
            # Keep the window full before reading, so workers fetch while this page is used.
            while requested < min(number + PAGE_WINDOW, total_pages):
                requested += 1
                pending[requested] = pool.submit(fetch, requested)
            if number > 1:
                items = read(_fetched(pending, number))
                del pending[number]  # its response (the raw body) can go
            if progress is not None:
                progress(number, total)
            yield from items
            items = []  # the page's models can be freed while the next one is awaited
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _fetched(pending: Mapping[int, Future[httpx.Response]], number: int) -> httpx.Response:
    """Page ``number``'s response once fetched; raises at once if any pending page failed."""
    wanted = pending[number]
    while not wanted.done():
        for future in pending.values():
            if future.done() and not future.cancelled() and future.exception() is not None:
                return future.result()  # raises that page's error
        wait([f for f in pending.values() if not f.done()], return_when=FIRST_COMPLETED)
    return wanted.result()
