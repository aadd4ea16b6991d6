"""Identifiers and time for the sandbox: random and real by default, reproducible with a seed.

With a seed, every application id is derived from ``(seed, n)`` where ``n`` is a counter kept
in the database, and every timestamp from a fixed clock that ticks one second per use (its
tick counter also lives in the database). So two sandboxes given the same seed and the same
calls hand out the same ids and times, and a restarted sandbox on the same file carries on
where it stopped instead of re-issuing ids it already used.
"""

from __future__ import annotations

import random
import threading
import uuid
from datetime import UTC, datetime, timedelta

__all__ = ["SEEDED_EPOCH", "Clock", "IdFactory"]

SEEDED_EPOCH = datetime(2025, 1, 1, tzinfo=UTC)
"""Time zero of the seeded clock: tick ``n`` is this instant plus ``n`` seconds."""


def _seeded_uuid(seed: int | str, kind: str, n: int) -> str:
    """A version-4-shaped UUID drawn from ``random.Random`` seeded with seed, kind and n."""
    bits = random.Random(f"{seed}:{kind}:{n}").getrandbits(128)
    return str(uuid.UUID(int=bits, version=4))


class IdFactory:
    """Makes resource ids and RFC 7807 ``instance`` trace ids.

    ``seed=None`` gives :func:`uuid.uuid4` ids; a seed gives reproducible ones.
    """

    def __init__(self, seed: int | str | None = None) -> None:
        self.seed = seed
        self._lock = threading.Lock()
        self._instances = 0

    @property
    def deterministic(self) -> bool:
        """True when ids come from the seed rather than from the OS."""
        return self.seed is not None

    def resource_id(self, kind: str, n: int) -> str:
        """Id number ``n`` (a persisted counter) of a resource ``kind``, e.g. an application."""
        if self.seed is None:
            return str(uuid.uuid4())
        return _seeded_uuid(self.seed, kind, n)

    def instance(self) -> str:
        """A 32-hex-digit trace id for an error body (the shape of the spec's example)."""
        if self.seed is None:
            return uuid.uuid4().hex
        with self._lock:
            self._instances += 1
            n = self._instances
        return uuid.UUID(_seeded_uuid(self.seed, "instance", n)).hex


class Clock:
    """Timestamps for stored records: real UTC time, or a fixed clock that ticks with a seed."""

    def __init__(self, *, fixed: bool = False) -> None:
        self.fixed = fixed

    def at(self, tick: int) -> datetime:
        """The time for tick number ``tick`` (a persisted counter; ignored by the real clock)."""
        if self.fixed:
            return SEEDED_EPOCH + timedelta(seconds=tick)
        return datetime.now(UTC)

    def stamp(self, tick: int) -> str:
        """:meth:`at` as ISO 8601 with a ``Z`` suffix, second precision."""
        return self.at(tick).replace(microsecond=0).isoformat().replace("+00:00", "Z")
