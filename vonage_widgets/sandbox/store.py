"""SQLite state of the sandbox: applications and owned numbers, per API key.

One connection per thread (Starlette runs blocking work in a thread pool), WAL mode so
readers never wait for the writer, and every change inside ``BEGIN IMMEDIATE`` so concurrent
clients (threads here, or a second process on the same file) neither lose nor duplicate
writes. Documents are stored as JSON text exactly as the HTTP layer will return them, so
unknown fields survive a round trip byte for byte.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic_core

from vonage_widgets.sandbox.ids import Clock, IdFactory

__all__ = ["SCHEMA_VERSION", "Store", "StoredApplication"]

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS accounts (api_key TEXT PRIMARY KEY, seeded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS applications (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    account    TEXT NOT NULL,
    id         TEXT NOT NULL UNIQUE,
    document   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS applications_by_account ON applications (account, seq);
CREATE TABLE IF NOT EXISTS numbers (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    account  TEXT NOT NULL,
    msisdn   TEXT NOT NULL,
    app_id   TEXT,
    document TEXT NOT NULL,
    UNIQUE (account, msisdn)
);
CREATE INDEX IF NOT EXISTS numbers_by_app ON numbers (account, app_id);
"""


@dataclass(frozen=True, slots=True)
class StoredApplication:
    """One application row. ``document`` is the request-shaped body (no id, no private key)."""

    id: str
    account: str
    document: dict[str, Any]
    created_at: str
    updated_at: str


def _dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _loads(text: str) -> Any:
    # Rows this store wrote itself with _dumps, after the request body had passed
    # vonage_widgets._json.loads: trusted, so no guard. pydantic-core's parser (Rust) gives
    # the same values as json.loads in ~45% of its time; a list page reads 100 documents.
    return pydantic_core.from_json(text)


class Store:
    """Applications and numbers of every account in one SQLite file.

    Safe to share between threads. Group several calls into one atomic change with
    ``with store.write(): ...`` (calls inside reuse the same transaction).
    """

    def __init__(self, path: Path | str, *, ids: IdFactory, clock: Clock) -> None:
        self.path = Path(path)
        self.ids = ids
        self.clock = clock
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        # executescript commits any open transaction, so the schema goes first, on its own;
        # every statement is idempotent, so racing processes are fine.
        self._connection().executescript(_SCHEMA)
        with self.write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )

    # -- connections and transactions -------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        with self._lock:
            if self._closed:
                raise RuntimeError("the sandbox store is closed")
            # check_same_thread=False only so close() can close every thread's connection.
            conn = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._connections.append(conn)
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        self._local.conn = conn
        self._local.depth = 0
        return conn

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One atomic change: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (rolled back on error)."""
        with self._transaction("BEGIN IMMEDIATE") as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several reads (joins an enclosing write if any)."""
        with self._transaction("BEGIN DEFERRED") as conn:
            yield conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        conn = self._connection()
        if self._local.depth:
            self._local.depth += 1
            try:
                yield conn
            finally:
                self._local.depth -= 1
            return
        conn.execute(begin)
        self._local.depth = 1
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def close(self) -> None:
        """Close every thread's connection; the store cannot be used afterwards."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def next_sequence(self, name: str) -> int:
        """Increment and return a persisted counter (inside the caller's transaction)."""
        with self.write() as conn:
            row = conn.execute(
                "INSERT INTO sequences (name, value) VALUES (?, 1) "
                "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
                (name,),
            ).fetchone()
        return int(row[0])

    def now(self) -> str:
        """The current timestamp (ticks the seeded clock, persisted)."""
        return self.clock.stamp(self.next_sequence("clock"))

    # -- applications --------------------------------------------------------------------

    @staticmethod
    def _application(row: tuple[Any, ...]) -> StoredApplication:
        return StoredApplication(
            id=row[0],
            account=row[1],
            document=_loads(row[2]),
            created_at=row[3],
            updated_at=row[4],
        )

    _APP_COLUMNS = "id, account, document, created_at, updated_at"

    def list_applications(
        self, account: str, *, offset: int, limit: int
    ) -> tuple[int, list[StoredApplication]]:
        """Total count and one page of the account's applications, oldest first."""
        with self.read() as conn:  # count and page from the same snapshot
            total = conn.execute(
                "SELECT COUNT(*) FROM applications WHERE account = ?", (account,)
            ).fetchone()[0]
            # OFFSET steps over the skipped rows: over the (account, seq) index alone in the
            # subquery, instead of over whole rows (documents and all) in the outer query.
            rows = conn.execute(
                f"SELECT {self._APP_COLUMNS} FROM applications WHERE seq IN "  # noqa: S608
                "(SELECT seq FROM applications WHERE account = ? ORDER BY seq LIMIT ? OFFSET ?) "
                "ORDER BY seq",
                (account, limit, offset),
            ).fetchall()
        return int(total), [self._application(r) for r in rows]

    def get_application(self, account: str, app_id: str) -> StoredApplication | None:
        """The account's application ``app_id``, or None (also for another account's id)."""
        row = (
            self._connection()
            .execute(
                f"SELECT {self._APP_COLUMNS} FROM applications "  # noqa: S608
                "WHERE account = ? AND id = ?",
                (account, app_id),
            )
            .fetchone()
        )
        return None if row is None else self._application(row)

    def create_application(self, account: str, document: dict[str, Any]) -> StoredApplication:
        """Store a new application under a freshly allocated id."""
        with self.write() as conn:
            app_id = self.ids.resource_id("application", self.next_sequence("application"))
            stamp = self.now()
            conn.execute(
                "INSERT INTO applications (account, id, document, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (account, app_id, _dumps(document), stamp, stamp),
            )
        return StoredApplication(app_id, account, document, stamp, stamp)

    def replace_application(
        self, account: str, app_id: str, document: dict[str, Any]
    ) -> StoredApplication | None:
        """Replace the stored document; None when the account has no such application."""
        with self.write() as conn:
            current = self.get_application(account, app_id)
            if current is None:
                return None
            stamp = self.now()
            conn.execute(
                "UPDATE applications SET document = ?, updated_at = ? WHERE account = ? AND id = ?",
                (_dumps(document), stamp, account, app_id),
            )
        return StoredApplication(app_id, account, document, current.created_at, stamp)

    def delete_application(self, account: str, app_id: str) -> bool:
        """Delete; False when the account has no such application."""
        with self.write() as conn:
            cursor = conn.execute(
                "DELETE FROM applications WHERE account = ? AND id = ?", (account, app_id)
            )
        return cursor.rowcount > 0

    # -- numbers -------------------------------------------------------------------------

    def seed_account(self, account: str, numbers: Iterable[dict[str, Any]]) -> bool:
        """Give a new account its starting numbers, once ever; True if it was new."""
        with self.write() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO accounts (api_key, seeded_at) VALUES (?, ?)",
                (account, self.now()),
            )
            if cursor.rowcount == 0:
                return False
            for number in numbers:
                self.put_number(account, number)
        return True

    def list_numbers(self, account: str) -> list[dict[str, Any]]:
        """Every number the account owns, in the order it got them."""
        rows = (
            self._connection()
            .execute("SELECT document FROM numbers WHERE account = ? ORDER BY seq", (account,))
            .fetchall()
        )
        return [_loads(r[0]) for r in rows]

    def get_number(self, account: str, msisdn: str) -> dict[str, Any] | None:
        """The owned number ``msisdn``, or None when the account does not own it."""
        row = (
            self._connection()
            .execute(
                "SELECT document FROM numbers WHERE account = ? AND msisdn = ?",
                (account, msisdn),
            )
            .fetchone()
        )
        return None if row is None else _loads(row[0])

    def put_number(self, account: str, number: dict[str, Any]) -> None:
        """Insert or replace an owned number (keyed by its ``msisdn``)."""
        with self.write() as conn:
            conn.execute(
                "INSERT INTO numbers (account, msisdn, app_id, document) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (account, msisdn) DO UPDATE SET "
                "app_id = excluded.app_id, document = excluded.document",
                (account, number["msisdn"], number.get("app_id"), _dumps(number)),
            )

    def remove_number(self, account: str, msisdn: str) -> bool:
        """Give a number up; False when the account does not own it."""
        with self.write() as conn:
            cursor = conn.execute(
                "DELETE FROM numbers WHERE account = ? AND msisdn = ?", (account, msisdn)
            )
        return cursor.rowcount > 0

    def numbers_linked_to(self, account: str, app_id: str) -> list[dict[str, Any]]:
        """The account's numbers whose ``app_id`` is ``app_id``."""
        rows = (
            self._connection()
            .execute(
                "SELECT document FROM numbers WHERE account = ? AND app_id = ? ORDER BY seq",
                (account, app_id),
            )
            .fetchall()
        )
        return [_loads(r[0]) for r in rows]
