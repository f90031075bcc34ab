"""Writes: one article with its comments, tags, boilerplate and raw page in one transaction."""

from __future__ import annotations

import gzip
import hashlib
import json

import sqlite_utils

from crawler.items import RawPage, utc_now
from crawler.monitoring import reason_counts, run_counts
from db.enrichment import delete_mentions, forget_signature, save_mentions, save_signature
from db.rows import insert_row, insert_rows
from db.titles import title_without_site_affix
from db.transactions import write_transaction


def source_id(db: sqlite_utils.Database, name: str, kind: str = "site") -> int:
    row = db.execute("select id from sources where name = ?", [name]).fetchone()
    if row:
        return row[0]
    return insert_row(db, "sources", {"name": name, "kind": kind})


def save_article(db: sqlite_utils.Database, page: RawPage, extractor_version: str) -> str:
    """Insert or update one article; returns 'imported', 'updated' or 'unchanged'. Safe to repeat."""
    extraction = page.extraction
    with write_transaction(db):
        existing = next(db["articles"].rows_where("url = ?", [page.url], limit=1), None)
        if existing and existing["content_hash"] == page.content_hash \
                and existing["extractor_version"] == extractor_version:
            save_raw_pages(db, existing["id"], page)  # the bytes may differ (whitespace, markup) yet read the same
            if page.enrichment is not None:  # stored before without enrichment: signed now
                save_signature(db, existing["id"], page.signature, keep_existing=True)
            return "unchanged"
        source = source_id(db, page.source, "seeds" if page.source == "seeds" else "site")
        row = {
            "url": page.url, "source_id": source,
            "title": title_without_site_affix(db, source, page.url, extraction.title),
            "author": extraction.author, "published": extraction.published,
            "date_source": extraction.date_source, "body": extraction.body, "word_count": page.word_count,
            "language": page.language, "tags": json.dumps(extraction.tags, ensure_ascii=False),
            "authors": json.dumps(extraction.author_list(), ensure_ascii=False),
            "categories": json.dumps(extraction.categories, ensure_ascii=False),
            "comments_declared": extraction.comments_declared, "comment_count": len(extraction.comments),
            "comment_path": extraction.comment_path, "comment_coverage": extraction.comment_coverage,
            "content_hash": page.content_hash, "fetched_at": page.fetched_at, "updated_at": utc_now(),
            "extractor": extraction.extractor, "extractor_version": extractor_version,
        }
        if page.arrived_via is not None:  # a re-extraction or enrichment keeps how the article arrived
            row.update(arrived_via=page.arrived_via, origin_path=page.origin_path, origin_offset=page.origin_offset)
        if existing:
            article_id = existing["id"]
            keep_version(db, existing)
            delete_mentions(db, article_id)
            forget_signature(db, article_id)  # signed again below when enriched, else by `frontline enrich`
            for table in ("comments", "boilerplate", "article_tags", "media"):
                db.execute(f"delete from {table} where article_id = ?", [article_id])
            db["articles"].update(article_id, {**row, "version": (existing["version"] or 1) + 1})
            status = "updated"
        else:
            article_id = insert_row(db, "articles", {**row, "version": 1})
            status = "imported"
        comment_ids = save_comments(db, article_id, extraction.comments)
        if page.enrichment is not None:
            save_mentions(db, article_id, page.enrichment, comment_ids)
            save_signature(db, article_id, page.signature)
        save_tags(db, article_id, extraction.tags)
        insert_rows(db, "media", (
            {"article_id": article_id, "position": i, "src": m.src, "caption": m.caption, "credit": m.credit}
            for i, m in enumerate(extraction.media)))
        insert_rows(db, "boilerplate", (
            {"article_id": article_id, "position": i, "kind": b.kind, "text": b.text}
            for i, b in enumerate(extraction.boilerplate)))
        save_raw_pages(db, article_id, page)
    return status


def keep_version(db: sqlite_utils.Database, article: dict) -> None:
    comments = [
        {"author": c["author"], "posted": c["posted"], "text": c["body"]}
        for c in db["comments"].rows_where("article_id = ?", [article["id"]], order_by="position")
    ]
    db["article_versions"].insert({
        "article_id": article["id"], "version": article["version"], "title": article["title"],
        "author": article["author"], "published": article["published"], "body": article["body"],
        "comments": json.dumps(comments, ensure_ascii=False), "content_hash": article["content_hash"],
        "fetched_at": article["fetched_at"], "replaced_at": utc_now(),
    })


def save_comments(db: sqlite_utils.Database, article_id: int, comments) -> list[int]:
    ids: list[int] = []
    for position, comment in enumerate(comments):
        parent = ids[comment.reply_to] if comment.reply_to is not None and comment.reply_to < position else None
        ids.append(insert_row(db, "comments", {
            "article_id": article_id, "position": position, "author": comment.author,
            "posted": comment.posted, "body": comment.text, "parent_id": parent,
            "reply_by": comment.reply_by if parent else None, "language": comment.language,
            "structure": comment.structure, "author_url": comment.author_url, "posted_text": comment.posted_text,
        }))
    return ids


def save_tags(db: sqlite_utils.Database, article_id: int, tags: list[str]) -> None:
    for name in dict.fromkeys(tags):
        row = db.execute("select id from tags where name = ?", [name]).fetchone()
        tag_id = row[0] if row else insert_row(db, "tags", {"name": name})
        insert_row(db, "article_tags", {"article_id": article_id, "tag_id": tag_id}, ignore=True)


def save_raw_pages(db: sqlite_utils.Database, article_id: int, page: RawPage) -> None:
    """Raw bytes of every page of an article, gzip-compressed, so extraction can be re-run without fetching."""
    rows = page.raw_rows or raw_page_rows(page)
    stored = [row[0] for row in db.execute("select sha256 from raw_pages where article_id = ? order by part",
                                           [article_id])]
    if stored == [row["sha256"] for row in rows]:
        return
    db.execute("delete from raw_pages where article_id = ?", [article_id])
    insert_rows(db, "raw_pages", ({"article_id": article_id, **row} for row in rows))


def raw_page_rows(page: RawPage) -> list[dict]:
    """The raw_pages rows of a page, less its article id: made in the worker processes (pipelines/pack.py),
    since compressing a page is CPU the one writer should not spend."""
    pieces = [(page.url, "main", page.body, page.decoded, page.content_type, page.status, page.headers)]
    pieces += [(part.url, part.role, part.body, decoded, part.content_type, None, None)
               for part, decoded in zip(page.parts, page.decoded_parts)]
    return [{
        "part": index, "role": role, "url": url, "format": decoded.format,
        "encoding": decoded.encoding, "content_type": content_type, "size": len(body),
        "sha256": hashlib.sha256(body).hexdigest(),
        "compression": "gzip", "content": gzip.compress(body, compresslevel=6, mtime=0),  # 9: +60% time, -1.5% size
        "fetched_at": page.fetched_at,
        "status": status, "headers": json.dumps(headers) if headers else None,
    } for index, (url, role, body, decoded, content_type, status, headers) in enumerate(pieces)]


def record_reject(db: sqlite_utils.Database, url: str, reason: str, source: str | None, run_id: int | None) -> None:
    record_sighting(db, "rejects", url, reason, source, run_id)


def record_skip(db: sqlite_utils.Database, url: str, reason: str, source: str | None, run_id: int | None) -> None:
    record_sighting(db, "skipped", url, reason, source, run_id)


def record_sighting(db: sqlite_utils.Database, table: str, url: str, reason: str, source: str | None,
                    run_id: int | None) -> None:
    """One row per input and reason: meeting the same 404 on every run counts it again, never adds a row."""
    now = utc_now()
    with write_transaction(db):
        db.execute(f"insert into {table} (input, reason, source, run_id, first_seen, last_seen, count) "
                   f"values (?, ?, ?, ?, ?, ?, 1) on conflict (input, reason) do update set "
                   f"source = excluded.source, run_id = excluded.run_id, last_seen = excluded.last_seen, "
                   f"count = count + 1", [url, reason, source, run_id, now, now])


def start_run(db: sqlite_utils.Database, spider: str, target: str) -> int:
    with write_transaction(db):
        return db["crawl_runs"].insert({"spider": spider, "target": target, "started_at": utc_now()}).last_pk


def finish_run(db: sqlite_utils.Database, run_id: int, reason: str, stats: dict, flags: list[str],
               finished_at: str | None = None) -> None:
    counts = {key: stats.get(f"frontline/{key}", 0)
              for key in ("imported", "updated", "unchanged", "rejected", "skipped")}
    figures = {key: value for key, value in run_counts(stats).items() if key not in ("articles", "rejected")}
    with write_transaction(db):
        db["crawl_runs"].update(run_id, {
            "finished_at": finished_at or utc_now(), "finish_reason": reason, **counts, **figures,
            "reasons": json.dumps(reason_counts(stats), ensure_ascii=False, sort_keys=True),
            "flags": "; ".join(flags) or None, "stats": json.dumps(stats, default=str, sort_keys=True),
        })


def record_run(db: sqlite_utils.Database, report) -> int:
    """A run that happened elsewhere (a crawler process of a distributed crawl), recorded whole."""
    with write_transaction(db):
        run_id = db["crawl_runs"].insert({"spider": report.spider, "target": f"{report.target} ({report.worker})",
                                          "started_at": report.started_at}).last_pk
        finish_run(db, run_id, report.finish_reason, report.stats, report.flags, report.finished_at)
    return run_id


def close_abandoned_runs(db: sqlite_utils.Database, spider: str, target: str) -> int:
    """Runs of this target that never finished were killed: the caller holds the target's lock."""
    with write_transaction(db):
        return db.execute("update crawl_runs set finish_reason = 'killed', flags = 'the process ended without "
                          "closing the run (killed, crashed or the machine stopped)' where spider = ? "
                          "and target = ? and finished_at is null", [spider, target]).rowcount
