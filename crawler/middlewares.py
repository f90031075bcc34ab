"""Retries that back off: a struggling server gets 2 s, then 4 s, then 8 s... before the next try."""

from __future__ import annotations

import asyncio

from scrapy.downloadermiddlewares.retry import RetryMiddleware


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware re-queues at once; a 503 or a timeout usually means "slow down"."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base_delay = settings.getfloat("FRONTLINE_RETRY_BACKOFF")
        self.max_delay = settings.getfloat("FRONTLINE_RETRY_BACKOFF_MAX")

    async def process_response(self, request, response):
        result = super().process_response(request, response)
        await self.wait(request, result)
        return result

    async def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        await self.wait(request, result)
        return result

    async def wait(self, request, result) -> None:
        if result is not None and result is not request and getattr(result, "meta", {}).get("retry_times"):
            delay = min(self.max_delay, self.base_delay * 2 ** (result.meta["retry_times"] - 1))
            if delay > 0:
                await asyncio.sleep(delay)
