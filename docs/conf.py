"""Sphinx configuration of the docs site: the tutorial notebooks and the API reference.

Sphinx + myst-nb: myst-nb shows the notebooks' stored outputs without running them
(``nb_execution_mode = "off"``), and Sphinx's own autodoc writes the API reference from the
docstrings, both from PyPI packages and offline. Widgets are drawn as static HTML from the
saved widget state (``_ext/static_widgets.py``): the usual widget script comes from a CDN.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(ROOT))

from static_widgets import prepare  # noqa: E402

project = "vonage-widgets"
author = "vonage-widgets contributors"
extensions = ["myst_nb", "sphinx.ext.autodoc", "sphinx.ext.napoleon"]
exclude_patterns = ["_build", "_ext", "screenshots", "**.ipynb_checkpoints"]
html_theme = "alabaster"
html_theme_options = {"page_width": "1240px", "sidebar_width": "220px"}
html_static_path: list[str] = []
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# The notebooks as stored (make notebook-outputs), each widget drawn from its saved state.
for notebook in sorted((ROOT / "notebooks").glob("[0-9]*.ipynb")):
    prepare(notebook, DOCS / "tutorials" / notebook.name)
