"""Plain INSERTs for the per-article write path.

sqlite-utils' insert() and insert_all() inspect the table on every call (its columns, its primary key),
which made ~270 queries per stored article, most of them PRAGMAs. The schema is fixed by db/schema.py, so
these write the given columns directly.
"""

from __future__ import annotations

from typing import Iterable

import sqlite_utils


def insert_row(db: sqlite_utils.Database, table: str, row: dict, ignore: bool = False) -> int:
    """Insert one row; returns its rowid."""
    columns = ", ".join(f"[{name}]" for name in row)
    verb = "insert or ignore" if ignore else "insert"
    sql = f"{verb} into [{table}] ({columns}) values ({', '.join('?' * len(row))})"
    return db.conn.execute(sql, list(row.values())).lastrowid


def insert_rows(db: sqlite_utils.Database, table: str, rows: Iterable[dict]) -> None:
    """Insert rows that all have the same keys, in one executemany."""
    rows = list(rows)
    if rows:
        columns = ", ".join(f"[{name}]" for name in rows[0])
        sql = f"insert into [{table}] ({columns}) values ({', '.join('?' * len(rows[0]))})"
        db.conn.executemany(sql, [list(row.values()) for row in rows])
