"""Downloader middlewares: nothing leaves the site's scope, retries that back off, and redirects that cannot
loop unnoticed."""

from __future__ import annotations

import asyncio
import logging

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from crawler.items import SkipRequest
from crawler.scope import Scope

logger = logging.getLogger(__name__)


def site_scope(crawler) -> Scope | None:
    """The scope of the site being crawled; none for spiders that crawl no site (seeds, ingest)."""
    profile = getattr(crawler.spider, "profile", None)
    return profile.scope if profile else None


class ScopeMiddleware:
    """Every request is checked against the site's scope before it is sent, whatever its dont_filter says:
    start, discovery, article, continuation and comment pages alike. It replaces Scrapy's OffsiteMiddleware,
    which lets dont_filter requests through and knows nothing of schemes and ports. A request out of scope
    is skipped, not an error: the spider's errback records it with the reason "out of scope: HOST"."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        if site_scope(crawler) is None:
            raise NotConfigured
        return cls(crawler)

    def process_request(self, request):
        if not site_scope(self.crawler).allows(request.url):
            raise SkipRequest(f"out of scope: {urlparse_cached(request).netloc}")


class ScopedRedirects:
    """A redirect (Location or meta refresh) out of the site's scope fails the request before the new request
    is made, so the page is rejected with "redirect off-site to HOST" (a continuation or comment page is
    left out and logged by the spider's part_failed) and the other host is never asked for anything."""

    def within_scope(self, result):
        scope = site_scope(self.crawler)
        if isinstance(result, Request) and scope and not scope.allows(result.url):
            raise IgnoreRequest(f"redirect off-site to {urlparse_cached(result).netloc}")
        return result


class ScopedMetaRefreshMiddleware(ScopedRedirects, MetaRefreshMiddleware):
    def process_response(self, request, response):
        return self.within_scope(super().process_response(request, response))


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


class LoopAwareRedirectMiddleware(ScopedRedirects, RedirectMiddleware):
    """A redirect back to a URL of its own chain (A -> B -> A) would be dropped without a word by the
    duplicate filter; it fails the request instead, so the page is rejected with the loop as its reason.
    A redirect off-site fails it too (ScopedRedirects)."""

    def process_response(self, request, response):
        result = self.within_scope(super().process_response(request, response))
        if result is not request and hasattr(result, "url") and not hasattr(result, "status"):
            chain = [*request.meta.get("redirect_urls", []), request.url]
            if result.url in chain:
                raise IgnoreRequest("redirect loop: " + " -> ".join([*chain, result.url]))
        return result
