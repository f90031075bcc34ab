"""Storage of enrichment: entities, their links to articles and comments, signatures, near-duplicate
clusters."""

from __future__ import annotations

import json
from functools import cache
from typing import Callable

import sqlite_utils

from crawler.enrichment.duplicates import band_keys
from crawler.enrichment.enrich import Enrichment, entity_row
from crawler.items import StoredArticle
from db.rows import insert_row, insert_rows
from db.transactions import write_transaction


def entity_ids(db: sqlite_utils.Database, aliases: dict) -> dict:
    """Entity -> id for every entity an article mentions, the new ones inserted: one lookup for them all (a
    query per entity was ~110 of the 143 statements of a stored article). Entities are one row per name and
    kind, so two towns of one name share the row of the first stored, as they did before."""
    names = json.dumps(sorted({entity.name for entity in aliases}), ensure_ascii=False)
    known = {(name, kind): id for id, name, kind in db.execute(
        "select id, name, kind from entities where name in (select value from json_each(?))", [names])}
    ids = {}
    for entity, its_aliases in aliases.items():
        key = (entity.name, entity.kind)
        if key not in known:
            known[key] = insert_row(db, "entities", entity_row(entity, its_aliases))
        ids[entity] = known[key]
    return ids


def delete_mentions(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("delete from article_entities where article_id = ?", [article_id])
    db.execute("delete from comment_entities where comment_id in (select id from comments where article_id = ?)",
               [article_id])


def save_mentions(db: sqlite_utils.Database, article_id: int, enrichment: Enrichment, comment_ids: list[int]) -> None:
    """Call inside the article's transaction; replaces whatever links the article had."""
    delete_mentions(db, article_id)
    ids = entity_ids(db, enrichment.aliases)

    def rows(counter, key, owner):
        for (entity, surface), count in counter.items():
            yield {key: owner, "entity_id": ids[entity], "surface": surface, "count": count}

    insert_rows(db, "article_entities", rows(enrichment.article_mentions, "article_id", article_id))
    insert_rows(db, "comment_entities", (row for comment_id, counter in zip(comment_ids, enrichment.comment_mentions)
                                         for row in rows(counter, "comment_id", comment_id)))


def save_signature(db: sqlite_utils.Database, article_id: int, signature: bytes | None,
                   keep_existing: bool = False) -> None:
    """The article's near-duplicate signature and its band keys; a NULL signature marks a body too short.
    keep_existing: only when the article has none yet (an unchanged article keeps the one it has)."""
    if keep_existing and db.execute("select 1 from article_signatures where article_id = ?", [article_id]).fetchone():
        return
    forget_signature(db, article_id)
    insert_row(db, "article_signatures", {"article_id": article_id, "signature": signature})
    if signature:
        insert_rows(db, "signature_bands", ({"article_id": article_id, "band": band, "key": key}
                                            for band, key in enumerate(band_keys(signature))))


def duplicate_candidates(db: sqlite_utils.Database) -> list[tuple[int, int]]:
    """Pairs of articles that share a whole signature band."""
    return db.execute("select distinct a.article_id, b.article_id from signature_bands a join signature_bands b "
                      "on b.band = a.band and b.key = a.key and b.article_id > a.article_id").fetchall()


def signature_reader(db: sqlite_utils.Database) -> Callable[[int], bytes]:
    """article id -> stored signature, each read once."""
    @cache
    def signature_of(article_id: int) -> bytes:
        return db.execute("select signature from article_signatures where article_id = ?", [article_id]).fetchone()[0]

    return signature_of


def save_duplicate_clusters(db: sqlite_utils.Database, clusters: dict[int, tuple[int, float]]) -> int:
    """Replaces every cluster; returns how many articles have a near-duplicate."""
    with write_transaction(db):
        db.execute("delete from duplicate_clusters")
        insert_rows(db, "duplicate_clusters", (
            {"article_id": a, "cluster_id": c, "similarity": s} for a, (c, s) in clusters.items()))
    return len(clusters)


def forget_signature(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("delete from signature_bands where article_id = ?", [article_id])
    db.execute("delete from article_signatures where article_id = ?", [article_id])


def save_enrichment(db: sqlite_utils.Database, article: StoredArticle) -> str:
    """'enriched', or 'changed' when the article was replaced (or deleted) since it was read: its new version
    was enriched by the run that stored it, or will be by the next `frontline enrich`."""
    with write_transaction(db):
        current = db.execute("select version from articles where id = ?", [article.article_id]).fetchone()
        if current is None or current[0] != article.version:
            return "changed"
        for comment_id, comment in zip(article.comment_ids, article.comments):
            parent = article.comment_ids[comment.reply_to] if comment.reply_to is not None else None
            db["comments"].update(comment_id, {"language": comment.language, "parent_id": parent,
                                               "reply_by": comment.reply_by if parent else None})
        save_mentions(db, article.article_id, article.enrichment, article.comment_ids)
        save_signature(db, article.article_id, article.signature)
    return "enriched"
