"""Distributed crawls: pages go onto a Redis list instead of into SQLite; `frontline ingest` stores them.

Extraction and storage happen in the ingest process, so every crawler stays a plain fetcher and SQLite
has a single writer. Pages that failed to download travel too: the ingest records them in `rejects`.
"""

from __future__ import annotations

import logging
import os
import socket

from scrapy import signals

from crawler.distributed import PAGES_KEY, page_message, run_message
from crawler.items import RunReport, utc_now
from crawler.monitoring import run_flags

logger = logging.getLogger(__name__)


class RedisQueuePipeline:
    def __init__(self, redis_url: str, crawler):
        import redis

        self.server = redis.Redis.from_url(redis_url)
        self.crawler = crawler
        self.started_at = utc_now()

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler.settings.get("FRONTLINE_REDIS_URL"), crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item):
        self.server.lpush(PAGES_KEY, page_message(item))
        self.crawler.stats.inc_value("frontline/skipped" if item.skipped else
                                     "frontline/rejected" if item.error else "frontline/queued")
        return item

    def spider_closed(self, spider, reason):
        stats = self.crawler.stats.get_stats()
        report = RunReport(worker=f"{socket.gethostname()}:{os.getpid()}", spider=spider.name,
                           target=getattr(spider, "target", ""), started_at=self.started_at,
                           finished_at=utc_now(), finish_reason=reason, stats=stats,
                           flags=run_flags(stats, self.crawler.settings))
        self.server.lpush(PAGES_KEY, run_message(report))
