"""Re-run extraction on stored raw pages, through the same pipeline stages a crawl uses, without network."""

from __future__ import annotations

import gzip
import json

import sqlite_utils
from scrapy.exceptions import DropItem

from crawler.enrichment.matcher import load_matcher
from crawler.extraction.page import extractor_version
from crawler.items import PagePart, RawPage
from db.articles import record_reject, save_article
from db.enrichment import refresh_duplicate_clusters
from pipelines.decode import DecodePipeline
from pipelines.enrich import EnrichPipeline
from pipelines.extract import ExtractPipeline
from pipelines.normalize import NormalizePipeline


def stored_page(db: sqlite_utils.Database, article: dict) -> RawPage | None:
    rows = list(db["raw_pages"].rows_where("article_id = ?", [article["id"]], order_by="part"))
    if not rows:
        return None
    first, rest = rows[0], rows[1:]
    source = db.execute("select name from sources where id = ?", [article["source_id"]]).fetchone()
    return RawPage(
        url=article["url"], source=source[0] if source else "unknown", body=gzip.decompress(first["content"]),
        content_type=first["content_type"], fetched_at=first["fetched_at"], status=first["status"],
        headers=json.loads(first["headers"] or "{}"),
        parts=[PagePart(r["url"], gzip.decompress(r["content"]), r["role"], r["content_type"]) for r in rest])


def reextract_database(db: sqlite_utils.Database, max_bytes: int, enrich: bool = True, on_article=None) -> dict:
    """Counts of updated / unchanged / failed articles. A page that no longer extracts keeps its article."""
    enricher = EnrichPipeline()
    enricher.matcher = load_matcher() if enrich else None
    stages = [DecodePipeline(max_bytes), ExtractPipeline(), NormalizePipeline()] + ([enricher] if enrich else [])
    counts = {"updated": 0, "unchanged": 0, "failed": 0, "no_raw_page": 0}
    for article in list(db.query("select id, url, source_id from articles order by id")):
        page = stored_page(db, article)
        if page is None:
            counts["no_raw_page"] += 1
        else:
            try:
                for stage in stages:
                    page = stage.process_item(page)
                counts[save_article(db, page, extractor_version(page.extraction.extractor))] += 1
            except DropItem as exc:
                record_reject(db, article["url"], f"re-extraction: {exc}", "reextract", None)
                counts["failed"] += 1
        if on_article:
            on_article()
    if enrich and counts["updated"]:
        refresh_duplicate_clusters(db)
    return counts
