"""Rejected pages are logged as one line with their reason, never as a dump of the raw bytes."""

import logging

from scrapy.logformatter import LogFormatter


class OneLineLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        level = getattr(exception, "log_level", None) or logging.WARNING
        skipped = getattr(item, "skipped", None)
        return {
            "level": logging.getLevelName(level) if isinstance(level, str) else level,
            "msg": "Skipped %(url)s: %(reason)s" if skipped else "Rejected %(url)s: %(reason)s",
            "args": {"url": getattr(item, "url", "?"), "reason": exception},
        }
