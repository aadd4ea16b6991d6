"""Where vonage-widgets keeps its files: one rule for the workbook, the form, the sandbox, the CLI.

``VONAGE_WIDGETS_HOME`` when set, else the platform's user data folder for vonage-widgets.
At the bottom of the layers (it imports nothing of ours), so every layer can use it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["ENV_HOME", "default_home"]

ENV_HOME = "VONAGE_WIDGETS_HOME"
"""Root folder of our files (keys, the shared sandbox database)."""


def default_home(environ: Mapping[str, str] | None = None) -> Path:
    """``VONAGE_WIDGETS_HOME``, or the platform's user data folder for vonage-widgets."""
    env = os.environ if environ is None else environ
    home = env.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    import platformdirs  # only when no home is set: most runs (tests, the lab) set one

    return Path(platformdirs.user_data_dir("vonage-widgets"))
