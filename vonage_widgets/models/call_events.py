"""The fields every voice call event carries, by their wire names [api-notes §3.3].

Kept apart (no models, no imports) so the event tables of a simulated call and of the local
webhook server can list them first without loading anything else.
"""

CALL_EVENT_FIELDS: tuple[str, ...] = (
    "status",
    "uuid",
    "conversation_uuid",
    "timestamp",
    "direction",
    "from",
    "to",
)
"""A call event's leading fields, in the order the tables show them."""
