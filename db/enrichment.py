"""Writes for enrichment: entities, their links to articles and comments, near-duplicate clusters."""

from __future__ import annotations

import sqlite_utils

from crawler.enrichment.duplicates import band_keys, near_duplicate_clusters, signature
from crawler.enrichment.enrich import Enrichment, entity_row
from db.rows import insert_row, insert_rows
from db.transactions import write_transaction


def entity_id(db: sqlite_utils.Database, entity, aliases: list[str]) -> int:
    row = db.execute("select id from entities where name = ? and kind = ?", [entity.name, entity.kind]).fetchone()
    if row:
        return row[0]
    return insert_row(db, "entities", entity_row(entity, aliases))


def delete_mentions(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("delete from article_entities where article_id = ?", [article_id])
    db.execute("delete from comment_entities where comment_id in (select id from comments where article_id = ?)",
               [article_id])


def save_mentions(db: sqlite_utils.Database, article_id: int, enrichment: Enrichment, comment_ids: list[int]) -> None:
    """Call inside the article's transaction; replaces whatever links the article had."""
    delete_mentions(db, article_id)
    ids: dict = {}

    def rows(counter, key, owner):
        for (entity, surface), count in counter.items():
            if entity not in ids:
                ids[entity] = entity_id(db, entity, enrichment.aliases.get(entity, []))
            yield {key: owner, "entity_id": ids[entity], "surface": surface, "count": count}

    insert_rows(db, "article_entities", rows(enrichment.article_mentions, "article_id", article_id))
    insert_rows(db, "comment_entities", (row for comment_id, counter in zip(comment_ids, enrichment.comment_mentions)
                                         for row in rows(counter, "comment_id", comment_id)))


def refresh_duplicate_clusters(db: sqlite_utils.Database) -> int:
    """Sign what has no signature yet, then recompute clusters over all articles from the stored band keys;
    returns how many articles have a near-duplicate."""
    add_missing_signatures(db)
    candidates = db.execute("select distinct a.article_id, b.article_id from signature_bands a join signature_bands b "
                            "on b.band = a.band and b.key = a.key and b.article_id > a.article_id").fetchall()
    signatures: dict[int, bytes] = {}

    def signature_of(article_id: int) -> bytes:
        if article_id not in signatures:
            signatures[article_id] = db.execute("select signature from article_signatures where article_id = ?",
                                                [article_id]).fetchone()[0]
        return signatures[article_id]

    clusters = near_duplicate_clusters(candidates, signature_of)
    with write_transaction(db):
        db.execute("delete from duplicate_clusters")
        insert_rows(db, "duplicate_clusters", (
            {"article_id": a, "cluster_id": c, "similarity": s} for a, (c, s) in clusters.items()))
    return len(clusters)


def add_missing_signatures(db: sqlite_utils.Database, batch: int = 100) -> None:
    """New and changed articles (save_article forgets a changed one's signature), a batch per transaction:
    read under the write lock, so two processes never sign the same article, nor a text just replaced."""
    while True:
        with write_transaction(db):
            rows = db.execute("select id, body from articles where id not in "
                              "(select article_id from article_signatures) limit ?", [batch]).fetchall()
            signed = [(article_id, signature(body or "")) for article_id, body in rows]
            insert_rows(db, "article_signatures", ({"article_id": a, "signature": s} for a, s in signed))
            insert_rows(db, "signature_bands", ({"article_id": a, "band": band, "key": key}
                                                for a, s in signed if s for band, key in enumerate(band_keys(s))))
        if len(rows) < batch:
            return


def forget_signature(db: sqlite_utils.Database, article_id: int) -> None:
    db.execute("delete from signature_bands where article_id = ?", [article_id])
    db.execute("delete from article_signatures where article_id = ?", [article_id])


def enrich_database(db: sqlite_utils.Database, matcher, on_article=None) -> dict:
    """Re-run enrichment over stored articles, one transaction each; no page is fetched or re-extracted."""
    from crawler.enrichment.enrich import enrich
    from crawler.extraction.model import Comment

    counts = {"articles": 0, "mentions": 0}
    for (article_id,) in db.execute("select id from articles order by id").fetchall():
        with write_transaction(db):  # read and written under the write lock: a concurrent re-extraction waits
            article = db.execute("select title, body from articles where id = ?", [article_id]).fetchone()
            if article is None:
                continue  # deleted meanwhile
            rows = list(db["comments"].rows_where("article_id = ?", [article_id], order_by="position"))
            position = {row["id"]: i for i, row in enumerate(rows)}
            comments = [Comment(author=r["author"], text=r["body"] or "", posted=r["posted"],
                                reply_to=position.get(r["parent_id"]) if r["reply_by"] == "nesting" else None,
                                reply_by="nesting" if r["reply_by"] == "nesting" else None) for r in rows]
            enrichment = enrich(matcher, article[0], article[1] or "", comments)
            for row, comment in zip(rows, comments):
                parent = rows[comment.reply_to]["id"] if comment.reply_to is not None else None
                db["comments"].update(row["id"], {"language": comment.language, "parent_id": parent,
                                                  "reply_by": comment.reply_by if parent else None})
            save_mentions(db, article_id, enrichment, [row["id"] for row in rows])
        counts["articles"] += 1
        counts["mentions"] += sum(enrichment.article_mentions.values())
        if on_article:
            on_article()
    counts["near_duplicates"] = refresh_duplicate_clusters(db)
    return counts
