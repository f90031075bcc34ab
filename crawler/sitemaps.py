"""Sitemaps read as a stream: one entry at a time, gzip or not, however large.

Scrapy's `Sitemap` parses the whole document into a tree first; a 200,000-URL sitemap then holds the
reactor for minutes, so downloads stall and SIGTERM waits. Here lxml's iterparse hands over each <url> or
<sitemap> as soon as it is read and frees it, and gzip (`.xml.gz`, or a gzip body under any name) is
inflated as it is read, with a cap on the inflated size.
"""

from __future__ import annotations

import gzip
import io
from dataclasses import dataclass
from typing import Iterator

from lxml import etree


class UnreadableSitemap(ValueError):
    """Not a sitemap we can read: broken XML, a truncated gzip stream, a body past the size cap."""


@dataclass
class SitemapEntry:
    kind: str  # "urlset" (loc is a page) or "sitemapindex" (loc is another sitemap)
    loc: str
    lastmod: str | None


class _Capped(io.RawIOBase):
    """A reader that refuses to hand out more than max_bytes: a gzip bomb stops at the cap."""

    def __init__(self, stream, max_bytes: int):
        self.stream, self.left = stream, max_bytes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(min(len(buffer), self.left + 1))
        self.left -= len(data)
        if self.left < 0:
            raise UnreadableSitemap("larger than the sitemap size limit once decompressed")
        buffer[:len(data)] = data
        return len(data)


def iter_sitemap(body: bytes, max_bytes: int) -> Iterator[SitemapEntry]:
    """Each entry of a sitemap index or urlset, in document order. Raises UnreadableSitemap."""
    stream = gzip.GzipFile(fileobj=io.BytesIO(body)) if body[:2] == b"\x1f\x8b" else io.BytesIO(body)
    kind = None
    try:
        for event, element in etree.iterparse(_Capped(stream, max_bytes), events=("start", "end"),
                                              resolve_entities=False, no_network=True, huge_tree=True):
            name = etree.QName(element).localname
            if event == "start":
                if kind is None:
                    if name not in ("urlset", "sitemapindex"):
                        raise UnreadableSitemap(f"not a sitemap (root element <{name}>)")
                    kind = name
                continue
            if name in ("url", "sitemap"):
                loc = _child_text(element, "loc")
                if loc:
                    yield SitemapEntry(kind, loc, _child_text(element, "lastmod"))
                element.clear(keep_tail=False)
                while element.getprevious() is not None:  # drop the entries already handed out
                    del element.getparent()[0]
    except (etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise UnreadableSitemap(str(exc).strip() or type(exc).__name__) from None
    if kind is None:
        raise UnreadableSitemap("empty document")


def _child_text(element, name: str) -> str | None:
    for child in element:
        if isinstance(child.tag, str) and etree.QName(child).localname == name:
            return (child.text or "").strip() or None
    return None
