"""Articles with their comments as JSON lines or CSV, for use outside frontline."""

from __future__ import annotations

import csv
import json
from typing import IO, Iterator

import sqlite_utils

FIELDS = ["url", "title", "author", "authors", "published", "body", "tags", "categories", "comment_path",
          "comment_coverage", "comments"]
JSON_CELLS = ("authors", "tags", "categories", "comments")  # lists in CSV cells, as JSON text


def exported_articles(db: sqlite_utils.Database) -> Iterator[dict]:
    """One dict per article; each comment's parent_index is a 0-based index into the same list, or None."""
    for article in db.query("select id, url, title, author, authors, published, body, tags, categories, comment_path,"
                            " comment_coverage from articles order by id"):
        rows = list(db["comments"].rows_where("article_id = ?", [article["id"]], order_by="position"))
        index = {row["id"]: i for i, row in enumerate(rows)}
        yield {
            "url": article["url"], "title": article["title"], "author": article["author"],
            "authors": json.loads(article["authors"] or "[]"),
            "published": article["published"], "body": article["body"],
            "tags": json.loads(article["tags"] or "[]"), "categories": json.loads(article["categories"] or "[]"),
            "comment_path": article["comment_path"], "comment_coverage": article["comment_coverage"],
            "comments": [{"author": r["author"], "author_url": r["author_url"], "posted": r["posted"],
                          "posted_text": r["posted_text"], "text": r["body"], "structure": r["structure"],
                          "parent_index": index.get(r["parent_id"])} for r in rows],
        }


def write_jsonl(db: sqlite_utils.Database, out: IO[str]) -> int:
    count = 0
    for article in exported_articles(db):
        out.write(json.dumps(article, ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(db: sqlite_utils.Database, out: IO[str]) -> int:
    """Spreadsheet-friendly: authors, tags, categories and comments are JSON text in their cells."""
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    count = 0
    for article in exported_articles(db):
        writer.writerow({**article, **{key: json.dumps(article[key], ensure_ascii=False) for key in JSON_CELLS}})
        count += 1
    return count
