"""The voice call engine: how Vonage calls an application's voice webhooks and runs its NCCO.

Used by the sandbox's simulated calls (:mod:`vonage_widgets.sandbox.calls`) and by
:func:`vonage_widgets.checks.check_webhooks`, so "passes the check" and "answers a simulated
call" are judged by the same code. The modules, one job each: ``http`` (one webhook request
under Vonage's timeouts and retry rule), ``context`` (one call's legs, clock and limits),
``runner`` (an NCCO, action by action) and ``trace`` (the record of a call).

Importing this package loads nothing else: each module is imported where it is used.
"""
