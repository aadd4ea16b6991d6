"""Item 2: the sandbox under load on loopback: throughput and p50/p99 latency per operation.

Each operation runs a fixed number of requests, split evenly between 1 or 4 concurrent
clients (threads, one keep-alive ``httpx.Client`` each, no retries, so the figures are the
server's). The sandbox runs in this process, as in a notebook kernel: clients and server
share the GIL, so the 4-client figures show contention as much as parallelism.

Baselines: for 4 clients, the same operation with 1 client (ratio = scaling); for a create
with a sandbox-generated key, ``keys.generate_key_pair`` alone (RSA generation dominates).
"""

from __future__ import annotations

import itertools
import ssl
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx

from benchmarks._data import request_body, running_sandbox
from benchmarks._measure import Scale, median, percentile, time_each, time_once
from benchmarks._report import Figure
from vonage_widgets.keys import generate_key_pair
from vonage_widgets.sandbox import Sandbox

__all__ = ["LoadResult", "Operation", "load", "operations", "run"]

_BENCH = "sandbox"
_START_TIMEOUT = 120.0  # seconds for every client to warm up (a generated key each)


@dataclass(frozen=True)
class Operation:
    """One kind of request: ``send(client, i)`` sends request number ``i`` and checks it."""

    name: str
    send: Callable[[httpx.Client, int], None]
    requests: int
    notes: str = ""
    generates_keys: bool = False


@dataclass(frozen=True)
class LoadResult:
    """Throughput and latency of one operation at one concurrency."""

    operation: str
    clients: int
    requests: int
    seconds: float
    latencies: Sequence[float]

    @property
    def throughput(self) -> float:
        """Requests per second over the whole run."""
        return self.requests / self.seconds

    @property
    def p50_ms(self) -> float:
        """Median latency in milliseconds."""
        return percentile(self.latencies, 50) * 1000

    @property
    def p99_ms(self) -> float:
        """99th-percentile latency in milliseconds."""
        return percentile(self.latencies, 99) * 1000


def _expect(response: httpx.Response, status: int) -> None:
    if response.status_code != status:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: "
            f"expected {status}, got {response.status_code}"
        )


def _app_ids(client: httpx.Client, count: int) -> list[str]:
    ids: list[str] = []
    page = 1
    while len(ids) < count:
        response = client.get("/v2/applications", params={"page_size": 100, "page": page})
        _expect(response, 200)
        found = [app["id"] for app in response.json()["_embedded"]["applications"]]
        if not found:
            break
        ids += found
        page += 1
    return ids[:count]


def operations(ids: Sequence[str], scale: Scale) -> list[Operation]:
    """The measured operations, using existing applications ``ids`` for get and update."""
    counter = itertools.count()  # create names stay unique across threads

    def get(client: httpx.Client, i: int) -> None:
        _expect(client.get(f"/v2/applications/{ids[i % len(ids)]}"), 200)

    def list_page(client: httpx.Client, i: int) -> None:
        pages = max(1, len(ids) // 100)
        response = client.get("/v2/applications", params={"page_size": 100, "page": i % pages + 1})
        _expect(response, 200)

    def create_with_key(client: httpx.Client, i: int) -> None:
        _expect(client.post("/v2/applications", json=request_body(next(counter))), 201)

    def create_generated(client: httpx.Client, i: int) -> None:
        body = request_body(next(counter), with_key=False)
        _expect(client.post("/v2/applications", json=body), 201)

    def update(client: httpx.Client, i: int) -> None:
        body = request_body(i)
        body["name"] = f"updated {i}"
        _expect(client.put(f"/v2/applications/{ids[i % len(ids)]}", json=body), 200)

    return [
        Operation("get one application", get, scale.requests),
        Operation("list a page of 100", list_page, scale.list_requests),
        Operation("create, public key given", create_with_key, scale.requests),
        Operation(
            "create, sandbox generates the key",
            create_generated,
            scale.generated_key_requests,
            "RSA 2048 generation dominates",
            generates_keys=True,
        ),
        Operation("update (PUT)", update, scale.requests),
    ]


def _client(sandbox: Sandbox) -> httpx.Client:
    ca_file = sandbox.ca_file
    return httpx.Client(
        base_url=sandbox.url,
        auth=(sandbox.api_key, sandbox.api_secret),
        verify=ssl.create_default_context(cafile=ca_file) if ca_file else True,
        timeout=60.0,
    )


def load(sandbox: Sandbox, operation: Operation, clients: int) -> LoadResult:
    """Send ``operation.requests`` requests from ``clients`` threads; time each request."""
    share = [
        operation.requests // clients + (k < operation.requests % clients) for k in range(clients)
    ]
    starts = list(itertools.accumulate([0, *share[:-1]]))
    latencies: list[list[float]] = [[] for _ in range(clients)]
    ready = threading.Barrier(clients + 1, timeout=_START_TIMEOUT)

    def worker(k: int) -> None:
        with _client(sandbox) as client:
            try:
                operation.send(client, starts[k])  # warm the connection (not counted)
            except BaseException:
                ready.abort()  # release the others; the error surfaces from result()
                raise
            ready.wait()
            latencies[k] = time_each(lambda i: operation.send(client, starts[k] + i), share[k])

    with ThreadPoolExecutor(max_workers=clients) as pool:
        futures = [pool.submit(worker, k) for k in range(clients)]
        try:
            ready.wait()
        except threading.BrokenBarrierError:
            for future in futures:
                future.result()  # raises the worker's own error
            raise
        seconds = time_once(lambda: [f.result() for f in futures])
    flat = [s for per_client in latencies for s in per_client]
    return LoadResult(operation.name, clients, len(flat), seconds, flat)


def _key_generation_rate(count: int) -> float:
    seconds = time_once(lambda: [generate_key_pair() for _ in range(count)])
    return count / seconds


def _figure(
    result: LoadResult, baseline: float | None, notes: str, name: str | None = None
) -> Figure:
    latency = f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"
    plural = "s" * (result.clients > 1)
    return Figure(
        name or f"{_BENCH}: {result.operation}, {result.clients} client{plural}",
        result.throughput,
        "req/s",
        baseline=baseline,
        notes="; ".join(part for part in (latency, notes) if part),
        extra={
            "p50_ms": result.p50_ms,
            "p99_ms": result.p99_ms,
            "median_ms": median(result.latencies) * 1000,
            "requests": result.requests,
        },
    )


def _rows(sandbox: Sandbox, operation: Operation, scale: Scale) -> list[Figure]:
    """One operation at every concurrency; 1 client is the baseline of the others."""
    figures: list[Figure] = []
    single: float | None = None
    for clients in scale.concurrency:
        result = load(sandbox, operation, clients)
        if single is not None:
            figures.append(_figure(result, single, "baseline: 1 client"))
            continue
        single = result.throughput
        if operation.generates_keys:
            rate = _key_generation_rate(scale.generated_key_requests)
            notes = f"baseline: generate_key_pair() alone; {operation.notes}"
            figures.append(_figure(result, rate, notes))
        else:
            figures.append(_figure(result, None, operation.notes))
    return figures


def run(scale: Scale) -> list[Figure]:
    """Every operation at every concurrency, plus one https row (a TLS handshake per request)."""
    figures: list[Figure] = []
    with running_sandbox(apps=scale.load_apps) as sandbox:
        with _client(sandbox) as client:
            ids = _app_ids(client, scale.load_apps)
        for operation in operations(ids, scale):
            figures += _rows(sandbox, operation, scale)
    http_get = figures[0].value  # "get one application", 1 client
    with running_sandbox(tls=True, apps=scale.load_apps) as sandbox:
        with _client(sandbox) as client:
            ids = _app_ids(client, scale.load_apps)
        result = load(sandbox, operations(ids, scale)[0], 1)
    figures.append(
        _figure(
            result,
            http_get,
            "baseline: http; one TLS connection kept alive, so the handshake is paid once",
            name=f"{_BENCH}: get one application over https, 1 client",
        )
    )
    return figures
