"""SQLite storage. Every page ends here: stored, or recorded in `rejects` with the reason it was dropped."""

from __future__ import annotations

import logging

from scrapy import signals

from crawler.extraction.page import extractor_version
from crawler.items import SkipPage
from crawler.monitoring import run_flags
from crawler.distributed import run_reported
from db.articles import finish_run, record_reject, record_run, record_skip, save_article, start_run
from db.enrichment import refresh_duplicate_clusters
from db.schema import open_database

logger = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, db_path: str, crawler):
        self.db_path = db_path
        self.crawler = crawler
        self.db = None
        self.run_id = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("FRONTLINE_DB"), crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.run_reported, signal=run_reported)
        return pipeline

    def open_spider(self):
        self.db = open_database(self.db_path)
        spider = self.crawler.spider
        target = getattr(spider, "target", None) or " ".join(map(str, getattr(spider, "paths", [])))
        self.run_id = start_run(self.db, spider.name, target)

    def process_item(self, item):
        extraction = item.extraction
        item.stored = save_article(self.db, item, extractor_version(extraction.extractor))
        self.crawler.stats.inc_value(f"frontline/{item.stored}")
        return item

    def item_dropped(self, item, response, exception, spider):
        if isinstance(exception, SkipPage):
            record_skip(self.db, item.url, str(exception), item.source, self.run_id)
            self.crawler.stats.inc_value("frontline/skipped")
        else:
            self.reject(item, str(exception))

    def item_error(self, item, response, spider, failure):
        self.reject(item, f"internal error: {failure.type.__name__}: {failure.value}")

    def reject(self, item, reason: str) -> None:
        record_reject(self.db, item.url, reason, item.source, self.run_id)
        self.crawler.stats.inc_value("frontline/rejected")

    def run_reported(self, report):
        """A crawler process of a distributed crawl ended: its run is recorded here, by the one writer."""
        record_run(self.db, report)

    def spider_closed(self, spider, reason):
        if self.db is None:
            return
        stats = self.crawler.stats
        if self.crawler.settings.getbool("FRONTLINE_ENRICH") and \
                stats.get_value("frontline/imported", 0) + stats.get_value("frontline/updated", 0):
            stats.set_value("frontline/near_duplicates", refresh_duplicate_clusters(self.db))
        flags = run_flags(stats.get_stats(), self.crawler.settings)
        for flag in flags:
            logger.warning("Run flagged: %s", flag)
        finish_run(self.db, self.run_id, reason, stats.get_stats(), flags)
        self.db.close()
