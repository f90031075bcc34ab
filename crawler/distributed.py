"""Several crawler processes, on one machine or many, sharing one crawl through Redis.

scrapy-redis gives them one request queue and one seen-set, so no page is fetched twice. Crawlers do not
write SQLite: each fetched page goes, as JSON, onto a Redis list that a single `frontline ingest` drains
through the usual pipelines (decode, extract, normalize, enrich, store). SQLite keeps one writer.

    redis keys (TARGET is the profile name or the start URL, made file-name safe)
    frontline:TARGET:requests   scrapy-redis priority queue (sorted set), shared by the crawlers
    frontline:TARGET:seen       scrapy-redis seen-set of request fingerprints
    frontline:TARGET:workers    crawler processes of the current round, scored by when they last fetched
    frontline:pages             pages and run reports waiting for `frontline ingest` (a list)
    frontline:pages:consumers   ingest processes that took from it (a set), each with the two keys:
    frontline:pages:processing:ID   what that ingest took and has not yet stored (a list)
    frontline:pages:alive:ID        there while that ingest runs (expires FRONTLINE_INGEST_TIMEOUT s after it stops)
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import socket
import time
import warnings

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured, ScrapyDeprecationWarning

from crawler.items import PagePart, RawPage, RunReport
from crawler.jobs import target_slug

logger = logging.getLogger(__name__)
# scrapy-redis 0.9 still passes spider= to the stats collector; harmless under Scrapy 2.19, noisy on every run
warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module="scrapy_redis")

PAGES_KEY = "frontline:pages"
CONSUMERS_KEY = f"{PAGES_KEY}:consumers"
run_reported = object()  # signal(report=RunReport): the ingest read how a crawler process ended


def redis_settings(redis_url: str, target: str, per_domain: int) -> dict:
    """Settings that turn `frontline crawl TARGET` into one worker of a shared crawl."""
    prefix = f"frontline:{target_slug(target)}"
    return {
        # take from the shared queue only what this process fetches now; the rest is for the other workers
        "CONCURRENT_REQUESTS": per_domain,
        "FRONTLINE_REDIS_URL": redis_url,
        "REDIS_URL": redis_url,
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:seen",
        "SCHEDULER_PERSIST": True,  # a worker that finishes first must not clear what the others still use
        "ITEM_PIPELINES": {"pipelines.queue.RedisQueuePipeline": 900},
        "EXTENSIONS": {"crawler.distributed.CrawlRound": 500},
    }


# Atomically: forget workers not busy for a while; if nobody is left and the queue is empty, the previous
# round is over, so its seen-set goes (else the next scheduled crawl would skip every page); then join.
# Returns 1 when a new round starts.
JOIN_ROUND = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local fresh = redis.call('ZCARD', KEYS[1]) == 0 and redis.call('ZCARD', KEYS[2]) == 0
if fresh then redis.call('DEL', KEYS[3]) end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
if fresh then return 1 else return 0 end
"""


class CrawlRound:
    """The crawler processes of one crawl. A process joins the running round or starts a new one, and does
    not leave while the queue may still grow: when its own work runs out but another process fetched
    something within FRONTLINE_REDIS_IDLE_WAIT seconds, that one may be about to queue more pages."""

    def __init__(self, crawler):
        import redis

        settings = crawler.settings
        url = settings.get("FRONTLINE_REDIS_URL")
        if not url:
            raise NotConfigured("no FRONTLINE_REDIS_URL")
        self.server = redis.Redis.from_url(url)
        self.queue_key = settings.get("SCHEDULER_QUEUE_KEY")
        self.workers_key = self.queue_key.rsplit(":", 1)[0] + ":workers"
        self.idle_wait = settings.getfloat("FRONTLINE_REDIS_IDLE_WAIT")
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.last_beat = now = time.time()
        timeout = settings.getint("FRONTLINE_REDIS_WORKER_TIMEOUT")
        fresh = self.server.eval(JOIN_ROUND, 3, self.workers_key, self.queue_key, settings.get("SCHEDULER_DUPEFILTER_KEY"),
                                 self.worker, now, now - timeout)
        crawler.stats.set_value("frontline/redis_round", "new" if fresh else "joined")
        logger.info("%s crawl round on %s as worker %s", "New" if fresh else "Joined the", url, self.worker)
        crawler.signals.connect(self.busy, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.busy, signal=signals.response_received)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def busy(self, **kwargs):
        now = time.time()
        if now - self.last_beat >= 1:
            self.last_beat = now
            self.server.zadd(self.workers_key, {self.worker: now})

    def spider_idle(self, spider):
        others = self.server.zrangebyscore(self.workers_key, time.time() - self.idle_wait, "+inf")
        if self.server.zcard(self.queue_key) or any(w.decode() != self.worker for w in others):
            raise DontCloseSpider

    def spider_closed(self, spider, reason):
        self.server.zrem(self.workers_key, self.worker)


def page_message(page: RawPage) -> str:
    """A fetched page as JSON (bodies in base64): data, never code, crosses Redis (no pickle)."""
    fields = {name: getattr(page, name) for name in
              ("url", "source", "content_type", "fetched_at", "status", "headers", "error", "skipped")}
    return json.dumps({
        "kind": "page", **fields, "body": _encode(page.body),
        "parts": [{"url": p.url, "body": _encode(p.body), "role": p.role, "content_type": p.content_type}
                  for p in page.parts],
    })


def run_message(report: RunReport) -> str:
    return json.dumps({"kind": "run", **report.__dict__}, default=str)


def from_message(raw: bytes | str) -> RawPage | RunReport:
    """Raises ValueError for anything that is not a message a crawler wrote."""
    message = json.loads(raw)
    if not isinstance(message, dict):
        raise ValueError("not a JSON object")
    kind = message.pop("kind", None)
    if kind == "run":
        return RunReport(**message)
    if kind != "page":
        raise ValueError(f"unknown message kind {kind!r}")
    parts = [PagePart(p["url"], _decode(p["body"]), p["role"], p["content_type"]) for p in message.pop("parts")]
    return RawPage(**{**message, "body": _decode(message["body"])}, parts=parts)


def _encode(body: bytes) -> str:
    return base64.b64encode(body).decode("ascii")


def _decode(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


class PageConsumer:
    """One `frontline ingest`'s hold on frontline:pages: Redis's reliable-queue pattern. A message is moved
    (LMOVE, atomic) onto this consumer's own processing list, and removed from it only once its page is stored,
    rejected or skipped. The consumer keeps a key alive while it runs; the processing list of a consumer whose
    key has expired (killed, its machine gone) goes back on the queue, to be taken first, when the next ingest
    starts or finds the queue empty. So a killed ingest loses no page: the one it was storing when killed may
    be stored again, as unchanged."""

    def __init__(self, server, timeout: float):
        self.server = server
        self.timeout_ms = int(timeout * 1000)
        self.id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.processing = processing_key(self.id)

    def join(self) -> None:
        self.keep_alive()
        self.server.sadd(CONSUMERS_KEY, self.id)

    def keep_alive(self) -> None:
        self.server.set(alive_key(self.id), 1, px=self.timeout_ms)

    def take(self) -> bytes | None:
        return self.server.lmove(PAGES_KEY, self.processing, "RIGHT", "LEFT")

    def done(self, raw: bytes) -> None:
        self.server.lrem(self.processing, 1, raw)

    def put_back_abandoned(self) -> int:
        """The messages of consumers gone without finishing, back on the queue; how many."""
        return sum(self.put_back(consumer.decode()) for consumer in self.server.smembers(CONSUMERS_KEY)
                   if consumer.decode() != self.id and not self.server.exists(alive_key(consumer.decode())))

    def put_back(self, consumer: str) -> int:
        moved = 0
        while self.server.lmove(processing_key(consumer), PAGES_KEY, "LEFT", "RIGHT") is not None:
            moved += 1
        self.server.srem(CONSUMERS_KEY, consumer)
        return moved

    def leave(self) -> None:
        """What this run took and did not store (the database failed, the run was stopped) goes back."""
        self.put_back(self.id)
        self.server.delete(alive_key(self.id))


def processing_key(consumer: str) -> str:
    return f"{PAGES_KEY}:processing:{consumer}"


def alive_key(consumer: str) -> str:
    return f"{PAGES_KEY}:alive:{consumer}"
