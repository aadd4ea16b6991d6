"""vonage-widgets: learn, set up and test Vonage API applications from Jupyter.

The public API is re-exported here; each name lives in one module with one job (see the
README's "Layout"). Imports are kept light: heavy modules (widgets, pandas, the sandbox
server) load when first used.
"""

from __future__ import annotations

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

__version__ = "0.1.0"

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequestError",
    "ConnectError",
    "FieldError",
    "ForbiddenError",
    "KeyHandlingError",
    "NotFoundError",
    "NumbersError",
    "RateLimitedError",
    "RequestTimeout",
    "ServerError",
    "TransportError",
    "ValidationError",
    "VonageWidgetsError",
    "WebhookSignatureError",
    "__version__",
    "mask",
    "redact",
]
