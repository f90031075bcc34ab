"""Rejected pages are logged as one line with their reason, never as a dump of the raw bytes."""

from scrapy.logformatter import LogFormatter


class OneLineLogFormatter(LogFormatter):
    def dropped(self, item, exception, response, spider):
        return {
            "level": getattr(exception, "log_level", None) or 30,  # WARNING
            "msg": "Rejected %(url)s: %(reason)s",
            "args": {"url": getattr(item, "url", "?"), "reason": exception},
        }
