"""One line per page outcome, never a dump of the raw bytes: stored (imported, updated, unchanged), skipped or
rejected, with the reason. At INFO, so `frontline crawl -v` / `frontline import -v` show them and the log file in
DATA_DIR/logs/ keeps them; rejected pages are warnings, shown even without -v."""

import logging

from scrapy.logformatter import LogFormatter


class OneLineLogFormatter(LogFormatter):
    def crawled(self, request, response, spider):
        return None  # crawler.extensions.ResponseLog logs every response, redirects and retries included

    def scraped(self, item, response, spider):
        stored = getattr(item, "stored", None)  # set by the store pipeline; a --redis worker only queues
        return {
            "level": logging.INFO,
            "msg": "Stored %(url)s (%(stored)s)" if stored else "Queued %(url)s for frontline ingest",
            "args": {"url": getattr(item, "url", "?"), "stored": stored},
        }

    def dropped(self, item, exception, response, spider):
        level = getattr(exception, "log_level", None) or logging.WARNING
        skipped = getattr(item, "skipped", None)
        return {
            "level": logging.getLevelName(level) if isinstance(level, str) else level,
            "msg": "Skipped %(url)s: %(reason)s" if skipped else "Rejected %(url)s: %(reason)s",
            "args": {"url": getattr(item, "url", "?"), "reason": exception},
        }
