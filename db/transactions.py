"""The one way frontline writes: `with write_transaction(db):`, a transaction that holds the write lock from
its first statement, so that any number of frontline processes can write one database file at once.

A deferred `BEGIN` (what sqlite-utils' atomic() and Python's sqlite3 issue) reads first and asks for the write
lock later; under WAL, when another process committed in between, SQLite answers SQLITE_BUSY_SNAPSHOT at once,
which no busy timeout retries, and the article was lost. `BEGIN IMMEDIATE` takes the lock before reading, waits
for it under the busy timeout, and is retried a bounded number of times before it fails with a clear message.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import sqlite_utils

BUSY_TIMEOUT_MS = 10_000  # how long one attempt waits for another process's write transaction
WRITE_ATTEMPTS = 6  # so a writer gives up after a minute of never getting the lock
# SQLite's answers that mean the database cannot take writes now: stop the run rather than lose its input
STORAGE_FAILURES = ("SQLITE_FULL", "SQLITE_IOERR", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_CORRUPT",
                    "SQLITE_NOTADB", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_NOMEM", "SQLITE_PERM")


class DatabaseUnwritable(RuntimeError):
    """The database could not be written (disk full, read-only, damaged, locked for too long): nothing of the
    failed transaction was stored, and the caller stops instead of going on without a database."""


def storage_failure(exc: sqlite3.Error) -> bool:
    return (getattr(exc, "sqlite_errorname", None) or "").startswith(STORAGE_FAILURES)


@contextmanager
def write_transaction(db: sqlite_utils.Database):
    """Everything in the block commits together or not at all. Nested blocks become savepoints of the outer
    transaction. Raises DatabaseUnwritable when SQLite cannot store it; other errors pass through unchanged."""
    if db.conn.in_transaction:
        with db.atomic():  # a savepoint, inside the caller's BEGIN IMMEDIATE
            yield db
        return
    begin_immediate(db)
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException as exc:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.Error) and storage_failure(exc):
            raise DatabaseUnwritable(str(exc)) from exc
        raise


def begin_immediate(db: sqlite_utils.Database) -> None:
    for _ in range(WRITE_ATTEMPTS):
        try:
            db.conn.execute("BEGIN IMMEDIATE")  # waits up to the busy timeout for the write lock
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorname.startswith("SQLITE_BUSY"):
                continue
            if storage_failure(exc):
                raise DatabaseUnwritable(str(exc)) from exc
            raise
    raise DatabaseUnwritable(f"another process held the write lock for over "
                             f"{WRITE_ATTEMPTS * BUSY_TIMEOUT_MS // 1000} s")
