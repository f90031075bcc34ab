"""Scrapy settings for frontline. Safe choices are active; everything here can be overridden per run
(`scrapy crawl seeds -s FRONTLINE_DB=other.db` or `frontline --db other.db import ...`).

Scrapy settings reference: https://docs.scrapy.org/en/latest/topics/settings.html
"""

import os

BOT_NAME = "frontline"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- frontline's own settings -----------------------------------------------------------------
FRONTLINE_DB = "data/frontline.db"  # SQLite file the store pipeline writes
FRONTLINE_ENRICH = True  # link actors and places, detect comment languages, cluster near-duplicates
# Worker processes that decode, extract, normalize and enrich pages for the one writer (pipelines/work.py):
# one per core unless the environment variable FRONTLINE_WORKERS says; 0 or 1 does it in the Scrapy process.
FRONTLINE_WORKERS = int(os.environ.get("FRONTLINE_WORKERS") or len(os.sched_getaffinity(0)))
FRONTLINE_WORKER_TIMEOUT = 120  # seconds one page may take in a worker; past that it is a reject
# `frontline import` of fewer seed files than this does the work in its own process: starting the pool costs more
# than it saves (benchmarks/README.md, "Issue 15: the writer's memory and the worker pool's edges"). Archives,
# crawls and the other commands keep the pool.
FRONTLINE_POOL_MIN_FILES = int(os.environ.get("FRONTLINE_POOL_MIN_FILES") or 16)
FRONTLINE_COMMENT_WINDOW_DAYS = 14  # re-fetch articles this young even when the sitemap says unchanged
FRONTLINE_RETRY_BACKOFF = 2.0  # seconds before the first retry of a 5xx/timeout, doubled each time
FRONTLINE_RETRY_BACKOFF_MAX = 60.0
# A run that crosses one of these is flagged in crawl_runs.flags and `frontline crawl` exits with 3.
FRONTLINE_MIN_ARTICLES = 1  # pages that became (or stayed) articles, across imported/updated/unchanged
FRONTLINE_MAX_ERROR_RATE = 0.25  # rejected pages / all pages
FRONTLINE_MAX_ERRORS = 0  # ERROR lines in the log (spider or pipeline failures)
# `frontline crawl` and `frontline ingest` also log to DATA_DIR/logs/, rotated at this size.
FRONTLINE_LOG_MAX_BYTES = 5 * 1024 * 1024
FRONTLINE_LOG_BACKUPS = 5
FRONTLINE_LOG_FILE_LEVEL = "INFO"
# A live status line on stderr (fetched, stored, skipped, rejected, pages/min); `frontline crawl` turns it on
# when stderr is a terminal and --quiet is not given.
FRONTLINE_PROGRESS = False
FRONTLINE_PROGRESS_INTERVAL = 1.0  # seconds between updates
# Distributed crawling (scrapy-redis): `frontline crawl TARGET --redis redis://HOST:PORT`
FRONTLINE_REDIS_URL = None
FRONTLINE_REDIS_IDLE_WAIT = 30  # an idle crawler stays while another fetched within this many seconds
FRONTLINE_REDIS_WORKER_TIMEOUT = 120  # a crawler that fetched nothing for this long counts as gone
# an ingest silent this long (seconds) counts as gone: the pages it took and did not store go back on the queue
FRONTLINE_INGEST_TIMEOUT = 60
# Crawls can also write what they fetch as WARC (crawler/extensions.py WarcRecorder), off unless a folder is
# given: -s FRONTLINE_WARC_DIR=data/warc. A file rolls over past the size (1 GB, as the WARC standard suggests).
FRONTLINE_WARC_DIR = None
FRONTLINE_WARC_MAX_SIZE = 1_000_000_000

# Crawler traps end (crawler/bounds.py): past a bound a URL is skipped ("over a bound: NAME=N"), the bound is
# logged once, the run is flagged and ends normally, so the next run starts afresh instead of resuming a trap.
FRONTLINE_MAX_REQUESTS = 20_000  # distinct URLs one run requests (an article's own extra pages not counted)
FRONTLINE_MAX_LISTING_DEPTH = 100  # listing pages followed from listing pages (rel=next, /page/N/, sections)
FRONTLINE_MAX_QUERY_VARIANTS = 20  # distinct query strings per path (after sort/view/filter/tracking are removed)
FRONTLINE_MAX_SITEMAP_DEPTH = 3  # sitemap indexes within sitemap indexes
FRONTLINE_MAX_SITEMAPS = 1_000  # sitemaps read per run
FRONTLINE_MAX_PAGES_PER_ARTICLE = 50  # continuation and comment pages of one article
FRONTLINE_SITEMAP_MAXSIZE = 50 * 1024 * 1024  # the sitemap protocol's own limit, also once decompressed

ITEM_PIPELINES = {
    # in FRONTLINE_WORKERS processes, the stages of pipelines/: decode (bytes -> text, or reject: empty, binary,
    # oversized), extract (title, body, comments, boilerplate), normalize (whitespace, word count, language,
    # hashes), enrich (actors, places, comment languages, reply links, near-duplicate signature)
    "pipelines.work.WorkPipeline": 200,
    "pipelines.store.StorePipeline": 900,  # SQLite: articles, comments, raw pages, rejects, runs
}

# --- politeness and limits ------------------------------------------------------------------
USER_AGENT = "frontline/0.1 (+https://github.com/frontline-news/frontline; research crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # pages (and seed files) above 10 MiB are rejected
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 60
AUTOTHROTTLE_ENABLED = True  # slows down further when a site answers slowly
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_TIMES = 3
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"  # the page is rejected with its reason; ERROR is kept for real failures
DOWNLOADER_MIDDLEWARES = {
    # every request, dont_filter or not, stays on the profile's hosts and ports (crawler/scope.py)
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.ScopeMiddleware": 50,
    # robots.txt as RFC 9309 says: 5xx or unreachable disallows all, 4xx allows all, 5 redirects at most
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.SiteRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # redirects and meta refreshes off-site are refused before the new request is made
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.ScopedMetaRefreshMiddleware": 580,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.LoopAwareRedirectMiddleware": 600,
}

# Local files are only readable by the seeds spider, which enables its own handler; a web page that
# links to file:// can never make the crawler read the disk.
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None}

EXTENSIONS = {
    "crawler.extensions.ResponseLog": 500,  # a line per HTTP response, at INFO
    "crawler.extensions.CrawlProgress": 900,  # the status line on a terminal; off unless FRONTLINE_PROGRESS
    "crawler.extensions.WarcRecorder": 950,  # fetched pages as WARC files; off unless FRONTLINE_WARC_DIR
}

LOG_FORMATTER = "crawler.logformatter.OneLineLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# No listening ports for a batch job.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
