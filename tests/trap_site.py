"""A site on 127.0.0.1 full of crawler traps and odd canonicals, for tests/test_traps.py.

    with TrapSite(sitemap_articles=0) as site:
        site.base_url, site.hits(path), site.requested_paths()

    /robots.txt                  allows everything, names /sitemap.xml (an index chain) and /news-sitemap.xml.gz
    /sitemap.xml?n=N             a sitemap index naming /sitemap.xml?n=N+1, forever
    /news-sitemap.xml.gz         gzip urlset of `sitemap_articles` articles /2024/01/DD/sitemap-story-N/
    /not-a-sitemap.xml, /truncated-sitemap.xml.gz   an HTML page, and a gzip stream cut short
    /archive/page/N/             a listing whose rel=next never ends; page 1 links the canonical articles
    /search/?q=N&sort=..&view=.. links to q=N+1 with shuffled presentation parameters, forever
    /2024/01/01/original/        an article; /2024/01/01/copy/ names it as canonical
    /2024/01/02/off-site/        canonical to 127.0.0.2 (an internal host)  /2024/01/03/file/  canonical to file:
    /2024/01/04/to-listing/      canonical to /archive/page/1/               /2024/01/05/loop-a/ <-> loop-b/
    /2024/01/DD/sitemap-story-N/ articles only the gzip sitemap names
    UNDATED (linked from /archive/page/1/): articles whose URLs follow no date scheme, each saying so in its
    own way (JSON-LD NewsArticle, og:type article, only running text), and two pages that are no articles
"""

from __future__ import annotations

import gzip
import threading
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from tests.local_server import LocalServer, answering_handler
from tests.wordpress_site import page, paragraphs, paras

CANONICAL_ARTICLES = ["/2024/01/01/original/", "/2024/01/01/copy/", "/2024/01/02/off-site/", "/2024/01/03/file/",
                      "/2024/01/04/to-listing/", "/2024/01/05/loop-a/", "/2024/01/05/loop-b/"]


UNDATED = {  # path: (what the page declares in <head>, paragraphs of running text)
    "/stories/what-the-ceasefire-means": ('<script type="application/ld+json">{"@context": "https://schema.org", '
                                          '"@type": "NewsArticle", "headline": "x"}</script>', 2),
    "/article.php?id=7": ('<meta property="og:type" content="article">', 4),
    "/news/483920": ("", 4),
    "/about-us": ('<meta property="og:type" content="website">', 0),
    "/contact": ("", 0),
}
NOT_ARTICLES = ["/about-us", "/contact"]


def sitemap_story(number: int) -> str:
    return f"/2024/01/{number % 28 + 1:02d}/sitemap-story-{number}/"


class TrapSite(LocalServer):
    def __init__(self, sitemap_articles: int = 3, internal: str = "http://127.0.0.2:9"):
        self.sitemap_articles = sitemap_articles
        self.internal = internal
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self._news_sitemap = None
        super().__init__(answering_handler(self.answer, http11=True))

    def answer(self, request):
        with self.lock:
            self.counts[request.path] += 1
        status, content_type, body = self.respond(request.path)
        return status, {"Content-Type": content_type}, body

    def hits(self, path: str) -> int:
        with self.lock:
            return self.counts[path]

    def requested_paths(self) -> list[str]:
        with self.lock:
            return list(self.counts)

    def news_sitemap(self) -> bytes:
        """Built once: a large one takes a moment."""
        if self._news_sitemap is None:
            entries = "".join(f"<url><loc>{self.base_url}{sitemap_story(n)}</loc>"
                              f"<lastmod>2024-01-20T00:00:00+00:00</lastmod></url>"
                              for n in range(self.sitemap_articles))
            self._news_sitemap = gzip.compress(
                ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                 f"{entries}</urlset>").encode(), compresslevel=1)
        return self._news_sitemap

    def respond(self, raw_path: str) -> tuple[int, str, bytes]:
        base, parts = self.base_url, urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        html = "text/html; charset=utf-8"
        if path == "/robots.txt":
            return 200, "text/plain", (f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml?n=1\n"
                                       f"Sitemap: {base}/news-sitemap.xml.gz\n").encode()
        if path == "/sitemap.xml":
            n = int(query.get("n", ["1"])[0])
            return 200, "application/xml", (
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                f"<sitemap><loc>{base}/sitemap.xml?n={n + 1}</loc></sitemap></sitemapindex>").encode()
        if path == "/news-sitemap.xml.gz":
            return 200, "application/x-gzip", self.news_sitemap()
        if path == "/not-a-sitemap.xml":
            return 200, html, b"<html><body>Moved to our new site.</body></html>"
        if path == "/truncated-sitemap.xml.gz":
            return 200, "application/x-gzip", self.news_sitemap()[:200]
        if path.startswith("/archive/page/"):
            n = int(path.strip("/").rsplit("/", 1)[1])
            links = CANONICAL_ARTICLES + list(UNDATED) if n == 1 else []
            items = "".join(f'<article><h2><a href="{base}{href}">{href}</a></h2><p>Excerpt.</p></article>'
                            for href in links)
            items += f'<a rel="next" href="{base}/archive/page/{n + 1}/">Older</a>'
            return 200, html, page(base, path, f"Archive, page {n}", items).encode()
        if path == "/search/":
            n = int(query.get("q", ["1"])[0])
            links = "".join(f'<a href="{base}/search/?q={n + 1}&sort={s}&view={v}&utm_source=x">more</a>'
                            for s, v in (("new", "list"), ("old", "grid"), ("top", "cards")))
            return 200, html, page(base, path, f"Search {n}", f"<p>Results.</p>{links}",
                                   canonical=base + raw_path).encode()  # no canonical to fall back on
        if path in CANONICAL_ARTICLES or path.startswith("/2024/01/") and "sitemap-story-" in path:
            return 200, html, self.article(path).encode()
        if raw_path in UNDATED:
            head, count = UNDATED[raw_path]
            text = paras(paragraphs("Gaza", count=count)) if count else "<p>Write to us.</p>"
            return 200, html, page(base, raw_path, f"Page {raw_path}", text, head=head).encode()
        if path.endswith(".xml") or path.endswith(".gz"):
            return 404, "text/plain", b"not here"
        return 200, html, page(base, path, "A section", "<p>Nothing to read here.</p>").encode()  # home, tags, about

    def article(self, path: str) -> str:
        base = self.base_url
        canonical = {
            "/2024/01/01/copy/": base + "/2024/01/01/original/",
            "/2024/01/02/off-site/": self.internal + "/2024/01/02/off-site/",
            "/2024/01/03/file/": "file:///etc/passwd",
            "/2024/01/04/to-listing/": base + "/archive/page/1/",
            "/2024/01/05/loop-a/": base + "/2024/01/05/loop-b/",
            "/2024/01/05/loop-b/": base + "/2024/01/05/loop-a/",
        }.get(path)
        slug = path.strip("/").rsplit("/", 1)[1]
        return page(base, path, f"Report {slug}", paras(paragraphs("Mosul", f"Report {slug}.")),
                    author="Sam Field", date="2024-01-01", canonical=canonical)
