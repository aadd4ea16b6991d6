"""vonage-widgets: learn, set up and test Vonage API applications from Jupyter.

The public API is re-exported here; each name lives in one module with one job (see the
README's "Layout"). Importing the package stays light: the errors load at once, everything
else (the client, widgets, pandas tables, the sandbox server) loads on first use through
module ``__getattr__`` (PEP 562), so ``from vonage_widgets import Workbook`` pulls in only
what the workbook needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from vonage_widgets._version import __version__
from vonage_widgets.errors import (
    ApiError,
    AuthenticationError,
    BadRequestError,
    ConnectError,
    FieldError,
    ForbiddenError,
    KeyHandlingError,
    NotFoundError,
    NumbersError,
    RateLimitedError,
    RequestTimeout,
    ServerError,
    TransportError,
    ValidationError,
    VonageWidgetsError,
    WebhookSignatureError,
)
from vonage_widgets.redact import mask, redact

# name -> module that defines it; loaded on first access.
_LAZY: dict[str, str] = {
    "ApplicationForm": "vonage_widgets.widgets",
    "NccoBuilder": "vonage_widgets.widgets",
    "NumberLinker": "vonage_widgets.widgets",
    "Workbook": "vonage_widgets.workbook",
    "VonageClient": "vonage_widgets.client",
    "Sandbox": "vonage_widgets.sandbox",
    "WebhookServer": "vonage_widgets.webhooks",
    "Application": "vonage_widgets.models",
    "Ncco": "vonage_widgets.models",
    "OwnedNumber": "vonage_widgets.models",
    "check_ncco": "vonage_widgets.models",
    "parse_ncco": "vonage_widgets.models",
    "validate_application": "vonage_widgets.models",
    "validate_ncco": "vonage_widgets.models",
    "check_webhooks": "vonage_widgets.checks",
    "link_numbers": "vonage_widgets.linking",
    "unlink_numbers": "vonage_widgets.linking",
    "audit": "vonage_widgets.tables",
    "capabilities_reference": "vonage_widgets.tables",
    "capabilities_table": "vonage_widgets.tables",
    "numbers_table": "vonage_widgets.tables",
    "styled": "vonage_widgets.tables",
    "webhooks_reference": "vonage_widgets.tables",
    "webhooks_table": "vonage_widgets.tables",
    "export_application": "vonage_widgets.appconfig",
    "load_application_file": "vonage_widgets.appconfig",
    "apply_application_file": "vonage_widgets.appconfig",
}

if TYPE_CHECKING:
    from vonage_widgets.appconfig import (
        apply_application_file,
        export_application,
        load_application_file,
    )
    from vonage_widgets.checks import check_webhooks
    from vonage_widgets.client import VonageClient
    from vonage_widgets.linking import link_numbers, unlink_numbers
    from vonage_widgets.models import (
        Application,
        Ncco,
        OwnedNumber,
        check_ncco,
        parse_ncco,
        validate_application,
        validate_ncco,
    )
    from vonage_widgets.sandbox import Sandbox
    from vonage_widgets.tables import (
        audit,
        capabilities_reference,
        capabilities_table,
        numbers_table,
        styled,
        webhooks_reference,
        webhooks_table,
    )
    from vonage_widgets.webhooks import WebhookServer
    from vonage_widgets.widgets import ApplicationForm, NccoBuilder, NumberLinker
    from vonage_widgets.workbook import Workbook


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'vonage_widgets' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "ApiError",
    "Application",
    "ApplicationForm",
    "AuthenticationError",
    "BadRequestError",
    "ConnectError",
    "FieldError",
    "ForbiddenError",
    "KeyHandlingError",
    "Ncco",
    "NccoBuilder",
    "NotFoundError",
    "NumberLinker",
    "NumbersError",
    "OwnedNumber",
    "RateLimitedError",
    "RequestTimeout",
    "Sandbox",
    "ServerError",
    "TransportError",
    "ValidationError",
    "VonageClient",
    "VonageWidgetsError",
    "WebhookServer",
    "WebhookSignatureError",
    "Workbook",
    "__version__",
    "apply_application_file",
    "audit",
    "capabilities_reference",
    "capabilities_table",
    "check_ncco",
    "check_webhooks",
    "export_application",
    "link_numbers",
    "load_application_file",
    "mask",
    "numbers_table",
    "parse_ncco",
    "redact",
    "styled",
    "unlink_numbers",
    "validate_application",
    "validate_ncco",
    "webhooks_reference",
    "webhooks_table",
]
