"""Web archives as input: each page record of a WARC or WACZ becomes a raw page, as if it had been fetched.

    scrapy crawl archive -a path=CC-NEWS-20240101.warc.gz -a profile=lwj
    scrapy crawl archive -a path=crawl.wacz -a domain=example.org     (several: separate with os.pathsep)

A `response` (or `resource`) record is a page under its WARC-Target-URI, fetched at its WARC-Date; a
`revisit` is the response it points to, when that came earlier in the files given (the order a crawler
writes them). Request, metadata and warcinfo records are not pages, and neither are records outside the
filters: none of them is counted. A page that is not HTML or not HTTP 200 is skipped with its reason; a
record that cannot be read is rejected, and reading goes on after it (crawler/warc.py).
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import scrapy

from crawler.items import PagePart, RawPage, utc_now
from crawler.scope import www_twin
from crawler.sites import KnownSites, load_profile
from crawler.spiders.seeds import Seed, seed_files, shown
from crawler.spiders.window import ItemWindow
from crawler.warc import (PAGE_RECORDS, PART_ROLE_HEADER, PARTS_HEADER, Member, Record, archive_members,
                          iso_date, opened, problem_text, read_records, record_at)

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = HTML_TYPES + ("text/plain",)  # a resource record may be a seed file frontline exported
KEPT_HEADERS = {"etag": "ETag", "last-modified": "Last-Modified", "content-type": "Content-Type"}  # as a crawl
ROLE = PART_ROLE_HEADER.lower()


@dataclass
class Pending:
    """A page whose further pages follow it in the archive (crawler/warc.py)."""
    page: RawPage
    record_id: str
    missing: int


class Progress:
    """Bytes of the archive files read so far, reported as they grow (the progress bar of `frontline import`)."""

    def __init__(self, on_bytes: Callable[[int], None]):
        self.on_bytes = on_bytes
        self.read = 0

    def reading(self, records, raw):
        for record in records:
            self.seen(raw.tell())
            yield record

    def seen(self, position: int) -> None:
        if position > self.read:
            self.on_bytes(position - self.read)
            self.read = position

    def finish(self, size: int) -> None:
        self.seen(size)


class ArchiveSpider(scrapy.Spider):
    name = "archive"
    custom_settings = {"ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "CONCURRENT_ITEMS": 4}

    def __init__(self, path: str | list[str] = "", domain: str | list[str] | None = None,
                 profile: str | None = None, files: list[Seed] | None = None,
                 on_bytes: Callable[[int], None] | None = None, **kwargs):
        """files: the inputs `frontline import` already walked; on_bytes(n): n more bytes of them were read."""
        super().__init__(**kwargs)
        self.paths = path.split(os.pathsep) if isinstance(path, str) else list(path)
        domains = domain.split(",") if isinstance(domain, str) else list(domain or [])
        self.domains = {d.lower().strip(".") for d in domains} - {""}
        self.domains |= {www_twin(d) for d in self.domains}
        self.profile = load_profile(profile) if profile else None
        self.files = files
        self.on_bytes = on_bytes or (lambda n: None)
        self.sites = KnownSites.load()
        self.originals: dict[str, tuple[Member, int]] = {}  # payload digest -> where its response is
        self.target = shown(self.paths[0]) + (f" and {len(self.paths) - 1:,} more" if len(self.paths) > 1 else "")

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.max_bytes = crawler.settings.getint("DOWNLOAD_MAXSIZE")
        return spider

    async def start(self):
        files = self.files if self.files is not None else seed_files(self.paths, archives=True)
        window = ItemWindow(self.crawler)  # records are read only as fast as the pipelines store them
        for file in files:
            if file.error or file.skipped:
                await window.admit()  # every item yielded is counted out of the pipelines
                yield RawPage(url=file.path.as_uri(), source=self.name, error=file.error, skipped=file.skipped,
                              fetched_at=utc_now(), origin_path=shown(file.path))
                continue
            for page in self.archive_pages(file.path):
                await window.admit()
                yield page
        await window.drained()

    def archive_pages(self, path: Path):
        try:
            members = archive_members(path)
        except (OSError, zipfile.BadZipFile) as exc:
            yield RawPage(url=path.as_uri(), source=self.name, error=f"unreadable archive: {problem_text(exc)}",
                          fetched_at=utc_now(), origin_path=shown(path))
            return
        progress = Progress(self.on_bytes)
        for member in members:
            with opened(member) as (stream, raw):
                yield from self.member_pages(member, progress.reading(read_records(stream, self.max_bytes), raw))
        progress.finish(path.stat().st_size)

    def member_pages(self, member: Member, records):
        """The pages of one WARC, each with the further pages that follow its record (crawler/warc.py). A
        further page is never a page of its own: without the page it belongs to, it is not an input."""
        pending = None
        for record in records:
            if ROLE in record.headers and record.type in PAGE_RECORDS:
                if pending and record.headers.get("warc-concurrent-to") == pending.record_id:
                    pending.page.parts.append(PagePart(record.uri, record.payload, record.headers[ROLE],
                                                       record.content_type))
                    pending.missing -= 1
                    if pending.missing == 0:
                        yield pending.page
                        pending = None
                continue
            if pending:  # fewer further pages than announced: the page goes on with those it has
                yield pending.page
                pending = None
            page = self.page(record, member)
            parts = int(record.headers.get(PARTS_HEADER.lower()) or 0) if page and page.body else 0
            if parts > 0:
                pending = Pending(page, record.headers.get("warc-record-id"), parts)
            elif page:
                yield page
        if pending:
            yield pending.page

    def page(self, record: Record, member: Member) -> RawPage | None:
        """The record as a raw page; None for a record that is not an input (not a page, outside the filters)."""
        if record.problem:
            return RawPage(url=record.uri or f"{member.origin} at byte {record.offset}", source=self.name,
                           error=record.problem, fetched_at=utc_now(), arrived_via=member.via,
                           origin_path=member.origin, origin_offset=record.offset)
        if record.type not in PAGE_RECORDS or not record.uri:
            return None
        placed = self.placed(record.uri)
        if placed is None:
            self.crawler.stats.inc_value("frontline/archive_records_filtered")
            return None
        url, source = placed
        page = RawPage(url=url, source=source, fetched_at=iso_date(record.headers.get("warc-date")) or utc_now(),
                       arrived_via=member.via, origin_path=member.origin, origin_offset=record.offset)
        if record.type == "revisit":
            original = self.original_of(record)
            if original is None:
                refers_to = (record.headers.get("warc-refers-to-target-uri") or record.uri,
                             record.headers.get("warc-refers-to-date") or "")
                page.skipped = "revisit of a response not in the archive: " + " ".join(refers_to).rstrip()
                return page
            record = original
        self.fill(page, record)
        if record.type == "response" and page.status == 200 and not page.skipped and not page.error:
            if digest := record.headers.get("warc-payload-digest"):
                self.originals[digest] = (member, record.offset)
        return page

    def placed(self, uri: str) -> tuple[str, str] | None:
        """(URL, source) under the filters; None for a record outside them. A seed file frontline exported
        (file://) keeps its URI and its source."""
        parts = urlsplit(uri)
        if parts.scheme == "file" and not (self.profile or self.domains):
            return uri, "seeds"
        host = (parts.hostname or "").lower()
        if parts.scheme not in ("http", "https") or not host:
            return None
        if self.domains and not any(host == d or host.endswith("." + d) for d in self.domains):
            return None
        if self.profile:
            return (self.profile.normalize(uri), self.profile.name) if self.profile.scope.allows(uri) else None
        return self.sites.place(uri)

    def original_of(self, revisit: Record) -> Record | None:
        where = self.originals.get(revisit.headers.get("warc-payload-digest") or "")
        return record_at(where[0], where[1], self.max_bytes) if where else None

    def fill(self, page: RawPage, record: Record) -> None:
        """Body, status and headers; or why the page is left out."""
        content_type = record.content_type or ""
        kind = content_type.split(";")[0].strip().lower()
        if record.type == "resource":
            if kind not in TEXT_TYPES:
                page.skipped = f"not HTML: {content_type or 'no Content-Type'} (archived resource)"
                return
        else:
            page.status = record.status
            page.headers = {KEPT_HEADERS[k]: v for k, v in record.http_headers.items() if k in KEPT_HEADERS}
            if record.status != 200:
                page.skipped = f"HTTP {record.status} (archived response)"
                return
            if kind not in HTML_TYPES:
                page.skipped = f"not HTML: {content_type or 'no Content-Type'} (archived response)"
                return
        if record.too_large:
            page.error = f"too large: over DOWNLOAD_MAXSIZE ({self.max_bytes:,} bytes)"
            return
        if self.profile and not self.profile.is_article_url(page.url):
            page.skipped = f"not an article URL of profile {self.profile.name}"
            return
        page.body, page.content_type = record.payload, content_type or None
