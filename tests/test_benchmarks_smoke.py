"""The benchmarks run and report well-formed figures (tiny sizes; no timing is asserted).

Speed is read from ``python -m benchmarks``, never asserted here: these tests only prove that
every benchmark still works against the current package and that its figures can be printed
and compared (names, units, finite numbers, ratios that match their parts).
"""

from __future__ import annotations

import functools
import json
import math
import os
from pathlib import Path

import nbformat
import pytest

from benchmarks import BENCHMARKS, load
from benchmarks.__main__ import main
from benchmarks._measure import (
    MIB,
    Scale,
    interleaved_rates,
    peak_rss_growth,
    percentile,
)
from benchmarks._report import COLUMNS, Figure, format_table, write_json
from benchmarks.notebooks import run as run_notebooks
from benchmarks.notebooks import write_trivial_notebooks

SMOKE = Scale.smoke()

# Benchmark -> (how many figures it reports at smoke scale, the units it may use).
EXPECTED: dict[str, tuple[int, set[str]]] = {
    "listing": (12 + 1 + 4, {"apps/s", "MiB", "ms"}),  # + first row at 0 ms, 4 rows at 20 ms
    "sandbox": (2 * 5 + 1, {"req/s"}),
    "imports": (len(SMOKE.import_targets), {"ms"}),
    "form": (2, {"ms"}),
    "tables": (4, {"ms", "MiB"}),
    "jwt": (3, {"tokens/s"}),
    "voice": (3, {"tokens/s", "calls/s", "req/s"}),
    "ncco": (2, {"NCCOs/s"}),
}


def check_figures(figures: list[Figure], count: int, units: set[str]) -> None:
    """Every figure is printable and comparable, and the set has the expected shape."""
    assert len(figures) == count
    assert len({f.benchmark for f in figures}) == count, "figure names must be unique"
    for figure in figures:
        assert figure.is_well_formed(), figure
        assert figure.unit in units, figure
        assert figure.value is not None, figure
        assert figure.value >= 0, figure
        if figure.unit != "MiB":  # memory growth may be 0 at tiny sizes; rates and times not
            assert figure.value > 0, figure
        if figure.ratio is not None:
            assert figure.baseline is not None
            assert math.isclose(figure.ratio * figure.baseline, figure.value, rel_tol=1e-9)
        assert figure.cores >= 1
    table = format_table(figures)
    assert table.splitlines()[0].split(" | ")[0].strip() == COLUMNS[0]
    assert len(table.splitlines()) == count + 2  # header, rule, one line per figure


@functools.cache
def figures_of(name: str) -> tuple[Figure, ...]:
    """One smoke run per benchmark, shared by the tests that read its figures."""
    return tuple(load(name)(SMOKE))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_benchmark_runs_and_reports_well_formed_figures(name: str) -> None:
    count, units = EXPECTED[name]
    check_figures(list(figures_of(name)), count, units)


def test_sandbox_benchmark_reports_ordered_percentiles() -> None:
    figures = figures_of("sandbox")
    for figure in figures:
        assert 0 < float(figure.extra["p50_ms"]) <= float(figure.extra["p99_ms"]), figure
    scaled = [f for f in figures if f.benchmark.endswith("2 clients")]
    assert len(scaled) == 5
    assert all(f.baseline is not None and "baseline: 1 client" in f.notes for f in scaled)


def test_import_benchmark_finds_the_dependencies_of_the_models() -> None:
    by_name = {f.benchmark: f for f in figures_of("imports")}
    top = by_name["import vonage_widgets"]
    assert top.baseline is None  # loads no third-party module at all
    models = by_name["import vonage_widgets.models"]
    assert models.baseline is not None
    assert models.baseline > 0
    assert "pydantic" in str(models.extra["packages"]).split(",")


def test_notebook_benchmark_times_a_folder_of_notebooks(tmp_path: Path) -> None:
    (path,) = write_trivial_notebooks(tmp_path, 1)
    notebook = nbformat.read(path, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)  # the baseline is a real notebook
    figures = run_notebooks(SMOKE, tmp_path)
    check_figures(figures, 1, {"s"})
    assert figures[0].extra["exit_code"] == 0
    assert "1 notebooks, passed" in figures[0].notes


def test_notebook_benchmark_is_skipped_in_quick_runs() -> None:
    (figure,) = load("notebooks")(Scale.quick())
    assert figure.value is None
    assert figure.is_well_formed()
    assert "skipped" in figure.notes


def test_every_benchmark_has_a_smoke_expectation() -> None:
    assert set(BENCHMARKS) == {*EXPECTED, "notebooks"}


# -- the measuring and reporting helpers ---------------------------------------------------------


def test_percentile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile(values, 100) == 100.0
    assert percentile([3.0], 99) == 3.0
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_interleaved_rates_calls_each_action_exactly_count_times() -> None:
    calls: dict[str, list[int]] = {"a": [], "b": []}
    rates = interleaved_rates({"a": calls["a"].append, "b": calls["b"].append}, count=23, rounds=5)
    assert calls["a"] == list(range(23))
    assert calls["b"] == list(range(23))
    assert set(rates) == {"a", "b"}
    assert all(rate > 0 for rate in rates.values())


def test_peak_rss_growth_sees_a_large_allocation() -> None:
    with peak_rss_growth() as memory:
        block = bytearray(64 * MIB)
        block[::4096] = b"x" * len(block[::4096])  # touch every page so it is resident
        del block
    assert memory.growth >= 32 * MIB
    assert memory.method


def test_ratio_and_well_formedness_of_a_figure() -> None:
    assert Figure("x", 10.0, "ms", baseline=4.0).ratio == 2.5
    assert Figure("x", 10.0, "ms", baseline=0.0).ratio is None
    assert Figure("x", 10.0, "ms").ratio is None
    assert not Figure("x", float("nan"), "ms").is_well_formed()
    assert not Figure("x", None, "ms").is_well_formed()  # a missing value must say why
    assert Figure("x", None, "ms", notes="skipped").is_well_formed()
    assert not Figure("", 1.0, "ms").is_well_formed()


def test_json_output_round_trips(tmp_path: Path) -> None:
    figures = [Figure("a", 2.0, "ms", baseline=1.0, extra={"p50_ms": 1.5})]
    path = write_json(figures, tmp_path / "out.json", {"scale": "smoke"})
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["meta"] == {"scale": "smoke"}
    assert data["figures"][0]["ratio"] == 2.0
    assert data["figures"][0]["extra"] == {"p50_ms": 1.5}


def test_command_line_prints_the_table_and_writes_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "figures.json"
    assert main(["--quick", "--only", "ncco", "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    header = next(line for line in printed.splitlines() if line.startswith(COLUMNS[0]))
    assert [cell.strip() for cell in header.split("|")] == list(COLUMNS)
    assert "NCCO: validate_ncco, 5-action IVR" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["meta"]["scale"] == "quick"
    assert [f["benchmark"] for f in data["figures"]] == [
        "NCCO: validate_ncco, 5-action IVR",
        "NCCO: check_ncco (errors + warnings), 5-action IVR",
    ]


def test_command_line_profiles_a_benchmark(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick", "--only", "ncco", "--profile", "slowest", "--profile-lines", "5"]) == 0
    printed = capsys.readouterr().out
    assert "cProfile of 'ncco'" in printed
    assert "validate_ncco" in printed


def test_process_cpu_reads_the_counters_of_a_live_process_only() -> None:
    from benchmarks.listing import _process_cpu_s

    used = _process_cpu_s(os.getpid())
    assert used is not None
    assert used > 0  # this test process has run imports and tests by now
    assert _process_cpu_s(2**31 - 1) is None  # no such process


def test_latency_bound_counts_the_round_trips_of_page_workers() -> None:
    from benchmarks.listing import latency_bound

    assert latency_bound(1) == 1.0
    assert latency_bound(5, workers=4) == 5 / 2  # page 1, then pages 2-5 at once
    assert latency_bound(100, workers=4) == 100 / 26
    assert latency_bound(100, workers=1) == 1.0


def test_listing_reports_time_to_first_row_and_each_latency() -> None:
    names = [figure.benchmark for figure in figures_of("listing")]
    for latency in SMOKE.listing_latencies:
        assert any(
            f"first row, ours streamed, own-process sandbox, {latency:g} ms" in n for n in names
        )
    assert any(
        "iter_all streamed into the table, own-process sandbox, 20 ms latency" in n for n in names
    )
