"""Item 1: list every application of a large account into a DataFrame.

Compared, against the same seeded sandbox database:

* ours: ``capabilities_table(client.applications.iter_all())`` (page 1, then the rest on
  ``client.PAGE_WORKERS`` threads, each page read and dropped in turn: what the docs
  recommend for a table of a large account) and ``list_all`` + ``capabilities_table``
  (every model kept); plus the sequential ``iter`` for scale;
* the official SDK: ``application.list_applications`` page by page until ``next_page`` is
  None, then a DataFrame of the same columns, over https (the SDK always uses TLS);
* the floor: the sandbox building the same pages in-process (store query, response bodies,
  JSON encoding) with no HTTP, and that plus the client's parsing and the table, which is
  as fast as listing can be with this code: the end-to-end figures are reported against it.

Two set-ups, both measured:

* the sandbox in its own process, started with ``vonage-widgets sandbox --tls``: the way
  ``make lab`` runs it (the lab process serves the sandbox, each notebook kernel is a
  client; there over http, here over https, which the official SDK requires), and how a
  tutorial uses ``vonage-widgets sandbox``. Client and server have a core each, so fetching
  pages concurrently overlaps the server's work with the client's. The brief's 2x target is
  judged here. The three clients take turns for ``Scale.listing_runs`` rounds and medians
  are reported, with the spread of the per-round ratios and the CPU seconds of the client
  and of the sandbox process (from /proc), which tell a client-bound figure from a
  server-bound one.
* the sandbox embedded in this process (a notebook without the lab): client and server share
  one GIL, so concurrency cannot overlap their Python work; reported for comparison.

The own-process rounds are repeated with a simulated network round trip
(``vonage-widgets sandbox --latency MS``, ``Scale.listing_latencies``: 0, 20 and 80 ms in
full runs), which is what users of the real API feel: every request waits that long before
it is answered. The SDK's page loop pays it once per page; ours pays it for page 1, then
``PAGE_WORKERS`` pages at a time, so the ratio tends to ``pages / (1 + ceil((pages - 1) /
PAGE_WORKERS))`` (3.85x for 100 pages) as the latency grows, less the CPU that the waits do
not hide. Each latency also reports the time to the first row of the streamed table (page 1
in hand, before later pages arrive) against the SDK's first page.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from vonage import Auth, HttpClientOptions, Vonage
from vonage_application import ListApplicationsFilter  # type: ignore[import-untyped]

from benchmarks._data import seed_applications
from benchmarks._measure import (
    Scale,
    median,
    peak_rss_growth,
    peak_rss_growth_in_children,
    time_once,
)
from benchmarks._report import Figure
from vonage_widgets.client import PAGE_WORKERS, VonageClient
from vonage_widgets.models import Application, ApplicationPage
from vonage_widgets.sandbox import DEFAULT_API_KEY, DEFAULT_API_SECRET, Sandbox
from vonage_widgets.sandbox import applications as sandbox_apps
from vonage_widgets.sandbox.app import JsonBody
from vonage_widgets.sandbox.ids import Clock, IdFactory
from vonage_widgets.sandbox.store import Store
from vonage_widgets.tables import capabilities_table

__all__ = [
    "SDK_CAPABILITIES",
    "FirstRow",
    "build_pages_in_process",
    "floor_table",
    "latency_bound",
    "memory_child",
    "ours_table",
    "rounds_in_turn",
    "run",
    "sdk_table",
    "separate_sandbox",
    "streamed_table",
]

SDK_CAPABILITIES = ("voice", "messages", "rtc", "verify", "vbc")
"""Capabilities the official SDK models (it drops any other, e.g. video)."""

_BENCH = "list apps"


def build_pages_in_process(db_path: Path, account: str, page_size: int) -> list[bytes]:
    """Every list page as the sandbox's HTTP handler would encode it, without HTTP.

    The same calls as the ``GET /v2/applications`` handler: ``Store.list_applications``,
    ``application_body`` per row, ``list_body``, then the handler's JSON rendering.
    """
    store = Store(db_path, ids=IdFactory(None), clock=Clock())
    try:
        bodies: list[bytes] = []
        page, pages = 1, 1
        while page <= pages:
            total, rows = store.list_applications(
                account, offset=(page - 1) * page_size, limit=page_size
            )
            items = [sandbox_apps.application_body(row) for row in rows]
            body = sandbox_apps.list_body(page, page_size, total, items)
            bodies.append(bytes(JsonBody(body).body))
            pages = body["total_pages"]
            page += 1
        return bodies
    finally:
        store.close()


def floor_table(bodies: list[bytes]) -> pd.DataFrame:
    """The client's share of the work on pre-built pages: decode, model, table."""
    apps: list[Application] = []
    for body in bodies:
        apps.extend(ApplicationPage.from_api(json.loads(body)).applications)
    return capabilities_table(apps)


def ours_table(client: VonageClient, page_size: int, *, concurrent: bool = True) -> pd.DataFrame:
    """What a notebook does: fetch every application, then tabulate its capabilities."""
    api = client.applications
    apps = api.list_all(page_size) if concurrent else list(api.iter(page_size))
    return capabilities_table(apps)


class FirstRow:
    """Seconds from the start of each build to its first row (page 1 in hand), per build."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._started = 0.0
        self._seen = True

    def start(self) -> None:
        self._started, self._seen = time.perf_counter(), False

    def mark(self) -> None:
        if not self._seen:
            self.seconds.append(time.perf_counter() - self._started)
            self._seen = True


def latency_bound(pages: int, workers: int = PAGE_WORKERS) -> float:
    """The ratio our listing tends to against a sequential page loop when round trips
    dominate: ``pages`` waits against page 1's, then ``workers`` pages per wait."""
    return pages / (1 + math.ceil(max(pages - 1, 0) / workers))


def streamed_table(
    client: VonageClient, page_size: int, first_row: FirstRow | None = None
) -> pd.DataFrame:
    """The lean way to tabulate a large account: pages stream into the table and are dropped.

    ``first_row`` is marked when page 1's applications start to flow into the table (the
    iterator's ``progress`` callback, called in the reading thread before a page's items).
    """
    if first_row is None:
        return capabilities_table(client.applications.iter_all(page_size))
    first_row.start()

    def progress(done: int, total: int) -> None:
        if done == 1:
            first_row.mark()

    return capabilities_table(client.applications.iter_all(page_size, progress))


def sdk_table(
    vonage: Vonage, page_size: int, max_pages: int, first_row: FirstRow | None = None
) -> pd.DataFrame:
    """The official SDK's page loop, then a DataFrame with the same columns as ours."""
    rows: list[dict[str, Any]] = []
    page: int | None = 1
    if first_row is not None:
        first_row.start()
    for _ in range(max_pages):  # bounded: a sandbox bug must not loop forever
        apps, page = vonage.application.list_applications(
            ListApplicationsFilter(page_size=page_size, page=page)
        )
        if first_row is not None:
            first_row.mark()
        for app in apps:
            caps = app.capabilities
            row: dict[str, Any] = {"application_id": app.id, "application": app.name}
            row.update({name: getattr(caps, name, None) is not None for name in SDK_CAPABILITIES})
            rows.append(row)
        if page is None:
            return pd.DataFrame(rows)
    raise RuntimeError("the official SDK never reached the last page")


@contextmanager
def _ca_bundle(ca_file: str) -> Iterator[None]:
    """``REQUESTS_CA_BUNDLE`` for the SDK (requests reads it per request), then restored."""
    old = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = ca_file
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = old


@dataclass(frozen=True)
class RunningSandbox:
    """What a client needs of a sandbox running in another process."""

    url: str
    api_key: str
    api_secret: str
    ca_file: str
    pid: int


def _process_cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) process ``pid`` has used, from /proc; None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Run:
    """One timed build: wall seconds, and the CPU seconds of this process and the sandbox's."""

    wall_s: float
    client_cpu_s: float
    sandbox_cpu_s: float | None


@dataclass(frozen=True)
class Runs:
    """One contender's runs from :func:`rounds_in_turn`, reported by their medians."""

    runs: tuple[Run, ...]

    @property
    def wall_s(self) -> float:
        return median([run.wall_s for run in self.runs])

    def _cpu(self) -> tuple[float, float | None]:
        sandbox = [run.sandbox_cpu_s for run in self.runs if run.sandbox_cpu_s is not None]
        client = median([run.client_cpu_s for run in self.runs])
        return client, (median(sandbox) if sandbox else None)

    def ratios(self, baseline: Runs) -> list[float]:
        """Per round, the baseline's time over this one's: its speed-up in that round."""
        return [b.wall_s / r.wall_s for r, b in zip(self.runs, baseline.runs, strict=True)]

    def describe(self, baseline: Runs | None = None) -> str:
        """Medians for the notes, with the spread of the per-round ratios against ``baseline``."""
        client, sandbox = self._cpu()
        shown = "?" if sandbox is None else f"{sandbox:.2f}"
        text = (
            f"median of {len(self.runs)} rounds taken in turn {self.wall_s:.2f} s; "
            f"CPU: client {client:.2f} s, sandbox {shown} s"
        )
        if baseline is not None:
            ratios = self.ratios(baseline)
            text += f"; per-round ratio {min(ratios):.2f}-{max(ratios):.2f}x"
        return text

    def extras(self, baseline: Runs | None = None) -> dict[str, float]:
        client, sandbox = self._cpu()
        out = {"client_cpu_s": client, "wall_s_best": min(run.wall_s for run in self.runs)}
        if sandbox is not None:
            out["sandbox_cpu_s"] = sandbox
        if baseline is not None:
            ratios = self.ratios(baseline)
            out |= {"round_ratio_min": min(ratios), "round_ratio_max": max(ratios)}
        return out


def rounds_in_turn(
    builds: Mapping[str, Callable[[], pd.DataFrame]],
    expected_rows: int,
    rounds: int,
    server_pid: int,
) -> dict[str, Runs]:
    """Each build once per round, in turn, ``rounds`` times; CPU split from /proc per run.

    Taking turns spreads the machine's drift (other load on a shared 2-core host moves a
    single run by +-20%) over every contender instead of favouring whichever ran first, and
    the CPU split tells a client-bound figure from a server-bound one, which wall time alone
    cannot.
    """
    runs: dict[str, list[Run]] = {name: [] for name in builds}
    for _ in range(rounds):
        for name, build in builds.items():
            server_before = _process_cpu_s(server_pid)
            client_before = time.process_time()
            frame: pd.DataFrame | None = None

            def work(build: Callable[[], pd.DataFrame] = build) -> None:
                nonlocal frame
                frame = build()

            wall = time_once(work)
            client = time.process_time() - client_before
            server_after = _process_cpu_s(server_pid)
            assert frame is not None
            if len(frame) != expected_rows:  # a wrong answer fast is no figure
                raise RuntimeError(f"{name}: expected {expected_rows} rows, got {len(frame)}")
            del frame
            server = None
            if server_before is not None and server_after is not None:
                server = server_after - server_before
            runs[name].append(Run(wall, client, server))
    return {name: Runs(tuple(found)) for name, found in runs.items()}


_STARTED = re.compile(r"running at (?P<url>https://\S+)")
_CA_FILE = re.compile(r"CA file:\s+(?P<path>\S+)")
_START_TIMEOUT_S = 60.0


@contextmanager
def separate_sandbox(db_path: Path, latency_ms: float = 0.0) -> Iterator[RunningSandbox]:
    """``vonage-widgets sandbox --tls`` on ``db_path`` in a child process, as ``make lab`` runs it.

    ``latency_ms`` is passed as ``--latency``: each request waits that long to be answered.

    The CLI prints its URL and CA file once it serves; the child is stopped with SIGTERM
    (its documented clean stop) and killed if it does not stop in time.
    """
    command = [
        sys.executable,
        "-m",
        "vonage_widgets.cli",
        "sandbox",
        "--tls",
        "--host",
        "127.0.0.1",
        "--db",
        str(db_path),
        "--latency",
        f"{latency_ms:g}",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("VONAGE_SANDBOX_")}
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    watchdog = threading.Timer(_START_TIMEOUT_S, child.kill)  # a hung start ends the read
    watchdog.start()
    try:
        assert child.stdout is not None
        url = ca_file = None
        lines: list[str] = []
        while ca_file is None:  # the CLI prints the URL first, then the CA file
            line = child.stdout.readline()
            if not line:
                raise RuntimeError("the sandbox CLI stopped before serving:\n" + "".join(lines))
            lines.append(line)
            if started := _STARTED.search(line):
                url = started["url"]
            if found := _CA_FILE.search(line):
                ca_file = found["path"]
        watchdog.cancel()
        assert url is not None
        yield RunningSandbox(url, DEFAULT_API_KEY, DEFAULT_API_SECRET, ca_file, child.pid)
    finally:
        watchdog.cancel()
        child.terminate()
        try:
            child.wait(timeout=_START_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _timed(build: Callable[[], pd.DataFrame], expected_rows: int, runs: int) -> float:
    """Best time of ``runs`` builds, checking each one is complete."""
    best = float("inf")
    for _ in range(runs):
        frame: pd.DataFrame | None = None

        def work() -> None:
            nonlocal frame
            frame = build()

        seconds = time_once(work)
        assert frame is not None
        if len(frame) != expected_rows:  # a wrong answer fast is no figure
            raise RuntimeError(f"expected {expected_rows} rows, got {len(frame)}")
        best = min(best, seconds)
        del frame
    return best


def _sdk_client(sandbox: Sandbox | RunningSandbox) -> Vonage:
    host = sandbox.url.removeprefix("https://")
    return Vonage(
        Auth(api_key=sandbox.api_key, api_secret=sandbox.api_secret),
        HttpClientOptions(api_host=host, rest_host=host),
    )


def memory_child(db_path: str, page_size: str, who: str) -> dict[str, int | str]:
    """In a fresh interpreter: peak RSS growth of one https listing into a DataFrame.

    ``who`` is ``"ours"`` (``list_all``, then the table), ``"ours-iter"`` (``iter`` streamed
    into the table, so only one page of models is alive at a time) or ``"sdk"``. One tiny
    request first loads the code paths (TLS, models), so the figure is the listing's data,
    not first-use set-up. The sandbox runs in the same process, so its memory for the pages
    counts too, for every contender.
    """
    size = int(page_size)
    with Sandbox(db=Path(db_path), tls=True) as sandbox:
        ca_file = sandbox.ca_file
        assert ca_file is not None
        if who.startswith("ours"):
            with VonageClient(
                sandbox.api_key, sandbox.api_secret, api_host=sandbox.url, verify=ca_file
            ) as client:
                client.applications.list(1, 1)
                with peak_rss_growth() as memory:
                    if who == "ours":
                        frame = ours_table(client, size)
                    else:
                        frame = capabilities_table(client.applications.iter(size))
        else:
            with _ca_bundle(ca_file):
                vonage = _sdk_client(sandbox)
                vonage.application.list_applications(ListApplicationsFilter(page_size=1, page=1))
                with peak_rss_growth() as memory:
                    frame = sdk_table(vonage, size, 1_000_000)
        del frame
    return memory.to_dict()


def run(scale: Scale) -> list[Figure]:
    """Seed ``scale.apps`` applications once, then list them every way; one figure each."""
    n, size = scale.apps, scale.page_size
    pages = -(-n // size)
    runs = scale.listing_runs
    best_of = min(runs, 3)  # in-process rows: the best of a few (the floor is not noisy)
    with tempfile.TemporaryDirectory(prefix="vonage-widgets-bench-") as folder:
        db_path = Path(folder) / "sandbox.sqlite3"
        with Sandbox(db=db_path) as sandbox:
            seed_applications(sandbox, n)
            account = sandbox.api_key
            build_s = time_once(lambda: build_pages_in_process(db_path, account, size))
            bodies = build_pages_in_process(db_path, account, size)
            floor_s = _timed(lambda: floor_table(bodies), n, best_of)
            with VonageClient(sandbox.api_key, sandbox.api_secret, api_host=sandbox.url) as c:
                http_s = _timed(lambda: ours_table(c, size), n, best_of)
        # The sandbox in its own process, as `make lab` runs it: the brief's comparison,
        # then the same with each simulated round trip.
        latencies = {0.0, *scale.listing_latencies}
        at_latency = {
            latency: own_process_rounds(
                db_path, latency, n, size, runs if latency == 0 else scale.latency_runs
            )
            for latency in sorted(latencies)
        }
        lab_runs = at_latency[0.0].runs
        # The sandbox embedded in this process (one GIL for client and server).
        with Sandbox(db=db_path, tls=True) as sandbox:
            ca_file = sandbox.ca_file
            assert ca_file is not None
            with VonageClient(
                sandbox.api_key, sandbox.api_secret, api_host=sandbox.url, verify=ca_file
            ) as c:
                https_s = _timed(lambda: ours_table(c, size), n, best_of)
                streamed_s = _timed(lambda: streamed_table(c, size), n, best_of)
                serial_s = _timed(lambda: ours_table(c, size, concurrent=False), n, best_of)
            with _ca_bundle(ca_file):
                vonage = _sdk_client(sandbox)
                sdk_s = _timed(lambda: sdk_table(vonage, size, pages + 1), n, best_of)
        contenders = ("ours", "ours-iter", "sdk")
        peaks = peak_rss_growth_in_children(
            [(__name__, "memory_child", (str(db_path), str(size), who)) for who in contenders]
        )
        memory = dict(zip(contenders, peaks, strict=True))

    floor_rate = n / (build_s + floor_s)
    sdk_rate = n / sdk_s
    lab_streamed, lab_list_all, lab_sdk = (
        lab_runs["streamed"],
        lab_runs["list_all"],
        lab_runs["sdk"],
    )
    lab_streamed_s, lab_list_all_s, lab_sdk_s = (
        lab_streamed.wall_s,
        lab_list_all.wall_s,
        lab_sdk.wall_s,
    )
    lab_sdk_rate = n / lab_sdk_s
    what = f"{n:,} apps, {pages} pages of {size}"
    apart = "sandbox in its own process (vonage-widgets sandbox --tls; make lab's is apart too)"
    embedded = "sandbox embedded in this process (one GIL)"
    latency_rows = [
        figure
        for latency, rounds in at_latency.items()
        for figure in latency_figures(latency, rounds, n, pages)
    ]
    return [
        Figure(
            f"{_BENCH}: floor, sandbox builds the pages in-process",
            n / build_s,
            "apps/s",
            notes=f"{what}; store query + bodies + JSON, no HTTP ({build_s:.2f} s)",
        ),
        Figure(
            f"{_BENCH}: floor, + client parse + capabilities_table",
            floor_rate,
            "apps/s",
            notes=f"pages above, then JSON guard + ApplicationPage.from_api + table, no HTTP, "
            f"one thread ({build_s + floor_s:.2f} s; client side {floor_s:.2f} s)",
            extra={"client_side_s": floor_s, "server_side_s": build_s},
        ),
        Figure(
            f"{_BENCH}: ours https, iter_all streamed into the table, own-process sandbox",
            n / lab_streamed_s,
            "apps/s",
            baseline=lab_sdk_rate,
            notes=f"baseline: official SDK, same sandbox; {apart}; {PAGE_WORKERS} page threads, "
            f"keep-alive; {n / lab_streamed_s / floor_rate:.2f}x the one-thread floor; "
            f"{lab_streamed.describe(lab_sdk)}",
            extra=lab_streamed.extras(lab_sdk),
        ),
        Figure(
            f"{_BENCH}: ours https, list_all + capabilities_table, own-process sandbox",
            n / lab_list_all_s,
            "apps/s",
            baseline=lab_sdk_rate,
            notes=f"baseline: official SDK, same sandbox; keeps all {n:,} models; "
            f"{lab_list_all.describe(lab_sdk)}",
            extra=lab_list_all.extras(lab_sdk),
        ),
        Figure(
            f"{_BENCH}: official SDK https, page loop + DataFrame, own-process sandbox",
            lab_sdk_rate,
            "apps/s",
            notes=f"vonage {_sdk_version()}; {apart}; drops unknown capabilities; "
            f"{lab_sdk.describe()}",
            extra=lab_sdk.extras(),
        ),
        *latency_rows,
        Figure(
            f"{_BENCH}: ours https, iter_all streamed into the table, embedded sandbox",
            n / streamed_s,
            "apps/s",
            baseline=sdk_rate,
            notes=f"baseline: official SDK, same sandbox; {embedded} ({streamed_s:.2f} s)",
        ),
        Figure(
            f"{_BENCH}: ours https, list_all + capabilities_table, embedded sandbox",
            n / https_s,
            "apps/s",
            baseline=sdk_rate,
            notes=f"baseline: official SDK, same sandbox ({https_s:.2f} s)",
        ),
        Figure(
            f"{_BENCH}: ours https, sequential iter + capabilities_table, embedded sandbox",
            n / serial_s,
            "apps/s",
            baseline=sdk_rate,
            notes=f"baseline: official SDK, same sandbox; one page at a time ({serial_s:.2f} s)",
        ),
        Figure(
            f"{_BENCH}: official SDK https, page loop + DataFrame, embedded sandbox",
            sdk_rate,
            "apps/s",
            notes=f"vonage {_sdk_version()}; {embedded} ({sdk_s:.2f} s)",
        ),
        Figure(
            f"{_BENCH}: ours http, list_all + capabilities_table, embedded sandbox",
            n / http_s,
            "apps/s",
            baseline=floor_rate,
            notes=f"baseline: the no-HTTP floor (ratio = share of it reached); "
            f"{PAGE_WORKERS} page threads, keep-alive ({http_s:.2f} s)",
        ),
        Figure(
            f"{_BENCH}: peak RSS growth, ours https",
            memory["ours"].mib,
            "MiB",
            baseline=memory["sdk"].mib,
            notes=f"baseline: official SDK; list_all keeps every model; whole process incl. "
            f"the embedded sandbox ({memory['ours'].method})",
        ),
        Figure(
            f"{_BENCH}: peak RSS growth, ours https, iter streamed into the table",
            memory["ours-iter"].mib,
            "MiB",
            baseline=memory["sdk"].mib,
            notes="baseline: official SDK; capabilities_table(client.applications.iter()) "
            "keeps one page of models alive, not all",
        ),
    ]


@dataclass(frozen=True)
class LatencyRounds:
    """The own-process rounds at one simulated latency, with each build's time to first row."""

    runs: dict[str, Runs]
    first_row: dict[str, list[float]]


def own_process_rounds(
    db_path: Path, latency_ms: float, n: int, size: int, rounds: int
) -> LatencyRounds:
    """Streamed table, ``list_all`` and the SDK's loop take turns against a sandbox in its
    own process answering each request after ``latency_ms``."""
    pages = -(-n // size)
    with (
        separate_sandbox(db_path, latency_ms) as lab,
        _ca_bundle(lab.ca_file),
        VonageClient(lab.api_key, lab.api_secret, api_host=lab.url, verify=lab.ca_file) as c,
    ):
        c.applications.list(1, 1)  # connect and load the code paths first
        vonage = _sdk_client(lab)
        ours_first, sdk_first = FirstRow(), FirstRow()
        runs = rounds_in_turn(
            {
                "streamed": lambda: streamed_table(c, size, ours_first),
                "list_all": lambda: ours_table(c, size),
                "sdk": lambda: sdk_table(vonage, size, pages + 1, sdk_first),
            },
            n,
            rounds,
            lab.pid,
        )
    return LatencyRounds(runs, {"streamed": ours_first.seconds, "sdk": sdk_first.seconds})


def latency_figures(latency_ms: float, rounds: LatencyRounds, n: int, pages: int) -> list[Figure]:
    """Rows for one latency: ours against the SDK (0 ms: only the time to first row, the
    other rows are the own-process rows above), and the time to the first row."""
    streamed, list_all, sdk = (rounds.runs[k] for k in ("streamed", "list_all", "sdk"))
    ours_first = median(rounds.first_row["streamed"]) * 1000
    sdk_first = median(rounds.first_row["sdk"]) * 1000
    where = f"own-process sandbox, {latency_ms:g} ms latency"
    bound = latency_bound(pages)
    first = Figure(
        f"{_BENCH}: time to first row, ours streamed, {where}",
        ours_first,
        "ms",
        baseline=sdk_first,
        notes=f"baseline: the official SDK's first page, same rounds (ratio < 1: sooner); "
        f"page 1 in hand before pages 2..{pages} arrive; median of {len(streamed.runs)}",
    )
    if latency_ms == 0:
        return [first]
    sdk_rate = n / sdk.wall_s
    return [
        Figure(
            f"{_BENCH}: ours https, iter_all streamed into the table, {where}",
            n / streamed.wall_s,
            "apps/s",
            baseline=sdk_rate,
            notes=f"baseline: official SDK, same sandbox; {PAGE_WORKERS} page threads; "
            f"round-trip bound {bound:.2f}x ({pages} waits against 1 + "
            f"ceil({pages - 1}/{PAGE_WORKERS})); {streamed.describe(sdk)}",
            extra=streamed.extras(sdk),
        ),
        Figure(
            f"{_BENCH}: ours https, list_all + capabilities_table, {where}",
            n / list_all.wall_s,
            "apps/s",
            baseline=sdk_rate,
            notes=f"baseline: official SDK, same sandbox; {list_all.describe(sdk)}",
            extra=list_all.extras(sdk),
        ),
        Figure(
            f"{_BENCH}: official SDK https, page loop + DataFrame, {where}",
            sdk_rate,
            "apps/s",
            notes=f"one page at a time: {pages} round trips; {sdk.describe()}",
            extra=sdk.extras(),
        ),
        first,
    ]


def _sdk_version() -> str:
    from importlib.metadata import version

    return version("vonage")
