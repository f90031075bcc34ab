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
from urllib.parse import urlsplit

from crawler.scope import Scope

HERE = Path(__file__).resolve().parent
DATED_PATH = r"/(?:19|20)\d\d/(?:0[1-9]|1[0-2])/(?:[0-3]\d/)?[^/?#]+/?$"
NOT_ARTICLES = [r"/tag/", r"/tags/", r"/category/", r"/author/", r"/page/\d+/?$", r"/feed/?$",
                r"/comment-page-\d+/?", r"/amp/?$", r"/\d+/?$", r"\.(?:jpe?g|png|gif|pdf|xml|zip|mp4)$"]


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
    article_pattern: str = DATED_PATH
    listing_patterns: list[str] = field(default_factory=list)
    exclude_patterns: list[str] = field(default_factory=lambda: list(NOT_ARTICLES))
    download_delay: float | None = None
    title: str | None = None
    comments: CommentSelectors = field(default_factory=CommentSelectors)

    def is_article_url(self, url: str) -> bool:
        path = urlsplit(url).path
        if any(re.search(p, path) for p in self.exclude_patterns):
            return False
        return bool(re.search(self.article_pattern, url))

    def is_listing_url(self, url: str) -> bool:
        return any(re.search(p, url) for p in self.listing_patterns)

    @cached_property
    def scope(self) -> Scope:
        """Where requests for this site may go (crawler/scope.py)."""
        return Scope.from_profile(self)


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
    """From just a start URL: its host, its robots.txt sitemaps, dated article URLs, listing pages linked."""
    parts = urlsplit(start_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {start_url!r}")
    host = parts.hostname
    return SiteProfile(name=host, allowed_domains=[host], start_urls=[start_url],
                       guessed_feed_urls=[f"{parts.scheme}://{parts.netloc}/feed/"],  # WordPress' default
                       listing_patterns=[r"/category/", r"/page/\d+/?$", r"/archives?/?$", r"/news/?$"])
