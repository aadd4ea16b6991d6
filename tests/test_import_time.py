"""What keeps imports light stays in place, and the import benchmark measures like with like.

Issue 9: importing a module of ours may cost at most 1.2x importing the third-party modules it
loads. The NCCO models build their validators on first use (and must still judge right when
that first use comes from many threads at once), the modules of pydantic models evaluate
their annotations once (no ``from __future__ import annotations``), and the benchmark loads
our bytecode the way a wheel install does, with a "cold" row that compiles our sources.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import importlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import imports as import_benchmark
from benchmarks._measure import Scale
from tests.fresh_python import fresh_python, fresh_python_race

REPO = Path(__file__).resolve().parent.parent

NCCO_MODEL_MODULES = tuple(
    f"ncco/{name}" for name in ("base", "endpoints", "speech", "prompts", "actions")
)
# Modules of pydantic models whose annotations must stay evaluated (see ``models``' docstring).
EVALUATED_ANNOTATIONS = (
    *NCCO_MODEL_MODULES,
    "_wire",
    "application",
    "extra_capabilities",
    "numbers",
    "problem",
)


def test_importing_the_ncco_models_builds_no_validator_and_loads_no_difflib() -> None:
    found = fresh_python(
        "import json, sys\n"
        "from vonage_widgets.models.ncco import *  # every public name: all the models\n"
        "from pydantic import BaseModel\n"
        "classes = [c for m in list(sys.modules.values())\n"
        "           if getattr(m, '__name__', '').startswith('vonage_widgets.models.ncco')\n"
        "           for c in vars(m).values()\n"
        "           if isinstance(c, type) and issubclass(c, BaseModel)\n"
        "           and c.__module__ == m.__name__]\n"
        "print(json.dumps({'classes': len(classes),\n"
        "                  'built': [c.__name__ for c in classes if c.__pydantic_complete__],\n"
        "                  'difflib': 'difflib' in sys.modules}))"
    )
    assert found["classes"] >= 20  # the actions, endpoints and their parts
    assert found["built"] == []
    assert found["difflib"] is False  # only "did you mean" hints need it


def test_ncco_first_uses_from_many_threads_at_once_all_judge_right() -> None:
    verdicts = fresh_python_race(
        "from vonage_widgets.models import check_ncco, parse_ncco\n"
        "phone = {'type': 'phone', 'number': '447700900001'}\n"
        "good = [{'action': 'talk', 'text': 'Hi'}, {'action': 'connect', 'endpoint': [phone]}]\n"
        "bad = [{'action': 'talk', 'text': 5}, {'action': 'conect'}]\n"
        "def task(k):\n"
        "    if k % 2:\n"
        "        return ','.join(a.kind for a in parse_ncco(good))\n"
        "    return ','.join(e.path for e in check_ncco(bad).errors)"
    )
    assert verdicts == ["0.text,1.action"] * 4 + ["talk,connect"] * 4


def test_ncco_models_built_on_first_use_emit_the_same_json() -> None:
    from vonage_widgets.models import Ncco, parse_ncco

    body = [
        {"action": "talk", "text": "Hello", "bargeIn": True, "extra": 1},
        {
            "action": "connect",
            "from": "447700900000",
            "endpoint": [{"type": "phone", "number": "447700900001"}],
        },
    ]
    assert parse_ncco(body).to_list() == body
    built = Ncco().talk("Hello").connect_phone("447700900001", from_="447700900000")
    assert built.to_list()[1]["from"] == "447700900000"


@pytest.mark.parametrize("module", EVALUATED_ANNOTATIONS)
def test_model_modules_evaluate_their_annotations_once(module: str) -> None:
    source = (REPO / "vonage_widgets" / "models" / f"{module}.py").read_text(encoding="utf-8")
    assert "from __future__ import annotations\n" not in source
    name = module.replace("/", ".")
    loaded = importlib.import_module(f"vonage_widgets.models.{name}")
    assert loaded.__name__.endswith(name)


def test_capabilities_names_the_extra_capabilities_it_checks() -> None:
    from vonage_widgets.models import application
    from vonage_widgets.models.extra_capabilities import ExtraCapabilities

    assert frozenset(ExtraCapabilities.model_fields) == application._EXTRA_NAMES


# -- first use, not import: what the sandbox and the widgets defer -----------------------------

# The sandbox needs the NCCO models only to check a webhook's reply, the catalog only for a
# webhook's default timeouts, the problem-details model only for an error body: all at first
# use. At import it needs one number, the NCCO size limit (MAX_RESPONSE_BYTES derives from it).
NCCO_MODELS = tuple(
    f"vonage_widgets.models.{name.replace('/', '.')}"
    for name in (*NCCO_MODEL_MODULES, "ncco/validate", "ncco/builder")
)
SANDBOX_DEFERRED = (
    *NCCO_MODELS,
    "vonage_widgets.models.catalog",
    "vonage_widgets.models.problem",
    "vonage_widgets.voice.runner",
)


@functools.cache
def _loaded_by(code: str) -> tuple[str, ...]:
    """The modules a new interpreter has loaded after running ``code`` (asked once per code:
    the answer cannot change within a run)."""
    found = fresh_python(f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))")
    assert isinstance(found, list)
    return tuple(str(name) for name in found)


@pytest.mark.parametrize(
    ("module", "deferred"),
    [
        ("vonage_widgets.sandbox", SANDBOX_DEFERRED),
        ("vonage_widgets.workbook", (*NCCO_MODELS, "vonage_widgets.voice.runner")),
    ],
)
def test_importing_the_sandbox_loads_no_ncco_model(module: str, deferred: tuple[str, ...]) -> None:
    loaded = _loaded_by(f"import {module}")
    assert [name for name in deferred if name in loaded] == []
    assert "vonage_widgets.models.ncco.limits" in loaded  # light: the limit, no models


def test_the_sandbox_reads_the_ncco_size_limit_from_the_models() -> None:
    from vonage_widgets.models import ncco
    from vonage_widgets.models.ncco import limits as ncco_limits
    from vonage_widgets.voice import http as voice_http

    assert ncco.MAX_NCCO_BYTES == ncco_limits.MAX_NCCO_BYTES == 512 * 1024
    assert ncco.MAX_NCCO_ACTIONS == ncco_limits.MAX_NCCO_ACTIONS == 100
    assert voice_http.MAX_RESPONSE_BYTES == ncco_limits.MAX_NCCO_BYTES + 64 * 1024


def test_ncco_limits_loads_nothing_else_of_ours_nor_pydantic() -> None:
    # A package import runs vonage_widgets/__init__ (errors, redact) and models/__init__
    # (the application models, pydantic): so compare against importing the package alone.
    before = set(_loaded_by("import vonage_widgets.models"))
    after = set(_loaded_by("import vonage_widgets.models.ncco.limits"))
    # The NCCO package's own __init__ only sets up its lazy names (with the loader that the
    # models package has already loaded).
    assert after - before == {"vonage_widgets.models.ncco", "vonage_widgets.models.ncco.limits"}
    source = (REPO / "vonage_widgets" / "models" / "ncco" / "limits.py").read_text(encoding="utf-8")
    imports = (ast.Import, ast.ImportFrom)
    assert not [node for node in ast.walk(ast.parse(source)) if isinstance(node, imports)]


def test_importing_the_widgets_loads_no_ncco_model_nor_the_builder() -> None:
    loaded = _loaded_by("import vonage_widgets.widgets")
    assert [name for name in NCCO_MODELS if name in loaded] == []
    assert "vonage_widgets.widgets.ncco_builder" not in loaded
    assert {"ipywidgets", "traitlets", "pandas", "pydantic"} <= set(loaded)


def test_deferring_the_ncco_builder_keeps_its_third_party_modules_in_the_widgets_import() -> None:
    # The builder loads on first use, but the benchmark's baseline (the third-party modules
    # `import vonage_widgets.widgets` loads) must not lose what it needs: only the pydantic
    # helper module that our NCCO models themselves use is left to first use.
    alone = _loaded_by("import vonage_widgets.widgets")
    used = _loaded_by("import vonage_widgets.widgets\nvonage_widgets.widgets.NccoBuilder")
    missing = set(import_benchmark.third_party(used)) - set(import_benchmark.third_party(alone))
    assert missing <= {"pydantic.functional_serializers"}


def test_the_ncco_builder_names_load_on_first_use() -> None:
    import vonage_widgets
    import vonage_widgets.widgets as widgets
    from vonage_widgets.widgets import TEMPLATES, NccoBuilder, NccoTemplate, ncco_builder

    assert widgets.NccoBuilder is NccoBuilder is ncco_builder.NccoBuilder
    assert vonage_widgets.NccoBuilder is NccoBuilder
    assert widgets.TEMPLATES is TEMPLATES is ncco_builder.TEMPLATES
    assert widgets.NccoTemplate is NccoTemplate is ncco_builder.NccoTemplate
    assert {"NccoBuilder", "NccoTemplate", "TEMPLATES"} <= set(dir(widgets))
    assert set(widgets.__all__) <= set(dir(widgets))
    with pytest.raises(AttributeError, match="has no attribute 'NccoBuildr'"):
        widgets.NccoBuildr  # noqa: B018


@pytest.mark.parametrize("module", ["vonage_widgets.models.catalog", "vonage_widgets.widgets"])
def test_the_catalog_builds_extra_capabilities_on_first_use(module: str) -> None:
    # Only EXTRA_CAPABILITIES needs the extra capabilities' models; the form and the tables
    # read the catalog without it. Threads reading it first at once all get one tuple.
    found = fresh_python_race(
        "import sys\n"
        f"import {module}\n"
        "from vonage_widgets.models import catalog\n"
        "before = 'vonage_widgets.models.extra_capabilities' in sys.modules\n"
        "def task(k):\n"
        "    return catalog.EXTRA_CAPABILITIES\n"
        "def through_the_package():\n"
        "    from vonage_widgets.models import EXTRA_CAPABILITIES\n"
        "    return EXTRA_CAPABILITIES",
        threads=4,
        report="{'before': before, 'names': [c.name for c in results[0]],"
        " 'same': all(r is through_the_package() for r in results), 'n': len(results)}",
    )
    assert found == {
        "before": False,
        "names": ["video", "meetings", "network_apis"],
        "same": True,
        "n": 4,
    }


# -- the benchmark ------------------------------------------------------------------------------


def test_the_benchmark_compiles_our_bytecode_where_python_reads_it() -> None:
    import_benchmark.compile_package()
    for source in (REPO / "vonage_widgets").rglob("*.py"):
        assert Path(importlib.util.cache_from_source(str(source))).is_file(), source


@pytest.mark.parametrize(("cold", "reads_bytecode"), [(False, True), (True, False)])
def test_the_cold_child_compiles_our_sources_and_the_warm_one_reads_bytecode(
    cold: bool, reads_bytecode: bool
) -> None:
    import_benchmark.compile_package()
    package = os.path.join(REPO / "vonage_widgets", "")
    code = (
        import_benchmark._CHILD
        + "\nimport json, sys\n"
        + "spec = sys.modules['vonage_widgets.errors'].__spec__\n"
        + "theirs = sys.modules['pydantic'].__spec__\n"
        + "print(json.dumps({'cached': spec.cached, 'pydantic': theirs.cached}))"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "target",
            "cold" if cold else "warm",
            package,
            "vonage_widgets.models",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=True,
    )
    cached = json.loads(done.stdout.strip().splitlines()[-1])
    assert (cached["cached"] is not None) is reads_bytecode
    assert cached["pydantic"] is not None  # only our package loses its bytecode


def test_the_cold_rows_follow_the_warm_ones() -> None:
    scale = dataclasses.replace(Scale.smoke(), import_targets=("vonage_widgets",), import_cold=True)
    warm, cold = import_benchmark.run(scale)
    assert warm.benchmark == "import vonage_widgets"
    assert cold.benchmark == "import vonage_widgets (cold)"
    assert warm.value is not None
    assert cold.value is not None
    assert min(warm.value, cold.value) > 0
    assert (warm.extra["cold"], cold.extra["cold"]) == (0, 1)
    assert "bytecode on both sides" in warm.notes
    assert "cold" in cold.notes


def test_only_the_full_scale_adds_cold_rows() -> None:
    assert Scale.full().import_cold
    assert not Scale.quick().import_cold
    assert not Scale.smoke().import_cold
