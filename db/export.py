"""Articles with their comments as JSON lines or CSV, for use outside frontline."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterator

import sqlite_utils

FIELDS = ["url", "title", "author", "published", "body", "tags", "comments"]


def exported_articles(db: sqlite_utils.Database) -> Iterator[dict]:
    """One dict per article; each comment's parent_index is a 0-based index into the same list, or None."""
    for article in db.query("select id, url, title, author, published, body, tags from articles order by id"):
        rows = list(db["comments"].rows_where("article_id = ?", [article["id"]], order_by="position"))
        index = {row["id"]: i for i, row in enumerate(rows)}
        yield {
            "url": article["url"], "title": article["title"], "author": article["author"],
            "published": article["published"], "body": article["body"],
            "tags": json.loads(article["tags"] or "[]"),
            "comments": [{"author": r["author"], "posted": r["posted"], "text": r["body"],
                          "parent_index": index.get(r["parent_id"])} for r in rows],
        }


def write_jsonl(db: sqlite_utils.Database, out: IO[str]) -> int:
    count = 0
    for article in exported_articles(db):
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(db: sqlite_utils.Database, out: IO[str]) -> int:
    """Spreadsheet-friendly: tags and comments are JSON text in their cells."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    count = 0
    for article in exported_articles(db):
        writer.writerow({**article, "tags": json.dumps(article["tags"], ensure_ascii=False),
                         "comments": json.dumps(article["comments"], ensure_ascii=False)})
        count += 1
    return count
