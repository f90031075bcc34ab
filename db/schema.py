"""Tables, indexes and full-text search. Creating them is idempotent: every open ensures the schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

FTS_TOKENIZER = "unicode61 remove_diacritics 2"  # not porter: Arabic, Cyrillic, accented names stay searchable
BUSY_TIMEOUT_MS = 10_000

TABLES: dict[str, dict] = {
    "sources": dict(columns={"id": int, "name": str, "kind": str}, pk="id", not_null={"name"}),
    "crawl_runs": dict(columns={
        "id": int, "spider": str, "target": str, "started_at": str, "finished_at": str,
        "finish_reason": str, "imported": int, "updated": int, "unchanged": int, "rejected": int,
        "requests": int, "items": int, "errors": int, "retries": int, "duration_seconds": float,
        "flags": str, "stats": str}, pk="id"),
    # body last: SQLite reads a row's columns in order, so a facet on language or tags would otherwise walk
    # each matching article's whole text (a search with its facets: 290 ms -> see benchmarks/README.md)
    "articles": dict(columns={
        "id": int, "url": str, "source_id": int, "title": str, "author": str, "published": str,
        "date_source": str, "word_count": int, "language": str, "tags": str,
        "comments_declared": int, "comment_count": int, "content_hash": str, "fetched_at": str,
        "updated_at": str, "extractor": str, "extractor_version": str, "version": int, "body": str},
        pk="id", not_null={"url"}, foreign_keys=[("source_id", "sources", "id")]),
    "article_versions": dict(columns={
        "id": int, "article_id": int, "version": int, "title": str, "author": str, "published": str,
        "body": str, "comments": str, "content_hash": str, "fetched_at": str, "replaced_at": str},
        pk="id", foreign_keys=[("article_id", "articles", "id")]),
    "comments": dict(columns={
        "id": int, "article_id": int, "position": int, "author": str, "posted": str, "body": str,
        "parent_id": int, "reply_by": str, "language": str},
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
    "rejects": dict(columns={"id": int, "input": str, "reason": str, "source": str, "run_id": int,
                             "rejected_at": str},
                    pk="id", foreign_keys=[("run_id", "crawl_runs", "id")]),
    # pages left out on purpose (robots.txt, not an article, out of scope, over a bound): not errors
    "skipped": dict(columns={"id": int, "input": str, "reason": str, "source": str, "run_id": int,
                             "skipped_at": str},
                    pk="id", foreign_keys=[("run_id", "crawl_runs", "id")]),
}

UNIQUE_INDEXES = {"sources": ["name"], "articles": ["url"], "tags": ["name"]}
UNIQUE_COMPOSITE = {"entities": ["name", "kind"], "raw_pages": ["article_id", "part"]}
INDEXES = {
    "articles": [["source_id"], ["published"], ["author"]],
    "comments": [["article_id", "position"], ["parent_id"], ["author"]],
    "boilerplate": [["article_id"], ["kind"]],
    "media": [["article_id"]],
    "article_versions": [["article_id"]],
    "rejects": [["run_id"]],
    "skipped": [["run_id"]],
    "article_entities": [["entity_id"]],
    "comment_entities": [["entity_id"]],
    "duplicate_clusters": [["cluster_id"]],
    "signature_bands": [["band", "key"]],
}
FTS = {"articles": ["title", "body"], "comments": ["body"]}


def open_database(path: str | Path) -> sqlite_utils.Database:
    """A connection ready for one writer alongside readers (WAL, busy timeout), schema in place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.enable_wal()
    db.execute("PRAGMA synchronous = NORMAL")  # WAL's recommended pairing: no fsync per article, still consistent
    db.execute("PRAGMA foreign_keys = ON")
    ensure_schema(db)
    return db


def add_missing_columns(table: sqlite_utils.db.Table, columns: dict) -> None:
    """Databases made by an earlier frontline gain the columns added since."""
    existing = set(table.columns_dict)
    for column, column_type in columns.items():
        if column not in existing:
            table.add_column(column, column_type)


def ensure_schema(db: sqlite_utils.Database) -> None:
    with db.atomic():
        for name, spec in TABLES.items():
            spec = dict(spec)
            columns = spec.pop("columns")
            db[name].create(columns, if_not_exists=True, **spec)
            add_missing_columns(db[name], columns)
        for name, columns in UNIQUE_INDEXES.items():
            for column in columns:
                db[name].create_index([column], unique=True, if_not_exists=True)
        db.execute("drop index if exists idx_raw_pages_article_id")  # before multi-page articles, one row each
        for name, columns in UNIQUE_COMPOSITE.items():
            db[name].create_index(columns, unique=True, if_not_exists=True)
        for name, indexes in INDEXES.items():
            for columns in indexes:
                db[name].create_index(columns, if_not_exists=True)
    generated = {row[1] for row in db.execute("pragma table_xinfo(articles)")}  # table_info hides them
    if "published_month" not in generated:  # for Datasette's "published by month" facet
        db.execute("alter table articles add column published_month text "
                   "generated always as (substr(published, 1, 7)) virtual")
    for name, columns in FTS.items():
        if not db[name].detect_fts():
            db[name].enable_fts(columns, create_triggers=True, tokenize=FTS_TOKENIZER)
