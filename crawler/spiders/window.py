"""Back-pressure for spiders that yield items from start() (ingest, reextract, enrich).

Scrapy bounds what is in flight by responses (the scraper's slot size); an item yielded by start() has no
response, so a spider reading a database or a queue would read everything into memory before the first item
was stored, now that the pipelines wait on worker processes. The spider waits for room here instead: at most
CONCURRENT_ITEMS of its items are in the pipelines at once, so memory stays flat however many there are.
"""

from __future__ import annotations

import asyncio

from scrapy import signals


class ItemWindow:
    def __init__(self, crawler):
        self.size = max(crawler.settings.getint("CONCURRENT_ITEMS"), 1)
        self.open = 0
        self.room = asyncio.Event()
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(self.item_done, signal=signal)

    def item_done(self):
        self.open -= 1
        self.room.set()

    async def admit(self) -> None:
        """Returns once one more item may go into the pipelines; call it right before yielding the item."""
        await self.wait_until(lambda: self.open < self.size)
        self.open += 1

    async def drained(self) -> None:
        """Returns once every item is out of the pipelines. A spider awaits it before start() ends: Scrapy
        then finds the run idle and closes it at once, not at its next 5-second heartbeat."""
        await self.wait_until(lambda: self.open == 0)

    async def wait_until(self, condition) -> None:
        while not condition():
            self.room.clear()
            await self.room.wait()
