"""The one item every spider yields: a raw page. Extraction happens later, in a pipeline stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from scrapy.exceptions import DropItem, IgnoreRequest


def utc_now() -> str:
    """The timestamp of every fetched_at, started_at and finished_at: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class PagePart:
    """A further page of the same article: its next page ("article") or a comment page ("comments")."""
    url: str
    body: bytes = field(repr=False)
    role: str = "article"
    content_type: str | None = None


@dataclass
class RawPage:
    url: str  # canonical key: a web URL, or the file:// URI of a seed file
    source: str  # "seeds" or a site profile name
    body: bytes = field(default=b"", repr=False)
    content_type: str | None = None
    fetched_at: str | None = None
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    error: str | None = None  # set when fetching failed: the page goes to `rejects`
    skipped: str | None = None  # set when the page is deliberately not stored: it goes to `skipped`
    parts: list[PagePart] = field(default_factory=list, repr=False)
    # provenance (articles.arrived_via, origin_path, origin_offset): None leaves what is stored as it is, so
    # re-extracting or enriching a stored page never rewrites how it first arrived
    arrived_via: str | None = None  # "crawl", "file", "warc", "wacz" or "ingest"
    origin_path: str | None = None  # the seed file or the archive (a WACZ: "FILE.wacz#archive/NAME.warc.gz")
    origin_offset: int | None = None  # where the record starts in that WARC
    # filled in by the pipelines
    decoded: Any = field(default=None, repr=False)  # DecodedPage: text, encoding, format
    decoded_parts: list = field(default_factory=list, repr=False)  # DecodedPage per part
    raw_rows: list | None = field(default=None, repr=False)  # its raw_pages rows, compressed (pipelines/pack.py)
    extraction: Any = field(default=None, repr=False)
    enrichment: Any = field(default=None, repr=False)
    word_count: int | None = None
    language: str | None = None
    content_hash: str | None = None
    signature: bytes | None = None  # the body's near-duplicate signature (None: too short), when enriched
    stored: str | None = None  # "imported", "updated" or "unchanged", once the store pipeline wrote it

    @property
    def input(self) -> str:
        """What the run was given for this page, as the command names it back: a seed file's path (its URL may
        be the original address the saved page names), an archive's path, else the URL."""
        return self.origin_path or self.url


@dataclass
class StoredArticle:
    """An article read back from the database for `frontline enrich`: it goes through the enrich and store
    stages only, since there is nothing to decode or extract."""
    article_id: int
    url: str
    version: int  # when read: the store writes the enrichment only if the article is still this version
    title: str | None
    body: str
    comments: list = field(default_factory=list, repr=False)  # Comment, reply_to from nesting only
    comment_ids: list[int] = field(default_factory=list, repr=False)
    source: str = "enrich"
    enrichment: Any = field(default=None, repr=False)
    signature: bytes | None = None
    stored: str | None = None  # "enriched", or "changed" when the article was replaced meanwhile

    @property
    def input(self) -> str:
        return self.url


class SkipPage(DropItem):
    """A page left out on purpose (robots.txt, not an article, out of scope, over a bound): recorded in
    `skipped` with its reason, not in `rejects`, and not counted as an error."""

    def __init__(self, reason: str):
        super().__init__(reason, log_level="INFO")


class SkipRequest(IgnoreRequest):
    """A request deliberately not sent (robots.txt forbids it, out of scope, over a bound): a downloader
    middleware raises it, and the spider's errback records the URL as skipped with this reason."""


@dataclass
class RunReport:
    """How a crawler process of a distributed crawl ended; `frontline ingest` records it in crawl_runs."""
    worker: str
    spider: str
    target: str
    started_at: str
    finished_at: str
    finish_reason: str
    stats: dict[str, Any] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
