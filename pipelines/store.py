"""SQLite storage. Every page ends here: stored, or recorded in `rejects` or `skipped` with its reason.

When the database cannot be written (disk full, read-only, damaged, locked too long) the run stops at once,
closed with the reason `database_unwritable`: what was stored stays stored, and the inputs that got no outcome
are named by the command (stats `frontline/database_error` and `frontline/inputs_done`)."""

from __future__ import annotations

import logging
from contextlib import contextmanager

from scrapy import signals
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from crawler.enrichment.duplicates import near_duplicate_clusters
from crawler.extraction.page import extractor_version
from crawler.items import SkipPage, StoredArticle
from crawler.monitoring import count_reason, run_flags
from crawler.distributed import run_reported
from db.articles import finish_run, record_reject, record_run, record_skip, save_article, start_run
from db.enrichment import duplicate_candidates, save_duplicate_clusters, save_enrichment, signature_reader
from db.schema import open_database
from db.transactions import DatabaseUnwritable

logger = logging.getLogger(__name__)
DATABASE_UNWRITABLE = "database_unwritable"  # the finish reason of a run the database stopped


class NotStored(DropItem):
    """A page left for the next run, not recorded: it reached storage after the database failed, or the worker
    processes could not start (pipelines/work.py)."""

    def __init__(self, why: str = "the database could not be written"):
        super().__init__(f"not stored: {why}", log_level="DEBUG")


class StorePipeline:
    def __init__(self, db_path: str, crawler):
        self.db_path = db_path
        self.crawler = crawler
        self.db = None
        self.run_id = None
        self.failure: str | None = None  # why the database could not be written, once it could not
        self.done: set[str] = set()  # inputs stored, rejected or skipped: the command names the others

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
        self.run_id = start_run(self.db, spider.name, getattr(spider, "target", ""))
        self.crawler.stats.set_value("frontline/run_id", self.run_id)

    def process_item(self, item):
        with self.storing(item.input):
            if isinstance(item, StoredArticle):
                item.stored = save_enrichment(self.db, item)
            else:
                item.stored = save_article(self.db, item, extractor_version(item.extraction.extractor))
        self.crawler.stats.inc_value(f"frontline/{item.stored}")
        if item.stored == "enriched":
            self.crawler.stats.inc_value("frontline/mentions", sum(item.enrichment.article_mentions.values()))
        return item

    @contextmanager
    def storing(self, url: str | None = None):
        """Around every write: once the database has failed nothing more is written, the run is closed."""
        if self.failure is not None:
            raise NotStored()
        try:
            yield
        except DatabaseUnwritable as exc:
            self.stop(str(exc))
            raise NotStored() from None
        if url:
            self.done.add(url)

    def stop(self, failure: str) -> None:
        self.failure = failure
        logger.error("The database could not be written (%s): the run stops", failure)
        self.crawler.stats.set_value("frontline/database_error", failure)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=DATABASE_UNWRITABLE))

    def item_dropped(self, item, response, exception, spider):
        if isinstance(exception, NotStored):
            return
        if isinstance(exception, SkipPage):
            self.record(record_skip, "skipped", item, str(exception))
        else:
            self.record(record_reject, "rejected", item, str(exception))

    def item_error(self, item, response, spider, failure):
        self.record(record_reject, "rejected", item, f"internal error: {failure.type.__name__}: {failure.value}")

    def record(self, save, outcome: str, item, reason: str) -> None:
        try:
            with self.storing(item.input):
                save(self.db, item.url, reason, item.source, self.run_id)
        except NotStored:
            return  # a signal handler: raising would only log a traceback
        count_reason(self.crawler.stats, outcome, reason)

    def run_reported(self, report):
        """A crawler process of a distributed crawl ended: its run is recorded here, by the one writer."""
        try:
            with self.storing():
                record_run(self.db, report)
        except NotStored:
            pass  # a signal handler: the failure is already logged and the run is closing

    def spider_closed(self, spider, reason):
        if self.db is None:
            return
        stats = self.crawler.stats
        try:
            if self.failure is None and self.crawler.settings.getbool("FRONTLINE_ENRICH") and \
                    sum(stats.get_value(f"frontline/{key}", 0) for key in ("imported", "updated", "enriched")):
                self.refresh_near_duplicates()
            flags = self.flags()
            finish_run(self.db, self.run_id, reason, stats.get_stats(), flags)
        except DatabaseUnwritable as exc:
            self.failure = self.failure or str(exc)
            stats.set_value("frontline/database_error", self.failure)
            logger.error("Run %s could not be closed in crawl_runs: the database could not be written (%s)",
                         self.run_id, exc)
        finally:
            self.db.close()
        if reason != "finished":
            stats.set_value("frontline/inputs_done", sorted(self.done))  # after finish_run: not in crawl_runs.stats

    def refresh_near_duplicates(self) -> None:
        """Clusters over all articles, from the signatures stored with each (signed in the enrich stage)."""
        clusters = near_duplicate_clusters(duplicate_candidates(self.db), signature_reader(self.db))
        self.crawler.stats.set_value("frontline/near_duplicates", save_duplicate_clusters(self.db, clusters))

    def flags(self) -> list[str]:
        """A run the database stopped needs no thresholds to say it went wrong (its exit status says it)."""
        if self.failure is not None:
            return [f"the database could not be written ({self.failure})"]
        flags = run_flags(self.crawler.stats.get_stats(), self.crawler.settings)
        for flag in flags:
            logger.warning("Run flagged: %s", flag)
        return flags
