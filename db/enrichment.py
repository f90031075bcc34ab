"""Writes for enrichment: entities, their links to articles and comments, near-duplicate clusters."""

from __future__ import annotations

import sqlite_utils

from crawler.enrichment.duplicates import near_duplicate_clusters
from crawler.enrichment.enrich import Enrichment, entity_row
from db.rows import insert_row, insert_rows


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
    """Recompute clusters over all articles; returns how many articles have a near-duplicate."""
    clusters = near_duplicate_clusters((row[0], row[1] or "") for row in db.execute("select id, body from articles"))
    with db.atomic():
        db.execute("delete from duplicate_clusters")
        db["duplicate_clusters"].insert_all(
            {"article_id": a, "cluster_id": c, "similarity": s} for a, (c, s) in clusters.items())
    return len(clusters)


def enrich_database(db: sqlite_utils.Database, matcher, on_article=None) -> dict:
    """Re-run enrichment over stored articles, one transaction each; no page is fetched or re-extracted."""
    from crawler.enrichment.enrich import enrich
    from crawler.extraction.model import Comment

    counts = {"articles": 0, "mentions": 0}
    for article in list(db.query("select id, title, body from articles order by id")):
        rows = list(db["comments"].rows_where("article_id = ?", [article["id"]], order_by="position"))
        position = {row["id"]: i for i, row in enumerate(rows)}
        comments = [Comment(author=r["author"], text=r["body"] or "", posted=r["posted"],
                            reply_to=position.get(r["parent_id"]) if r["reply_by"] == "nesting" else None,
                            reply_by="nesting" if r["reply_by"] == "nesting" else None) for r in rows]
        enrichment = enrich(matcher, article["title"], article["body"] or "", comments)
        with db.atomic():
            for row, comment in zip(rows, comments):
                parent = rows[comment.reply_to]["id"] if comment.reply_to is not None else None
                db["comments"].update(row["id"], {"language": comment.language, "parent_id": parent,
                                                  "reply_by": comment.reply_by if parent else None})
            save_mentions(db, article["id"], enrichment, [row["id"] for row in rows])
        counts["articles"] += 1
        counts["mentions"] += sum(enrichment.article_mentions.values())
        if on_article:
            on_article()
    counts["near_duplicates"] = refresh_duplicate_clusters(db)
    return counts
