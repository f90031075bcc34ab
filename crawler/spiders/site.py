"""Crawl one site politely and incrementally: discover article URLs, fetch each article with its extra
pages and comment pages, and yield one raw page item per article. Extraction happens in the pipelines.

    scrapy crawl site -a profile=lwj
    scrapy crawl site -a url=https://example.org/          (generic profile from a start URL)
    scrapy crawl site -a profile=lwj -a resume_since=2026-11-25T06:00:00+00:00
                                    (skip articles stored since then: resuming a killed job, see crawler/jobs.py)
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import TextResponse
from scrapy.utils.sitemap import sitemap_urls_from_robots

from crawler.extraction.page_type import article_verdict
from crawler.items import PagePart, RawPage, SkipRequest, utc_now
from crawler.sitemaps import UnreadableSitemap, iter_sitemap
from crawler.sites import generic_profile, load_profile
from crawler.spiders.head import page_selector

NEXT_ARTICLE_PAGE = (
    "//article//*[contains(@class, 'page-links')]//a/@href"
    " | //head/link[@rel='next']/@href"
)
# the class names NEXT_ARTICLE_PAGE and NEXT_COMMENT_PAGE look for in a page's body
PART_LINK_MARKERS = ("page-links", "comment-nav", "comments-pagination")
NEXT_COMMENT_PAGE = (
    "//*[contains(@class, 'comment-navigation') or contains(@class, 'comments-pagination')"
    " or contains(@class, 'comment-nav')]//a[contains(@class, 'next') or contains(., 'Newer')]/@href"
)


@dataclass
class Assembly:
    """An article being fetched page by page: its own extra pages first, then its comment pages.
    Plain data (no Response), so requests carrying it can be written to a JOBDIR or Redis queue."""
    page: RawPage
    seen: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        return self.page.url


class SiteSpider(scrapy.Spider):
    name = "site"
    custom_settings = {"SPIDER_MIDDLEWARES": {"crawler.bounds.CrawlBoundsMiddleware": 800}}

    def __init__(self, profile: str | None = None, url: str | None = None, resume_since: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        if not profile and not url:
            raise ValueError("give a site profile (-a profile=NAME) or a start URL (-a url=https://...)")
        self.profile = load_profile(profile) if profile else generic_profile(url)
        self.allowed_domains = self.profile.allowed_domains
        self.target = profile or url
        self.resume_since = _as_datetime(resume_since) if resume_since else None
        self.known: dict[str, dict] = {}
        self.settled: set[str] = set()  # articles counted unchanged without a request, this run
        self.requested: set[str] = set()  # articles requested this run: each one's outcome is counted once
        self.canonicals: dict[str, str] = {}  # page -> the canonical it named, this run and earlier ones (loops)

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.known, spider.canonicals = known_articles(crawler.settings.get("FRONTLINE_DB"))
        spider.comment_window = timedelta(days=crawler.settings.getint("FRONTLINE_COMMENT_WINDOW_DAYS"))
        spider.sitemap_max_bytes = crawler.settings.getint("FRONTLINE_SITEMAP_MAXSIZE")
        spider.max_pages_per_article = crawler.settings.getint("FRONTLINE_MAX_PAGES_PER_ARTICLE")
        if spider.profile.download_delay is not None and crawler.settings.getpriority("DOWNLOAD_DELAY") < 40:
            spider.download_delay = spider.profile.download_delay  # unless -s DOWNLOAD_DELAY=... was given
        return spider

    async def start(self):
        origins = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}"
                   for u in self.profile.start_urls + self.profile.sitemap_urls + self.profile.feed_urls
                   + self.profile.guessed_feed_urls}
        for origin in sorted(origins):
            yield scrapy.Request(f"{origin}/robots.txt", callback=self.parse_robots, errback=self.discovery_failed,
                                 meta={"optional": True})
        for url in self.profile.sitemap_urls:
            yield self.sitemap_request(url, depth=0)
        for url, depth in self.unread_sitemaps().items():  # a stop came mid-sitemap: read it again
            yield self.sitemap_request(url, depth, again=True)
        for url in self.profile.feed_urls:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.discovery_failed)
        for url in self.profile.guessed_feed_urls:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.discovery_failed, meta={"optional": True})
        for url in self.profile.start_urls:
            yield self.follow(url, listing=not self.profile.is_article_url(self.profile.normalize(url)))

    # --- discovery -------------------------------------------------------------------------------

    def parse_robots(self, response):
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            yield self.sitemap_request(url, depth=0)

    def sitemap_request(self, url: str, depth: int, again: bool = False) -> scrapy.Request:
        """Sitemaps may be far larger than a page (50 MB is the protocol's limit), and nest (depth is bounded)."""
        return scrapy.Request(url, callback=self.parse_sitemap, errback=self.discovery_failed, dont_filter=again,
                              meta={"frontline_kind": "sitemap", "sitemap_depth": depth,
                                    "download_maxsize": self.sitemap_max_bytes})

    def unread_sitemaps(self) -> dict[str, int]:
        """Sitemaps a stopped run did not finish reading (kept in the JOBDIR's spider.state): on resume they
        are read again, and the duplicate filter drops what the stopped run had already queued."""
        return getattr(self, "state", {}).setdefault("unread_sitemaps", {})

    def parse_sitemap(self, response):
        """Streams the sitemap (crawler/sitemaps.py): requests flow out while it is read, and a stop (SIGTERM)
        is noticed between entries."""
        depth = response.meta.get("sitemap_depth", 0)
        self.unread_sitemaps().pop(response.url, None)
        try:
            for entry in iter_sitemap(response.body, self.sitemap_max_bytes):
                if not self.crawler.engine.running:  # the crawl is stopping (SIGTERM): resume reads it again
                    self.unread_sitemaps()[response.url] = depth
                    return
                loc = urljoin(response.url, entry.loc)
                if entry.kind == "sitemapindex":
                    yield self.sitemap_request(loc, depth + 1)
                elif self.profile.is_article_url(url := self.profile.normalize(loc)):
                    if url not in self.requested and self.unchanged_since(url, entry.lastmod):
                        self.settle(url, "skipped_by_lastmod")
                        continue
                    yield self.follow(url, listed=True)
        except UnreadableSitemap as exc:
            yield self.rejected_page(response.url, f"unreadable sitemap: {exc} (discovery page)")

    def parse_feed(self, response):
        links = response.xpath("//*[local-name()='item']/*[local-name()='link']/text()"
                               " | //*[local-name()='entry']/*[local-name()='link']/@href").getall()
        for link in links:
            yield self.follow(urljoin(response.url, link.strip()), listed=True)

    def parse_listing(self, response):
        if not isinstance(response, TextResponse):
            return
        depth = response.meta.get("listing_depth", 0) + 1
        feeds = response.xpath("//link[@rel='alternate'][contains(@type, 'rss') or contains(@type, 'atom')]/@href")
        for href in feeds.getall():
            yield scrapy.Request(urljoin(response.url, href), callback=self.parse_feed, errback=self.discovery_failed)
        for href in response.xpath("//a/@href").getall():
            url = self.profile.normalize(urljoin(response.url, href))
            if self.profile.is_article_url(url):
                yield self.follow(url, depth=depth)
            elif self.profile.is_listing_url(url):
                yield self.follow(url, listing=True, depth=depth)
        for href in response.xpath("//a[@rel='next']/@href | //link[@rel='next']/@href").getall():
            yield self.follow(urljoin(response.url, href), listing=True, depth=depth)

    def follow(self, url: str, listing: bool = False, depth: int = 0, listed: bool = False):
        """A request for an article (or a page that may be one) or a listing page. Only pages inside the
        site's scope (crawler/scope.py) are candidates; links elsewhere are not followed, nor recorded. An
        article settled earlier in this run (sitemap lastmod, resumed job) is not requested again: counted once.
        listed: the site's sitemap or feed names the URL as one of its pages, so one outside the scope is
        recorded as skipped rather than passed over like any outbound link."""
        url = self.profile.normalize(url)
        if not self.profile.scope.allows(url):
            if listed and urlsplit(url).scheme in ("http", "https"):
                return self.skipped_page(url, f"out of scope: {urlsplit(url).netloc}")
            return None
        meta = {"frontline_kind": "listing", "listing_depth": depth}
        if not listing and self.profile.is_article_url(url):
            if url in self.settled:
                return None
            if self.stored_in_this_job(url):
                self.settle(url, "skipped_on_resume")
                return None
            self.requested.add(url)
            return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                                  headers=self.conditional_headers(url),
                                  meta={**meta, "frontline_kind": "article", "handle_httpstatus_list": [304]})
        return scrapy.Request(url, callback=self.parse_listing, errback=self.discovery_failed, meta=meta)

    def settle(self, url: str, how: str) -> None:
        """An article known to be unchanged without fetching it: counted once per run."""
        if url not in self.settled:
            self.settled.add(url)
            self.crawler.stats.inc_value("frontline/unchanged")
            self.crawler.stats.inc_value(f"frontline/{how}")

    # --- incremental re-crawls ---------------------------------------------------------------

    def stored_in_this_job(self, url: str) -> bool:
        """Resuming a killed job: what the database received since the job started is done."""
        known = self.known.get(url)
        return bool(self.resume_since and known and known["fetched_at"]
                    and _as_datetime(known["fetched_at"]) >= self.resume_since)

    def unchanged_since(self, url: str, lastmod: str | None) -> bool:
        """Skip a sitemap entry whose lastmod is not after our last fetch, unless comments may still grow."""
        known = self.known.get(url)
        if not known or not lastmod or self.in_comment_window(known):
            return False
        return _as_datetime(lastmod) <= _as_datetime(known["fetched_at"])

    def in_comment_window(self, known: dict) -> bool:
        published = known.get("published")
        if not published:
            return True
        return datetime.now(timezone.utc) - _as_datetime(published) < self.comment_window

    def conditional_headers(self, url: str) -> dict:
        headers = (self.known.get(url) or {}).get("headers") or {}
        conditional = {}
        if etag := headers.get("ETag"):
            conditional["If-None-Match"] = etag
        if modified := headers.get("Last-Modified"):
            conditional["If-Modified-Since"] = modified
        return conditional

    # --- articles ----------------------------------------------------------------------------

    def parse_article(self, response):
        url = self.profile.normalize(response.url)
        if response.status == 304:
            self.settle(url, "not_modified")
            return
        if not isinstance(response, TextResponse):
            yield self.raw_page(response, error=f"not a text page ({response.headers.get('Content-Type', b'').decode()})")
            return
        # what the page's links need, and no more: the whole page only if the profile judges pages by their
        # content or the page has part links (crawler/spiders/head.py)
        page = response.selector if self.profile.decides_by_page() else page_selector(response, PART_LINK_MARKERS)
        canonical = self.usable_canonical(response, page)
        if canonical:
            yield self.skipped_page(url, CANONICAL_OF + canonical)  # an AMP or tracking copy: fetch the original
            yield self.follow(canonical, depth=response.meta.get("listing_depth", 0))
            return
        if self.profile.decides_by_page():
            is_article, why = article_verdict(page.root)
            if not is_article:
                yield self.skipped_page(url, why)
                yield from self.parse_listing(response)  # a home, section or about page: its links lead on
                return
        assembly = Assembly(self.raw_page(response))
        assembly.seen.add(assembly.url)
        yield from self.next_part(response, assembly, page)

    def usable_canonical(self, response, page) -> str | None:
        """The page's rel=canonical when it names another article of this site; a canonical that points
        off-site, to a non-web address, to a page that is no article, or round a loop of canonicals is
        ignored (logged) and the page kept under its own URL."""
        href = page.xpath("//link[@rel='canonical']/@href").get()
        if not href:
            return None
        url, target = self.profile.normalize(response.url), self.profile.normalize(urljoin(response.url, href.strip()))
        if target == url:
            return None
        problem = ("not a web address" if urlsplit(target).scheme not in ("http", "https")
                   else f"off-site ({urlsplit(target).netloc})" if not self.profile.scope.allows(target)
                   else "not an article URL" if not self.profile.is_article_url(target)
                   else "a loop of canonicals" if self.leads_back(target, url) else None)
        if problem:
            self.logger.warning("Ignoring the canonical URL of %s (%s: %s); stored under its own URL",
                                url, problem, target[:200])
            self.crawler.stats.inc_value("frontline/canonical_ignored")
            return None
        self.canonicals[url] = target
        return target

    def leads_back(self, target: str, url: str) -> bool:
        """Do the canonicals seen (this run, and the copies earlier runs skipped) lead from target back to url
        (A -> B -> A)? Then url is kept: in a loop, the page an earlier run kept stays the one kept."""
        for _ in range(len(self.canonicals) + 1):
            if target == url:
                return True
            if target not in self.canonicals:
                return False
            target = self.canonicals[target]
        return True

    def parse_part(self, response, assembly: Assembly, role: str):
        if not isinstance(response, TextResponse):
            yield from self.next_part(None, assembly, None)
            return
        if response.status == 200:
            content_type = (response.headers.get("Content-Type") or b"").decode("latin-1") or None
            assembly.page.parts.append(PagePart(response.url, response.body, role, content_type))
        yield from self.next_part(response, assembly, page_selector(response, PART_LINK_MARKERS))

    def part_failed(self, failure):
        assembly = failure.request.cb_kwargs["assembly"]
        self.logger.warning("Part of %s not fetched (%s): %s", assembly.url, failure.request.url, failure.value)
        yield from self.next_part(None, assembly, None)

    def next_part(self, response, assembly: Assembly, page):
        """Article pages (rel=next, page links) before comment pages; each URL once; then the item."""
        if response is not None:
            for role, query in (("article", NEXT_ARTICLE_PAGE), ("comments", NEXT_COMMENT_PAGE)):
                if role == "article" and any(p.role == "comments" for p in assembly.page.parts):
                    continue
                for href in page.xpath(query).getall():
                    url = self.profile.normalize(urljoin(response.url, href))
                    if url in assembly.seen or urlsplit(url).netloc != urlsplit(assembly.url).netloc:
                        continue
                    if role == "comments" and "comment-page" not in url and "cpage" not in url:
                        continue
                    if role == "article" and not urlsplit(url).path.startswith(urlsplit(assembly.url).path):
                        continue  # themes also use rel=next for the next *post*: only /slug/2/, ?page=2
                    if len(assembly.seen) >= self.max_pages_per_article:
                        self.bound_reached("FRONTLINE_MAX_PAGES_PER_ARTICLE", self.max_pages_per_article)
                        self.logger.warning("%s: more than %d pages; stored without %s and what follows",
                                            assembly.url, self.max_pages_per_article, url)
                        break
                    assembly.seen.add(url)
                    yield scrapy.Request(url, callback=self.parse_part, errback=self.part_failed,
                                         cb_kwargs={"assembly": assembly, "role": role}, dont_filter=True)
                    return
        yield assembly.page

    def article_failed(self, failure):
        requested = (failure.request.meta.get("redirect_urls") or [failure.request.url])[0]  # before redirects
        if failure.check(SkipRequest):
            return self.skipped_page(self.profile.normalize(requested), str(failure.value))
        return self.rejected_page(self.profile.normalize(requested), self.failure_reason(failure))

    def discovery_failed(self, failure):
        """A sitemap, feed or listing that fails hides the articles it links to: a reject, not just a log line.
        A missing robots.txt or guessed feed is normal and only logged."""
        reason, url, optional = self.failure_reason(failure), failure.request.url, failure.request.meta.get("optional")
        if failure.check(SkipRequest):
            return self.skipped_page(url, str(failure.value))
        self.logger.log(logging.INFO if optional else logging.WARNING, "Discovery request failed: %s (%s)", url, reason)
        self.crawler.stats.inc_value("frontline/discovery_errors")
        if not optional:
            return self.rejected_page(url, f"{reason} (discovery page)")

    def failure_reason(self, failure) -> str:
        return failure_reason(failure, self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))

    def rejected_page(self, url: str, reason: str) -> RawPage:
        """A page that could not be fetched: the store pipeline records it in rejects."""
        return RawPage(url=url, source=self.profile.name, error=reason, fetched_at=utc_now())

    def bound_reached(self, setting: str, value: int) -> None:
        """A crawl bound (crawler/bounds.py) ended a branch: counted for the run's flags, logged once."""
        key = f"frontline/bound/{setting}"
        if not self.crawler.stats.get_value(key):
            self.logger.warning("Bound reached: %s=%d; the run goes on without what lies past it, and is flagged",
                                setting, value)
        self.crawler.stats.inc_value(key)

    def skipped_page(self, url: str, reason: str) -> RawPage:
        """A page left out on purpose: the store pipeline records it in skipped (and logs it at INFO)."""
        return RawPage(url=url, source=self.profile.name, skipped=reason, fetched_at=utc_now())

    def raw_page(self, response, error: str | None = None) -> RawPage:
        headers = {k.decode(): response.headers.get(k).decode("latin-1")
                   for k in (b"ETag", b"Last-Modified", b"Content-Type") if response.headers.get(k)}
        return RawPage(url=self.profile.normalize(response.url), source=self.profile.name, body=response.body,
                       content_type=headers.get("Content-Type"), fetched_at=utc_now(), status=response.status,
                       headers=headers, error=error, arrived_via="crawl")


def failure_reason(failure, max_size: int | None = None) -> str:
    """'HTTP 404', 'timeout: ...', 'too large: ...': one line a person can act on."""
    value = failure.value
    response = getattr(value, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    value = value.__cause__ or value  # Scrapy re-raises transport errors as DownloadFailedError(str(e))
    reasons = getattr(value, "reasons", None)  # ResponseNeverReceived & co. wrap the real failures
    if reasons:
        value = reasons[0].value
    name, message = type(value).__name__, str(value).strip()
    if name == "IgnoreRequest" and message:  # redirect loops and other refusals say it all
        return message[:300]
    if "max size" in message or "exceeded the specified maximum" in message:
        return f"too large: {message}"[:300]
    if name == "CancelledError" and not message:  # Scrapy cancels a body that grows past the limit mid-stream
        return f"too large: the body grew past DOWNLOAD_MAXSIZE ({max_size} bytes) and the download was cancelled"
    if "Timeout" in name:
        return f"timeout: {message}"[:300]
    return f"{name}: {message or 'no details'}"[:300]


CANONICAL_OF = "canonical of "  # the skipped reason of a copy whose original is another article


def known_articles(db_path: str | None) -> tuple[dict[str, dict], dict[str, str]]:
    """What earlier crawls stored: for each article its fetch time, publication date and the validators for
    conditional GET; and which pages they skipped as the copy of another (page -> its canonical), so that a
    loop of canonicals is resolved the same way on every run."""
    if not db_path or not Path(db_path).exists():
        return {}, {}
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("select a.url, a.published, a.fetched_at, r.headers from articles a "
                            "left join raw_pages r on r.article_id = a.id and r.part = 0").fetchall()
        copies = conn.execute("select input, substr(reason, ?) from skipped where reason like ?",
                              [len(CANONICAL_OF) + 1, CANONICAL_OF + "%"]).fetchall()
    except sqlite3.OperationalError:
        return {}, {}
    finally:
        conn.close()
    articles = {url: {"published": published, "fetched_at": fetched_at, "headers": json.loads(headers or "{}")}
                for url, published, fetched_at, headers in rows}
    return articles, dict(copies)


def _as_datetime(value: str) -> datetime:
    value = value.strip().replace("Z", "+00:00")
    moment = datetime.fromisoformat(value) if re.match(r"\d{4}-\d{2}-\d{2}", value) else datetime.min
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
