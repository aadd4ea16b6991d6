"""Size limits of a whole NCCO: plain numbers, importable without loading the NCCO models.

``validate`` enforces them and re-exports them; the sandbox reads them at import (its
largest webhook response is derived from :data:`MAX_NCCO_BYTES`) but loads the NCCO models
only when a simulated call first checks an NCCO. So this module imports nothing.
"""

__all__ = ["MAX_NCCO_ACTIONS", "MAX_NCCO_BYTES"]

# Vonage publishes no size limit for an NCCO [api-notes §5]. These are this package's
# guard rails, chosen so that every realistic NCCO passes and a runaway generator does not:
# an NCCO is fetched within the answer webhook's socket timeout (at most 5 s,
# [api-notes §1.5.1]) and held per call, so it should stay small. 100 actions is far beyond any
# documented example; 512 KiB fits 100 talk actions at the 1500-character limit even in
# 3-byte UTF-8 characters, plus their options.
MAX_NCCO_ACTIONS = 100
"""Most actions one NCCO may hold (this package's limit, not Vonage's)."""
MAX_NCCO_BYTES = 512 * 1024
"""Largest NCCO as compact UTF-8 JSON (this package's limit, not Vonage's)."""
