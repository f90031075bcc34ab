"""Tables, indexes and full-text search. Creating them is idempotent: every open ensures the schema.

Before frontline writes a file it makes sure the file is its own: a frontline database (it has the
`frontline_meta` marker), one made by an earlier frontline (articles, raw_pages and crawl_runs, no marker:
adopted), or an empty or new file (initialised). Anything else, another application's SQLite file, a
damaged database or a file that is not SQLite at all, is refused before a byte of it changes.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import sqlite_utils

from db.titles import note_title_endings
from db.transactions import BUSY_TIMEOUT_MS, DatabaseUnwritable, storage_failure, write_transaction

WAL_CHECKPOINT_PAGES = 10_000
FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # not porter: Arabic, Cyrillic, accented names stay searchable
SCHEMA_VERSION = 2  # frontline_meta.schema_version; 1 was every database made before the marker existed
MARKER_TABLE = "frontline_meta"
EARLIER_FRONTLINE_TABLES = {"articles", "raw_pages", "crawl_runs"}
SQLITE_HEADER = b"SQLite format 3\x00"
CHECKED: dict[tuple, float] = {}  # (file, inode) -> when this process last checked it
RECHECK_SECONDS = 3600  # `frontline cron` lives for months: each run checks again

SIGHTING_COLUMNS = {"id": int, "input": str, "reason": str, "source": str, "run_id": int,
                    "first_seen": str, "last_seen": str, "count": int}
TABLES: dict[str, dict] = {
    # title_affixes: the site-name suffixes its pages' titles share, learned at store time (db/titles.py)
    "sources": dict(columns={"id": int, "name": str, "kind": str, "title_affixes": str}, pk="id",
                    not_null={"name"}),
    "crawl_runs": dict(columns={
        "id": int, "spider": str, "target": str, "started_at": str, "finished_at": str,
        "finish_reason": str, "imported": int, "updated": int, "unchanged": int, "rejected": int,
        "skipped": int, "reasons": str, "requests": int, "items": int, "errors": int, "retries": int,
        "duration_seconds": float, "flags": str, "stats": str}, pk="id"),
    # body last: SQLite reads a row's columns in order, so a facet on language or tags would otherwise walk
    # each matching article's whole text (a search with its facets: 290 ms -> see benchmarks/README.md)
    "articles": dict(columns={
        "id": int, "url": str, "source_id": int, "title": str, "author": str, "published": str,
        "date_source": str, "word_count": int, "language": str, "tags": str,
        "authors": str, "categories": str, "comments_declared": int, "comment_count": int, "comment_path": str,
        "comment_coverage": float, "content_hash": str, "fetched_at": str,
        "updated_at": str, "extractor": str, "extractor_version": str, "version": int,
        "arrived_via": str, "origin_path": str, "origin_offset": int, "body": str},
        pk="id", not_null={"url"}, foreign_keys=[("source_id", "sources", "id")]),
    "article_versions": dict(columns={
        "id": int, "article_id": int, "version": int, "title": str, "author": str, "published": str,
        "body": str, "comments": str, "content_hash": str, "fetched_at": str, "replaced_at": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")]),
    "comments": dict(columns={
        "id": int, "article_id": int, "position": int, "author": str, "posted": str, "body": str,
        "parent_id": int, "reply_by": str, "language": str, "structure": str, "author_url": str,
        "posted_text": str},
        pk="id", foreign_keys=[("article_id", "articles", "id"), ("parent_id", "comments", "id")]),
    "tags": dict(columns={"id": int, "name": str}, pk="id", not_null={"name"}),
    "article_tags": dict(columns={"article_id": int, "tag_id": int}, pk=("article_id", "tag_id"),
                         foreign_keys=[("article_id", "articles", "id"), ("tag_id", "tags", "id")]),
    "boilerplate": dict(columns={"id": int, "article_id": int, "position": int, "kind": str, "text": str},
                        pk="id", foreign_keys=[("article_id", "articles", "id")]),
    "raw_pages": dict(columns={
        "id": int, "article_id": int, "part": int, "role": str, "url": str, "format": str, "encoding": str, "content_type": str,
        "size": int, "sha256": str, "compression": str, "content": bytes, "fetched_at": str,
        "status": int, "headers": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")]),
    "entities": dict(columns={
        "id": int, "name": str, "kind": str, "place_type": str, "country_code": str, "latitude": float,
        "longitude": float, "aliases": str, "description": str, "gazetteer": str},
        pk="id", not_null={"name", "kind"}),
    "article_entities": dict(columns={"article_id": int, "entity_id": int, "surface": str, "count": int},
                             pk=("article_id", "entity_id", "surface"),
                             foreign_keys=[("article_id", "articles", "id"), ("entity_id", "entities", "id")]),
    "comment_entities": dict(columns={"comment_id": int, "entity_id": int, "surface": str, "count": int},
                             pk=("comment_id", "entity_id", "surface"),
                             foreign_keys=[("comment_id", "comments", "id"), ("entity_id", "entities", "id")]),
    "media": dict(columns={"id": int, "article_id": int, "position": int, "src": str, "caption": str,
                           "credit": str},
                  pk="id", foreign_keys=[("article_id", "articles", "id")]),
    "duplicate_clusters": dict(columns={"article_id": int, "cluster_id": int, "similarity": float},
                               pk="article_id", foreign_keys=[("article_id", "articles", "id")]),
    # near-duplicate detection (crawler/enrichment/duplicates.py): a NULL signature marks a body too short
    "article_signatures": dict(columns={"article_id": int, "signature": bytes}, pk="article_id",
                               foreign_keys=[("article_id", "articles", "id")]),
    "signature_bands": dict(columns={"article_id": int, "band": int, "key": int}, pk=("article_id", "band"),
                            foreign_keys=[("article_id", "articles", "id")]),
    # one row per input and reason, however often a run meets it again; run_id is the last run that did
    "rejects": dict(columns=SIGHTING_COLUMNS, pk="id", foreign_keys=[("run_id", "crawl_runs", "id")]),
    # pages left out on purpose (robots.txt, not an article, out of scope, over a bound): not errors
    "skipped": dict(columns=SIGHTING_COLUMNS, pk="id", foreign_keys=[("run_id", "crawl_runs", "id")]),
    # each stored title's trailing separator phrase not (yet) learned as its source's affix (db/titles.py), so
    # that how many pages share one is an indexed count, not a scan of the source's titles per stored page
    "title_endings": dict(columns={"source_id": int, "ending": str, "url": str}, pk=("source_id", "ending", "url"),
                          foreign_keys=[("source_id", "sources", "id")]),
    MARKER_TABLE: dict(columns={"key": str, "value": str}, pk="key"),
}
# Before rows were merged, each sighting was a row with its own time: these columns became first/last_seen
SIGHTING_TIME_COLUMNS = {"rejects": "rejected_at", "skipped": "skipped_at"}

UNIQUE_INDEXES = {"sources": ["name"], "articles": ["url"], "tags": ["name"]}
UNIQUE_COMPOSITE = {"entities": ["name", "kind"], "raw_pages": ["article_id", "part"],
                    "rejects": ["input", "reason"], "skipped": ["input", "reason"]}
INDEXES = {
    "articles": [["source_id"], ["published"], ["author"]],
    "comments": [["article_id", "position"], ["parent_id"], ["author"]],
    "boilerplate": [["article_id"], ["kind"]],
    "media": [["article_id"]],
    "article_versions": [["article_id"]],
    "rejects": [["run_id"], ["reason"]],
    "skipped": [["run_id"], ["reason"]],
    # covering: an entity's mentions are counted from the index alone (places_map 1.2 s -> 0.1 s at 2,000 articles)
    "article_entities": [["entity_id", "article_id", "count"]],
    "comment_entities": [["entity_id", "comment_id", "count"]],
    "duplicate_clusters": [["cluster_id"]],
    "signature_bands": [["band", "key"]],
}
FTS = {"articles": ["title", "body"], "comments": ["body"]}
GENERATED = {  # virtual columns of articles, computed when read
    "published_month": "text generated always as (substr(published, 1, 7)) virtual",  # Datasette's month facet
    # the id again, without an index: Datasette's full-text search matches it (fts_pk in db/metadata.yml), so
    # SQLite reads the newest matches down the published index and stops at the page's end, where matching on
    # the indexed id made it fetch and sort every match (190 ms for 60,000 matches at 100,000 articles)
    "fts_rowid": "integer generated always as (id) virtual",
}


class NotFrontlineDatabase(ValueError):
    """The file is not one frontline may write: refused, left exactly as it was."""


def open_database(path: str | Path) -> sqlite_utils.Database:
    """A connection ready for many writers alongside readers (WAL, busy timeout, write_transaction), schema in
    place. Raises NotFrontlineDatabase for a file that is not frontline's, DatabaseUnwritable when it cannot
    be written."""
    path = Path(path)
    check_database_file(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: Python never opens a transaction on its own; write_transaction does
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    db = sqlite_utils.Database(conn)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")  # WAL's recommended pairing: no fsync per article, still consistent
        # A checkpoint copies the WAL into the database and fsyncs both: at SQLite's default of every 1,000
        # pages it came every ~10 articles and cost the writer about a third of each COMMIT. 10,000 pages
        # (a WAL of ~40 MB at most) makes it rare; the last connection to close still checkpoints.
        db.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        db.execute("PRAGMA foreign_keys = ON")
        ensure_schema(db)
    except sqlite3.Error as exc:
        conn.close()
        if storage_failure(exc):
            raise DatabaseUnwritable(str(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return db


def check_database_file(path: Path) -> None:
    """Read-only checks, before anything is written: SQLite's header, PRAGMA quick_check and the tables.

    Once per command: it opens its database, then its store pipeline opens it again, and quick_check reads
    the whole file (7 minutes for 2 GB out of the page cache)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    key = (path.resolve(), path.stat().st_ino)
    if time.monotonic() - CHECKED.get(key, -RECHECK_SECONDS) < RECHECK_SECONDS:
        return
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise NotFrontlineDatabase(f"{path} is not an SQLite database; frontline leaves it untouched")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(3)")]
            tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
            version = conn.execute(f"select value from {MARKER_TABLE} where key = 'schema_version'").fetchone() \
                if MARKER_TABLE in tables else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotFrontlineDatabase(f"{path} is damaged ({exc}); frontline leaves it untouched") from None
    if problems != ["ok"]:
        found = "; ".join(" ".join(problem.split()) for problem in problems)  # one line: a problem may hold several
        raise NotFrontlineDatabase(f"{path} is damaged (PRAGMA quick_check: {found}); "
                                   f"frontline leaves it untouched")
    if MARKER_TABLE not in tables and tables and not EARLIER_FRONTLINE_TABLES <= tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise NotFrontlineDatabase(f"{path} is not a frontline database (it holds other tables: {shown}); "
                                   f"frontline leaves it untouched")
    if version and int(version[0]) > SCHEMA_VERSION:
        raise NotFrontlineDatabase(f"{path} was made by a newer frontline (schema version {version[0]}, this one "
                                   f"knows {SCHEMA_VERSION}); upgrade frontline to write it")
    CHECKED[key] = time.monotonic()


def add_missing_columns(table: sqlite_utils.db.Table, columns: dict) -> None:
    """Databases made by an earlier frontline gain the columns added since."""
    existing = set(table.columns_dict)
    for column, column_type in columns.items():
        if column not in existing:
            table.add_column(column, column_type)


def ensure_schema(db: sqlite_utils.Database) -> None:
    """In one write transaction: two processes opening a new file at once cannot both create it."""
    with write_transaction(db):
        missing = set(TABLES) - set(db.table_names())
        for name, spec in TABLES.items():
            spec = dict(spec)
            columns = spec.pop("columns")
            db[name].create(columns, if_not_exists=True, **spec)
            add_missing_columns(db[name], columns)
        if "title_endings" in missing:
            note_title_endings(db)
        for table, time_column in SIGHTING_TIME_COLUMNS.items():
            merge_sightings(db, table, time_column)
        for name, columns in UNIQUE_INDEXES.items():
            for column in columns:
                db[name].create_index([column], unique=True, if_not_exists=True)
        db.execute("drop index if exists idx_raw_pages_article_id")  # before multi-page articles, one row each
        for name in ("article_entities", "comment_entities"):  # replaced by the covering indexes below
            db.execute(f"drop index if exists idx_{name}_entity_id")
        for name, columns in UNIQUE_COMPOSITE.items():
            db[name].create_index(columns, unique=True, if_not_exists=True)
        for name, indexes in INDEXES.items():
            for columns in indexes:
                db[name].create_index(columns, if_not_exists=True)
        generated = {row[1] for row in db.execute("pragma table_xinfo(articles)")}  # table_info hides them
        for column, definition in GENERATED.items():
            if column not in generated:
                db.execute(f"alter table articles add column {column} {definition}")
        for name, columns in FTS.items():
            if not db[name].detect_fts():
                db[name].enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZER)
        db.execute(f"insert into {MARKER_TABLE} (key, value) values ('schema_version', ?) "
                   f"on conflict(key) do update set value = excluded.value", [str(SCHEMA_VERSION)])


def merge_sightings(db: sqlite_utils.Database, table: str, time_column: str) -> None:
    """Before schema version 2 every sighting of an input was a row of its own: they become one row per input and
    reason, with the first and last time, how many times, and the last run."""
    if time_column not in db[table].columns_dict:
        return
    db.execute(f"update {table} set first_seen = {time_column}, last_seen = {time_column}, count = 1")
    db.execute(f"""
        update {table} set
          first_seen = (select min(o.first_seen) from {table} o where o.input = {table}.input and o.reason = {table}.reason),
          count = (select count(*) from {table} o where o.input = {table}.input and o.reason = {table}.reason)
        where id in (select max(id) from {table} group by input, reason having count(*) > 1)""")
    db.execute(f"delete from {table} where id not in (select max(id) from {table} group by input, reason)")
    db.execute(f"alter table {table} drop column {time_column}")
