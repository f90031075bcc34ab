"""Downloader middlewares: retries that back off, and redirects that cannot loop unnoticed."""

from __future__ import annotations

import asyncio
import logging

from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware(RetryMiddleware):
    """Retries that back off: a struggling server gets 2 s, then 4 s, then 8 s... before the next try.
    Scrapy's RetryMiddleware re-queues at once; a 503 or a timeout usually means "slow down"."""

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
            logger.info("Retrying %s in %.1f s (retry %d of %d)", request.url, delay, result.meta["retry_times"],
                        self.max_retry_times)
            if delay > 0:
                await asyncio.sleep(delay)


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """A redirect back to a URL of its own chain (A -> B -> A) would be dropped without a word by the
    duplicate filter; it fails the request instead, so the page is rejected with the loop as its reason."""

    def process_response(self, request, response):
        result = super().process_response(request, response)
        if result is not request and hasattr(result, "url") and not hasattr(result, "status"):
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                raise IgnoreRequest("redirect loop: " + " -> ".join([*chain, result.url]))
        return result
