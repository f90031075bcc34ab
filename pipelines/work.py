"""Decode, extract, normalize and enrich each page, in FRONTLINE_WORKERS processes, before the one writer.

The work on a page is pure and per page, so pages are spread over a pool of worker processes (pebble's
ProcessPool) and come back, in any order, to the store pipeline, which writes each in its own transaction.
Python's own ProcessPoolExecutor breaks the whole pool when one worker dies; pebble replaces the worker, so a
page that crashes its worker (a segfault in a parser) or overruns FRONTLINE_WORKER_TIMEOUT costs only itself: a
reject with the reason. A worker whose start fails (an import error, an unreadable matcher cache) would fail
alike in every replacement, so it stays up and answers each page with why, and the run stops at the first such
answer (finish reason worker_start_failed): no page is attempted after it, none is recorded as a reject.
Each worker builds its stages once, from the matcher and language model that its fork server loaded
(pipelines/preload.py) and all workers share. What a stage logs in a worker, and the stats it counts, are
replayed here, so the run's log and crawl_runs read as they do in-process. FRONTLINE_WORKERS = 0 or 1 runs the
same stages in this process.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import time
from collections import Counter
from concurrent.futures import TimeoutError as WorkerTimeout
from dataclasses import dataclass, field

from pebble import ProcessExpired, ProcessPool
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from crawler.items import RawPage, StoredArticle
from pipelines.decode import DecodePipeline
from pipelines.enrich import EnrichPipeline
from pipelines.extract import ExtractPipeline
from pipelines.normalize import NormalizePipeline
from pipelines.pack import PackPipeline
from pipelines.store import NotStored

logger = logging.getLogger(__name__)

# Test-only hooks (tests/test_workers.py): a worker given a page whose URL contains this text dies, or hangs;
# every worker's start fails with this message.
CRASH_ON = "FRONTLINE_TEST_WORKER_CRASH_ON"
HANG_ON = "FRONTLINE_TEST_WORKER_HANG_ON"
START_FAILS = "FRONTLINE_TEST_WORKER_START_FAILS"
WORKER_START_FAILED = "worker_start_failed"  # the finish reason of a run whose workers could not start


@dataclass(frozen=True)
class StageConfig:
    """What a worker needs to build its stages: picklable, sent once per worker."""
    max_bytes: int
    enrich: bool
    comment_selectors: object = None
    log_level: int = logging.WARNING


class Stages:
    """The stages of one process, built once; a page runs them all, an article read back only enrichment."""

    def __init__(self, config: StageConfig, stats):
        enrichment = [EnrichPipeline()] if config.enrich else []
        self.chains = {
            RawPage: [DecodePipeline(config.max_bytes), ExtractPipeline(config.comment_selectors, stats),
                      NormalizePipeline(), *enrichment, PackPipeline()],
            StoredArticle: enrichment,
        }

    def run(self, item):
        for stage in self.chains[type(item)]:
            item = stage.process_item(item)
        return item


@dataclass
class Outcome:
    """A worker's answer: the processed item, or the DropItem that stopped it, with what it logged and counted;
    or why the worker could not start. pid: which process did the work (stat frontline/worker_processes)."""
    item: object
    dropped: DropItem | None
    records: list[logging.LogRecord] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    start_failure: str | None = None
    pid: int = field(default_factory=os.getpid)


class WorkPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.workers = crawler.settings.getint("FRONTLINE_WORKERS")
        self.timeout = crawler.settings.getfloat("FRONTLINE_WORKER_TIMEOUT")
        self.stages = None
        self.pool = None
        self.pids: set[int] = set()  # the worker processes that answered
        self.failure: str | None = None  # why the workers could not start, once they could not

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        profile = getattr(self.crawler.spider, "profile", None)
        settings = self.crawler.settings
        config = StageConfig(settings.getint("DOWNLOAD_MAXSIZE"), settings.getbool("FRONTLINE_ENRICH"),
                             profile.comments if profile is not None else None,
                             min((handler.level for handler in logging.root.handlers), default=logging.WARNING))
        if self.workers <= 1:
            self.stages = Stages(config, self.crawler.stats)
            return
        # forkserver, not fork: a replacement worker forks from a clean single-threaded server, never from this
        # process's threads (a fork while another thread holds a lock, the logging lock say, can deadlock)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "pipelines.preload"] if config.enrich else [__name__])
        self.pool = ProcessPool(self.workers, initializer=start_worker, initargs=(config,), context=context)
        self.pool.schedule(os.getpid)  # pebble starts its workers on the first task: now, while Scrapy starts

    async def process_item(self, item):
        if self.pool is None:
            return self.stages.run(item)
        if self.failure is not None:
            raise NotStored(self.failure)
        future = self.pool.schedule(work, args=(item,), timeout=self.timeout)
        try:
            outcome = await asyncio.wrap_future(future)
        except WorkerTimeout:
            raise DropItem(f"worker timed out: no result after {self.timeout:g} s (FRONTLINE_WORKER_TIMEOUT)") \
                from None
        except ProcessExpired as exc:  # the worker died on this page; pebble has started another
            raise DropItem(f"worker process died (exit code {exc.exitcode})") from None
        self.pids.add(outcome.pid)
        if outcome.start_failure is not None:
            self.stop(outcome.start_failure)
            raise NotStored(self.failure)
        for record in outcome.records:
            logging.getLogger(record.name).handle(record)
        for key, count in outcome.stats.items():
            self.crawler.stats.inc_value(key, count)
        if outcome.dropped is not None:
            raise outcome.dropped
        if isinstance(outcome.item, RawPage):
            outcome.item.body = item.body  # not sent back (see work())
        return outcome.item

    def stop(self, failure: str) -> None:
        """The first page answered by a worker that could not start stops the run: the others would be too."""
        if self.failure is None:
            self.failure = f"the worker processes could not start ({failure})"
            logger.error("The worker processes could not start (%s): the run stops", failure)
            self.crawler.stats.set_value("frontline/worker_error", failure)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=WORKER_START_FAILED))

    def close_spider(self):
        self.crawler.stats.set_value("frontline/worker_processes", len(self.pids))
        if self.pool is not None:
            self.pool.stop()  # the run is over: nothing is in flight any more
            self.pool.join()


class KeptRecords(logging.Handler):
    """A worker's log records, made picklable (message formatted, traceback as text) to go back with the page."""

    def __init__(self):
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text, record.exc_info = logging.Formatter().formatException(record.exc_info), None
        self.records.append(record)


class WorkerStats(Counter):
    """The stats a stage counts in a worker (crawler.stats lives in the Scrapy process)."""

    def inc_value(self, key, count=1, start=0):
        self[key] += count


WORKER: dict = {}  # in a worker process: its stages, log records and stats


def start_worker(config: StageConfig) -> None:
    """Run once in each worker, the first and every replacement: stages built, logging kept for the page."""
    kept, stats = KeptRecords(), WorkerStats()
    logging.root.handlers = [kept]
    logging.root.setLevel(config.log_level)
    WORKER.update(kept=kept, stats=stats)
    try:
        if message := os.environ.get(START_FAILS):  # test-only
            raise RuntimeError(message)
        WORKER["stages"] = Stages(config, stats)
    except Exception as exc:  # raised, pebble would start another worker, failing alike, without end
        WORKER["start_failure"] = f"{type(exc).__name__}: {exc}"


def work(item) -> Outcome:
    if failure := WORKER.get("start_failure"):
        return Outcome(None, None, start_failure=failure)
    kept, stats = WORKER["kept"], WORKER["stats"]
    kept.records.clear()
    stats.clear()
    test_hooks(item.url)
    try:
        item, dropped = WORKER["stages"].run(item), None
    except DropItem as exc:
        item, dropped = None, exc
    if isinstance(item, RawPage):
        item.body = b""  # the writer still has the page's bytes: pickling them back cost it ~1 ms a page
    return Outcome(item, dropped, list(kept.records), dict(stats))


def test_hooks(url: str) -> None:
    """Test-only: a crash (os._exit, as a segfault would end it) or a hang on a marked page."""
    if (marker := os.environ.get(CRASH_ON)) and marker in url:
        os._exit(70)
    if (marker := os.environ.get(HANG_ON)) and marker in url:
        time.sleep(3600)
