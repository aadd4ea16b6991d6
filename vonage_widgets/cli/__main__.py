"""``python -m vonage_widgets.cli``: the same as the ``vonage-widgets`` script."""

from __future__ import annotations

import sys

from vonage_widgets.cli import main

__all__: list[str] = []

if __name__ == "__main__":
    sys.exit(main())
