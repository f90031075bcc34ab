"""Downloader middlewares: nothing leaves the site's scope, robots.txt as RFC 9309 says, retries that back off,
and redirects that cannot loop unnoticed."""

from __future__ import annotations

import asyncio
import logging

from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.python.failure import Failure

from crawler.items import SkipRequest
from crawler.scope import Scope
from crawler.spiders.site import failure_reason

logger = logging.getLogger(__name__)
ALLOW_ALL = b""
DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


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


class SiteRobotsTxtMiddleware(RobotsTxtMiddleware):
    """robots.txt as RFC 9309 says: up to 5 redirects are followed (within the scope, which holds the www/apex
    twin); 4xx (404 included) means allow all; 5xx or unreachable (refused, timed out, too many redirects,
    redirect off-site) means disallow all for this run. Scrapy's own treats a 5xx or a failure as allow-all.
    A forbidden page is skipped (SkipRequest), not rejected: it is neither an error nor counted as one."""

    MAX_REDIRECTS = 5

    def process_request_2(self, rp, request):
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            raise SkipRequest("forbidden by robots.txt") from None

    async def robot_parser(self, request):
        """One robots.txt per scheme, host and port, fetched once. The requests that come meanwhile all wait for
        the same task: Scrapy's shared Deferred gives the parser to the first of them only, and None (allow all)
        to the others."""
        netloc = urlparse_cached(request).netloc
        if netloc not in self._parsers:
            url = f"{urlparse_cached(request).scheme}://{netloc}/robots.txt"
            self._parsers[netloc] = asyncio.ensure_future(self.fetch_parser(url, netloc, request))
        return await asyncio.shield(self._parsers[netloc])

    async def fetch_parser(self, url: str, netloc: str, request):
        parser = build_from_crawler(self._parserimpl, self.crawler, await self.fetch_rules(url, netloc))
        await self.crawler.signals.send_catch_log_async(signal=signals.robots_parsed, robotparser=parser,
                                                        request=request)
        return parser

    async def fetch_rules(self, url: str, netloc: str) -> bytes:
        """The rules that hold for this run, and one INFO line saying why."""
        robots = Request(url, priority=self.DOWNLOAD_PRIORITY, callback=NO_CALLBACK,
                         meta={"dont_obey_robotstxt": True, "redirect_ttl": self.MAX_REDIRECTS})
        self._stats.inc_value("robotstxt/request_count")
        try:
            response = await self.crawler.engine.download_async(robots)
        except Exception as exc:  # whatever the failure, the site's wishes are unknown
            self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            logger.info("robots.txt of %s unreachable (%s): disallowing all for this run", netloc,
                        failure_reason(Failure(exc)))
            return DISALLOW_ALL
        self._stats.inc_value("robotstxt/response_count")
        self._stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        if 200 <= response.status < 300:
            logger.info("robots.txt of %s read from %s", netloc, response.url)
            return response.body
        if 400 <= response.status < 500:
            logger.info("robots.txt of %s answered %d: allowing all", netloc, response.status)
            return ALLOW_ALL
        logger.info("robots.txt of %s answered %d: disallowing all for this run", netloc, response.status)
        return DISALLOW_ALL


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
