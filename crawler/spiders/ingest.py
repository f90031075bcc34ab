"""The single writer of a distributed crawl: pages that crawler processes put on Redis go through the
usual pipelines (decode, extract, normalize, enrich, store) into SQLite.

    frontline ingest --redis redis://127.0.0.1:6379            # drain what is queued, then stop
    frontline ingest --redis redis://127.0.0.1:6379 --follow   # keep waiting for pages
    scrapy crawl ingest -a redis_url=redis://127.0.0.1:6379
"""

from __future__ import annotations

import asyncio

import scrapy

from crawler.distributed import PAGES_KEY, from_message, run_reported
from crawler.items import RawPage
from crawler.spiders.window import ItemWindow


class IngestSpider(scrapy.Spider):
    name = "ingest"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "FRONTLINE_MIN_ARTICLES": 0,  # an empty queue is no failure
        # pages popped and not yet stored (crawler/spiders/window.py): few, since a killed ingest loses them
        "CONCURRENT_ITEMS": 8,
    }
    poll_seconds = 1.0

    def __init__(self, redis_url: str, follow: bool | str = False, **kwargs):
        super().__init__(**kwargs)
        self.redis_url = redis_url
        self.follow = follow in (True, "1", "true", "yes")
        self.target = redis_url

    async def start(self):
        import redis

        server = redis.Redis.from_url(self.redis_url)
        window = ItemWindow(self.crawler)
        while True:
            raw = server.rpop(PAGES_KEY)
            if raw is None:
                if not self.follow:
                    await window.drained()
                    return
                await asyncio.sleep(self.poll_seconds)
                continue
            try:
                message = from_message(raw)
            except (ValueError, KeyError, TypeError) as exc:
                self.logger.error("Unreadable message on %s (%s): %.200r", PAGES_KEY, exc, raw)
                message = RawPage(url=f"redis:{PAGES_KEY}", source="ingest", error=f"unreadable queue message: {exc}")
            if isinstance(message, RawPage):
                message.arrived_via = "ingest"
                await window.admit()
                yield message
            else:
                self.crawler.signals.send_catch_log(run_reported, report=message)
