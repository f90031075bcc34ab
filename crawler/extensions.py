"""What a person watching a crawl sees: a log line per HTTP response, and a live status line on a terminal;
and, when asked, what the crawl fetched written as WARC files beside the database."""

from __future__ import annotations

import logging
import os
import socket
import sys
import time
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from crawler.monitoring import ARTICLE_OUTCOMES

logger = logging.getLogger(__name__)
CLEAR_LINE = "\r\x1b[K"  # back to the start of the line and erase it: the line is rewritten in place


class ResponseLog:
    """`Crawled (301) URL`, at INFO (shown by -v, always in the log file), for every response as it arrives:
    also those that a redirect or a retry consumes, which never reach the engine's `crawled` log line."""

    @classmethod
    def from_crawler(cls, crawler):
        extension = cls()
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        return extension

    def response_downloaded(self, response, request, spider):
        logger.info("Crawled (%d) %s", response.status, request.url)


class CrawlProgress:
    """A live status line for a crawl watched on a terminal:

        fetched 120, stored 97, skipped 3, rejected 2 (41 pages/min)

    `frontline crawl` turns it on (FRONTLINE_PROGRESS) when stderr is a terminal and --quiet is not given;
    cron and pipes never see it. The figures are Scrapy's stats, so they agree with the summary and crawl_runs.
    """

    def __init__(self, stats, interval: float):
        self.stats = stats
        self.interval = interval
        self.stream = sys.stderr
        self.started = None
        self.task = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("FRONTLINE_PROGRESS"):
            raise NotConfigured  # without a message: Scrapy would warn about it on every run in a pipe
        progress = cls(crawler.stats, crawler.settings.getfloat("FRONTLINE_PROGRESS_INTERVAL"))
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def spider_opened(self, spider):
        self.started = time.monotonic()
        for handler in self.console_handlers():
            handler.addFilter(self.clear_before_log_line)
        self.task = create_looping_call(self.show)
        self.task.start(self.interval)

    def spider_closed(self, spider, reason):
        if self.task and self.task.running:
            self.task.stop()
        for handler in self.console_handlers():
            handler.removeFilter(self.clear_before_log_line)
        self.show()
        self.stream.write("\n")  # the summary goes on a line of its own
        self.stream.flush()

    def console_handlers(self) -> list[logging.Handler]:
        return [h for h in logging.root.handlers if getattr(h, "stream", None) is self.stream]

    def clear_before_log_line(self, record) -> bool:
        """A log line printed on the terminal starts at the left margin, not after the status line; the next
        update draws the status line again below it."""
        self.stream.write(CLEAR_LINE)
        return True

    def show(self):
        self.stream.write(CLEAR_LINE + self.line())
        self.stream.flush()

    def line(self) -> str:
        value = self.stats.get_value
        fetched = value("downloader/response_count", 0)
        stored = sum(value(f"frontline/{outcome}", 0) for outcome in ARTICLE_OUTCOMES)
        minutes = (time.monotonic() - self.started) / 60 if self.started else 0
        rate = fetched / minutes if minutes else 0
        return (f"fetched {fetched}, stored {stored}, skipped {value('frontline/skipped', 0)}, "
                f"rejected {value('frontline/rejected', 0)} ({rate:.0f} pages/min)")


class WarcRecorder:
    """FRONTLINE_WARC_DIR: every page a crawl fetched (an article with its further pages and comment pages,
    and pages it rejected) is also written there as WARC, its response records with their status and
    headers, so the archive can be the system of record: `frontline import DIR/` rebuilds the same articles.
    Files roll over past FRONTLINE_WARC_MAX_SIZE; names sort in the order they were written
    (frontline-TIMESTAMP-SERIAL-HOST-PID.warc.gz, one set per crawler process)."""

    def __init__(self, directory: Path, max_size: int):
        self.directory = directory
        self.max_size = max_size
        self.stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime())
        self.serial = 0
        self.file = None
        self.output = None

    @classmethod
    def from_crawler(cls, crawler):
        directory = crawler.settings.get("FRONTLINE_WARC_DIR")
        if not directory:
            raise NotConfigured
        recorder = cls(Path(directory), crawler.settings.getint("FRONTLINE_WARC_MAX_SIZE"))
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            crawler.signals.connect(recorder.page_done, signal=signal)
        crawler.signals.connect(recorder.close, signal=signals.spider_closed)
        return recorder

    def page_done(self, item, **kwargs):
        """Only what was fetched here: a page read from a file or an archive, or stored by `frontline ingest`
        for a crawler process (which writes its own WARCs), is not written again."""
        if item.arrived_via != "crawl" or not item.body:
            return
        from crawler.warc import ArchivedPage

        output = self.output or self.open_next()
        output.page(ArchivedPage(url=item.url, body=item.body, fetched_at=item.fetched_at,
                                 content_type=item.content_type, status=item.status, headers=item.headers,
                                 parts=[(p.url, p.role, p.body, p.content_type) for p in item.parts]))
        if self.file.tell() >= self.max_size:
            self.close()

    def open_next(self):
        from crawler.warc import WarcOutput

        self.serial += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"frontline-{self.stamp}-{self.serial:05d}-{socket.gethostname()}-{os.getpid()}.warc.gz"
        self.file = (self.directory / name).open("xb")
        self.output = WarcOutput(self.file)
        self.output.warcinfo(name, {"software": "frontline", "format": "WARC File Format 1.1"})
        return self.output

    def close(self, **kwargs):
        if self.file is not None:
            self.file.close()
        self.file = self.output = None
