"""pandas tables of applications, capabilities, webhooks, numbers and audit findings.

Built from the models only (no HTTP, no widgets): pass what the client returned. Every
function returns a plain DataFrame with fixed columns and a deterministic row order, also for
empty input; :func:`styled` adds a readable HTML face for notebooks. The reference tables are
generated from the models' catalog, so they always match what the form and sandbox enforce.
"""

from __future__ import annotations

from vonage_widgets.tables._common import UNKNOWN_APPLICATION, typed_frame
from vonage_widgets.tables.applications import (
    APPLICATION_LIST_COLUMNS,
    WEBHOOK_COLUMNS,
    applications_list,
    capabilities_table,
    present_capabilities,
    webhooks_table,
)
from vonage_widgets.tables.changes import CHANGE_COLUMNS, changes_frame
from vonage_widgets.tables.display import DEFAULT_MAX_ROWS, SEVERITY_COLOURS, StyledTable, styled
from vonage_widgets.tables.findings import AUDIT_COLUMNS, SEVERITIES, Severity, audit
from vonage_widgets.tables.numbers import NUMBER_COLUMNS, linked_application_id, numbers_table
from vonage_widgets.tables.reference import (
    CAPABILITY_REFERENCE_COLUMNS,
    WEBHOOK_REFERENCE_COLUMNS,
    capabilities_reference,
    webhooks_reference,
)

__all__ = [
    "APPLICATION_LIST_COLUMNS",
    "AUDIT_COLUMNS",
    "CAPABILITY_REFERENCE_COLUMNS",
    "CHANGE_COLUMNS",
    "DEFAULT_MAX_ROWS",
    "NUMBER_COLUMNS",
    "SEVERITIES",
    "SEVERITY_COLOURS",
    "UNKNOWN_APPLICATION",
    "WEBHOOK_COLUMNS",
    "WEBHOOK_REFERENCE_COLUMNS",
    "Severity",
    "StyledTable",
    "applications_list",
    "audit",
    "capabilities_reference",
    "capabilities_table",
    "changes_frame",
    "linked_application_id",
    "numbers_table",
    "present_capabilities",
    "styled",
    "typed_frame",
    "webhooks_reference",
    "webhooks_table",
]
