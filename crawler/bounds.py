"""Crawler traps end: bounds on what one run of the site spider may request.

A site can make a crawl endless without any malice: a calendar or listing whose rel=next never stops
(`/page/N/`), links whose query strings multiply (`?sort=&view=&page=`), a sitemap index that names a next
index forever. Left alone such a crawl runs until it is killed, resumes the trap from its JOBDIR, and every
later cron run finds the lock taken.

This spider middleware sits between the site spider and the scheduler, so a request past a bound is never
queued (not even to the JOBDIR): it becomes a skipped page, "over a bound: SETTING=N", the bound is logged
once and counted (`frontline/bound/SETTING`), and the run is flagged (crawler/monitoring.py). The run then
ends normally, so its job is finished and the next run starts afresh instead of resuming the trap.

Bounds (settings, see crawler/settings.py): FRONTLINE_MAX_REQUESTS (distinct URLs per run),
FRONTLINE_MAX_LISTING_DEPTH (listing pages followed from listing pages), FRONTLINE_MAX_QUERY_VARIANTS
(query strings per path), FRONTLINE_MAX_SITEMAP_DEPTH and FRONTLINE_MAX_SITEMAPS. The pages of one article
are bounded by the spider itself (FRONTLINE_MAX_PAGES_PER_ARTICLE), since they must end in its item.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request


class CrawlBoundsMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.max_requests = settings.getint("FRONTLINE_MAX_REQUESTS")
        self.max_listing_depth = settings.getint("FRONTLINE_MAX_LISTING_DEPTH")
        self.max_query_variants = settings.getint("FRONTLINE_MAX_QUERY_VARIANTS")
        self.max_sitemap_depth = settings.getint("FRONTLINE_MAX_SITEMAP_DEPTH")
        self.max_sitemaps = settings.getint("FRONTLINE_MAX_SITEMAPS")
        self.requested: set[str] = set()
        self.sitemaps: set[str] = set()
        self.queries: dict[tuple[str, str], set[str]] = {}
        self.skipped: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_start(self, start):
        async for output in start:
            yield self.bounded(output)

    def process_spider_output(self, response, result):
        for output in result:
            yield self.bounded(output)

    async def process_spider_output_async(self, response, result):
        async for output in result:
            yield self.bounded(output)

    def bounded(self, output):
        """The request itself, or a skipped page in its place; items and an article's own pages pass."""
        kind = output.meta.get("frontline_kind") if isinstance(output, Request) else None
        if kind not in ("article", "listing", "sitemap") or output.url in self.requested:
            return output
        over = self.over_bound(output, kind)
        if over is None:
            self.requested.add(output.url)
            return output
        setting, value = over
        self.crawler.spider.bound_reached(setting, value)
        if output.url in self.skipped:
            return None
        self.skipped.add(output.url)
        return self.crawler.spider.skipped_page(output.url, f"over a bound: {setting}={value}")

    def over_bound(self, request: Request, kind: str) -> tuple[str, int] | None:
        if kind == "sitemap":
            if request.meta.get("sitemap_depth", 0) > self.max_sitemap_depth:
                return "FRONTLINE_MAX_SITEMAP_DEPTH", self.max_sitemap_depth
            if len(self.sitemaps) >= self.max_sitemaps:
                return "FRONTLINE_MAX_SITEMAPS", self.max_sitemaps
        if request.meta.get("listing_depth", 0) > self.max_listing_depth:
            return "FRONTLINE_MAX_LISTING_DEPTH", self.max_listing_depth
        parts = urlsplit(request.url)
        if parts.query:
            variants = self.queries.setdefault((parts.netloc, parts.path), set())
            if parts.query not in variants and len(variants) >= self.max_query_variants:
                return "FRONTLINE_MAX_QUERY_VARIANTS", self.max_query_variants
            variants.add(parts.query)
        if len(self.requested) >= self.max_requests:
            return "FRONTLINE_MAX_REQUESTS", self.max_requests
        if kind == "sitemap":
            self.sitemaps.add(request.url)
        return None
