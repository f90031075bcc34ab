"""Site profiles: one small TOML file per site says where to start and which URLs are articles.

A profile is data, not code: adding a site means adding crawler/sites/NAME.toml. `generic_profile`
builds one from a bare start URL.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

from crawler.scope import Scope

HERE = Path(__file__).resolve().parent
DATED_PATH = r"/(?:19|20)\d\d/(?:0[1-9]|1[0-2])/(?:[0-3]\d/)?[^/?#]+/?$"
NOT_ARTICLES = [r"/tag/", r"/tags/", r"/category/", r"/author/", r"/page/\d+/?$", r"/feed/?$",
                r"/comment-page-\d+/?", r"/amp/?$", r"/[^/]+/\d{1,2}/?$",  # page 2 of /slug/; /news/123456 stays
                r"\.(?:jpe?g|png|gif|pdf|xml|zip|mp4|css|js)$"]
# Query parameters that change how a page is shown, not which page it is: each combination would be another
# URL of the same listing or article (a crawler trap). Removed from every candidate URL unless a profile keeps
# them (keep_query_params). Tracking parameters (utm_*, fbclid...) go too, by courlan's own list.
PRESENTATION_PARAMS = re.compile(
    r"^(?:sort|sort_?by|sort_?order|order|order_?by|dir|direction|view|display|layout|mode|per_?page|limit|"
    r"filter|filters?\[.*\]|filter_.+|replytocom|share|print|amp|output|ref|ref_src|igshid|_ga|msclkid)$", re.I)
# The generic profile's listings: followed for their links, never candidates themselves
GENERIC_LISTINGS = [r"/category/", r"/tags?/", r"/author/", r"/page/\d+/?$", r"/archives?/?$"]


@dataclass
class CommentSelectors:
    container: str | None = None
    author: str | None = None
    date: str | None = None
    text: str | None = None


@dataclass
class SiteProfile:
    name: str
    allowed_domains: list[str]
    start_urls: list[str] = field(default_factory=list)
    sitemap_urls: list[str] = field(default_factory=list)
    feed_urls: list[str] = field(default_factory=list)
    guessed_feed_urls: list[str] = field(default_factory=list)  # tried, but a failure is no loss
    article_pattern: str | None = DATED_PATH  # None: the page decides (crawler/extraction/page_type.py)
    keep_query_params: list[str] = field(default_factory=list)  # presentation parameters this site needs
    listing_patterns: list[str] = field(default_factory=list)
    exclude_patterns: list[str] = field(default_factory=lambda: list(NOT_ARTICLES))
    download_delay: float | None = None
    title: str | None = None
    comments: CommentSelectors = field(default_factory=CommentSelectors)

    def is_article_url(self, url: str) -> bool:
        """Could this URL be an article? With no article_pattern, any URL that is not excluded could."""
        path = urlsplit(url).path
        if any(re.search(p, path) for p in self.exclude_patterns):
            return False
        return self.article_pattern is None or bool(re.search(self.article_pattern, url))

    def decides_by_page(self) -> bool:
        return self.article_pattern is None

    def normalize(self, url: str) -> str:
        """One spelling per page: courlan's normalisation (host, port, tracking parameters, fragment), and
        presentation parameters (sort, view, filter...) removed unless this profile keeps them."""
        url = canonical_url(url)
        parts = urlsplit(url)
        if not parts.query:
            return url
        kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                if k in self.keep_query_params or not PRESENTATION_PARAMS.match(k)]
        return urlunsplit(parts._replace(query=urlencode(kept)))

    def is_listing_url(self, url: str) -> bool:
        return any(re.search(p, url) for p in self.listing_patterns)

    @cached_property
    def scope(self) -> Scope:
        """Where requests for this site may go (crawler/scope.py)."""
        return Scope.from_profile(self)


def canonical_url(url: str) -> str:
    """One spelling per page: normalized host and path, tracking parameters and fragment removed."""
    return normalize_url(url.split("#", 1)[0])


class KnownSites:
    """Which site a URL belongs to, so that a page read from a saved file or a web archive gets the URL
    spelling and source name a crawl of its site would give it: one article, whichever way it arrived."""

    def __init__(self, profiles: list[SiteProfile]):
        self.profiles = profiles

    @classmethod
    def load(cls) -> KnownSites:
        return cls([load_profile(name) for name in profile_names()])

    def place(self, url: str) -> tuple[str, str]:
        """(the URL as its site's crawl spells it, the source name): a shipped profile whose scope holds the
        URL, else the generic profile of its host, as `frontline crawl URL` would make."""
        profile = next((p for p in self.profiles if p.scope.allows(url)), None) or generic_profile(url)
        return profile.normalize(url), profile.name


def profile_names() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.toml"))


def load_profile(name: str) -> SiteProfile:
    path = HERE / f"{name}.toml"
    if not path.exists():
        raise ValueError(f"unknown site profile {name!r}; known: {', '.join(profile_names())}")
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    comments = CommentSelectors(**data.pop("comments", {}))
    data.setdefault("exclude_patterns", list(NOT_ARTICLES))
    return SiteProfile(comments=comments, **data)


def generic_profile(start_url: str) -> SiteProfile:
    """From just a start URL: its host, its robots.txt sitemaps, listing pages linked; which pages are
    articles is decided from each page, since a site's URL scheme is not known."""
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {start_url!r}")
    host = parts.hostname
    if re.search(r"\.xml(?:\.gz)?$", parts.path):  # a sitemap given as the start: read as one
        return SiteProfile(name=host, allowed_domains=[host], sitemap_urls=[start_url], article_pattern=None,
                           listing_patterns=list(GENERIC_LISTINGS))
    return SiteProfile(name=host, allowed_domains=[host], start_urls=[start_url],
                       guessed_feed_urls=[f"{parts.scheme}://{parts.netloc}/feed/"],  # WordPress' default
                       article_pattern=None, listing_patterns=list(GENERIC_LISTINGS))
