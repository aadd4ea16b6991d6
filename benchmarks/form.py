"""Item 4a: the ApplicationForm: how long it takes to build, and to react to one keystroke.

Baselines, measured in the same run:

* building: the same ipywidgets (same classes, same count) constructed bare, with default
  arguments. The ratio is the form's own cost on top of what ipywidgets charges for its
  widget tree; it cannot go below about 1.
* a keystroke (a webhook address's ``.value`` set, which runs the form's validation path):
  ``models.validate_application`` on the same document alone. The ratio is what building the
  document and routing problems to the rows add.

Outside a kernel no comm is open, so these are the Python-side costs only (a browser adds
message traffic).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import cast

import ipywidgets as ipw
from ipywidgets.widgets import widget as widget_module

from benchmarks._measure import Scale, median, time_each
from benchmarks._report import Figure
from vonage_widgets.models import validate_application
from vonage_widgets.widgets import ApplicationForm

__all__ = ["ANSWER_ADDRESS", "bare_widget_classes", "build_form", "run", "widgets_created"]

ANSWER_ADDRESS = "capabilities.voice.webhooks.answer_url.address"
"""The row typed into: the voice answer webhook's address."""

_BENCH = "form"
_IMPLICIT = (ipw.Layout, ipw.widgets.widget_description.DescriptionStyle)
"""Made by every widget's constructor itself; constructing them too would count them twice."""


@contextmanager
def widgets_created() -> Iterator[list[ipw.Widget]]:
    """Collect the widgets created inside the block; close them all at its end."""
    registry = widget_module._instances
    before = set(registry)
    created: list[ipw.Widget] = []
    try:
        yield created
    finally:
        created.extend(registry[key] for key in set(registry) - before if key in registry)
        for widget in created:
            widget.close()


def build_form(keys_dir: Path) -> ApplicationForm:
    """An empty create-mode form (no client), as a notebook cell builds it."""
    return ApplicationForm(keys_dir=keys_dir)


def _ipywidgets_class(widget: ipw.Widget) -> type[ipw.Widget]:
    for cls in type(widget).__mro__:
        if cls.__module__.startswith("ipywidgets."):
            return cast("type[ipw.Widget]", cls)
    return cast("type[ipw.Widget]", ipw.Widget)


def bare_widget_classes(widgets: list[ipw.Widget]) -> list[type[ipw.Widget]]:
    """The ipywidgets classes to construct for the baseline (implicit styles left out)."""
    classes = [_ipywidgets_class(w) for w in widgets]
    return [cls for cls in classes if not issubclass(cls, _IMPLICIT)]


def _median_build(build: Callable[[], object], count: int) -> tuple[float, int]:
    """Median seconds of ``count`` builds and how many widgets one build creates."""
    sizes: list[int] = []

    def once(_: int) -> None:
        with widgets_created() as created:
            build()
        sizes.append(len(created))

    durations = time_each(once, count)
    return median(durations), sizes[0]


def run(scale: Scale) -> list[Figure]:
    """Form build time and keystroke validation time, each against its baseline."""
    with tempfile.TemporaryDirectory(prefix="vonage-widgets-bench-") as folder:
        keys_dir = Path(folder) / "keys"
        with widgets_created() as first:
            build_form(keys_dir)  # warm-up: imports and caches, not counted
        classes = bare_widget_classes(first)
        form_s, form_widgets = _median_build(lambda: build_form(keys_dir), scale.form_builds)
        bare_s, bare_widgets = _median_build(lambda: [cls() for cls in classes], scale.form_builds)

        with widgets_created():
            form = build_form(keys_dir)
            form.name_row.control.value = "Benchmark"
            form.sections["voice"].toggle.value = True
            control = form.rows[ANSWER_ADDRESS].control
            addresses = [f"https://example.com/answer/{i}" for i in range(2)]

            def keystroke(i: int) -> None:
                control.value = addresses[i % 2]

            keystroke_s = median(time_each(keystroke, scale.keystrokes))
            document = form.document()
            alone_s = median(time_each(lambda _: validate_application(document), scale.keystrokes))
            # The path really validates: a bad address must show up at once in .errors.
            control.value = "not a url"
            if ANSWER_ADDRESS not in form.errors:
                raise RuntimeError("setting an address did not run the form's validation")

    return [
        Figure(
            f"{_BENCH}: build ApplicationForm",
            form_s * 1000,
            "ms",
            baseline=bare_s * 1000,
            notes=f"baseline: the same {bare_widgets} ipywidgets built bare (form: "
            f"{form_widgets} widgets); median of {scale.form_builds}",
        ),
        Figure(
            f"{_BENCH}: one keystroke in a webhook address",
            keystroke_s * 1000,
            "ms",
            baseline=alone_s * 1000,
            notes=f"baseline: validate_application(document) alone; median of {scale.keystrokes}",
        ),
    ]
