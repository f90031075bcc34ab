"""Offline mode: read local seed files (.txt renderings, saved .html pages) as if they were fetched."""

from __future__ import annotations

import os
from pathlib import Path

import scrapy

from crawler.extraction.decode import PAGE_SUFFIXES
from crawler.items import RawPage, utc_now


def seed_files(paths: list[str | Path]) -> list[Path]:
    """Files named on the command line, plus seed-like files (.txt/.html/.htm, optionally .gz) in folders."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and _page_suffix(p) in PAGE_SUFFIXES
            )
        else:
            found.append(path)  # even a missing or odd file: it must show up in rejects
    return [p.absolute() for p in found]


def _page_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    return suffixes[0] if suffixes[-1:] == [".gz"] and len(suffixes) == 2 else path.suffix.lower()


class SeedsSpider(scrapy.Spider):
    """scrapy crawl seeds -a path=seeds/   (several paths: separate them with os.pathsep)"""

    name = "seeds"
    custom_settings = {
        "DOWNLOAD_HANDLERS": {"file": "crawler.file_handler.SizeLimitedFileDownloadHandler"},
        "ROBOTSTXT_OBEY": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
        "RETRY_ENABLED": False,
        "AUTOTHROTTLE_ENABLED": False,
        # Scrapy starts this many tasks for each response's output, here one item: the default 100 cost 7% of
        # an import. Not for crawls: there a low value let responses pile up (+190 MB over 1,000 pages).
        "CONCURRENT_ITEMS": 4,
    }

    def __init__(self, path: str | list[str] = "seeds", **kwargs):
        super().__init__(**kwargs)
        self.paths = path.split(os.pathsep) if isinstance(path, str) else list(path)

    async def start(self):
        for file in seed_files(self.paths):
            if not file.is_file():
                yield self.raw_page(file, error="not found" if not file.exists() else "not a regular file")
            elif _page_suffix(file) not in PAGE_SUFFIXES:
                yield self.raw_page(file, error=f"unsupported file type {file.suffix or '(none)'!r}; "
                                                f"expected .txt, .html or .htm")
            else:
                yield scrapy.Request(file.as_uri(), callback=self.parse, errback=self.failed,
                                     cb_kwargs={"file": file}, dont_filter=True)

    def parse(self, response, file: Path):
        return self.raw_page(file, body=response.body)

    def failed(self, failure):
        file = failure.request.cb_kwargs["file"]
        return self.raw_page(file, error=str(failure.value) or type(failure.value).__name__)

    def raw_page(self, file: Path, body: bytes = b"", error: str | None = None) -> RawPage:
        return RawPage(url=file.as_uri(), source=self.name, body=body, error=error,
                       fetched_at=utc_now())
