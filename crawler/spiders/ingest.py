"""The single writer of a distributed crawl: pages that crawler processes put on Redis go through the
usual pipelines (decode, extract, normalize, enrich, store) into SQLite.

    frontline ingest --redis redis://127.0.0.1:6379            # drain what is queued, then stop
    frontline ingest --redis redis://127.0.0.1:6379 --follow   # keep waiting for pages
    scrapy crawl ingest -a redis_url=redis://127.0.0.1:6379

A page leaves Redis only once it is stored, rejected or skipped (crawler/distributed.py PageConsumer), so a
killed ingest loses none.
"""

from __future__ import annotations

import asyncio

import scrapy
from scrapy import signals
from twisted.internet.task import LoopingCall

from crawler.distributed import PAGES_KEY, PageConsumer, from_message, run_reported
from crawler.items import RawPage
from crawler.spiders.window import ItemWindow
from pipelines.store import NotStored


class IngestSpider(scrapy.Spider):
    name = "ingest"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,
        "FRONTLINE_MIN_ARTICLES": 0,  # an empty queue is no failure
        "CONCURRENT_ITEMS": 8,  # pages taken and not yet stored (crawler/spiders/window.py)
    }
    poll_seconds = 1.0

    def __init__(self, redis_url: str, follow: bool | str = False, **kwargs):
        super().__init__(**kwargs)
        self.redis_url = redis_url
        self.follow = follow in (True, "1", "true", "yes")
        self.target = redis_url
        self.consumer: PageConsumer | None = None
        self.keeping_alive: LoopingCall | None = None
        self.taken: dict[tuple, list[bytes]] = {}  # (url, fetched_at) of each page in the pipelines: its messages

    async def start(self):
        import redis

        self.consumer = PageConsumer(redis.Redis.from_url(self.redis_url),
                                     self.crawler.settings.getfloat("FRONTLINE_INGEST_TIMEOUT"))
        self.consumer.join()
        self.keeping_alive = LoopingCall(self.consumer.keep_alive)
        self.keeping_alive.start(self.consumer.timeout_ms / 3000, now=False)
        window = ItemWindow(self.crawler)
        for signal in (signals.item_scraped, signals.item_error):  # connected after the store's handlers
            self.crawler.signals.connect(self.page_done, signal=signal)
        self.crawler.signals.connect(self.page_dropped, signal=signals.item_dropped)
        while True:
            raw = self.consumer.take()
            if raw is None:
                if self.put_back_abandoned():
                    continue
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
                self.taken.setdefault((message.url, message.fetched_at), []).append(raw)
                await window.admit()
                yield message
            else:
                self.crawler.signals.send_catch_log(run_reported, report=message)
                self.consumer.done(raw)

    def put_back_abandoned(self) -> int:
        moved = self.consumer.put_back_abandoned()
        if moved:
            self.logger.warning("Put %d page(s) back on %s: taken by an ingest that stopped before storing them",
                                moved, PAGES_KEY)
        return moved

    def page_done(self, item):
        """Stored, rejected or skipped: its message leaves Redis. Two pages of one URL fetched at the same
        moment are one page: either message goes."""
        key = (item.url, item.fetched_at)
        self.consumer.done(self.taken[key].pop())
        if not self.taken[key]:
            del self.taken[key]

    def page_dropped(self, item, exception):
        if not isinstance(exception, NotStored):  # not stored: it stays taken, and goes back when the run ends
            self.page_done(item)

    def closed(self, reason):
        if self.consumer is not None:
            self.keeping_alive.stop()
            self.consumer.leave()
