"""Scrapy settings for frontline. Safe choices are active; everything here can be overridden per run
(`scrapy crawl seeds -s FRONTLINE_DB=other.db` or `frontline --db other.db import ...`).

Scrapy settings reference: https://docs.scrapy.org/en/latest/topics/settings.html
"""

BOT_NAME = "frontline"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- frontline's own settings -----------------------------------------------------------------
FRONTLINE_DB = "data/frontline.db"  # SQLite file the store pipeline writes

ITEM_PIPELINES = {
    "pipelines.decode.DecodePipeline": 100,  # bytes -> text, or reject (empty, binary, oversized)
    "pipelines.extract.ExtractPipeline": 200,  # text/HTML -> title, body, comments, boilerplate
    "pipelines.normalize.NormalizePipeline": 300,  # whitespace, word count, language, hashes
    "pipelines.store.StorePipeline": 900,  # SQLite: articles, comments, raw pages, rejects, runs
}

# --- politeness and limits ------------------------------------------------------------------
USER_AGENT = "frontline/0.1 (+https://github.com/frontline-news/frontline; research crawler)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # pages (and seed files) above 10 MiB are rejected
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Local files are only readable by the seeds spider, which enables its own handler; a web page that
# links to file:// can never make the crawler read the disk.
DOWNLOAD_HANDLERS = {"file": None, "s3": None, "ftp": None}

LOG_FORMATTER = "crawler.logformatter.OneLineLogFormatter"
FEED_EXPORT_ENCODING = "utf-8"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# No listening ports for a batch job.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
