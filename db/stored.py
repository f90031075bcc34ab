"""Reads of what is stored, as the items the pipelines take: raw pages for `frontline reextract`, articles
with their comments for `frontline enrich`."""

from __future__ import annotations

import gzip
import json
from typing import Iterator

import sqlite_utils

from crawler.extraction.model import Comment
from crawler.items import PagePart, RawPage, StoredArticle


def article_ids(db: sqlite_utils.Database) -> list[int]:
    return [article_id for (article_id,) in db.execute("select id from articles order by id")]


def stored_page(db: sqlite_utils.Database, article_id: int) -> RawPage | None:
    """The article's raw pages as they were fetched (bytes, headers, further parts); None without any."""
    article = db.execute("select a.url, s.name from articles a left join sources s on s.id = a.source_id "
                         "where a.id = ?", [article_id]).fetchone()
    rows = list(db["raw_pages"].rows_where("article_id = ?", [article_id], order_by="part"))
    if article is None or not rows:
        return None
    (url, source), first, rest = article, rows[0], rows[1:]
    return RawPage(
        url=url, source=source or "unknown", body=gzip.decompress(first["content"]),
        content_type=first["content_type"], fetched_at=first["fetched_at"], status=first["status"],
        headers=json.loads(first["headers"] or "{}"),
        parts=[PagePart(r["url"], gzip.decompress(r["content"]), r["role"], r["content_type"]) for r in rest])


def stored_articles(db: sqlite_utils.Database) -> Iterator[StoredArticle]:
    """Every article with its comments, as `frontline enrich` re-reads them: a reply link found by nesting
    stays, one found by mention is found again."""
    for article_id in article_ids(db):
        article = db.execute("select url, version, title, body from articles where id = ?", [article_id]).fetchone()
        if article is None:
            continue  # deleted meanwhile
        rows = list(db["comments"].rows_where("article_id = ?", [article_id], order_by="position"))
        position = {row["id"]: i for i, row in enumerate(rows)}
        comments = [Comment(author=r["author"], text=r["body"] or "", posted=r["posted"],
                            reply_to=position.get(r["parent_id"]) if r["reply_by"] == "nesting" else None,
                            reply_by="nesting" if r["reply_by"] == "nesting" else None) for r in rows]
        url, version, title, body = article
        yield StoredArticle(article_id, url, version, title, body or "", comments, [row["id"] for row in rows])
